#pragma once
// One training run as the CLI and the window both do it: load the data set, fit the
// model's config to it (or continue a model), train, keep the best epoch by test loss and
// write it whenever an epoch improves on it, so that the file always holds the best. Blocking: the window
// runs it in a worker thread (ui/TrainingWorker), the CLI in its main thread. Cancel and
// pause from any thread, before or during run(). Torch-free header.
#include <functional>
#include <memory>
#include <string>

#include "core/data/DatasetLoader.h"
#include "core/model/Model.h"
#include "core/training/Trainer.h"
#include "core/training/TrainingControl.h"

namespace latentlab {

struct TrainingRequest {
    std::string datasetSpec = DatasetLoader::defaultSpec(); // empty when continuing: the model's
    DatasetOptions datasetOptions;
    ModelConfig model;               // its image shape and classes follow the data set
    bool conditional = false;        // a conditional VAE on the data set's labels
    TrainingConfig training;         // continuing: a batch size or learning rate of 0 keeps the model's
    std::string savePath;            // the best model so far, rewritten (atomically) as it improves
    std::string resumePath;          // continue the model in this file instead of a new one
    int snapshotEveryBatches = 100;  // > 0: TrainingEvents::snapshot that often, and after every epoch
};

struct TrainingEvents {
    // All are called in run()'s thread, between two steps (the weights are consistent).
    std::function<void(std::shared_ptr<const DatasetSplit>)> datasetLoaded;
    std::function<void(const Model&)> started;                              // before the first step
    std::function<void(const TrainingProgress&)> progress;                  // every batch and epoch
    std::function<void(const Model&)> snapshot;                             // see snapshotEveryBatches
    std::function<void(const std::string&)> note;                           // something the user should know
};

struct TrainingJobResult {
    TrainingOutcome outcome = TrainingOutcome::Finished;
    int epochsDone = 0;                  // in this run
    std::string message;                 // why it stopped, for the user
    // By test loss: the model itself if no epoch finished; a continued model until an
    // epoch beats its last test loss.
    std::shared_ptr<Model> best;
    bool saved = false;                  // this run wrote `best` to savePath
};

class TrainingJob {
public:
    explicit TrainingJob(TrainingRequest request);

    // Optional, before run(): data already loaded (the window's), and a model to continue
    // (the window's open model) instead of a new one or request.resumePath.
    void setData(std::shared_ptr<const DatasetSplit> data) { data_ = std::move(data); }
    void setStartModel(std::unique_ptr<Model> model) { startModel_ = std::move(model); }

    // Throws latentlab::Error for a data set or model that cannot be trained; outcomes
    // (finished, cancelled, diverged) are returned.
    TrainingJobResult run(const TrainingEvents& events = {});

    void requestCancel() { control_->requestCancel(); }
    void setPaused(bool paused) { control_->setPaused(paused); }
    bool isPaused() const { return control_->isPaused(); }

    const TrainingRequest& request() const { return request_; }

    // The config a new model gets for this data set: image shape, and classes when conditional.
    static ModelConfig fitToData(ModelConfig config, const Dataset& train, bool conditional, const std::string& spec);

private:
    TrainingRequest request_;
    std::shared_ptr<const DatasetSplit> data_;
    std::unique_ptr<Model> startModel_;
    std::shared_ptr<TrainingControl> control_ = std::make_shared<TrainingControl>();
};

} // namespace latentlab
