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
    // KL warm-up (Bowman et al. 2016): the KL weight rises linearly from 0 to beta over this
    // many epochs, counted from the model's first; 0 for none.
    int klWarmupEpochs = 0;
    // Debiased sampling (DB-VAE, Amini et al. 2019): >= 0 draws each epoch's images with
    // replacement, with weights from the latent density of the training codes under the
    // encoder as it stands (LatentDensity::debiasWeights with this alpha), so that rare
    // images are seen more often; < 0 (the default): every image once an epoch.
    double debias = -1;
    // > 0: stop after the first epoch that brings this run's training time (pauses and
    // test passes not counted) to this many seconds; `epochs` stays the upper bound.
    // Comparisons of model families at equal cost use it.
    double timeBudgetSeconds = 0;
};

struct TrainingProgress {
    int epoch = 0;                   // 1-based
    int epochs = 0;
    int batch = 0;                   // batches done in this epoch
    int batches = 0;
    double loss = 0;                 // this epoch so far, per image
    double recon = 0;
    double kl = 0;
    // The family's further terms (ModelFamily::lossTerms after recon and KL: the rVAE's
    // angle consistency, the VAE-GAN's discriminator and GAN losses), per image likewise.
    std::vector<double> extraTerms;
    std::vector<std::string> extraTermNames;
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

    static constexpr int kMaxEpochs = 1000000;
    static constexpr int kMaxBatchSize = 65536; // the window's spin box too
    static constexpr int kMaxThreads = 256;
    // Pixel values in one batch: 65536 28x28 images are 51 million, 5461 64x64 colour ones 67 million.
    static constexpr long long kMaxBatchValues = 1ll << 26;

    // `control` lets another object (a TrainingJob) cancel and pause; by default its own.
    explicit Trainer(TrainingConfig config,
                     std::shared_ptr<TrainingControl> control = std::make_shared<TrainingControl>());

    void setProgressCallback(ProgressCallback callback) { progress_ = std::move(callback); }

    // Throws latentlab::Error, with the bounds, for settings that cannot train: a learning
    // rate that is not a finite number above 0, a batch size, epochs or threads out of range.
    static void validate(const TrainingConfig& config);
    // False when a weight is NaN or infinite (what a diverged step leaves).
    static bool hasFiniteWeights(const Model& model);

    // Trains `model` `epochs` more epochs on `train`, testing on `test` after each,
    // appending to the model's history and continuing from the optimiser state the model
    // carries (saved in its file), if any. Nothing is kept after it returns: the
    // arguments need only outlive the call. Batches and noise come from a generator of
    // its own, seeded from the seed and the first epoch: nothing else in the process
    // disturbs them. Throws latentlab::Error on bad settings or data that does not fit.
    // On a NaN or infinite loss, weights or test loss it restores the weights (and
    // optimiser state) of the last finished epoch and returns Diverged: an epoch that
    // diverged is never recorded nor reported as done.
    TrainingResult run(Model& model, const Dataset& train, const Dataset& test);

    void requestCancel() { control_->requestCancel(); }
    void setPaused(bool paused) { control_->setPaused(paused); }
    bool isPaused() const { return control_->isPaused(); }

private:
    TrainingConfig config_;
    ProgressCallback progress_;
    std::shared_ptr<TrainingControl> control_;
};

} // namespace latentlab
