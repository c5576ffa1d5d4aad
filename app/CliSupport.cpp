#include "app/CliSupport.h"

#include <algorithm>
#include <iostream>
#include <limits>
#include <thread>

#include "app/TerminalProgress.h"
#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"
#include "core/formats/TorchScriptFile.h"
#include "core/latent/AttributeMath.h"

namespace latentlab::cli {

void printLine(const nlohmann::json& j)
{
    std::cout << j.dump() << std::endl;
}

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<OptionSpec> modelOptions()
{
    return {{"model", "FILE", "", "model file (required)"},
            {"dataset", "SPEC", "", "data set (default: the one the model was trained on)"},
            {"threads", "N", "0", "CPU threads, 0 for all cores"},
            {"device", "auto|cpu|cuda", "auto", "where to compute"},
            {"image-shape", "C,H,W", "", "a TorchScript model's image shape, where its latentlab.json does not say"},
            {"input", "flat|image", "", "what a TorchScript model's encode takes: [N, C*H*W] or [N, C, H, W] (default: probed)"},
            {"decode-output", "probabilities|logits", "", "what a TorchScript model's decode gives (default: probed)"}};
}

ScriptDescription scriptDescriptionOf(const CommandLine& cl)
{
    ScriptDescription d;
    if (!cl.value("image-shape").empty()) {
        const std::vector<int> shape = parseIntList(cl.value("image-shape"), "image-shape");
        if (shape.size() != 3 || shape[0] < 1 || shape[0] > 3 || shape[1] < 1 || shape[1] > 1024 || shape[2] < 1 || shape[2] > 1024)
            throw Error("--image-shape takes C,H,W: 1 or 3 channels, sides of 1 to 1024 (got " + cl.value("image-shape") + ")");
        d.image = ImageShape{shape[0], shape[1], shape[2]};
    }
    const auto word = [&](const char* option, const char* yes, const char* no) -> std::optional<bool> {
        const std::string v = cl.value(option);
        if (v.empty())
            return std::nullopt;
        if (v != yes && v != no)
            throw Error("--" + std::string(option) + " is " + yes + " or " + no + ", not " + v);
        return v == yes;
    };
    d.flatInput = word("input", "flat", "image");
    d.decodesLogits = word("decode-output", "logits", "probabilities");
    return d;
}

int maxThreadCount()
{
    return int(std::min(256u, 4 * std::max(1u, std::thread::hardware_concurrency())));
}

CommandLine withModelOptions(const std::string& usage, std::vector<OptionSpec> options)
{
    std::vector<OptionSpec> all = modelOptions();
    all.insert(all.end(), options.begin(), options.end());
    return CommandLine(usage, std::move(all));
}

OptionSpec imageClassOption()
{
    return {"class", "CLASS", "",
            "class of file images, name or number (conditional models; data-set images use their label)"};
}

std::string required(const CommandLine& cl, const std::string& option)
{
    if (cl.value(option).empty())
        throw Error("give --" + option);
    return cl.value(option);
}

std::unique_ptr<Model> loadModel(const CommandLine& cl)
{
    if (cl.value("model").empty())
        throw Error("give the model file with --model FILE");
    std::unique_ptr<Model> model = TorchScriptFile::looksLikeOne(cl.value("model"))
                                       ? TorchScriptFile::load(cl.value("model"), scriptDescriptionOf(cl))
                                       : ModelFile::load(cl.value("model"));
    Device::setThreadCount(cl.intValue("threads", 0, maxThreadCount()));
    model->moveTo(Device::resolve(cl.value("device")));
    return model;
}

namespace {

// Text from a file, as a message shows it: short, without control characters.
std::string printable(const std::string& text)
{
    constexpr std::size_t kShown = 200;
    std::string shown = text.substr(0, kShown);
    for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return shown + (text.size() > kShown ? "..." : "");
}

} // namespace

DatasetSplit loadData(const CommandLine& cl, const Model& model)
{
    const bool asked = cl.has("dataset");
    const std::string spec = asked ? cl.value("dataset") : model.info().datasetSpec;
    if (spec.empty())
        throw Error("the model does not record its data set; give --dataset");
    std::string why;
    if (!asked) {
        try {
            DatasetLoader::parseSpec(spec);
        } catch (const Error& e) {
            throw Error("the model records the data set '" + printable(spec) + "', which is no valid data set: " +
                        e.what() + "\nGive one with --dataset SPEC");
        }
    }
    if (!asked && !DatasetLoader::isSafeToLoadUnasked(spec, &why))
        throw Error("the model records the data set '" + printable(spec) + "', which is not loaded without asking: "
                    + why + ".\nPass --dataset " + printable(spec)
                    + " to load it anyway, or --dataset SPEC for another data set");
    DatasetOptions options;
    options.imageSize = model.config().height;
    options.channels = model.config().channels;
    TerminalProgress bar("finding faces", "images/s"); // faces:PATH only; the rest is quick
    options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
    return DatasetLoader::load(spec, options);
}

Dataset pickSplit(const DatasetSplit& data, const std::string& split)
{
    if (split == "train")
        return data.train;
    if (split == "test")
        return data.test;
    if (split != "all")
        throw Error("--split must be train, test or all, not '" + split + "'");
    std::vector<std::uint8_t> pixels = data.train.pixels();
    pixels.insert(pixels.end(), data.test.pixels().begin(), data.test.pixels().end());
    std::vector<int> labels = data.train.labels();
    labels.insert(labels.end(), data.test.labels().begin(), data.test.labels().end());
    Dataset all(data.train.name(), data.train.shape(), std::move(pixels), std::move(labels), data.train.classNames());
    // Everything else a data set knows about its images comes along too.
    const auto joined = [](auto first, const auto& second) {
        first.insert(first.end(), second.begin(), second.end());
        return first;
    };
    if (!data.train.fileNames().empty() && !data.test.fileNames().empty())
        all.setFileNames(joined(data.train.fileNames(), data.test.fileNames()));
    if (!data.train.attributeNames().empty() && data.train.attributeNames() == data.test.attributeNames())
        all.setAttributes(data.train.attributeNames(), joined(data.train.attributes(), data.test.attributes()));
    if (!data.train.factorNames().empty() && data.train.factorNames() == data.test.factorNames())
        all.setFactors(data.train.factorNames(), joined(data.train.factors(), data.test.factors()));
    return all;
}

bool isIndexReference(const std::string& reference)
{
    return !reference.empty() && reference.find_first_not_of("0123456789") == std::string::npos;
}

namespace {

// The index a reference names, checked against `data`; `what` starts the message.
std::size_t indexIn(const std::string& reference, const Dataset& data, const std::string& what)
{
    std::size_t index = 0;
    bool inRange = reference.size() <= 18; // no overflow below 10^18
    if (inRange) {
        for (char c : reference)
            index = index * 10 + std::size_t(c - '0');
        inRange = index < data.size();
    }
    if (!inRange)
        throw Error(what + " " + printable(reference) + " is out of range: " + data.name() +
                    (data.size() == 0 ? std::string(" has no images")
                                      : " has " + std::to_string(data.size()) + " images (0 to " +
                                            std::to_string(data.size() - 1) + ")"));
    return index;
}

} // namespace

void checkIndexReference(const std::string& reference, const Dataset& data, const std::string& option)
{
    if (isIndexReference(reference))
        indexIn(reference, data, "--" + option);
}

Image imageOf(const std::string& reference, const Dataset& data, const Model& model)
{
    if (isIndexReference(reference))
        return Image::fromPlanarBytes(data.image(indexIn(reference, data, "image")), data.shape());
    return ImageIO::read(reference, model.config().height, model.config().channels);
}

int imageClassOf(const std::string& reference, const Dataset& data, const Model& model,
                 const std::string& classOption)
{
    const int classes = model.config().conditionClasses;
    if (classes == 0)
        return 0;
    if (isIndexReference(reference) && data.hasLabels()) {
        const std::size_t index = indexIn(reference, data, "image");
        const int label = data.labels()[index];
        if (label < 0 || label >= classes)
            throw Error("image " + reference + " has label " + std::to_string(label) + " but the model knows " +
                        std::to_string(classes) + " classes");
        return label;
    }
    if (classOption.empty())
        throw Error("image '" + reference + "' has no label and the model is conditional: give its class with "
                    "--class CLASS");
    return AttributeMath::labelIndex(model.info().classNames, classOption);
}

std::vector<float> codeOf(const std::string& reference, const Dataset& data, const Model& model,
                          const std::string& classOption)
{
    const Image image = imageOf(reference, data, model);
    return model.encodeImage(image, imageClassOf(reference, data, model, classOption));
}

void checkImageCount(std::size_t count, const Model& model, const std::string& option)
{
    const ModelConfig& c = model.config();
    const std::size_t imageBytes = std::size_t(c.channels) * std::size_t(c.height) * std::size_t(c.width);
    if (imageBytes > 0 && count > kMaxFrameBytes / imageBytes)
        throw Error("--" + option + ": " + std::to_string(count) + " images of " + std::to_string(c.width) + "x" +
                    std::to_string(c.height) + "x" + std::to_string(c.channels) + " would take more than " +
                    std::to_string(kMaxFrameBytes >> 20) + " MB; at most " + std::to_string(kMaxFrameBytes / imageBytes) +
                    " of this model's images");
}

std::vector<std::string> splitList(const std::string& text, const std::string& option, char separator)
{
    std::vector<std::string> items;
    if (text.empty())
        return items;
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = text.find(separator, begin);
        items.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
        if (items.back().empty())
            throw Error("--" + option + " has an empty item in '" + printable(text) + "'");
        if (end == std::string::npos)
            return items;
        begin = end + 1;
    }
}

std::vector<int> parseIntList(const std::string& text, const std::string& option)
{
    return CommandLine::parseIntList(text, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(),
                                     "--" + option);
}

} // namespace latentlab::cli
