// latentlab-cli: LatentLab's engine without a display (training servers, scripts,
// benchmarks). Every verb prints JSON lines on stdout; errors go to stderr.
#include <atomic>
#include <csignal>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/CliToolkitVerbs.h"
#include "core/base/CommandLine.h"
#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "core/formats/ModelFile.h"
#include "core/training/Trainer.h"
#include "models/ModelRegistry.h"

using namespace latentlab;
using latentlab::cli::printLine;
using nlohmann::json;

namespace {

std::atomic<bool> interrupted{false};

const char* const kVerbs =
    "Usage: latentlab-cli VERB [options]   (VERB --help for its options)\n\n"
    "Verbs:\n"
    "  train        train a VAE (or plain autoencoder) and write a model file\n"
    "  eval         test loss, its parts and an IWAE log-likelihood estimate of a model\n"
    "  info         print a model file's header as JSON\n"
    "  encode       encode a data set to CSV and .npy\n"
    "  grid         decode a grid of latent points on a plane to a PNG\n"
    "  interpolate  morph between images: PNG strip, GIF or MP4\n"
    "  attribute    compute an attribute vector and store it in the model\n"
    "  edit         apply attribute vectors to an image\n"
    "  stats        per-dimension statistics, active units, outliers, neighbours\n"
    "  generate     decode samples of a class, or one style in every class (conditional models)\n"
    "  export-dataset  write a data set as PNG files with its labels and attributes\n";

json epochJson(const EpochRecord& r, double imagesPerSecond)
{
    return {{"epoch", r.epoch}, {"seconds", r.seconds}, {"train_loss", r.trainLoss}, {"train_recon", r.trainRecon},
            {"train_kl", r.trainKl}, {"test_loss", r.testLoss}, {"test_recon", r.testRecon}, {"test_kl", r.testKl},
            {"images_per_second", imagesPerSecond}};
}

int train(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli train [options]\n\nTrains a model, writing it (atomically) after every epoch.\n"
                   "Prints one JSON line per epoch and a summary line.\n\nData sets:\n" + DatasetLoader::specHelp(),
                   {{"dataset", "SPEC", DatasetLoader::defaultSpec(), "data set to train on"},
                    {"arch", "NAME", ModelRegistry::families().front().name, "model family: " + ModelRegistry::names()},
                    {"latent", "N", "20", "latent dimensions"},
                    {"hidden", "LIST", "", "MLP hidden widths or conv channels, comma separated (default 400; conv 32,64,...)"},
                    {"likelihood", "NAME", "bernoulli", "bernoulli (BCE), gaussian (MSE) or laplace (L1)"},
                    {"beta", "B", "1", "weight of the KL term"},
                    {"autoencoder", "", "", "a plain deterministic autoencoder (baseline) instead of a VAE"},
                    {"conditional", "", "", "a conditional VAE: encoder and decoder also take the label"},
                    {"image-size", "PX", "28", "side that folder images are resized to"},
                    {"channels", "1|3", "1", "grey or colour, for folder images"},
                    {"epochs", "N", "10", "epochs to train"},
                    {"batch", "N", "128", "batch size"},
                    {"lr", "RATE", "1e-3", "Adam learning rate"},
                    {"seed", "N", "1", "random seed (weights, shuffling, sampling)"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"},
                    {"device", "auto|cpu|cuda", "auto", "where to train"},
                    {"out", "FILE", "model.latentlab", "model file to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;

    DatasetOptions dataOptions;
    dataOptions.imageSize = cl.intValue("image-size");
    dataOptions.channels = cl.intValue("channels");
    const DatasetSplit data = DatasetLoader::load(cl.value("dataset"), dataOptions);
    if (!data.report.empty())
        std::cerr << data.report << "\n";

    ModelConfig mc;
    mc.architecture = cl.value("arch");
    mc.variational = !cl.has("autoencoder");
    mc.latentDim = cl.intValue("latent");
    mc.hidden = cli::parseIntList(cl.value("hidden"), "hidden");
    mc.likelihood = likelihoodFromString(cl.value("likelihood"));
    mc.beta = cl.doubleValue("beta");
    mc.channels = data.train.shape().channels;
    mc.height = data.train.shape().height;
    mc.width = data.train.shape().width;
    if (cl.has("conditional")) {
        if (!data.train.hasLabels())
            throw Error("--conditional needs a labelled data set");
        mc.conditionClasses = int(data.train.classNames().size());
    }
    ModelRegistry::validate(mc);

    TrainingConfig tc;
    tc.epochs = cl.intValue("epochs");
    tc.batchSize = cl.intValue("batch");
    tc.learningRate = cl.doubleValue("lr");
    tc.seed = static_cast<unsigned long long>(cl.intValue("seed"));
    tc.threads = cl.intValue("threads");
    tc.device = cl.value("device");
    tc.checkpointPath = cl.value("out");

    Model model(mc, tc.seed);
    model.info().datasetSpec = data.spec;
    model.info().classNames = data.train.classNames();
    Trainer trainer(model, data.train, data.test, tc);
    std::signal(SIGINT, [](int) { interrupted = true; });
    trainer.setProgressCallback([&](const TrainingProgress& p) {
        if (interrupted)
            trainer.requestCancel();
        if (p.epochDone)
            printLine(epochJson(p.record, p.imagesPerSecond));
    });
    const TrainingResult result = trainer.run();

    double trainSeconds = 0;
    for (const EpochRecord& r : model.info().history)
        trainSeconds += r.seconds;
    // Diverged: the model holds the last good weights; keep them on disk too.
    if (result.outcome == TrainingOutcome::Diverged && result.epochsDone > 0)
        ModelFile::save(model, tc.checkpointPath);
    json summary = {{"epochs", result.epochsDone}, {"train_seconds", trainSeconds},
                    {"device", model.device()}, {"threads", Device::threadCount()},
                    {"outcome", result.outcome == TrainingOutcome::Finished ? "finished"
                                : result.outcome == TrainingOutcome::Cancelled ? "cancelled" : "diverged"}};
    summary["test_loss"] = model.info().history.empty() ? json(nullptr) : json(model.info().history.back().testLoss);
    summary["model"] = result.epochsDone > 0 ? json(tc.checkpointPath) : json(nullptr);
    printLine(summary);
    if (result.outcome != TrainingOutcome::Finished) {
        std::cerr << "latentlab-cli: " << result.message << "\n";
        return result.outcome == TrainingOutcome::Cancelled ? 130 : 3;
    }
    return 0;
}

int eval(int argc, char** argv)
{
    std::vector<OptionSpec> options = cli::modelOptions();
    options.insert(options.end(), {{"iwae", "K", "0", "importance samples for the IWAE estimate, 0 for none"},
                                   {"limit", "N", "0", "only the first N test images, 0 for all"},
                                   {"seed", "N", "1", "random seed for the sampled z"}});
    CommandLine cl("Usage: latentlab-cli eval --model FILE [options]\n\n"
                   "Prints one JSON line for the test split: test_loss (negative ELBO per image, z sampled,\n"
                   "as pytorch/examples reports it), recon, kl, and nll_iwae with --iwae K (K = 5000 is\n"
                   "the literature's standard).",
                   options);
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::unique_ptr<Model> model = cli::loadModel(cl);
    Dataset test = cli::loadData(cl, *model).test;
    if (cl.intValue("limit") > 0)
        test = test.head(std::size_t(cl.intValue("limit")));
    Evaluator evaluator(*model);
    evaluator.setSeed(static_cast<unsigned long long>(cl.intValue("seed")));
    const LossSummary elbo = evaluator.negativeElbo(test);
    json out = {{"test_loss", elbo.loss}, {"recon", elbo.recon}, {"kl", elbo.kl}, {"images", elbo.images}};
    if (cl.intValue("iwae") > 0) {
        out["iwae_samples"] = cl.intValue("iwae");
        out["nll_iwae"] = evaluator.iwaeNll(test, cl.intValue("iwae"));
    }
    printLine(out);
    return 0;
}

int info(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli info --model FILE\n\nPrints the model file's header as JSON.",
                   {{"model", "FILE", "", "model file"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    if (cl.value("model").empty())
        throw Error("info needs --model FILE");
    std::cout << ModelFile::readHeader(cl.value("model")) << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string verb = argc > 1 ? argv[1] : "";
    try {
        if (verb == "train")
            return train(argc, argv);
        if (verb == "eval")
            return eval(argc, argv);
        if (verb == "info")
            return info(argc, argv);
        if (verb == "encode")
            return cli::encodeVerb(argc, argv);
        if (verb == "grid")
            return cli::gridVerb(argc, argv);
        if (verb == "interpolate")
            return cli::interpolateVerb(argc, argv);
        if (verb == "attribute")
            return cli::attributeVerb(argc, argv);
        if (verb == "edit")
            return cli::editVerb(argc, argv);
        if (verb == "stats")
            return cli::statsVerb(argc, argv);
        if (verb == "generate")
            return cli::generateVerb(argc, argv);
        if (verb == "export-dataset")
            return cli::exportDatasetVerb(argc, argv);
        if (verb == "--help" || verb == "-h" || verb == "help") {
            std::cout << kVerbs;
            return 0;
        }
        std::cerr << (verb.empty() ? std::string("latentlab-cli: no verb given\n")
                                   : "latentlab-cli: unknown verb '" + verb + "'\n")
                  << kVerbs;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "latentlab-cli " << verb << ": error: " << e.what() << "\n";
        return 1;
    }
}
