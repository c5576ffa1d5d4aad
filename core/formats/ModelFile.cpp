#include "core/formats/ModelFile.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <zlib.h>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/detail/ModelInternals.h"
#include "models/ModelRegistry.h"

namespace latentlab {

namespace {

const char kMagic[16] = {'L', 'A', 'T', 'E', 'N', 'T', 'L', 'A', 'B', '-', 'M', 'O', 'D', 'E', 'L', '\n'};
constexpr std::uint64_t kMaxHeaderBytes = 64ull << 20;

using nlohmann::json;

json toJson(const EpochRecord& r)
{
    return {{"epoch", r.epoch}, {"seconds", r.seconds}, {"train_loss", r.trainLoss}, {"train_recon", r.trainRecon},
            {"train_kl", r.trainKl}, {"test_loss", r.testLoss}, {"test_recon", r.testRecon}, {"test_kl", r.testKl}};
}

EpochRecord epochFromJson(const json& j)
{
    EpochRecord r;
    r.epoch = j.at("epoch").get<int>();
    r.seconds = j.value("seconds", 0.0);
    r.trainLoss = j.value("train_loss", 0.0);
    r.trainRecon = j.value("train_recon", 0.0);
    r.trainKl = j.value("train_kl", 0.0);
    r.testLoss = j.value("test_loss", 0.0);
    r.testRecon = j.value("test_recon", 0.0);
    r.testKl = j.value("test_kl", 0.0);
    return r;
}

json headerFor(const Model& model, const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
               std::uint64_t weightBytes, std::uint32_t crc)
{
    const ModelConfig& c = model.config();
    const ModelInfo& info = model.info();
    json history = json::array();
    for (const EpochRecord& r : info.history)
        history.push_back(toJson(r));
    json attributes = json::array();
    for (const AttributeVector& a : info.attributes)
        attributes.push_back({{"name", a.name}, {"direction", a.direction}});
    // What the family's row says of it, for `info` and other tools (not read back: the row is).
    const ModelFamily& family = ModelRegistry::find(c.architecture);
    json latentLayout = json::array();
    for (const LatentPart& part : family.latentLayout(c))
        latentLayout.push_back({{"name", part.name}, {"size", part.size}, {"prior", part.prior}});
    json tensorList = json::array();
    for (const auto& [name, t] : tensors)
        tensorList.push_back({{"name", name}, {"shape", t.sizes().vec()}});
    return {
        {"format", "latentlab-model"},
        {"version", ModelFile::kFormatVersion},
        {"architecture", {{"type", c.architecture}, {"variational", c.variational},
                          {"latent", c.latentDim}, {"hidden", ModelRegistry::effectiveHidden(c)},
                          {"conditional_classes", c.conditionClasses}, {"latent_layout", latentLayout},
                          {"loss_terms", family.lossTerms}}},
        {"image", {{"channels", c.channels}, {"height", c.height}, {"width", c.width}}},
        {"likelihood", toString(c.likelihood)},
        {"beta", c.beta},
        {"dataset", {{"spec", info.datasetSpec}, {"class_names", info.classNames}, {"train_images", info.trainImages}}},
        {"training", {{"batch", info.batchSize}, {"lr", info.learningRate}, {"seed", info.seed}, {"history", history}}},
        {"attributes", attributes},
        {"tensors", tensorList},
        {"optimizer", model.impl().optimizer ? json{{"type", "adam"}, {"step", model.impl().optimizer->step}} : json(nullptr)},
        {"weights", {{"bytes", weightBytes}, {"crc32", crc}, {"dtype", "float32-le"}}},
    };
}

// Parameters and buffers in a fixed order, as saved.
std::vector<std::pair<std::string, torch::Tensor>> namedTensors(const VaeNetwork& network)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : network.named_parameters())
        out.emplace_back(p.key(), p.value());
    for (const auto& b : network.named_buffers())
        out.emplace_back(b.key(), b.value());
    return out;
}

// The optimiser's moments, after the weights: two per parameter, shaped like it.
std::vector<std::pair<std::string, torch::Tensor>> optimizerTensors(const VaeNetwork& network, const OptimizerState& s)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    const auto params = network.named_parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
        out.emplace_back("optimizer.exp_avg." + params[i].key(), s.expAvg[i]);
        out.emplace_back("optimizer.exp_avg_sq." + params[i].key(), s.expAvgSq[i]);
    }
    return out;
}

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

ModelConfig configFromHeader(const json& h)
{
    ModelConfig c;
    const json& arch = h.at("architecture");
    c.architecture = arch.at("type").get<std::string>();
    c.variational = arch.at("variational").get<bool>();
    c.latentDim = arch.at("latent").get<int>();
    c.hidden = arch.at("hidden").get<std::vector<int>>();
    c.conditionClasses = arch.value("conditional_classes", 0);
    const json& image = h.at("image");
    c.channels = image.at("channels").get<int>();
    c.height = image.at("height").get<int>();
    c.width = image.at("width").get<int>();
    c.likelihood = likelihoodFromString(h.at("likelihood").get<std::string>());
    c.beta = h.at("beta").get<double>();
    ModelRegistry::validate(c);
    return c;
}

