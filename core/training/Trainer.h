#pragma once
// Trains a Model on a Dataset. Blocking: run it in a worker thread; cancel and
// pause from any other thread, they act between steps. Torch-free header.
#include <functional>
#include <memory>
#include <string>

#include "core/data/Dataset.h"
#include "core/model/Model.h"
#include "core/training/TrainingControl.h"

namespace latentlab {

struct TrainingConfig {
    int epochs = 10;
    int batchSize = 128;
    double learningRate = 1e-3;
    unsigned long long seed = 1;
    int threads = 0;                 // 0: all cores
    std::string device = "auto";     // auto, cpu or cuda
};

struct TrainingProgress {
    int epoch = 0;                   // 1-based
    int epochs = 0;
    int batch = 0;                   // batches done in this epoch
    int batches = 0;
    double loss = 0;                 // this epoch so far, per image
    double recon = 0;
    double kl = 0;
    double imagesPerSecond = 0;
    bool epochDone = false;          // `record` is filled, test loss included
    EpochRecord record;
};

enum class TrainingOutcome { Finished, Cancelled, Diverged };
// "finished", "cancelled" or "diverged": the CLI's summary and the window's messages.
std::string toString(TrainingOutcome outcome);

struct TrainingResult {
    TrainingOutcome outcome = TrainingOutcome::Finished;
    int epochsDone = 0;
    std::string message;             // why it stopped, for the user
};

class Trainer {
public:
    using ProgressCallback = std::function<void(const TrainingProgress&)>;

    // `control` lets another object (a TrainingJob) cancel and pause; by default its own.
    Trainer(Model& model, const Dataset& train, const Dataset& test, TrainingConfig config,
            std::shared_ptr<TrainingControl> control = std::make_shared<TrainingControl>());

    void setProgressCallback(ProgressCallback callback) { progress_ = std::move(callback); }

    // Trains `epochs` more epochs, appending to the model's history and continuing from
    // the optimiser state the model carries (saved in its file), if any. Batches and noise
    // come from a generator of its own, seeded from the seed and the first epoch: nothing
    // else in the process disturbs them. Throws latentlab::Error on bad settings or data
    // that does not fit. On a NaN or infinite loss it restores the weights (and optimiser
    // state) of the last finished epoch and returns Diverged.
    TrainingResult run();

    void requestCancel() { control_->requestCancel(); }
    void setPaused(bool paused) { control_->setPaused(paused); }
    bool isPaused() const { return control_->isPaused(); }

private:
    Model& model_;
    const Dataset& train_;
    const Dataset& test_;
    TrainingConfig config_;
    ProgressCallback progress_;
    std::shared_ptr<TrainingControl> control_;
};

} // namespace latentlab
