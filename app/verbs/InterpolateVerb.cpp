// latentlab-cli interpolate: morphs between images' codes.
#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/latent/Interpolation.h"

namespace latentlab::cli {

using nlohmann::json;

int interpolateVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli interpolate --model FILE --from A --to B --out FILE [options]\n\n"
        "Morphs between the codes of two images (or around the triangle A, B, C with --via C)\n"
        "and writes the frames as a PNG strip, an animated GIF or an MP4, by the extension.\n"
        "Images are data-set indices (of the test split) or PNG/JPEG files; a conditional model\n"
        "encodes a data-set image with its own label and a file image with --class.",
        {{"from", "A", "", "first image"},
         {"to", "B", "", "second image"},
         {"via", "C", "", "third image: frames go A to B to C and back to A (barycentric)"},
         {"frames", "N", "10", "frames from one image to the next, 2 to 1000"},
         {"kind", "linear|slerp", "linear", "linear or spherical interpolation"},
         {"seconds-per-frame", "S", "0.1", "frame duration of GIF and MP4, 0.01 to 60"},
         {"out", "FILE", "", "output: .png, .gif or .mp4"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const int n = cl.intValue("frames", 2, 1000);
    const double secondsPerFrame = cl.doubleValue("seconds-per-frame", 0.01, 60);
    const std::unique_ptr<Model> model = loadModel(cl);
    checkImageCount(std::size_t(cl.value("via").empty() ? n : 3 * (n - 1) + 1), *model, "frames");
    const Dataset data = loadData(cl, *model).test;
    const std::vector<float> a = codeOf(required(cl, "from"), data, *model, cl.value("class"));
    const std::vector<float> b = codeOf(required(cl, "to"), data, *model, cl.value("class"));
    const std::string kindText = cl.value("kind");
    if (kindText != "linear" && kindText != "slerp")
        throw Error("--kind must be linear or slerp");
    const InterpolationKind kind = kindText == "slerp" ? InterpolationKind::Spherical : InterpolationKind::Linear;

    std::vector<float> codes;
    if (cl.value("via").empty()) {
        codes = Interpolation::frames(a, b, n, kind);
    } else {
        codes = Interpolation::triangleFrames(a, b, codeOf(cl.value("via"), data, *model, cl.value("class")), n);
    }
    const std::vector<Image> frames = model->decodeImages(codes);
    ImageIO::writeFrames(frames, out, secondsPerFrame);
    printLine({{"frames", frames.size()}, {"kind", kindText}, {"out", out}});
    return 0;
}

} // namespace latentlab::cli
