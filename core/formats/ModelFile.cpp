#include "core/formats/ModelFile.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>
#include <zlib.h>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/SafeSize.h"
#include "core/formats/HeaderObject.h"
#include "core/formats/TorchScriptFile.h"
#include "core/detail/ModelInternals.h"
#include "models/ModelRegistry.h"

namespace latentlab {

namespace {

const char kMagic[16] = {'L', 'A', 'T', 'E', 'N', 'T', 'L', 'A', 'B', '-', 'M', 'O', 'D', 'E', 'L', '\n'};
// A header holds the architecture, the history and the attribute vectors: 16 MiB is
// thousands of attributes of a 4096-wide code; nothing LatentLab writes nests deeper than 4.
constexpr std::uint64_t kMaxHeaderBytes = 16ull << 20;
constexpr int kMaxHeaderDepth = 32;
constexpr std::size_t kMaxTensors = 4096;

using nlohmann::json;

json toJson(const EpochRecord& r)
{
    return {{"epoch", r.epoch}, {"seconds", r.seconds}, {"train_loss", r.trainLoss}, {"train_recon", r.trainRecon},
            {"train_kl", r.trainKl}, {"test_loss", r.testLoss}, {"test_recon", r.testRecon}, {"test_kl", r.testKl}};
}

EpochRecord epochFromJson(const HeaderObject& j)
{
    // Losses may be null: JSON's only way to write the NaN of a diverged epoch.
    const auto loss = [&](const char* key) { return j.has(key) ? j.number(key) : std::nan(""); };
    EpochRecord r;
    r.epoch = int(j.integer("epoch", 0, 1 << 30));
    r.seconds = j.number("seconds", 0.0);
    r.trainLoss = loss("train_loss");
    r.trainRecon = loss("train_recon");
    r.trainKl = loss("train_kl");
    r.testLoss = loss("test_loss");
    r.testRecon = loss("test_recon");
    r.testKl = loss("test_kl");
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
    const json attributes = attributesToJson(info.attributes);
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
                          {"loss_terms", family.lossTerms}, {"rotation_prior", c.rotationPrior},
                          {"translation_prior", c.translationPrior}, {"pixel_sample", c.pixelSample},
                          {"angle_consistency", c.angleConsistency}}},
        {"image", {{"channels", c.channels}, {"height", c.height}, {"width", c.width}}},
        {"likelihood", toString(c.likelihood)},
        {"recon_weight", c.reconWeight},
        {"corruption", c.corruption.text()},
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

ModelConfig configFromHeader(const HeaderObject& h)
{
    constexpr std::int64_t kBig = 1 << 20; // past every bound of ModelConfig::validate, which says the real one
    ModelConfig c;
    const HeaderObject arch = h.object("architecture");
    c.architecture = arch.text("type");
    c.variational = arch.boolean("variational");
    c.latentDim = int(arch.integer("latent", 0, kBig));
    const json& hidden = arch.array("hidden", ModelConfig::kMaxHiddenLayers);
    for (std::size_t i = 0; i < hidden.size(); ++i)
        c.hidden.push_back(int(HeaderObject::integerOf(hidden[i], "architecture.hidden[" + std::to_string(i) + "]", 0, kBig)));
    c.conditionClasses = int(arch.integer("conditional_classes", 0, kBig, 0));
    c.rotationPrior = arch.number("rotation_prior", c.rotationPrior); // written since the rVAE
    c.translationPrior = arch.number("translation_prior", c.translationPrior);
    c.pixelSample = int(arch.integer("pixel_sample", 0, kBig, 0));
    c.angleConsistency = arch.number("angle_consistency", c.angleConsistency);
    const HeaderObject image = h.object("image");
    c.channels = int(image.integer("channels", 0, kBig));
    c.height = int(image.integer("height", 0, kBig));
    c.width = int(image.integer("width", 0, kBig));
    c.likelihood = likelihoodFromString(h.text("likelihood"));
    c.reconWeight = h.number("recon_weight", c.reconWeight); // written since SSIM
    if (h.has("corruption")) // written since denoising
        c.corruption = Corruption::parse(h.text("corruption"));
    c.beta = h.number("beta");
    ModelRegistry::validate(c);
    return c;
}

ModelInfo infoFromHeader(const HeaderObject& h, const ModelConfig& config)
{
    constexpr std::size_t kMaxEntries = 1 << 20;
    ModelInfo info;
    const HeaderObject dataset = h.object("dataset");
    info.datasetSpec = dataset.text("spec", "");
    const json& classNames = dataset.array("class_names", kMaxEntries, true);
    for (std::size_t i = 0; i < classNames.size(); ++i) {
        if (!classNames[i].is_string())
            throw Error("'dataset.class_names[" + std::to_string(i) + "]' must be a string");
        info.classNames.push_back(classNames[i].get<std::string>());
    }
    info.trainImages = std::size_t(dataset.integer("train_images", 0, std::int64_t(1) << 40, 0));
    const HeaderObject training = h.object("training");
    info.batchSize = int(training.integer("batch", 0, 1 << 20, 0));
    info.learningRate = training.number("lr", 0.0);
    if (training.has("seed")) { // any 64-bit unsigned value
        const json& seed = training.at("seed");
        if (!seed.is_number_unsigned())
            throw Error("'training.seed' must be a whole number of 0 or more, not " + seed.dump());
        info.seed = seed.get<std::uint64_t>();
    }
    const json& history = training.array("history", kMaxEntries, true);
    for (std::size_t i = 0; i < history.size(); ++i)
        info.history.push_back(epochFromJson(HeaderObject(history[i], "training.history[" + std::to_string(i) + "]")));
    info.attributes = attributesFromJson(h, "attributes", config.latentDim);
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
    if (!in || headerLength == 0)
        throw Error(path + ": the model file is truncated or its header is corrupt");
    if (headerLength > kMaxHeaderBytes)
        throw Error(path + ": the model file declares a header of " + std::to_string(headerLength) + " bytes, over the limit of "
                    + std::to_string(kMaxHeaderBytes) + " (corrupt?)");
    std::string headerText(headerLength, '\0');
    in.read(headerText.data(), std::streamsize(headerLength));
    if (std::uint64_t(in.gcount()) != headerLength)
        throw Error(path + ": the model file is truncated (header incomplete)");

    const int depth = nestingDepth(headerText);
    if (depth > kMaxHeaderDepth)
        throw Error(path + ": the model file's header is corrupt (nested " + std::to_string(depth) + " levels deep, at most "
                    + std::to_string(kMaxHeaderDepth) + ")");
    RawFile raw;
    try {
        raw.header = json::parse(headerText);
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is corrupt (" + plainJsonError(e) + ")");
    }
    const json* format = raw.header.is_object() && raw.header.contains("format") ? &raw.header["format"] : nullptr;
    if (!format || !format->is_string() || format->get<std::string>() != "latentlab-model")
        throw Error(path + ": the header does not describe a LatentLab model");
    const json& version = raw.header.contains("version") ? raw.header["version"] : json(nullptr);
    // An integer only: a float such as 1e300 has no int to convert to.
    if (!version.is_number_integer() || version.get<std::int64_t>() < 1 || version.get<std::int64_t>() > ModelFile::kFormatVersion)
        throw Error(path + ": model file format version " + version.dump() + " is not supported (this LatentLab reads versions 1 to "
                    + std::to_string(ModelFile::kFormatVersion)
                    + (version.is_number_integer() && version.get<std::int64_t>() > ModelFile::kFormatVersion ? "; update LatentLab)" : ")"));
    if (!withWeights)
        return raw;

    std::uint64_t weightBytes = 0;
    std::uint32_t crc = 0;
    try {
        weightBytes = raw.header.at("weights").at("bytes").get<std::uint64_t>();
        crc = raw.header.at("weights").at("crc32").get<std::uint32_t>();
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is incomplete (" + plainJsonError(e) + ")");
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
    if (!model.info().importedFrom.empty())
        return TorchScriptFile::save(model, path);
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
    if (TorchScriptFile::looksLikeOne(path))
        return TorchScriptFile::load(path);
    RawFile raw = readRaw(path, true);
    auto impl = std::make_unique<Model::Impl>();
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> listed;
    bool withOptimizer = false;
    std::int64_t step = 0;
    try {
        const HeaderObject header(raw.header, "");
        impl->config = configFromHeader(header);
        impl->info = infoFromHeader(header, impl->config);
        const json& tensorList = header.array("tensors", kMaxTensors);
        std::size_t floats = 0;
        for (std::size_t i = 0; i < tensorList.size(); ++i) {
            const HeaderObject entry(tensorList[i], "tensors[" + std::to_string(i) + "]");
            const json& dims = entry.array("shape", 8);
            std::vector<std::int64_t> shape;
            std::size_t count = 1;
            for (const json& d : dims) {
                shape.push_back(HeaderObject::integerOf(d, "tensors[" + std::to_string(i) + "].shape", 0, std::int64_t(1) << 32));
                count = checkedProduct({std::int64_t(count), shape.back()}, "tensor " + std::to_string(i));
            }
            floats = checkedSum({floats, count}, "the tensor list");
            listed.emplace_back(entry.text("name"), std::move(shape));
        }
        if (floats != raw.weights.size() / sizeof(float) || raw.weights.size() % sizeof(float) != 0)
            throw Error("the tensor list declares " + std::to_string(floats) + " floats but the file holds "
                        + std::to_string(raw.weights.size()) + " bytes of weights");
        withOptimizer = header.has("optimizer");
        if (withOptimizer) {
            const HeaderObject optimizer = header.object("optimizer");
            if (optimizer.text("type") != "adam")
                throw Error("unknown optimiser '" + optimizer.text("type") + "' (LatentLab keeps Adam's state)");
            step = optimizer.integer("step", 0, std::numeric_limits<std::int64_t>::max());
        }
        // Sized from the header before anything is built: a 1.5 KB file cannot make
        // LatentLab allocate the 4 GB network its architecture describes.
        const std::uint64_t parameters = ModelRegistry::find(impl->config.architecture).parameterCount(impl->config);
        if (parameters * (withOptimizer ? 3 : 1) > floats)
            throw Error("its architecture has " + std::to_string(parameters) + " parameters" + (withOptimizer ? " (and Adam's moments of each)" : "")
                        + " but the file holds " + std::to_string(floats) + " floats");
    } catch (const json::exception& e) {
        throw Error(path + ": the model file's header is malformed (" + plainJsonError(e) + ")");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    impl->network = makeNetwork(impl->config);

    auto tensors = namedTensors(*impl->network);
    if (withOptimizer) {
        // Moments shaped like the parameters, filled below with the weights.
        OptimizerState state;
        state.step = step;
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
        const auto& [fileName, fileShape] = listed[i];
        if (fileName != name)
            throw Error(path + ": tensor " + std::to_string(i) + " is '" + fileName + "' in the file but '" + name
                        + "' in the architecture");
        if (fileShape != tensor.sizes().vec())
            throw Error(path + ": shape mismatch: " + name + " is " + shapeText(fileShape) + " in the file but "
                        + shapeText(tensor.sizes().vec()) + " for this architecture");
        const std::size_t bytes = std::size_t(tensor.numel()) * sizeof(float);
        if (offset + bytes > raw.weights.size())
            throw Error(path + ": the weights are shorter than the tensor list says");
        std::memcpy(tensor.data_ptr<float>(), raw.weights.data() + offset, bytes);
        if (!torch::isfinite(tensor).all().item<bool>())
            throw Error(path + ": " + name + " holds NaN or infinite values (saved from a diverged training run?)");
        offset += bytes;
    }
    if (offset != raw.weights.size())
        throw Error(path + ": the weights are longer than the tensor list says");
    return std::make_unique<Model>(std::move(impl));
}

std::string ModelFile::readHeader(const std::string& path)
{
    if (TorchScriptFile::looksLikeOne(path))
        return TorchScriptFile::describe(*TorchScriptFile::load(path));
    return readRaw(path, false).header.dump(2);
}

} // namespace latentlab
