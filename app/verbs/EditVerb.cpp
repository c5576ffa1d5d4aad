// latentlab-cli edit: adds attribute vectors to an image's code.
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/latent/AttributeHold.h"
#include "core/latent/AttributeMath.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

constexpr int kMaxStripFrames = 10000;

// "NAME=ALPHA,NAME=ALPHA" -> the model's vectors and their strengths.
void parseStrengths(const Model& model, const std::string& text, std::vector<std::vector<float>>* vectors,
                    std::vector<double>* strengths, std::vector<std::string>* names)
{
    for (const std::string& item : splitList(text, "attributes")) {
        const std::size_t eq = item.rfind('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("--attributes expects NAME=STRENGTH items, got '" + item + "'");
        const std::string name = item.substr(0, eq);
        const double alpha = CommandLine::parseDouble(item.substr(eq + 1), -kMaxStrength, kMaxStrength,
                                                      "--attributes: the strength of '" + name + "'");
        vectors->push_back(AttributeMath::find(model.info().attributes, name).direction);
        strengths->push_back(alpha);
        names->push_back(name);
    }
    if (vectors->empty())
        throw Error("give at least one attribute with --attributes NAME=STRENGTH");
}

// "FROM:TO:N" -> N strength scales from FROM to TO.
std::vector<double> parseStrip(const std::string& text)
{
    const std::string form = "--strip expects FROM:TO:N (two numbers and a whole number of frames), got '" + text + "'";
    std::vector<std::string> parts;
    try {
        parts = splitList(text, "strip", ':');
    } catch (const Error&) {
        throw Error(form);
    }
    if (parts.size() != 3)
        throw Error(form);
    double from = 0, to = 0;
    try {
        from = CommandLine::parseDouble(parts[0], -kMaxStrength, kMaxStrength, "--strip FROM");
        to = CommandLine::parseDouble(parts[1], -kMaxStrength, kMaxStrength, "--strip TO");
    } catch (const Error& e) {
        throw Error(form + ": " + e.what());
    }
    if (parts[2].find_first_not_of("-0123456789") != std::string::npos)
        throw Error(form);
    const int n = CommandLine::parseInt(parts[2], 2, kMaxStripFrames, "--strip N (frames)");
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
        "conditional model encodes and decodes it in its own label, or --class for a file.\n"
        "The other stored attributes are held as the decoder draws them (see README, 'Holding\n"
        "the other attributes'); --no-hold adds the vectors and nothing more.",
        {{"image", "IMAGE", "", "the image to edit"},
         {"attributes", "LIST", "", "NAME=STRENGTH items, comma separated"},
         {"strip", "FROM:TO:N", "", "a range of strengths instead of one image"},
         {"out", "FILE", "", "output image or animation"},
         {"no-hold", "", "", "do not hold the other stored attributes"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const std::vector<double> scales = cl.value("strip").empty() ? std::vector<double>{1.0} : parseStrip(cl.value("strip"));
    const std::unique_ptr<Model> model = loadModel(cl);
    checkImageCount(scales.size(), *model, "strip");
    const Dataset data = loadData(cl, *model).test;
    const std::string image = required(cl, "image");
    // A conditional model edits the image within its class: encoded and decoded in it.
    const int imageClass = imageClassOf(image, data, *model, cl.value("class"));
    const std::vector<float> code = model->encodeImage(imageOf(image, data, *model), imageClass);
    std::vector<std::vector<float>> vectors;
    std::vector<double> strengths;
    std::vector<std::string> names;
    parseStrengths(*model, required(cl, "attributes"), &vectors, &strengths, &names);

    std::vector<float> codes;
    for (double scale : scales) {
        std::vector<double> scaled = strengths;
        for (double& s : scaled)
            s *= scale;
        const std::vector<float> z = AttributeMath::apply(code, vectors, scaled);
        codes.insert(codes.end(), z.begin(), z.end());
    }
    const std::vector<HeldAttribute> known = AttributeHold::known(model->info().attributes, names);
    const bool hold = !cl.has("no-hold") && !known.empty();
    if (hold)
        codes = AttributeHold::apply(*model, known, code, std::move(codes), {imageClass});
    const std::vector<Image> images = model->decodeImages(codes, {imageClass});
    if (images.size() == 1)
        ImageIO::writePng(images.front(), out);
    else
        ImageIO::writeFrames(images, out);
    std::vector<std::string> held;
    for (const AttributeVector& v : model->info().attributes)
        if (hold && !v.classifierNormal.empty() && std::find(names.begin(), names.end(), v.name) == names.end())
            held.push_back(v.name);
    printLine({{"frames", images.size()}, {"attributes", names}, {"strengths", strengths}, {"held", held}, {"out", out}});
    return 0;
}

} // namespace latentlab::cli
