// latentlab-cli generate: samples of the prior, or one style in every class.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/formats/NpyFile.h"
#include "core/latent/AttributeMath.h"
#include "core/latent/ClassSweep.h"
#include "models/ModelRegistry.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

constexpr int kMaxFolderSamples = 200000;
constexpr std::size_t kChunk = 256; // codes decoded at a time

// One PNG per code (and samples.npy, labels.csv): decoded a chunk at a time, so that memory
// stays small however many there are.
void writeSampleFolder(const Model& model, const std::vector<float>& codes, const std::vector<int>& classes,
                       const std::string& dir, bool npy)
{
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    const ModelConfig& c = model.config();
    const std::size_t latent = std::size_t(c.latentDim), count = codes.size() / latent;
    const std::size_t pixels = std::size_t(c.pixelCount());
    std::vector<float> values;
    if (npy)
        values.reserve(count * pixels);
    TerminalProgress progress("decoding", "images/s");
    for (std::size_t start = 0; start < count; start += kChunk) {
        const std::size_t end = std::min(count, start + kChunk);
        const std::vector<float> chunk(codes.begin() + std::ptrdiff_t(start * latent), codes.begin() + std::ptrdiff_t(end * latent));
        const std::vector<int> chunkClasses = classes.size() == count
                                                  ? std::vector<int>(classes.begin() + std::ptrdiff_t(start), classes.begin() + std::ptrdiff_t(end))
                                                  : classes;
        const std::vector<float> decoded = model.decode(chunk, chunkClasses); // N x C x H x W in [0, 1]
        for (std::size_t i = 0; i < end - start; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "/sample-%06zu.png", start + i);
            ImageIO::writePng(Image::fromPlanarFloats(decoded.data() + i * pixels, {c.channels, c.height, c.width}),
                              dir + name);
        }
        if (npy)
            values.insert(values.end(), decoded.begin(), decoded.end());
        progress.update(end, count);
    }
    progress.finish();
    if (npy)
        NpyFile::writeFloat32(dir + "/samples.npy", values, count, pixels);
    if (classes.size() == count) {
        const std::vector<std::string>& names = model.info().classNames;
        std::ofstream labels(dir + "/labels.csv");
        labels << "file,label,class\n";
        for (std::size_t i = 0; i < count; ++i)
            labels << "sample-" << std::setw(6) << std::setfill('0') << i << ".png," << classes[i] << ","
                   << (std::size_t(classes[i]) < names.size() ? names[std::size_t(classes[i])] : "") << "\n";
        if (!labels)
            throw Error(dir + "/labels.csv: could not write");
    }
}

} // namespace

int generateVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli generate --model FILE --out IMAGE|DIR [options]\n\n"
        "Decodes codes drawn from the model's prior and writes them as one PNG grid, or, when\n"
        "--out is not a PNG or JPEG file, as a folder of PNGs (sample-000000.png, ...; with --npy also\n"
        "samples.npy, count x pixels float32 in [0, 1], channel first) for other tools to judge.\n"
        "For a conditional model, --class picks the class (a folder without it takes the\n"
        "classes in turn and lists them in labels.csv); --style IMAGE instead encodes that image\n"
        "(with its label; a file image with --class) and decodes its code in every class: the\n"
        "same style, every class.",
        {{"class", "CLASS", "", "class to generate, or of a --style file (name or number; conditional models)"},
         {"style", "IMAGE", "", "test-set index or file whose code is decoded in every class"},
         {"count", "N", "16", "samples from the prior (a grid: at most 4096; a folder: " + std::to_string(kMaxFolderSamples) + ")"},
         {"seed", "N", "1", "random seed"},
         {"npy", "", "", "a folder: also write the samples as samples.npy"},
         {"out", "IMAGE|DIR", "", "the grid image to write, or a folder for one PNG per sample"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const bool folder = !ImageIO::isImageFile(out);
    const int count = cl.intValue("count", 1, folder ? kMaxFolderSamples : 4096);
    if (cl.has("npy") && !folder)
        throw Error("--npy writes samples.npy into a folder: give --out a folder, not " + out);
    const int seed = cl.intValue("seed", 0, kMaxSeed);
    const std::unique_ptr<Model> model = loadModel(cl);
    const ModelConfig& c = model->config();
    const std::vector<std::string>& names = model->info().classNames;
    std::vector<float> codes;
    std::vector<int> classes;
    int columns = 0;
    if (!cl.value("style").empty()) {
        if (c.conditionClasses == 0)
            throw Error("--style needs a conditional model (train it with --conditional)");
        const Dataset test = loadData(cl, *model).test;
        const std::string reference = cl.value("style");
        checkIndexReference(reference, test, "style");
        // Encoded with its own label (a file with --class), then decoded in every class.
        ClassSweep sweep = ClassSweep::everyClass(codeOf(reference, test, *model, cl.value("class")),
                                                  c.conditionClasses);
        codes = std::move(sweep.codes);
        classes = std::move(sweep.classes);
        columns = c.conditionClasses;
    } else {
        // A folder is written in chunks; a grid, and samples.npy (floats), are held whole.
        if (!folder || cl.has("npy"))
            checkImageCount(std::size_t(count) * (folder ? sizeof(float) : 1), *model, "count");
        // Each value from its part's prior (the rVAE's angle is N(0, sigma^2) radians).
        const std::vector<double> sigmas = ModelRegistry::priorSigmas(c);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        std::normal_distribution<float> normal;
        codes.resize(std::size_t(count) * std::size_t(c.latentDim));
        for (std::size_t i = 0; i < codes.size(); ++i)
            codes[i] = normal(rng) * float(sigmas[i % sigmas.size()]);
        if (!cl.value("class").empty()) {
            if (c.conditionClasses == 0)
                throw Error("--class needs a conditional model (train it with --conditional)");
            classes = {AttributeMath::labelIndex(names, cl.value("class"))};
        } else if (folder && c.conditionClasses > 0) {
            for (int i = 0; i < count; ++i)
                classes.push_back(i % c.conditionClasses);
        }
        columns = int(std::ceil(std::sqrt(double(count))));
    }
    if (folder)
        writeSampleFolder(*model, codes, classes, out, cl.has("npy"));
    else
        ImageIO::writePng(ImageIO::compose(model->decodeImages(codes, classes), columns, 1), out);
    printLine({{"images", codes.size() / std::size_t(c.latentDim)}, {"out", out}});
    return 0;
}

} // namespace latentlab::cli
