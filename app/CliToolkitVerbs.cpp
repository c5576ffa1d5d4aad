#include "app/CliToolkitVerbs.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <filesystem>
#include <numeric>
#include <random>

#include "app/CliSupport.h"
#include "core/latent/AttributeMath.h"
#include "core/formats/AttributeTable.h"
#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "core/formats/HistogramPlot.h"
#include "core/formats/ImageIO.h"
#include "core/latent/Interpolation.h"
#include "core/latent/LatentGrid.h"
#include "core/latent/LatentStatistics.h"
#include "core/formats/ModelFile.h"
#include "core/latent/NormalDistribution.h"
#include "core/formats/NpyFile.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

CommandLine withModelOptions(const std::string& usage, std::vector<OptionSpec> options)
{
    std::vector<OptionSpec> all = modelOptions();
    all.insert(all.end(), options.begin(), options.end());
    return CommandLine(usage, std::move(all));
}

std::string required(const CommandLine& cl, const std::string& option)
{
    if (cl.value(option).empty())
        throw Error("give --" + option);
    return cl.value(option);
}

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

} // namespace

int encodeVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli encode --model FILE --out BASE [options]\n\n"
        "Encodes a data set to the means and log-variances of q(z|x) and writes BASE.csv\n"
        "(index, label, mu_0.., logvar_0..) and BASE.npy (mu, float32 N x L), BASE-logvar.npy\n"
        "and BASE-labels.npy (int32) for numpy: np.load('BASE.npy').",
        {{"split", "train|test|all", "all", "which images to encode"},
         {"limit", "N", "0", "only the first N images, 0 for all"},
         {"out", "BASE", "", "output path without extension"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string base = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    Dataset data = pickSplit(loadData(cl, *model), cl.value("split"));
    if (cl.intValue("limit") > 0)
        data = data.head(std::size_t(cl.intValue("limit")));

    const Clock::time_point start = Clock::now();
    const LatentCodes codes = LatentCodes::encode(*model, data);
    const double ms = millisecondsSince(start);

    const std::size_t n = codes.count(), dim = std::size_t(codes.dim);
    NpyFile::writeFloat32(base + ".npy", codes.mu, n, dim);
    if (!codes.logvar.empty())
        NpyFile::writeFloat32(base + "-logvar.npy", codes.logvar, n, dim);
    std::vector<int> labels = codes.labels;
    labels.resize(n, -1);
    NpyFile::writeInt32(base + "-labels.npy", labels);
    std::ofstream csv(base + ".csv");
    if (!csv)
        throw Error(base + ".csv: cannot write the file");
    csv << "index,label";
    for (std::size_t j = 0; j < dim; ++j)
        csv << ",mu_" << j;
    for (std::size_t j = 0; j < (codes.logvar.empty() ? 0 : dim); ++j)
        csv << ",logvar_" << j;
    csv << "\n";
    csv.precision(7);
    for (std::size_t i = 0; i < n; ++i) {
        csv << i << ',' << labels[i];
        for (std::size_t j = 0; j < dim; ++j)
            csv << ',' << codes.mu[i * dim + j];
        for (std::size_t j = 0; j < (codes.logvar.empty() ? 0 : dim); ++j)
            csv << ',' << codes.logvar[i * dim + j];
        csv << '\n';
    }
    if (!csv.flush())
        throw Error(base + ".csv: writing failed (disk full?)");
    printLine({{"images", n}, {"dim", dim}, {"encode_ms", ms}, {"csv", base + ".csv"}, {"npy", base + ".npy"}});
    return 0;
}

int gridVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli grid --model FILE --out GRID.png [options]\n\n"
        "Decodes a grid of latent points on a plane and writes the tiles as one PNG.\n"
        "Planes: dims (two latent dimensions through --base), pca (first two principal\n"
        "components of the encoded test set, in standard deviations), three (through the codes\n"
        "of --images A,B,C: z = zA + a (zB - zA) + b (zC - zA)), attributes (two of the model's\n"
        "attribute vectors through --base, a and b are their strengths).\n"
        "Images are data-set indices (of the test split) or PNG/JPEG files.",
        {{"out", "FILE", "", "PNG to write"},
         {"plane", "KIND", "dims", "dims, pca, three or attributes"},
         {"dims", "I,J", "0,1", "latent dimensions of a dims plane"},
         {"base", "IMAGE", "", "code the dims/attributes plane passes through (default: zero)"},
         {"images", "A,B,C", "", "the three images of a three plane"},
         {"attributes", "NAME,NAME", "", "the two attribute vectors of an attributes plane"},
         {"spacing", "linear|cdf", "linear", "tile spacing: linear, or equal steps of the N(0,1) CDF"},
         {"range", "R", "", "axes run from -R to R (default 3, cdf 2.326 = 1% to 99%, three -0.25 to 1.25)"},
         {"tiles", "N", "16", "tiles per side"},
         {"gap", "PX", "1", "pixels between tiles"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    const int latent = model->config().latentDim;
    const std::string kind = cl.value("plane");
    const GridSpacing spacing = cl.value("spacing") == "cdf" ? GridSpacing::InverseCdf
                                : cl.value("spacing") == "linear"
                                    ? GridSpacing::Linear
                                    : throw Error("--spacing must be linear or cdf");
    double half = spacing == GridSpacing::InverseCdf ? -NormalDistribution::inverseCdf(0.01) : 3.0;
    if (cl.has("range"))
        half = cl.doubleValue("range");
    PlaneRange range = PlaneRange::around(0, 0, half, half);

    // Only load a data set when the plane needs images.
    Dataset data;
    const bool needsData = kind == "pca" || kind == "three" || !cl.value("base").empty();
    if (needsData)
        data = loadData(cl, *model).test;
    std::vector<float> base(std::size_t(latent), 0.0f);
    if (!cl.value("base").empty())
        base = codeOf(cl.value("base"), data, *model);

    LatentPlane plane;
    if (kind == "dims") {
        const std::vector<int> dims = parseIntList(cl.value("dims"), "dims");
        if (dims.size() != 2)
            throw Error("--dims expects two dimensions, as I,J");
        plane = LatentPlane::fromDimensions(base, dims[0], dims[1]);
    } else if (kind == "pca") {
        plane = LatentPlane::fromPrincipalComponents(LatentCodes::encode(*model, data));
    } else if (kind == "three") {
        const std::vector<std::string> images = splitList(cl.value("images"));
        if (images.size() != 3)
            throw Error("a three plane needs --images A,B,C");
        plane = LatentPlane::throughCodes(codeOf(images[0], data, *model), codeOf(images[1], data, *model),
                                          codeOf(images[2], data, *model));
        if (!cl.has("range"))
            range = {-0.25, 1.25, -0.25, 1.25};
    } else if (kind == "attributes") {
        const std::vector<std::string> names = splitList(cl.value("attributes"));
        if (names.size() != 2)
            throw Error("an attributes plane needs --attributes NAME,NAME");
        const auto& vectors = model->info().attributes;
        plane = LatentPlane::fromAttributes(base, AttributeMath::find(vectors, names[0]).direction,
                                            AttributeMath::find(vectors, names[1]).direction, names[0], names[1]);
    } else {
        throw Error("--plane must be dims, pca, three or attributes, not '" + kind + "'");
    }

    const int tiles = cl.intValue("tiles");
    if (tiles < 1 || tiles > 64)
        throw Error("--tiles must be between 1 and 64");
    const ViewMapping mapping(range, spacing, 1, 1);
    const Clock::time_point start = Clock::now();
    const Image grid = LatentGrid::render(*model, plane, mapping, tiles, tiles, cl.intValue("gap"));
    const double ms = millisecondsSince(start);
    ImageIO::writePng(grid, out);
    printLine({{"tiles", tiles}, {"width", grid.width}, {"height", grid.height}, {"plane", kind},
               {"axes", {plane.uName(), plane.vName()}}, {"range", {range.aMin, range.aMax, range.bMin, range.bMax}},
               {"render_ms", ms}, {"out", out}});
    return 0;
}

int interpolateVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli interpolate --model FILE --from A --to B --out FILE [options]\n\n"
        "Morphs between the codes of two images (or around the triangle A, B, C with --via C)\n"
        "and writes the frames as a PNG strip, an animated GIF or an MP4, by the extension.\n"
        "Images are data-set indices (of the test split) or PNG/JPEG files.",
        {{"from", "A", "", "first image"},
         {"to", "B", "", "second image"},
         {"via", "C", "", "third image: frames go A to B to C and back to A (barycentric)"},
         {"frames", "N", "10", "frames from one image to the next"},
         {"kind", "linear|slerp", "linear", "linear or spherical interpolation"},
         {"seconds-per-frame", "S", "0.1", "frame duration of GIF and MP4"},
         {"out", "FILE", "", "output: .png, .gif or .mp4"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    const Dataset data = loadData(cl, *model).test;
    const std::vector<float> a = codeOf(required(cl, "from"), data, *model);
    const std::vector<float> b = codeOf(required(cl, "to"), data, *model);
    const int n = cl.intValue("frames");
    const std::string kindText = cl.value("kind");
    if (kindText != "linear" && kindText != "slerp")
        throw Error("--kind must be linear or slerp");
    const InterpolationKind kind = kindText == "slerp" ? InterpolationKind::Spherical : InterpolationKind::Linear;

    std::vector<float> codes;
    if (cl.value("via").empty()) {
        codes = Interpolation::frames(a, b, n, kind);
    } else {
        codes = Interpolation::triangleFrames(a, b, codeOf(cl.value("via"), data, *model), n);
    }
    const std::vector<Image> frames = model->decodeImages(codes);
    ImageIO::writeFrames(frames, out, cl.doubleValue("seconds-per-frame"));
    printLine({{"frames", frames.size()}, {"kind", kindText}, {"out", out}});
    return 0;
}

int attributeVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli attribute --model FILE --name NAME GROUPS [options]\n\n"
        "Computes an attribute vector, mean(mu | with) - mean(mu | without), over the training\n"
        "images, stores it in the model file under NAME (replacing one of that name) and prints\n"
        "its quality: norm, Cohen's d and the best-threshold accuracy of the projection,\n"
        "cosines with the other vectors; from labels also the share of the 'without' test\n"
        "images that a nearest-class-mean classifier calls 'with' after adding the vector.\n\n"
        "GROUPS, one of:\n"
        "  --with-label A --without-label B|rest     classes of the data set\n"
        "  --attribute-file FILE --column NAME       a CelebA-style file (1/-1 by file name)\n"
        "  --column NAME                             the data set's own attribute (synth-faces)\n"
        "  --with I,J,.. --without K,L,..            training-set indices or image files",
        {{"name", "NAME", "", "name of the vector"},
         {"split", "train|test|all", "train", "images the vector is computed from"},
         {"with-label", "CLASS", "", "class that has the attribute"},
         {"without-label", "CLASS", "", "class without it, or 'rest' for all others"},
         {"attribute-file", "FILE", "", "CelebA-style attribute file"},
         {"column", "NAME", "", "attribute column of that file, or of the data set"},
         {"with", "LIST", "", "images with the attribute"},
         {"without", "LIST", "", "images without it"},
         {"orthogonalise-against", "NAMES", "", "remove these vectors' directions (Gram-Schmidt)"},
         {"alpha", "A", "1", "strength used for the transfer figure"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string name = required(cl, "name");
    std::unique_ptr<Model> model = loadModel(cl);
    const DatasetSplit all = loadData(cl, *model);
    const Dataset data = pickSplit(all, cl.value("split"));
    const LatentCodes codes = LatentCodes::encode(*model, data);

    AttributeGroups groups;
    LatentCodes groupCodes = codes;  // the codes the group indices refer to
    const bool byLabel = !cl.value("with-label").empty();
    if (byLabel) {
        groups = AttributeMath::groupsFromLabels(codes.labels, codes.classNames, cl.value("with-label"),
                                                 required(cl, "without-label"));
    } else if (!cl.value("attribute-file").empty()) {
        groups = AttributeTable::read(cl.value("attribute-file")).groups(data.fileNames(), required(cl, "column"));
    } else if (!cl.value("column").empty()) { // the data set's own attributes (synth-faces, faces:)
        groups = AttributeMath::groupsFromAttributes(data, cl.value("column"));
    } else if (!cl.value("with").empty()) {
        // Images by index or file: their codes are appended as their own rows.
        groupCodes = LatentCodes{codes.dim, {}, {}, {}, {}};
        for (const char* option : {"with", "without"}) {
            for (const std::string& ref : splitList(required(cl, option))) {
                const std::vector<float> z = codeOf(ref, data, *model);
                groupCodes.mu.insert(groupCodes.mu.end(), z.begin(), z.end());
                (std::string(option) == "with" ? groups.with : groups.without).push_back(groupCodes.count() - 1);
            }
        }
    } else {
        throw Error("say which images have the attribute: --with-label, --attribute-file or --with (see --help)");
    }

    std::vector<float> vector = AttributeMath::meanDifference(groupCodes, groups);
    std::vector<AttributeVector> others;
    for (const AttributeVector& v : model->info().attributes)
        if (v.name != name)
            others.push_back(v);
    if (!cl.value("orthogonalise-against").empty()) {
        std::vector<std::vector<float>> against;
        for (const std::string& other : splitList(cl.value("orthogonalise-against")))
            against.push_back(AttributeMath::find(others, other).direction);
        vector = AttributeMath::orthogonalised(vector, against);
    }
    const AttributeQuality q = AttributeMath::quality(groupCodes, groups, vector, others);

    json result = {{"name", name}, {"with", groups.with.size()}, {"without", groups.without.size()},
                   {"norm", q.norm}, {"cohens_d", q.cohensD}, {"separation_accuracy", q.separationAccuracy},
                   {"threshold", q.threshold}, {"cosines", json::object()}};
    for (const auto& [other, cosine] : q.cosines)
        result["cosines"][other] = cosine;

    if (byLabel) {
        // Nearest-class-mean classifier from the training codes, applied to the edited
        // codes of held-out 'without' images.
        const Dataset& test = all.test;
        const LatentCodes testCodes = LatentCodes::encode(*model, test);
        const AttributeGroups testGroups = AttributeMath::groupsFromLabels(
            testCodes.labels, testCodes.classNames, cl.value("with-label"), cl.value("without-label"));
        const auto means = AttributeMath::classMeans(codes);
        const int target = AttributeMath::labelIndex(codes.classNames, cl.value("with-label"));
        const double alpha = cl.doubleValue("alpha");
        std::size_t before = 0, after = 0;
        for (std::size_t i : testGroups.without) {
            const std::vector<float> z = testCodes.codeVector(i);
            before += AttributeMath::nearestClass(means, z.data()) == target;
            after += AttributeMath::nearestClass(means, AttributeMath::apply(z, {vector}, {alpha}).data()) == target;
        }
        const double n = double(std::max<std::size_t>(1, testGroups.without.size()));
        result["transfer"] = {{"alpha", alpha}, {"test_images", testGroups.without.size()},
                              {"classified_as_with_before", double(before) / n},
                              {"classified_as_with_after", double(after) / n}};
    }

    auto& attributes = model->info().attributes;
    attributes.erase(std::remove_if(attributes.begin(), attributes.end(),
                                    [&](const AttributeVector& v) { return v.name == name; }),
                     attributes.end());
    attributes.push_back({name, vector});
    ModelFile::save(*model, cl.value("model"));
    result["model"] = cl.value("model");
    printLine(result);
    return 0;
}

int editVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli edit --model FILE --image IMAGE --attributes NAME=S[,NAME=S..] --out FILE\n\n"
        "Adds attribute vectors with the given strengths to an image's code and writes the\n"
        "decoded result; with --strip FROM:TO:N, N frames with every strength scaled from\n"
        "FROM to TO (.png strip, .gif or .mp4). IMAGE is a test-set index or a PNG/JPEG file.",
        {{"image", "IMAGE", "", "the image to edit"},
         {"attributes", "LIST", "", "NAME=STRENGTH items, comma separated"},
         {"strip", "FROM:TO:N", "", "a range of strengths instead of one image"},
         {"out", "FILE", "", "output image or animation"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    const Dataset data = loadData(cl, *model).test;
    const std::vector<float> code = codeOf(required(cl, "image"), data, *model);
    std::vector<std::vector<float>> vectors;
    std::vector<double> strengths;
    std::vector<std::string> names;
    parseStrengths(*model, required(cl, "attributes"), &vectors, &strengths, &names);

    std::vector<double> scales = {1.0};
    if (!cl.value("strip").empty()) {
        const std::vector<std::string> parts = splitList(cl.value("strip"), ':');
        if (parts.size() != 3)
            throw Error("--strip expects FROM:TO:N, got '" + cl.value("strip") + "'");
        const double from = std::stod(parts[0]), to = std::stod(parts[1]);
        const int n = std::stoi(parts[2]);
        if (n < 2)
            throw Error("--strip needs at least 2 frames");
        scales.clear();
        for (int i = 0; i < n; ++i)
            scales.push_back(from + (to - from) * i / (n - 1));
    }
    std::vector<float> codes;
    for (double scale : scales) {
        std::vector<double> scaled = strengths;
        for (double& s : scaled)
            s *= scale;
        const std::vector<float> z = AttributeMath::apply(code, vectors, scaled);
        codes.insert(codes.end(), z.begin(), z.end());
    }
    const std::vector<Image> images = model->decodeImages(codes);
    if (images.size() == 1)
        ImageIO::writePng(images.front(), out);
    else
        ImageIO::writeFrames(images, out);
    printLine({{"frames", images.size()}, {"attributes", names}, {"strengths", strengths}, {"out", out}});
    return 0;
}

int statsVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli stats --model FILE [options]\n\n"
        "Prints per-dimension statistics of the codes of a data set as JSON: mean and variance\n"
        "of mu, mean posterior variance, the aggregate posterior's variance, KL per dimension\n"
        "and the number of active units (KL above 0.01 nats); optionally the most unusual\n"
        "images ranked by negative ELBO (or IWAE with --iwae K), an image's nearest\n"
        "neighbours, and the histograms against N(0,1) as a PNG.",
        {{"split", "train|test|all", "test", "images to describe"},
         {"limit", "N", "0", "only the first N images, 0 for all"},
         {"bins", "N", "40", "histogram bins over [-4, 4]"},
         {"histograms", "FILE", "", "write the histograms as a PNG"},
         {"outliers", "N", "0", "list the N least likely images"},
         {"iwae", "K", "0", "rank outliers by the IWAE estimate with K samples"},
         {"neighbours", "IMAGE", "", "list the nearest codes to this image's code"},
         {"k", "N", "8", "how many neighbours"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::unique_ptr<Model> model = loadModel(cl);
    Dataset data = pickSplit(loadData(cl, *model), cl.value("split"));
    if (cl.intValue("limit") > 0)
        data = data.head(std::size_t(cl.intValue("limit")));
    const LatentCodes codes = LatentCodes::encode(*model, data);
    const LatentStatistics s = LatentStatistics::compute(codes, cl.intValue("bins"));

    json dims = json::array();
    for (std::size_t d = 0; d < s.dimensions.size(); ++d) {
        const DimensionStatistics& ds = s.dimensions[d];
        dims.push_back({{"dim", d}, {"mean", ds.mean}, {"variance", ds.variance},
                        {"posterior_variance", ds.posteriorVariance}, {"aggregate_variance", ds.aggregateVariance()},
                        {"kl", ds.kl}, {"active", ds.kl > LatentStatistics::kActiveKl}});
    }
    json result = {{"images", codes.count()}, {"latent", codes.dim}, {"active_units", s.activeUnits},
                   {"total_kl", s.totalKl}, {"dimensions", dims}};
    const auto labelOf = [&](std::size_t i) { return codes.labels.empty() ? json(nullptr) : json(codes.labels[i]); };

    if (cl.intValue("outliers") > 0) {
        Evaluator evaluator(*model);
        evaluator.setSeed(1);
        const int k = cl.intValue("iwae");
        const std::vector<double> scores = k > 0 ? evaluator.iwaeNllPerImage(data, k)
                                                 : evaluator.negativeElboPerImage(data);
        std::vector<std::size_t> order(scores.size());
        std::iota(order.begin(), order.end(), 0);
        const std::size_t n = std::min(order.size(), std::size_t(cl.intValue("outliers")));
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(),
                          [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
        json outliers = json::array();
        for (std::size_t i = 0; i < n; ++i)
            outliers.push_back({{"index", order[i]}, {"label", labelOf(order[i])}, {"nll", scores[order[i]]}});
        result["outliers"] = {{"score", k > 0 ? "iwae" : "negative_elbo"}, {"images", outliers}};
    }
    if (!cl.value("neighbours").empty()) {
        const std::vector<float> z = codeOf(cl.value("neighbours"), data, *model);
        json neighbours = json::array();
        for (const auto& [index, distance] : codes.nearest(z.data(), std::size_t(cl.intValue("k"))))
            neighbours.push_back({{"index", index}, {"label", labelOf(index)}, {"distance", distance}});
        result["neighbours"] = neighbours;
    }
    if (!cl.value("histograms").empty()) {
        ImageIO::writePng(HistogramPlot::render(s), cl.value("histograms"));
        result["histograms"] = cl.value("histograms");
    }
    printLine(result);
    return 0;
}

int generateVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli generate --model FILE --out FILE [options]\n\n"
        "Decodes codes drawn from the prior N(0, I) and writes them as one PNG grid. For a\n"
        "conditional model, --class picks the class; --style IMAGE instead encodes that image\n"
        "(with its label) and decodes its code in every class: the same style, every class.",
        {{"class", "CLASS", "", "class to generate (name or number; conditional models)"},
         {"style", "IMAGE", "", "test-set index or file whose code is decoded in every class"},
         {"count", "N", "16", "samples from the prior"},
         {"seed", "N", "1", "random seed"},
         {"out", "FILE", "", "PNG to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
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
        const bool isIndex = reference.find_first_not_of("0123456789") == std::string::npos;
        int styleClass = 0;
        if (isIndex && test.hasLabels())
            styleClass = test.labels().at(std::stoul(reference));
        else if (!cl.value("class").empty())
            styleClass = AttributeMath::labelIndex(names, cl.value("class"));
        const std::vector<float> style = model->encodeImage(imageOf(reference, test, *model), styleClass);
        for (int k = 0; k < c.conditionClasses; ++k) {
            codes.insert(codes.end(), style.begin(), style.end());
            classes.push_back(k);
        }
        columns = c.conditionClasses;
    } else {
        const int count = cl.intValue("count");
        if (count < 1 || count > 4096)
            throw Error("--count must be between 1 and 4096");
        std::mt19937_64 rng(static_cast<std::uint64_t>(cl.intValue("seed")));
        std::normal_distribution<float> normal;
        codes.resize(std::size_t(count) * std::size_t(c.latentDim));
        for (float& v : codes)
            v = normal(rng);
        if (!cl.value("class").empty()) {
            if (c.conditionClasses == 0)
                throw Error("--class needs a conditional model (train it with --conditional)");
            classes = {AttributeMath::labelIndex(names, cl.value("class"))};
        }
        columns = int(std::ceil(std::sqrt(double(count))));
    }
    ImageIO::writePng(ImageIO::compose(model->decodeImages(codes, classes), columns, 1), out);
    printLine({{"images", codes.size() / std::size_t(c.latentDim)}, {"out", out}});
    return 0;
}

int exportDatasetVerb(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli export-dataset --dataset SPEC --out DIR [options]\n\n"
                   "Writes the images as DIR/images/NNNNNN.png, their labels and continuous factors as\n"
                   "DIR/labels.csv and binary attributes as DIR/list_attr.txt (CelebA's format), so that\n"
                   "other tools read any data set LatentLab can load.\n\nData sets:\n" + DatasetLoader::specHelp(),
                   {{"dataset", "SPEC", DatasetLoader::defaultSpec(), "data set"},
                    {"split", "train|test|all", "all", "which images"},
                    {"limit", "N", "0", "only the first N images, 0 for all"},
                    {"image-size", "PX", "28", "side that folder images are resized to"},
                    {"channels", "1|3", "1", "grey or colour, for folder images"},
                    {"out", "DIR", "", "folder to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string dir = required(cl, "out");
    DatasetOptions options;
    options.imageSize = cl.intValue("image-size");
    options.channels = cl.intValue("channels");
    Dataset data = pickSplit(DatasetLoader::load(cl.value("dataset"), options), cl.value("split"));
    if (cl.intValue("limit") > 0)
        data = data.head(std::size_t(cl.intValue("limit")));
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
    for (std::size_t i = 0; i < data.size(); ++i) {
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
    if (!labels.flush() || (attributes.is_open() && !attributes.flush()))
        throw Error(dir + ": writing failed (disk full?)");
    printLine({{"images", data.size()}, {"out", dir}, {"attributes", attributeNames}, {"factors", data.factorNames()}});
    return 0;
}

} // namespace latentlab::cli
