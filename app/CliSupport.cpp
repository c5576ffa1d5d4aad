#include "app/CliSupport.h"

#include <iostream>
#include <sstream>

#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"

namespace latentlab::cli {

void printLine(const nlohmann::json& j)
{
    std::cout << j.dump() << std::endl;
}

std::vector<OptionSpec> modelOptions()
{
    return {{"model", "FILE", "", "model file (required)"},
            {"dataset", "SPEC", "", "data set (default: the one the model was trained on)"},
            {"threads", "N", "0", "CPU threads, 0 for all cores"},
            {"device", "auto|cpu|cuda", "auto", "where to compute"}};
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

Image imageOf(const std::string& reference, const Dataset& data, const Model& model)
{
    const bool isIndex = !reference.empty() && reference.find_first_not_of("0123456789") == std::string::npos;
    if (isIndex)
        return Image::fromPlanarBytes(data.image(std::stoul(reference)), data.shape());
    return ImageIO::read(reference, model.config().height, model.config().channels);
}

std::vector<float> codeOf(const std::string& reference, const Dataset& data, const Model& model)
{
    return model.encodeImage(imageOf(reference, data, model));
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
