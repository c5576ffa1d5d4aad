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
#include "core/training/TrainingJob.h"
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
    CommandLine cl("Usage: latentlab-cli train [options]\n\nTrains a model and writes the best one so far (atomically)\n"
                   "whenever an epoch improves on it. Prints one JSON line per epoch and a summary line.\n"
                   "With --resume FILE it continues that model (its family, sizes and data set), picking up\n"
                   "the optimiser's state the file keeps.\n\nData sets:\n" + DatasetLoader::specHelp(),
                   {{"dataset", "SPEC", DatasetLoader::defaultSpec(), "data set to train on (with --resume: the model's)"},
                    {"arch", "NAME", ModelRegistry::families().front().name, "model family: " + ModelRegistry::names()},
                    {"latent", "N", "20", "latent dimensions"},
                    {"hidden", "LIST", "", "MLP hidden widths or conv channels, comma separated (default 400; conv 32,64,...)"},
                    {"likelihood", "NAME", "bernoulli", "bernoulli (BCE), gaussian (MSE) or laplace (L1)"},
                    {"beta", "B", "1", "weight of the KL term"},
                    {"autoencoder", "", "", "a plain deterministic autoencoder (baseline) instead of a VAE"},
                    {"conditional", "", "", "a conditional VAE: encoder and decoder also take the label"},
                    {"image-size", "PX", "28", "side that folder images are resized to"},
                    {"channels", "1|3", "1", "grey or colour, for folder images"},
                    {"resume", "FILE", "", "continue training this model file"},
                    {"epochs", "N", "10", "epochs to train (more epochs, with --resume)"},
                    {"batch", "N", "128", "batch size"},
                    {"lr", "RATE", "1e-3", "Adam learning rate"},
                    {"seed", "N", "1", "random seed (weights, shuffling, sampling)"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"},
                    {"device", "auto|cpu|cuda", "auto", "where to train"},
                    {"out", "FILE", "model.latentlab", "model file to write (with --resume: that file unless given)"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;

    TrainingRequest request;
    request.resumePath = cl.value("resume");
    const bool resuming = !request.resumePath.empty();
    request.datasetSpec = resuming && !cl.has("dataset") ? std::string() : cl.value("dataset");
    request.datasetOptions.imageSize = cl.intValue("image-size");
    request.datasetOptions.channels = cl.intValue("channels");
    ModelConfig& mc = request.model;
    mc.architecture = cl.value("arch");
    mc.variational = !cl.has("autoencoder");
    mc.latentDim = cl.intValue("latent");
    mc.hidden = cli::parseIntList(cl.value("hidden"), "hidden");
    mc.likelihood = likelihoodFromString(cl.value("likelihood"));
    mc.beta = cl.doubleValue("beta");
    request.conditional = cl.has("conditional");
    TrainingConfig& tc = request.training;
    tc.epochs = cl.intValue("epochs");
    tc.batchSize = cl.intValue("batch");
    tc.learningRate = cl.doubleValue("lr");
    tc.seed = static_cast<unsigned long long>(cl.intValue("seed"));
    tc.threads = cl.intValue("threads");
    tc.device = cl.value("device");
    request.savePath = resuming && !cl.has("out") ? request.resumePath : cl.value("out");

    TrainingJob job(request);
    std::signal(SIGINT, [](int) { interrupted = true; });
    TrainingEvents events;
    events.note = [](const std::string& text) { std::cerr << text << "\n"; };
    events.progress = [&](const TrainingProgress& p) {
        if (interrupted)
            job.requestCancel();
        if (p.epochDone)
            printLine(epochJson(p.record, p.imagesPerSecond));
    };
    const TrainingJobResult result = job.run(events);

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
