// latentlab-cli encode: a data set's codes as CSV and .npy.
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/NpyFile.h"
#include "core/latent/LatentCodes.h"
#include "models/ModelRegistry.h"

namespace latentlab::cli {

using nlohmann::json;

int encodeVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli encode --model FILE --out BASE [options]\n\n"
        "Encodes a data set to the means and log-variances of q(z|x) and writes BASE.csv\n"
        "(index, label, mu_0.., logvar_0..; an rVAE's columns by part: mu_angle, mu_dx, mu_dy,\n"
        "mu_z0..), BASE.npy (mu, float32 N x L), BASE-logvar.npy and BASE-labels.npy (int32)\n"
        "for numpy: np.load('BASE.npy').",
        {{"split", "train|test|all", "all", "which images to encode"},
         {"limit", "N", "0", "only the first N images, 0 for all"},
         {"out", "BASE", "", "output path without extension"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string base = required(cl, "out");
    const int limit = cl.intValue("limit", 0, kMaxLimit);
    const std::unique_ptr<Model> model = loadModel(cl);
    Dataset data = pickSplit(loadData(cl, *model), cl.value("split"));
    if (limit > 0)
        data = data.head(std::size_t(limit));

    const Clock::time_point start = Clock::now();
    TerminalProgress bar("encoding", "images/s");
    const LatentCodes codes = LatentCodes::encode(*model, data, [&](std::size_t done, std::size_t total) { bar.update(done, total); });
    bar.finish();
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
    // Columns named by the code's parts, so that other tools find an rVAE's angle (mu_angle).
    const std::vector<std::string> names = ModelRegistry::dimensionNames(model->config());
    csv << "index,label";
    for (std::size_t j = 0; j < dim; ++j)
        csv << ",mu_" << names[j];
    for (std::size_t j = 0; j < (codes.logvar.empty() ? 0 : dim); ++j)
        csv << ",logvar_" << names[j];
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

} // namespace latentlab::cli