ModelInfo infoFromHeader(const json& h)
{
    ModelInfo info;
    const json& dataset = h.at("dataset");
    info.datasetSpec = dataset.value("spec", "");
    info.classNames = dataset.value("class_names", std::vector<std::string>{});
    info.trainImages = dataset.value("train_images", std::size_t(0));
    const json& training = h.at("training");
    info.batchSize = training.value("batch", 0);
    info.learningRate = training.value("lr", 0.0);
    info.seed = training.value("seed", 0ull);
    for (const json& r : training.value("history", json::array()))
        info.history.push_back(epochFromJson(r));
    for (const json& a : h.value("attributes", json::array()))
        info.attributes.push_back({a.at("name").get<std::string>(), a.at("direction").get<std::vector<float>>()});
    return info;
}

struct RawFile {
    json header;
    std::string weights;
};

RawFile readRaw(const std::string& path, bool withWeights)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open the model file");
    char magic[sizeof kMagic] = {};
    in.read(magic, sizeof magic);
    if (in.gcount() != std::streamsize(sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
        throw Error(path + ": not a LatentLab model file");
    unsigned char lengthBytes[8] = {};
    in.read(reinterpret_cast<char*>(lengthBytes), 8);
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | lengthBytes[i];
    if (!in || headerLength == 0 || headerLength > kMaxHeaderBytes)
        throw Error(path + ": the model file is truncated or its header is corrupt");
    std::string headerText(headerLength, '\0');
    in.read(headerText.data(), std::streamsize(headerLength));
    if (std::uint64_t(in.gcount()) != headerLength)
        throw Error(path + ": the model file is truncated (header incomplete)");

    RawFile raw;
    try {
        raw.header = json::parse(headerText);
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is corrupt (" + e.what() + ")");
    }
    if (!raw.header.is_object() || raw.header.value("format", "") != "latentlab-model")
        throw Error(path + ": the header does not describe a LatentLab model");
    const int version = raw.header.value("version", -1);
    if (version < 1 || version > ModelFile::kFormatVersion)
        throw Error(path + ": model file format version " + std::to_string(version) + " is not supported (this LatentLab reads version "
                    + std::to_string(ModelFile::kFormatVersion) + (version > ModelFile::kFormatVersion ? "; update LatentLab)" : ")"));
    if (!withWeights)
        return raw;

    std::uint64_t weightBytes = 0;
    std::uint32_t crc = 0;
    try {
        weightBytes = raw.header.at("weights").at("bytes").get<std::uint64_t>();
        crc = raw.header.at("weights").at("crc32").get<std::uint32_t>();
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is incomplete (" + e.what() + ")");
    }
    const std::uint64_t start = sizeof kMagic + 8 + headerLength;
    std::error_code ec;
    const std::uint64_t fileSize = std::filesystem::file_size(path, ec);
    if (ec || fileSize < start + weightBytes)
        throw Error(path + ": the model file is truncated (" + std::to_string(ec ? 0 : fileSize - start) + " of "
                    + std::to_string(weightBytes) + " weight bytes present)");
    if (fileSize > start + weightBytes)
        throw Error(path + ": the model file has unexpected bytes after its weights");
    raw.weights.resize(weightBytes);
    in.read(raw.weights.data(), std::streamsize(weightBytes));
    if (std::uint64_t(in.gcount()) != weightBytes)
        throw Error(path + ": the model file is truncated (weights incomplete)");
    const std::uint32_t actual = std::uint32_t(crc32_z(0, reinterpret_cast<const Bytef*>(raw.weights.data()), raw.weights.size()));
    if (actual != crc)
        throw Error(path + ": the model file is corrupt (weights checksum mismatch)");
    return raw;
}

} // namespace

namespace {

// Where a header holds NaN or an infinity (JSON writes them as null: the file would not
// load back), as "training.history[0].test_loss"; empty when it holds none.
std::string nonFiniteNumberIn(const json& j, const std::string& where)
{
    if (j.is_number_float())
        return std::isfinite(j.get<double>()) ? std::string() : where;
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string found = nonFiniteNumberIn(it.value(), where.empty() ? it.key() : where + "." + it.key());
            if (!found.empty())
                return found;
        }
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i) {
            const std::string found = nonFiniteNumberIn(j[i], where + "[" + std::to_string(i) + "]");
            if (!found.empty())
                return found;
        }
    return {};
}

} // namespace

