// latentlab-cli factors: how well a model's code recovers the data set's known factors.
#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/latent/FactorReport.h"
#include "core/latent/LatentCodes.h"
#include "models/ModelRegistry.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

const char* kindName(FactorInput::Kind kind)
{
    switch (kind) {
    case FactorInput::Kind::Label: return "label";
    case FactorInput::Kind::Angle: return "angle";
    case FactorInput::Kind::Continuous: break;
    }
    return "continuous";
}

} // namespace

int factorsVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli factors --model FILE [options]\n\n"
        "Prints as JSON how well the code (the means of q(z|x)) of a data set's images recovers\n"
        "the factors it was made from: per factor and dimension the absolute correlation and the\n"
        "mutual information (20 equal-width bins), the Mutual Information Gap (Chen et al. 2018)\n"
        "per factor and overall, 5-NN accuracy and k-means NMI with the classes, in the whole code\n"
        "and in its content part; for an angle factor (cards, digits-rotated) circular statistics:\n"
        "the circular-linear correlation of each dimension, how much of the angle the content\n"
        "still carries, and an rVAE's circular correlation of its angle latent with the true\n"
        "angle, per class (a diamond looks the same after 180 degrees: its angles are doubled).",
        {{"split", "train|test|all", "test", "images to describe"},
         {"limit", "N", "0", "only the first N images, 0 for all (at most 20,000 are described)"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const int limit = cl.intValue("limit", 0, kMaxLimit);
    const std::unique_ptr<Model> model = loadModel(cl);
    Dataset data = pickSplit(loadData(cl, *model), cl.value("split"));
    // The report describes at most kMaxCodes images: encode no more than that.
    data = data.head(std::min<std::size_t>(limit > 0 ? std::size_t(limit) : FactorReport::kMaxCodes, FactorReport::kMaxCodes));
    const LatentCodes codes = LatentCodes::encode(*model, data);
    const ModelConfig& config = model->config();
    const FactorReport r = FactorReport::fromDataset(codes.mu, codes.dim, data, ModelRegistry::dimensionNames(config),
                                                     ModelRegistry::find(config.architecture).poseSize);
    json factors = json::array();
    for (const FactorScores& f : r.factors)
        factors.push_back({{"name", f.name}, {"kind", kindName(f.kind)}, {"entropy", f.entropy}, {"mig", f.mig},
                           {"best_dimension", r.dimensionNames[std::size_t(f.bestDimension)]},
                           {"correlation", f.correlation}, {"mutual_information", f.mutualInformation}});
    json result = {{"images", codes.count()}, {"dimensions", r.dimensionNames}, {"mig", r.mig}, {"factors", factors}};
    if (r.hasLabels)
        result["classes"] = {{"knn5_accuracy", r.knnAccuracy}, {"content_knn5_accuracy", r.contentKnnAccuracy},
                             {"kmeans_nmi", r.kmeansNmi}, {"content_kmeans_nmi", r.contentKmeansNmi}};
    if (r.hasAngle) {
        json angle = {{"best_circular_linear_correlation", r.angle.bestLinearCorrelation},
                      {"best_dimension", r.dimensionNames[std::size_t(r.angle.bestLinearDimension)]},
                      {"carried_by_content", r.angle.carriedByContent}};
        if (r.angle.hasAngleLatent) {
            angle["angle_latent_circular_correlation"] = r.angle.angleLatentCorrelation;
            json perClass = json::object();
            for (std::size_t c = 0; c < r.angle.angleLatentCorrelationPerClass.size(); ++c)
                perClass[c < data.classNames().size() ? data.classNames()[c] : std::to_string(c)] =
                    r.angle.angleLatentCorrelationPerClass[c];
            angle["angle_latent_circular_correlation_per_class"] = perClass;
        }
        result["angle"] = angle;
    }
    printLine(result);
    return 0;
}

} // namespace latentlab::cli
