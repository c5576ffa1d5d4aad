#include "app/CliSupport.h"

#include <iostream>
#include <sstream>

#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"
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
            {"device", "auto|cpu|cuda", "auto", "where to compute"}};
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
    std::unique_ptr<Model> model = ModelFile::load(cl.value("model"));
    Device::setThreadCount(cl.intValue("threads"));
    model->moveTo(Device::resolve(cl.value("device")));
    return model;
}

DatasetSplit loadData(const CommandLine& cl, const Model& model)
{
    const std::string spec = cl.has("dataset") ? cl.value("dataset") : model.info().datasetSpec;
    if (spec.empty())
        throw Error("the model does not record its data set; give --dataset");
    DatasetOptions options;
    options.imageSize = model.config().height;
    options.channels = model.config().channels;
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

void checkIndexReference(const std::string& reference, const Dataset& data, const std::string& option)
{
    if (!isIndexReference(reference))
        return;
    const bool tooLong = reference.size() > 18; // past what stoull holds; surely past the end
    if (tooLong || std::stoull(reference) >= data.size())
        throw Error("--" + option + " " + reference + " is out of range: " + data.name() +
                    (data.size() == 0 ? std::string(" has no images")
                                      : " has " + std::to_string(data.size()) + " images (0 to " +
                                            std::to_string(data.size() - 1) + ")"));
}

Image imageOf(const std::string& reference, const Dataset& data, const Model& model)
{
    if (isIndexReference(reference))
        return Image::fromPlanarBytes(data.image(std::stoul(reference)), data.shape());
    return ImageIO::read(reference, model.config().height, model.config().channels);
}

int imageClassOf(const std::string& reference, const Dataset& data, const Model& model,
                 const std::string& classOption)
{
    const int classes = model.config().conditionClasses;
    if (classes == 0)
        return 0;
    if (isIndexReference(reference) && data.hasLabels()) {
        const std::size_t index = std::stoul(reference);
        data.image(index); // throws naming the index when it is out of range
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

std::vector<std::string> splitList(const std::string& text, char separator)
{
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, separator);)
        if (!item.empty())
            items.push_back(item);
    return items;
}

std::vector<int> parseIntList(const std::string& text, const std::string& option)
{
    std::vector<int> values;
    for (const std::string& item : splitList(text)) {
        std::size_t used = 0;
        try {
            values.push_back(std::stoi(item, &used));
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size() || used == 0)
            throw Error("--" + option + " expects comma-separated whole numbers, got '" + text + "'");
    }
    return values;
}

} // namespace latentlab::cli