void ModelFile::save(const Model& model, const std::string& path)
{
    static_assert(sizeof(float) == 4, "float32 weights");
    auto tensors = namedTensors(*model.impl().network);
    if (model.impl().optimizer) {
        const auto moments = optimizerTensors(*model.impl().network, *model.impl().optimizer);
        tensors.insert(tensors.end(), moments.begin(), moments.end());
    }
    std::string weights;
    for (const auto& entry : tensors) {
        const torch::Tensor t = entry.second.detach().to(torch::kCPU, torch::kFloat).contiguous();
        // A diverged model is never written, over a good file or anywhere.
        if (!torch::isfinite(t).all().item<bool>())
            throw Error(path + ": not saved: " + entry.first + " holds NaN or infinite values (training diverged?)");
        weights.append(reinterpret_cast<const char*>(t.data_ptr<float>()), std::size_t(t.numel()) * sizeof(float));
    }
    const std::uint32_t crc = std::uint32_t(crc32_z(0, reinterpret_cast<const Bytef*>(weights.data()), weights.size()));
    const json headerJson = headerFor(model, tensors, weights.size(), crc);
    const std::string nonFinite = nonFiniteNumberIn(headerJson, "");
    if (!nonFinite.empty())
        throw Error(path + ": not saved: " + nonFinite + " is NaN or infinite (training diverged?)");
    const std::string header = headerJson.dump(1);

    unsigned char lengthBytes[8];
    for (int i = 0; i < 8; ++i)
        lengthBytes[i] = static_cast<unsigned char>((std::uint64_t(header.size()) >> (8 * i)) & 0xff);
    AtomicFile::write(path, {std::string_view(kMagic, sizeof kMagic),
                             std::string_view(reinterpret_cast<const char*>(lengthBytes), 8), header, weights},
                      "the model file");
}

std::unique_ptr<Model> ModelFile::load(const std::string& path)
{
    RawFile raw = readRaw(path, true);
    auto impl = std::make_unique<Model::Impl>();
    std::vector<json> listed;
    try {
        impl->config = configFromHeader(raw.header);
        impl->info = infoFromHeader(raw.header);
        listed = raw.header.at("tensors").get<std::vector<json>>();
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is incomplete or malformed (" + e.what() + ")");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    impl->network = makeNetwork(impl->config);

    auto tensors = namedTensors(*impl->network);
    const json& optimizer = raw.header.contains("optimizer") ? raw.header["optimizer"] : json(nullptr);
    if (!optimizer.is_null()) {
        // Moments shaped like the parameters, filled below with the weights.
        OptimizerState state;
        try {
            if (optimizer.at("type").get<std::string>() != "adam")
                throw Error(path + ": unknown optimiser '" + optimizer.at("type").get<std::string>() + "'");
            state.step = optimizer.at("step").get<std::int64_t>();
        } catch (const json::exception& e) {
            throw Error(path + ": the optimiser's state is malformed (" + std::string(e.what()) + ")");
        }
        if (state.step < 0)
            throw Error(path + ": the optimiser's step count is negative");
        for (const torch::Tensor& p : impl->network->parameters()) {
            state.expAvg.push_back(torch::empty_like(p));
            state.expAvgSq.push_back(torch::empty_like(p));
        }
        const auto moments = optimizerTensors(*impl->network, state);
        tensors.insert(tensors.end(), moments.begin(), moments.end());
        impl->optimizer = std::move(state);
    }
    if (listed.size() != tensors.size())
        throw Error(path + ": the file holds " + std::to_string(listed.size()) + " tensors but its architecture "
                    + (impl->optimizer ? "and optimiser state have " : "has ") + std::to_string(tensors.size()));
    std::size_t offset = 0;
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const auto& [name, tensor] = tensors[i];
        std::vector<std::int64_t> fileShape;
        try {
            fileShape = listed[i].at("shape").get<std::vector<std::int64_t>>();
            if (listed[i].at("name").get<std::string>() != name)
                throw Error(path + ": tensor " + std::to_string(i) + " is '" + listed[i].at("name").get<std::string>()
                            + "' in the file but '" + name + "' in the architecture");
        } catch (const json::exception& e) {
            throw Error(path + ": malformed tensor list (" + std::string(e.what()) + ")");
        }
        if (fileShape != tensor.sizes().vec())
            throw Error(path + ": shape mismatch: " + name + " is " + shapeText(fileShape) + " in the file but "
                        + shapeText(tensor.sizes().vec()) + " for this architecture");
        const std::size_t bytes = std::size_t(tensor.numel()) * sizeof(float);
        if (offset + bytes > raw.weights.size())
            throw Error(path + ": the weights are shorter than the tensor list says");
        std::memcpy(tensor.data_ptr<float>(), raw.weights.data() + offset, bytes);
        offset += bytes;
    }
    if (offset != raw.weights.size())
        throw Error(path + ": the weights are longer than the tensor list says");
    return std::make_unique<Model>(std::move(impl));
}

std::string ModelFile::readHeader(const std::string& path)
{
    return readRaw(path, false).header.dump(2);
}

} // namespace latentlab
