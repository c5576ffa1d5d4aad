#pragma once
// Runs core's TrainingJob in its own thread and reports back through queued signals
// (progress at most 20 times a second, every epoch, and weight snapshots the latent map
// decodes from while training goes on). Everything else is the job's.
#include <QString>
#include <QThread>

#include <memory>

#include "core/training/TrainingJob.h"

namespace latentlab {

class TrainingWorker : public QThread {
    Q_OBJECT

public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override; // stops and waits: never leaves a half-written file

    // Starts training in the thread; ignored while one runs. `data` (already loaded) and
    // `startModel` (continue it rather than a new model) are optional.
    void train(const TrainingRequest& request, std::shared_ptr<const DatasetSplit> data = {},
               std::unique_ptr<Model> startModel = {});
    void setPaused(bool paused);
    bool isPaused() const;
    // Stops between two steps; `trainingFinished` follows with the best model so far.
    void stop();

Q_SIGNALS:
    void datasetLoaded(std::shared_ptr<const latentlab::DatasetSplit> data);
    void progress(const latentlab::TrainingProgress& progress);
    void epochFinished(const latentlab::EpochRecord& record);
    void snapshot(std::shared_ptr<const latentlab::Model> model);
    void note(const QString& text);
    // outcome: finished, cancelled or diverged; the model is the best by test loss;
    // `saved`: this run wrote it to the request's savePath.
    void trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<latentlab::Model> model,
                          bool saved);
    void failed(const QString& message);

protected:
    void run() override;

private:
    // Made on the GUI thread in train() and kept until the next train() or the
    // destructor, both of which find the thread stopped: stop() and setPaused() never
    // see it destroyed under them.
    std::unique_ptr<TrainingJob> job_;
};

} // namespace latentlab

Q_DECLARE_METATYPE(latentlab::TrainingProgress)
Q_DECLARE_METATYPE(latentlab::EpochRecord)
Q_DECLARE_METATYPE(std::shared_ptr<const latentlab::Model>)
Q_DECLARE_METATYPE(std::shared_ptr<latentlab::Model>)
Q_DECLARE_METATYPE(std::shared_ptr<const latentlab::DatasetSplit>)
