#pragma once
// Runs core's Trainer in its own thread: loads the data set, trains, and reports
// back through queued signals (progress at most 20 times a second, every epoch, and
// weight snapshots the latent map decodes from while training goes on).
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

#include "core/data/DatasetLoader.h"
#include "core/training/Trainer.h"

namespace latentlab {

struct TrainingRequest {
    std::string datasetSpec = DatasetLoader::defaultSpec();
    DatasetOptions datasetOptions;
    ModelConfig model;
    bool conditional = false;        // a conditional VAE on the data set's labels
    TrainingConfig training;
    int snapshotEveryBatches = 100;  // map refreshes at least once per epoch too
    std::string savePath;            // checkpoint each epoch; the best model at the end
};

class TrainingWorker : public QThread {
    Q_OBJECT

public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override; // stops and waits: never leaves a half-written file

    // Starts training in the thread; ignored while one runs.
    void train(const TrainingRequest& request);
    void setPaused(bool paused);
    bool isPaused() const { return paused_; }
    // Stops between two steps; `finished` follows with the best model so far.
    void stop();

Q_SIGNALS:
    void datasetLoaded(std::shared_ptr<const latentlab::DatasetSplit> data);
    void progress(const latentlab::TrainingProgress& progress);
    void epochFinished(const latentlab::EpochRecord& record);
    void snapshot(std::shared_ptr<const latentlab::Model> model);
    // outcome: finished, stopped or diverged; the model is the best by test loss.
    void trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<latentlab::Model> model);
    void failed(const QString& message);

protected:
    void run() override;

private:
    TrainingRequest request_;
    std::atomic<Trainer*> trainer_{nullptr};
    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> paused_{false};
};

} // namespace latentlab

Q_DECLARE_METATYPE(latentlab::TrainingProgress)
Q_DECLARE_METATYPE(latentlab::EpochRecord)
Q_DECLARE_METATYPE(std::shared_ptr<const latentlab::Model>)
Q_DECLARE_METATYPE(std::shared_ptr<latentlab::Model>)
Q_DECLARE_METATYPE(std::shared_ptr<const latentlab::DatasetSplit>)
