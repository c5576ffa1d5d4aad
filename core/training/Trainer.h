#pragma once
// Trains a Model on a Dataset. Blocking: run it in a worker thread; cancel and
// pause from any other thread, they act between steps. Torch-free header.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "core/data/Dataset.h"
#include "core/model/Model.h"

namespace latentlab {

struct TrainingConfig {
    int epochs = 10;
    int batchSize = 128;
    double learningRate = 1e-3;
    unsigned long long seed = 1;
    int threads = 0;                 // 0: all cores
    std::string device = "auto";     // auto, cpu or cuda
    std::string checkpointPath;      // written after every epoch when set
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

struct TrainingResult {
    TrainingOutcome outcome = TrainingOutcome::Finished;
    int epochsDone = 0;
    std::string message;             // why it stopped, for the user
};

class Trainer {
public:
    using ProgressCallback = std::function<void(const TrainingProgress&)>;

    Trainer(Model& model, const Dataset& train, const Dataset& test, TrainingConfig config);

    void setProgressCallback(ProgressCallback callback) { progress_ = std::move(callback); }

    // Trains `epochs` more epochs, appending to the model's history. Throws latentlab::Error
    // on bad settings or data that does not fit. On a NaN or infinite loss it restores the
    // weights of the last finished epoch and returns Diverged.
    TrainingResult run();

    void requestCancel();
    void setPaused(bool paused);
    bool isPaused() const { return paused_; }

private:
    bool waitWhilePaused(); // false when cancelled

    Model& model_;
    const Dataset& train_;
    const Dataset& test_;
    TrainingConfig config_;
    ProgressCallback progress_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> paused_{false};
    std::mutex pauseMutex_;
    std::condition_variable pauseChanged_;
};

} // namespace latentlab
