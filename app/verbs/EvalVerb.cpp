// latentlab-cli eval: the test loss, its parts and an IWAE estimate of a model.
#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/CommandLine.h"
#include "core/training/Evaluator.h"

namespace latentlab::cli {

using nlohmann::json;

int evalVerb(int argc, char** argv)
{
    std::vector<OptionSpec> options = cli::modelOptions();
    options.insert(options.end(), {{"iwae", "K", "0", "importance samples for the IWAE estimate, 0 for none (at most 100000)"},
                                   {"limit", "N", "0", "only the first N test images, 0 for all"},
                                   {"seed", "N", "1", "random seed for the sampled z"}});
    CommandLine cl("Usage: latentlab-cli eval --model FILE [options]\n\n"
                   "Prints one JSON line for the test split: test_loss (negative ELBO per image, z sampled,\n"
                   "as pytorch/examples reports it), recon, kl, and nll_iwae with --iwae K (K = 5000 is\n"
                   "the literature's standard).",
                   options);
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    // Every number is checked before the model or data set is loaded.
    const int iwae = cl.intValue("iwae", 0, cli::kMaxIwaeSamples);
    const int limit = cl.intValue("limit", 0, cli::kMaxLimit);
    const int seed = cl.intValue("seed", 0, cli::kMaxSeed);
    const std::unique_ptr<Model> model = cli::loadModel(cl);
    Dataset test = cli::loadData(cl, *model).test;
    if (limit > 0)
        test = test.head(std::size_t(limit));
    Evaluator evaluator;
    evaluator.setSeed(static_cast<unsigned long long>(seed));
    const LossSummary elbo = evaluator.negativeElbo(*model, test);
    json out = {{"test_loss", elbo.loss}, {"recon", elbo.recon}, {"kl", elbo.kl}, {"images", elbo.images}};
    if (iwae > 0) {
        out["iwae_samples"] = iwae;
        TerminalProgress bar("IWAE", "images/s");
        out["nll_iwae"] = evaluator.iwaeNll(*model, test, iwae, [&](std::size_t done, std::size_t total) { bar.update(done, total); });
    }
    printLine(out);
    return 0;
}

} // namespace latentlab::cli
