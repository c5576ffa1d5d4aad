// latentlab-cli generate: samples of the prior, or one style in every class.
#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "core/latent/AttributeMath.h"
#include "core/latent/ClassSweep.h"

namespace latentlab::cli {

using nlohmann::json;

int generateVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli generate --model FILE --out FILE [options]\n\n"
        "Decodes codes drawn from the prior N(0, I) and writes them as one PNG grid. For a\n"
        "conditional model, --class picks the class; --style IMAGE instead encodes that image\n"
        "(with its label; a file image with --class) and decodes its code in every class: the\n"
        "same style, every class.",
        {{"class", "CLASS", "", "class to generate, or of a --style file (name or number; conditional models)"},
         {"style", "IMAGE", "", "test-set index or file whose code is decoded in every class"},
         {"count", "N", "16", "samples from the prior"},
         {"seed", "N", "1", "random seed"},
         {"out", "FILE", "", "PNG to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string out = required(cl, "out");
    const int count = cl.intValue("count", 1, 4096);
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
        checkImageCount(std::size_t(count), *model, "count");
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
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

} // namespace latentlab::cli
