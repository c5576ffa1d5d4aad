// latentlab-cli restore: a denoising model's restoration of an image or a folder of them.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/training/Restoration.h"

namespace latentlab::cli {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFolderImages = 100000;
constexpr double kUnlikePercentile = 99.0; // above this share of the test set: unlike the training data

// IMAGE as a list of inputs: a folder's PNG/JPEG files (sorted), else the one reference.
std::vector<std::string> inputsOf(const std::string& image)
{
    std::error_code ec;
    if (!fs::is_directory(image, ec))
        return {image};
    std::vector<std::string> files;
    for (const fs::directory_entry& e : fs::directory_iterator(image, ec))
        if (e.is_regular_file(ec) && ImageIO::isImageFile(e.path().string())) {
            if (files.size() == kMaxFolderImages)
                throw Error(image + ": more than " + std::to_string(kMaxFolderImages) + " images; restore at most that many at once");
            files.push_back(e.path().string());
        }
    if (ec)
        throw Error(image + ": cannot read the folder (" + ec.message() + ")");
    if (files.empty())
        throw Error(image + ": the folder has no PNG or JPEG images");
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

int restoreVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli restore --model FILE --image IMAGE --out OUT [options]\n\n"
        "Writes a denoising model's restoration of IMAGE (a test-set index, a PNG/JPEG file, resized\n"
        "to the model's size, or a folder of them; then OUT is a folder) to OUT. With --corrupt SPEC\n"
        "the input is corrupted first, to show what the model undoes, and also written, as\n"
        "OUT-input.png. Prints a JSON line per image: its negative ELBO as the model sees inputs and\n"
        "where it falls among the test set's (a percentile); above the 99th the image is unlike the\n"
        "training data, and a warning says so.",
        {{"image", "IMAGE", "", "the image, test-set index or folder to restore"},
         {"out", "OUT", "", "the restored image (a folder for a folder)"},
         {"corrupt", "SPEC", "none", "corrupt the input first: mask:P, gaussian:SIGMA, salt-pepper:FRACTION or grey"},
         {"seed", "N", "1", "random seed of --corrupt and of the scores"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const Corruption corruption = Corruption::parse(cl.value("corrupt"));
    const int seed = cl.intValue("seed", 0, kMaxSeed);
    const std::unique_ptr<Model> model = loadModel(cl);
    const std::string image = required(cl, "image");
    const std::vector<std::string> inputs = inputsOf(image);
    const bool folder = inputs.size() > 1 || inputs.front() != image;
    if (!model->config().corruption.active())
        std::cerr << "warning: " << cl.value("model") << " was trained without corruption: it reconstructs what it "
                  << "is given and was not taught to remove noise (train one with --corrupt)\n";
    const Dataset test = loadData(cl, *model).test;
    const std::vector<double> reference =
        Restoration::inputScores(*model, Restoration::asModelInputs(*model, test, std::uint64_t(seed)), std::uint64_t(seed));
    if (folder)
        fs::create_directories(out);

    const ImageShape shape{model->config().channels, model->config().height, model->config().width};
    std::vector<Image> given;
    std::vector<std::uint8_t> pixels;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        given.push_back(Restoration::corrupted(imageOf(inputs[i], test, *model), corruption, std::uint64_t(seed) + i));
        given.back().appendPlanarBytes(pixels);
    }
    const std::vector<double> scores =
        Restoration::inputScores(*model, Dataset("inputs", shape, std::move(pixels)), std::uint64_t(seed));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const int imageClass = imageClassOf(inputs[i], test, *model, cl.value("class"));
        const std::string target = folder ? (fs::path(out) / fs::path(inputs[i]).stem()).string() + ".png" : out;
        ImageIO::writePng(Restoration::restored(*model, given[i], imageClass), target);
        const double at = Restoration::percentile(reference, scores[i]);
        json line = {{"image", inputs[i]}, {"out", target}, {"negative_elbo", scores[i]}, {"percentile", at}};
        if (corruption.active()) {
            const std::string input = fs::path(target).replace_extension().string() + "-input.png";
            ImageIO::writePng(given[i], input);
            line["input"] = input;
        }
        line["unlike_training_data"] = at > kUnlikePercentile;
        if (at > kUnlikePercentile)
            std::cerr << "warning: " << inputs[i] << " is unlike the training data: its negative ELBO is higher than "
                      << at << "% of the test set's\n";
        printLine(line);
    }
    return 0;
}

} // namespace latentlab::cli
