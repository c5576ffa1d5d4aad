// latentlab-cli train: one TrainingJob, reported as JSON lines; --resume continues a model.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/TerminalProgress.h"
#include "app/verbs/Verbs.h"
#include "core/base/CommandLine.h"
#include "core/data/DatasetLoader.h"
#include "core/latent/LatentDensity.h"
#include "core/model/Device.h"
#include "core/training/TrainingJob.h"
#include "models/ModelRegistry.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

std::atomic<bool> interrupted{false};

json epochJson(const TrainingProgress& p)
{
    const EpochRecord& r = p.record;
    json j = {{"epoch", r.epoch}, {"seconds", r.seconds}, {"train_loss", r.trainLoss}, {"train_recon", r.trainRecon},
              {"train_kl", r.trainKl}, {"test_loss", r.testLoss}, {"test_recon", r.testRecon}, {"test_kl", r.testKl},
              {"images_per_second", p.imagesPerSecond}};
    // The family's further terms, e.g. train_discriminator and train_gan for the VAE-GAN.
    for (std::size_t i = 0; i < r.trainExtra.size() && i < p.extraTermNames.size(); ++i) {
        std::string name = p.extraTermNames[i];
        std::replace(name.begin(), name.end(), ' ', '_');
        j["train_" + name] = r.trainExtra[i];
    }
    return j;
}

} // namespace

