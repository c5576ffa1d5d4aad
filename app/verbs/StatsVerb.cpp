// latentlab-cli stats: per-dimension statistics, outliers and neighbours of a data set's codes.
#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/AtomicFile.h"
#include "core/formats/HistogramPlot.h"
#include "core/formats/ImageIO.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentDensity.h"
#include "core/latent/LatentStatistics.h"
#include "core/training/OutlierRanking.h"

namespace latentlab::cli {

using nlohmann::json;

int statsVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli stats --model FILE [options]\n\n"
        "Prints per-dimension statistics of the codes of a data set as JSON: mean and variance\n"
        "of mu, mean posterior variance, the aggregate posterior's variance, KL per dimension\n"
        "and the number of active units (KL above 0.01 nats); optionally the most unusual\n"
        "images ranked by negative ELBO (or IWAE with --iwae K), the rarest codes (lowest latent\n"
        "density, as --debias weighs them), an image's nearest neighbours, and the histograms\n"
        "against N(0,1) as a PNG.",
        {{"split", "train|test|all", "test", "images to describe"},
         {"limit", "N", "0", "only the first N images, 0 for all"},
         {"bins", "N", "40", "histogram bins over [-4, 4], 1 to 1000"},
         {"histograms", "FILE", "", "write the histograms as a PNG"},
         {"outliers", "N", "0", "list the N least likely images (at most 100000)"},
         {"iwae", "K", "0", "rank outliers by the IWAE estimate with K samples"},
         {"rare", "N", "0", "list the N images whose codes are rarest (lowest latent density; at most 100000)"},
         {"alpha", "A", "0.01", "the latent density's smoothing for --rare and --weights (as train --debias)"},
         {"weights", "FILE", "", "write each image's debiasing weight as CSV (index,label,weight; 1 = average)"},
         {"neighbours", "IMAGE", "", "list the nearest codes to this image's code"},
         {"k", "N", "8", "how many neighbours, 1 to 100000"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const int limit = cl.intValue("limit", 0, kMaxLimit);
    const int bins = cl.intValue("bins", 1, 1000);
    const int outlierCount = cl.intValue("outliers", 0, 100000);
    const int rareCount = cl.intValue("rare", 0, 100000);
    const double alpha = cl.doubleValue("alpha", 0, LatentDensity::kMaxAlpha);
    const int iwae = cl.intValue("iwae", 0, kMaxIwaeSamples);
    const int neighbourCount = cl.intValue("k", 1, 100000);
    const std::unique_ptr<Model> model = loadModel(cl);
    Dataset data = pickSplit(loadData(cl, *model), cl.value("split"));
    if (limit > 0)
        data = data.head(std::size_t(limit));
    TerminalProgress bar("encoding", "images/s");
    const LatentCodes codes = LatentCodes::encode(*model, data, [&](std::size_t done, std::size_t total) { bar.update(done, total); });
    bar.finish();
    const LatentStatistics s = LatentStatistics::compute(codes, bins);

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

    if (outlierCount > 0) {
        const int k = iwae;
        TerminalProgress scoring(k > 0 ? "IWAE" : "scoring", "images/s");
        const std::vector<RankedImage> ranked = OutlierRanking::leastLikely(
            OutlierRanking::scores(*model, data, k, [&](std::size_t done, std::size_t total) { scoring.update(done, total); }),
            std::size_t(outlierCount));
        scoring.finish();
        json outliers = json::array();
        for (const RankedImage& r : ranked)
            outliers.push_back({{"index", r.index}, {"label", labelOf(r.index)}, {"nll", r.nll}});
        result["outliers"] = {{"score", k > 0 ? "iwae" : "negative_elbo"}, {"images", outliers}};
    }
    if (rareCount > 0 || !cl.value("weights").empty()) {
        const std::vector<double> weights = LatentDensity::relativeWeights(codes.mu, std::size_t(codes.dim), alpha);
        if (rareCount > 0) {
            json rare = json::array();
            for (const std::size_t i : LatentDensity::rarest(weights, std::size_t(rareCount)))
                rare.push_back({{"index", i}, {"label", labelOf(i)}, {"weight", weights[i]}});
            result["rare"] = {{"alpha", alpha}, {"images", rare}};
        }
        if (!cl.value("weights").empty()) {
            AtomicFile::write(cl.value("weights"), {LatentDensity::csv(weights, codes.labels)}, "the weights file");
            result["weights"] = cl.value("weights");
        }
    }
    if (!cl.value("neighbours").empty()) {
        const std::vector<float> z = codeOf(cl.value("neighbours"), data, *model, cl.value("class"));
        json neighbours = json::array();
        for (const auto& [index, distance] : codes.nearest(z.data(), std::size_t(neighbourCount)))
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

} // namespace latentlab::cli
