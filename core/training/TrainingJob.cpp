#include "core/training/TrainingJob.h"

#include <cmath>

#include "core/base/Error.h"
#include "core/formats/ModelFile.h"
#include "models/ModelRegistry.h"

namespace latentlab {

TrainingJob::TrainingJob(TrainingRequest request) : request_(std::move(request)) {}

ModelConfig TrainingJob::fitToData(ModelConfig config, const Dataset& train, bool conditional, const std::string& spec)
{
    config.channels = train.shape().channels;
    config.height = train.shape().height;
    config.width = train.shape().width;
    config.conditionClasses = 0;
    if (conditional) {
        if (!train.hasLabels())
            throw Error(spec + " has no labels to condition on: a conditional VAE needs a labelled data set");
        config.conditionClasses = int(train.classNames().size());
    }
    ModelRegistry::validate(config);
    return config;
}

TrainingJobResult TrainingJob::run(const TrainingEvents& events)
{
    const auto note = [&](const std::string& text) {
        if (events.note)
            events.note(text);
    };
    std::unique_ptr<Model> model = std::move(startModel_);
    if (!model && !request_.resumePath.empty())
        model = ModelFile::load(request_.resumePath);
    const bool continuing = model != nullptr;
    if (continuing && !model->info().importedFrom.empty())
        throw Error(model->info().importedFrom + ": a TorchScript model is explored, not trained, by LatentLab (its "
                    "objective and optimiser live in the Python that made it); train it further there and open it again");

    // The settings first, before a data set is loaded: 0 keeps a continued model's own.
    TrainingConfig settings = request_.training;
    const bool ownBatch = continuing && settings.batchSize == 0, ownRate = continuing && settings.learningRate == 0;
    if (ownBatch)
        settings.batchSize = model->info().batchSize;
    if (ownRate)
        settings.learningRate = model->info().learningRate;
    if (!continuing && settings.learningRate == 0)
        throw Error("the learning rate must be a finite number above 0, not 0 (0 keeps the model's own only when continuing)");
    try {
        Trainer::validate(settings);
    } catch (const Error& e) {
        if (ownBatch || ownRate)
            throw Error(std::string(e.what()) + " (the model file's own setting: give one)");
        throw;
    }

    if (!data_) {
        std::string spec = request_.datasetSpec;
        DatasetOptions options = request_.datasetOptions;
        if (continuing) { // the model's own data set, at the model's image size
            if (spec.empty()) {
                // A recorded spec is the file's suggestion: loaded unasked only when bounded.
                spec = model->info().datasetSpec;
                std::string why;
                if (!spec.empty() && !DatasetLoader::isSafeToLoadUnasked(spec, &why))
                    throw Error("the model records the data set '" + spec + "', which is not loaded without asking: " + why
                                + "; give it (or another) explicitly to continue training on it");
            }
            if (spec.empty())
                throw Error("the model does not record its data set; give one to continue training on");
            options.imageSize = model->config().height;
            options.channels = model->config().channels;
        }
        data_ = std::make_shared<const DatasetSplit>(DatasetLoader::load(spec, options));
    }
    if (!data_->report.empty())
        note(data_->report);
    if (events.datasetLoaded)
        events.datasetLoaded(data_);

    if (!continuing) {
        model = std::make_unique<Model>(fitToData(request_.model, data_->train, request_.conditional, data_->spec),
                                        request_.training.seed);
        model->info().datasetSpec = data_->spec;
        model->info().classNames = data_->train.classNames();
    } else if (!model->hasOptimizerState() && !model->info().history.empty()) {
        note("the model file holds no optimiser state (an older file): training continues from its weights "
             "with a fresh optimiser");
    }
    if (events.started)
        events.started(*model);

    // Epochs are compared by the objective the model trains on, measured on the test set:
    // recon + beta * KL. (By the negative ELBO, beta = 1, a model of beta 0.02 kept its first
    // epoch: its KL grows as its reconstructions improve.)
    const double beta = model->config().beta;
    const bool keepsNewest = ModelRegistry::find(model->config().architecture).keepsNewestEpoch;
    const auto testObjective = [beta](const EpochRecord& r) { return r.testRecon + beta * r.testKl; };
    // A continued model is the best so far until an epoch beats its last test objective:
    // its file is never replaced by a worse one.
    std::shared_ptr<Model> best;
    double bestLoss = 0;
    if (continuing && !model->info().history.empty()) {
        best = std::shared_ptr<Model>(model->clone());
        bestLoss = testObjective(model->info().history.back());
    }
    bool wroteBest = false;
    int batchesSinceSnapshot = 0;
    Trainer trainer(settings, control_);
    trainer.setProgressCallback([&](const TrainingProgress& p) {
        if (p.epochDone) {
            // The file always holds the best model so far: a crash or a later, worse
            // epoch never costs the user a good model.
            const double loss = testObjective(p.record);
            if (std::isfinite(loss) && (!best || keepsNewest || loss < bestLoss)) {
                best = std::shared_ptr<Model>(model->clone());
                bestLoss = loss;
                if (!request_.savePath.empty()) {
                    ModelFile::save(*best, request_.savePath);
                    wroteBest = true;
                }
            }
        }
        if (events.progress)
            events.progress(p);
        const int every = request_.snapshotEveryBatches;
        // A step may have left non-finite weights that the next batch's loss will show:
        // nobody gets to draw those.
        if (events.snapshot && every > 0 && (p.epochDone || ++batchesSinceSnapshot >= every)
            && Trainer::hasFiniteWeights(*model)) {
            events.snapshot(*model);
            batchesSinceSnapshot = 0;
        }
    });
    const TrainingResult trained = trainer.run(*model, data_->train, data_->test);

    TrainingJobResult result;
    result.outcome = trained.outcome;
    result.epochsDone = trained.epochsDone;
    result.message = trained.message;
    result.saved = wroteBest;
    // Stopped inside the first epoch: what there is (not saved).
    result.best = best ? std::move(best) : std::shared_ptr<Model>(std::move(model));
    return result;
}

} // namespace latentlab
