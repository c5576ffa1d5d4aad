// latentlab-cli export-dataset: a data set as PNG files with its labels and attributes.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ImageIO.h"
#include "core/formats/NpyFile.h"

namespace latentlab::cli {

using nlohmann::json;

int exportDatasetVerb(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli export-dataset --dataset SPEC --out DIR [options]\n\n"
                   "Writes the images as DIR/images/NNNNNN.png, their labels and continuous factors as\n"
                   "DIR/labels.csv and binary attributes as DIR/list_attr.txt (CelebA's format), so that\n"
                   "other tools read any data set LatentLab can load. With --npy, also DIR/images.npy (float32,\n"
                   "one row of C x H x W values in [0, 1] per image) and DIR/labels.npy (int32, -1 unlabelled).\n\n"
                   "Data sets:\n" + DatasetLoader::specHelp(),
                   {{"dataset", "SPEC", DatasetLoader::defaultSpec(), "data set"},
                    {"split", "train|test|all", "all", "which images"},
                    {"limit", "N", "0", "only the first N images, 0 for all"},
                    {"image-size", "PX", "28", "side that folder images are resized to"},
                    {"channels", "1|3", "1", "grey or colour, for folder images"},
                    {"npy", "", "", "also write images.npy and labels.npy"},
                    {"out", "DIR", "", "folder to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string dir = required(cl, "out");
    DatasetOptions options;
    options.imageSize = cl.intValue("image-size", 4, 1024);
    options.channels = cl.intValue("channels", 1, 3);
    const int limit = cl.intValue("limit", 0, kMaxLimit);
    TerminalProgress faces("finding faces", "images/s");
    options.progress = [&](std::size_t done, std::size_t total) { faces.update(done, total); };
    Dataset data = pickSplit(DatasetLoader::load(cl.value("dataset"), options), cl.value("split"));
    faces.finish();
    if (limit > 0)
        data = data.head(std::size_t(limit));
    std::filesystem::create_directories(dir + "/images");

    std::ofstream labels(dir + "/labels.csv");
    std::ofstream attributes;
    if (!labels)
        throw Error(dir + "/labels.csv: cannot write the file");
    labels << "file,label,class";
    for (const std::string& f : data.factorNames())
        labels << ',' << f;
    labels << '\n';
    const auto& attributeNames = data.attributeNames();
    if (!attributeNames.empty()) {
        attributes.open(dir + "/list_attr.txt");
        attributes << data.size() << '\n';
        for (std::size_t j = 0; j < attributeNames.size(); ++j)
            attributes << (j ? " " : "") << attributeNames[j];
        attributes << '\n';
    }
    char name[32];
    TerminalProgress bar("writing", "images/s");
    for (std::size_t i = 0; i < data.size(); ++i) {
        bar.update(i, data.size());
        std::snprintf(name, sizeof name, "%06zu.png", i + 1);
        ImageIO::writePng(Image::fromPlanarBytes(data.image(i), data.shape()), dir + "/images/" + name);
        const int label = data.hasLabels() ? data.labels()[i] : -1;
        labels << "images/" << name << ',' << label << ','
               << (label >= 0 && label < int(data.classNames().size()) ? data.classNames()[std::size_t(label)] : "");
        for (std::size_t f = 0; f < data.factorNames().size(); ++f)
            labels << ',' << data.factors()[i * data.factorNames().size() + f];
        labels << '\n';
        if (attributes.is_open()) {
            attributes << name;
            for (std::size_t j = 0; j < attributeNames.size(); ++j)
                attributes << (data.attribute(i, j) > 0 ? "  1" : " -1");
            attributes << '\n';
        }
    }
    bar.finish();
    if (!labels.flush() || (attributes.is_open() && !attributes.flush()))
        throw Error(dir + ": writing failed (disk full?)");
    if (cl.has("npy")) {
        const std::size_t values = data.shape().pixelCount();
        std::vector<float> images(data.size() * values);
        for (std::size_t i = 0; i < data.size(); ++i)
            for (std::size_t v = 0; v < values; ++v)
                images[i * values + v] = float(data.image(i)[v]) / 255.0f;
        NpyFile::writeFloat32(dir + "/images.npy", images, data.size(), values);
        NpyFile::writeInt32(dir + "/labels.npy", data.hasLabels() ? data.labels() : std::vector<int>(data.size(), -1));
    }
    printLine({{"images", data.size()}, {"out", dir}, {"attributes", attributeNames}, {"factors", data.factorNames()}});
    return 0;
}

} // namespace latentlab::cli
