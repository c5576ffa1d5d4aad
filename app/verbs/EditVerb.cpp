// latentlab-cli edit: adds attribute vectors to an image's code.
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/latent/AttributeMath.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

// "NAME=ALPHA,NAME=ALPHA" -> the model's vectors and their strengths.
void parseStrengths(const Model& model, const std::string& text, std::vector<std::vector<float>>* vectors,
                    std::vector<double>* strengths, std::vector<std::string>* names)
{
    for (const std::string& item : splitList(text)) {
        const std::size_t eq = item.rfind('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("--attributes expects NAME=STRENGTH items, got '" + item + "'");
        const std::string name = item.substr(0, eq);
        char* end = nullptr;
        const double alpha = std::strtod(item.c_str() + eq + 1, &end);
        if (*end != '\0' || eq + 1 == item.size())
            throw Error("the strength of '" + name + "' is not a number: '" + item.substr(eq + 1) + "'");
        vectors->push_back(AttributeMath::find(model.info().attributes, name).direction);
        strengths->push_back(alpha);
        names->push_back(name);
    }
    if (vectors->empty())
        throw Error("give at least one attribute with --attributes NAME=STRENGTH");
}

// A number filling all of `text`, or nothing.
bool parseNumber(const std::string& text, double* value)
{
    char* end = nullptr;
    *value = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == '\0' && std::isfinite(*value);
}

// "FROM:TO:N" -> N strength scales from FROM to TO.
std::vector<double> parseStrip(const std::string& text)
{
    const std::vector<std::string> parts = splitList(text, ':');
    double from = 0, to = 0, frames = 0;
    if (parts.size() != 3 || !parseNumber(parts[0], &from) || !parseNumber(parts[1], &to) ||
        !parseNumber(parts[2], &frames) || frames != std::floor(frames))
        throw Error("--strip expects FROM:TO:N (two numbers and a whole number of frames), got '" + text + "'");
    if (frames < 2 || frames > 10000)
        throw Error("--strip needs between 2 and 10000 frames, got " + parts[2]);
    const int n = int(frames);
    std::vector<double> scales;
    for (int i = 0; i < n; ++i)
        scales.push_back(from + (to - from) * i / (n - 1));
    return scales;
}

} // namespace

int editVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli edit --model FILE --image IMAGE --attributes NAME=S[,NAME=S..] --out FILE\n\n"
        "Adds attribute vectors with the given strengths to an image's code and writes the\n"
        "decoded result; with --strip FROM:TO:N, N frames with every strength scaled from\n"
        "FROM to TO (.png strip, .gif or .mp4). IMAGE is a test-set index or a PNG/JPEG file; a\n"
        "conditional model encodes and decodes it in its own label, or --class for a file.",
        {{"image", "IMAGE", "", "the image to edit"},
         {"attributes", "LIST", "", "NAME=STRENGTH items, comma separated"},
         {"strip", "FROM:TO:N", "", "a range of strengths instead of one image"},
         {"out", "FILE", "", "output image or animation"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    const Dataset data = loadData(cl, *model).test;
    const std::string image = required(cl, "image");
    // A conditional model edits the image within its class: encoded and decoded in it.
    const int imageClass = imageClassOf(image, data, *model, cl.value("class"));
    const std::vector<float> code = model->encodeImage(imageOf(image, data, *model), imageClass);
    std::vector<std::vector<float>> vectors;
    std::vector<double> strengths;
    std::vector<std::string> names;
    parseStrengths(*model, required(cl, "attributes"), &vectors, &strengths, &names);

    std::vector<double> scales = {1.0};
    if (!cl.value("strip").empty())
        scales = parseStrip(cl.value("strip"));
    std::vector<float> codes;
    for (double scale : scales) {
        std::vector<double> scaled = strengths;
        for (double& s : scaled)
            s *= scale;
        const std::vector<float> z = AttributeMath::apply(code, vectors, scaled);
        codes.insert(codes.end(), z.begin(), z.end());
    }
    const std::vector<Image> images = model->decodeImages(codes, {imageClass});
    if (images.size() == 1)
        ImageIO::writePng(images.front(), out);
    else
        ImageIO::writeFrames(images, out);
    printLine({{"frames", images.size()}, {"attributes", names}, {"strengths", strengths}, {"out", out}});
    return 0;
}

} // namespace latentlab::cli
