// latentlab-cli grid: a grid of decoded latent points on a plane, as one PNG.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/latent/AttributeMath.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentGrid.h"
#include "core/latent/LatentPlane.h"
#include "core/latent/NormalDistribution.h"
#include "core/latent/ViewMapping.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

constexpr long long kMaxGridSide = 16384; // 16384^2 RGB is 768 MB

} // namespace

int gridVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli grid --model FILE --out GRID.png [options]\n\n"
        "Decodes a grid of latent points on a plane and writes the tiles as one PNG.\n"
        "Planes: dims (two latent dimensions through --base), pca (first two principal\n"
        "components of the encoded test set, in standard deviations), three (through the codes\n"
        "of --images A,B,C: z = zA + a (zB - zA) + b (zC - zA)), attributes (two of the model's\n"
        "attribute vectors through --base, a and b are their strengths).\n"
        "Images are data-set indices (of the test split) or PNG/JPEG files; a conditional model\n"
        "encodes a data-set image with its own label and a file image with --class.",
        {{"out", "FILE", "", "PNG to write"},
         {"plane", "KIND", "dims", "dims, pca, three or attributes"},
         {"dims", "I,J", "0,1", "latent dimensions of a dims plane"},
         {"base", "IMAGE", "", "code the dims/attributes plane passes through (default: zero)"},
         {"images", "A,B,C", "", "the three images of a three plane"},
         {"attributes", "NAME,NAME", "", "the two attribute vectors of an attributes plane"},
         {"spacing", "linear|cdf", "linear", "tile spacing: linear, or equal steps of the N(0,1) CDF"},
         {"range", "R", "", "axes run from -R to R (default 3, cdf 2.326 = 1% to 99%, three -0.25 to 1.25)"},
         {"tiles", "N", "16", "tiles per side, 1 to 64"},
         {"gap", "PX", "1", "pixels between tiles, 0 to 64"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const int tiles = cl.intValue("tiles", 1, 64);
    const int gap = cl.intValue("gap", 0, 64);
    const std::unique_ptr<Model> model = loadModel(cl);
    // Each side of the PNG, in 64 bits: tiles x side + gaps.
    const long long side = 1LL * tiles * std::max(model->config().width, model->config().height) + 1LL * (tiles - 1) * gap;
    if (side > kMaxGridSide)
        throw Error("the grid would be " + std::to_string(side) + " px a side (" + std::to_string(tiles) + " tiles of " +
                    std::to_string(model->config().width) + " px and gaps of " + std::to_string(gap) +
                    " px), more than " + std::to_string(kMaxGridSide) + ": give fewer --tiles or a smaller --gap");
    const int latent = model->config().latentDim;
    const std::string kind = cl.value("plane");
    const GridSpacing spacing = cl.value("spacing") == "cdf" ? GridSpacing::InverseCdf
                                : cl.value("spacing") == "linear"
                                    ? GridSpacing::Linear
                                    : throw Error("--spacing must be linear or cdf");
    double half = spacing == GridSpacing::InverseCdf ? -NormalDistribution::inverseCdf(0.01) : 3.0;
    if (cl.has("range"))
        half = cl.doubleValue("range", 1e-6, kMaxStrength);
    PlaneRange range = PlaneRange::around(0, 0, half, half);

    // Only load a data set when the plane needs images.
    Dataset data;
    const bool needsData = kind == "pca" || kind == "three" || !cl.value("base").empty();
    if (needsData)
        data = loadData(cl, *model).test;
    std::vector<float> base(std::size_t(latent), 0.0f);
    if (!cl.value("base").empty())
        base = codeOf(cl.value("base"), data, *model, cl.value("class"));

    LatentPlane plane;
    if (kind == "dims") {
        const std::vector<int> dims = cl.intListValue("dims", 0, latent - 1);
        if (dims.size() != 2)
            throw Error("--dims expects two dimensions, as I,J");
        plane = LatentPlane::fromDimensions(base, dims[0], dims[1]);
    } else if (kind == "pca") {
        plane = LatentPlane::fromPrincipalComponents(LatentCodes::encode(*model, data));
    } else if (kind == "three") {
        const std::vector<std::string> images = splitList(cl.value("images"), "images");
        if (images.size() != 3)
            throw Error("a three plane needs --images A,B,C");
        const std::string& imageClass = cl.value("class");
        plane = LatentPlane::throughCodes(codeOf(images[0], data, *model, imageClass),
                                          codeOf(images[1], data, *model, imageClass),
                                          codeOf(images[2], data, *model, imageClass));
        if (!cl.has("range"))
            range = {-0.25, 1.25, -0.25, 1.25};
    } else if (kind == "attributes") {
        const std::vector<std::string> names = splitList(cl.value("attributes"), "attributes");
        if (names.size() != 2)
            throw Error("an attributes plane needs --attributes NAME,NAME");
        const auto& vectors = model->info().attributes;
        plane = LatentPlane::fromAttributes(base, AttributeMath::find(vectors, names[0]).direction,
                                            AttributeMath::find(vectors, names[1]).direction, names[0], names[1]);
    } else {
        throw Error("--plane must be dims, pca, three or attributes, not '" + kind + "'");
    }

    const ViewMapping mapping(range, spacing, 1, 1);
    const Clock::time_point start = Clock::now();
    const Image grid = LatentGrid::render(*model, plane, mapping, tiles, tiles, gap);
    const double ms = millisecondsSince(start);
    ImageIO::writePng(grid, out);
    printLine({{"tiles", tiles}, {"width", grid.width}, {"height", grid.height}, {"plane", kind},
               {"axes", {plane.uName(), plane.vName()}}, {"range", {range.aMin, range.aMax, range.bMin, range.bMax}},
               {"render_ms", ms}, {"out", out}});
    return 0;
}

} // namespace latentlab::cli
