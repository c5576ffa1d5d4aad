// latentlab-cli train: trains a model, writing it after every epoch.
#include <atomic>
#include <csignal>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/model/Device.h"
#include "core/training/Trainer.h"
#include "models/ModelRegistry.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

std::atomic<bool> interrupted{false};

json epochJson(const EpochRecord& r, double imagesPerSecond)
{
    return {{"epoch", r.epoch}, {"seconds", r.seconds}, {"train_loss", r.trainLoss}, {"train_recon", r.trainRecon},
            {"train_kl", r.trainKl}, {"test_loss", r.testLoss}, {"test_recon", r.testRecon}, {"test_kl", r.testKl},
            {"images_per_second", imagesPerSecond}};
}

} // namespace

int trainVerb(int argc, char** argv)
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

} // namespace latentlab::cli