int trainVerb(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli train [options]\n\nTrains a model and writes the best one so far (atomically)\n"
                   "whenever an epoch improves on it. Prints one JSON line per epoch and a summary line.\n"
                   "With --resume FILE it continues that model (its family, sizes and data set), picking up\n"
                   "the optimiser's state the file keeps.\n\nData sets:\n" + DatasetLoader::specHelp(),
                   {{"dataset", "SPEC", DatasetLoader::defaultSpec(), "data set to train on (with --resume: the model's)"},
                    {"arch", "NAME", ModelRegistry::families().front().name, "model family: " + ModelRegistry::names()},
                    {"latent", "N", "20", "latent dimensions (rvae: the content part; its code adds angle, dx, dy)"},
                    {"rotation-prior", "DEG", "57.3", "rvae: the width of the angle's prior N(0, s^2), in degrees"},
                    {"translation-prior", "F", "0.1", "rvae: the width of the shift's prior, in half-widths of the image"},
                    {"pixel-sample", "N", "rvae: 256", "train the decoder on N random pixels of each image per step, 0 for all"},
                    {"angle-consistency", "W", "rvae: 100", "weight of the term that makes the angle latent turn with the image"},
                    {"corrupt", "SPEC", "none", "denoising: the input suffers mask:P, gaussian:SIGMA or salt-pepper:FRACTION, drawn per batch; colourising: grey (the encoder takes the luminance); the target stays clean"},
                    {"debias", "ALPHA", "", "debiased sampling (DB-VAE): each epoch draws images weighted by 1/(latent density + ALPHA), rare ones more often (try 0.001)"},
                    {"hidden", "LIST", "", "MLP hidden widths or conv channels, comma separated (default 400; conv 32,64,...)"},
                    {"likelihood", "NAME", "bernoulli", "bernoulli (BCE), gaussian (MSE) or laplace (L1); or ssim (1 - SSIM: not a likelihood)"},
                    {"recon", "NAME", "", "the reconstruction term: the same as --likelihood"},
                    {"recon-weight", "W", "1; vaegan: 0.01", "ssim: the term is W x (1 - SSIM) x the pixel count; vaegan: the weight of the feature error against the GAN loss in the decoder's"},
                    {"beta", "B", "1", "weight of the KL term"},
                    {"kl-warmup", "N", "0", "the KL weight rises from 0 to beta over the model's first N epochs"},
                    {"autoencoder", "", "", "a plain deterministic autoencoder (baseline) instead of a VAE"},
                    {"conditional", "", "", "a conditional VAE: encoder and decoder also take the label"},
                    {"image-size", "PX", "28", "side that folder images are resized to"},
                    {"channels", "1|3", "1", "grey or colour, for folder images"},
                    {"resume", "FILE", "", "continue training this model file"},
                    {"epochs", "N", "10", "epochs to train (more epochs, with --resume; rvae: 30 unless given)"},
                    {"time-budget", "S", "", "stop after the epoch that brings the training time to S seconds (--epochs, if given, stays the limit)"},
                    {"batch", "N", "128", "batch size (with --resume: the model's; rvae: 32, vaegan: 64 unless given)"},
                    {"lr", "RATE", "1e-3", "Adam learning rate (with --resume: the model's; vaegan: 3e-4 unless given)"},
                    {"seed", "N", "1", "random seed (weights, shuffling, sampling; with --resume: the new epochs' shuffling)"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"},
                    {"device", "auto|cpu|cuda", "auto", "where to train"},
                    {"out", "FILE", "model.latentlab", "model file to write (with --resume: that file unless given)"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;

    TrainingRequest request;
    request.resumePath = cl.value("resume");
    const bool resuming = !request.resumePath.empty();
    request.datasetSpec = resuming && !cl.has("dataset") ? std::string() : cl.value("dataset");
    request.datasetOptions.imageSize = cl.intValue("image-size", 4, 1024);
    request.datasetOptions.channels = cl.intValue("channels", 1, 3);
    ModelConfig& mc = request.model;
    mc.architecture = cl.value("arch");
    mc.variational = !cl.has("autoencoder");
    const ModelFamily& family = ModelRegistry::find(mc.architecture);
    mc.latentDim = cl.intValue("latent", 1, 4096) + family.poseSize;
    mc.rotationPrior = cl.doubleValue("rotation-prior", 1e-3, 360) * M_PI / 180;
    mc.translationPrior = cl.doubleValue("translation-prior", 1e-4, 1);
    mc.likelihood = likelihoodFromString(cl.value(cl.has("recon") ? "recon" : "likelihood"));
    mc.reconWeight = cl.has("recon-weight") ? cl.doubleValue("recon-weight", 1e-6, ModelConfig::kMaxReconWeight)
                                            : family.defaultReconWeight;
    // SSIM compares whole images: no pixel sampling unless asked (and then refused).
    mc.pixelSample = cl.has("pixel-sample") ? cl.intValue("pixel-sample", 0, ModelConfig::kMaxPixelSample)
                     : mc.likelihood == Likelihood::Ssim ? 0
                                                         : family.defaultPixelSample;
    mc.angleConsistency = cl.has("angle-consistency")
                              ? cl.doubleValue("angle-consistency", 0, ModelConfig::kMaxAngleConsistency)
                              : family.defaultAngleConsistency;
    mc.hidden = parseIntList(cl.value("hidden"), "hidden");
    mc.corruption = Corruption::parse(cl.value("corrupt"));
    mc.beta = cl.doubleValue("beta", 0, 1e6);
    request.conditional = cl.has("conditional");
    TrainingConfig& tc = request.training;
    tc.timeBudgetSeconds = cl.has("time-budget") ? cl.doubleValue("time-budget", 1e-3, 1e9) : 0;
    // A time budget alone sets the length; with --epochs as well, whichever comes first.
    tc.epochs = cl.has("epochs") || (family.defaultEpochs == 0 && !cl.has("time-budget"))
                    ? cl.intValue("epochs", 1, 100000)
                : cl.has("time-budget") ? 100000
                                        : family.defaultEpochs;
    tc.klWarmupEpochs = cl.intValue("kl-warmup", 0, 100000);
    tc.debias = cl.has("debias") ? cl.doubleValue("debias", 0, LatentDensity::kMaxAlpha) : -1;
    // Continuing keeps the model's batch size and learning rate unless they are given.
    tc.batchSize = resuming && !cl.has("batch") ? 0
                   : cl.has("batch") || family.defaultBatchSize == 0 ? cl.intValue("batch", 1, 65536)
                                                                     : family.defaultBatchSize;
    tc.learningRate = resuming && !cl.has("lr")                        ? 0
                      : cl.has("lr") || family.defaultLearningRate == 0 ? cl.doubleValue("lr", 1e-12, 1e6)
                                                                        : family.defaultLearningRate;
    tc.seed = static_cast<unsigned long long>(cl.intValue("seed", 0, kMaxSeed));
    tc.threads = cl.intValue("threads", 0, maxThreadCount());
    tc.device = cl.value("device");
    request.savePath = resuming && !cl.has("out") ? request.resumePath : cl.value("out");

    TerminalProgress faces("finding faces", "images/s");
    request.datasetOptions.progress = [&](std::size_t done, std::size_t total) { faces.update(done, total); };
    TrainingJob job(request);
    std::signal(SIGINT, [](int) { interrupted = true; });
    TrainingEvents events;
    events.note = [&](const std::string& text) {
        faces.finish();
        std::cerr << text << "\n";
    };
    TerminalProgress bar("training", "batches/s");
    events.progress = [&](const TrainingProgress& p) {
        if (interrupted)
            job.requestCancel();
        if (p.epochDone) {
            bar.finish(); // the epoch's JSON line, then the bar again
            printLine(epochJson(p));
        } else {
            bar.update(std::size_t(p.epoch - 1) * std::size_t(p.batches) + std::size_t(p.batch),
                       std::size_t(p.epochs) * std::size_t(p.batches));
        }
    };
    const TrainingJobResult result = job.run(events);
    bar.finish();

    const ModelInfo& info = result.best->info();
    double trainSeconds = 0;
    for (const EpochRecord& r : info.history)
        trainSeconds += r.seconds;
    json summary = {{"epochs", result.epochsDone}, {"train_seconds", trainSeconds},
                    {"device", result.best->device()}, {"threads", Device::threadCount()},
                    {"outcome", toString(result.outcome)}};
    summary["best_epoch"] = info.history.empty() ? json(nullptr) : json(info.history.back().epoch);
    summary["test_loss"] = info.history.empty() ? json(nullptr) : json(info.history.back().testLoss);
    summary["model"] = result.saved ? json(request.savePath) : json(nullptr);
    printLine(summary);
    if (result.outcome != TrainingOutcome::Finished) {
        std::cerr << "latentlab-cli: " << result.message;
        // Where the user's file stands: a diverged or cancelled run never writes a worse one.
        if (!request.savePath.empty())
            std::cerr << (result.saved ? "; " + request.savePath + " holds the best epoch before that"
                                       : "; " + request.savePath + " was not written");
        std::cerr << "\n";
        return result.outcome == TrainingOutcome::Cancelled ? 130 : 3;
    }
    return 0;
}

} // namespace latentlab::cli
