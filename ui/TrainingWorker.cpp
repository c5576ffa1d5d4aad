#include "ui/TrainingWorker.h"

#include <QElapsedTimer>

namespace latentlab {

TrainingWorker::TrainingWorker(QObject* parent) : QThread(parent)
{
    qRegisterMetaType<TrainingProgress>();
    qRegisterMetaType<EpochRecord>();
    qRegisterMetaType<std::shared_ptr<const Model>>();
    qRegisterMetaType<std::shared_ptr<Model>>();
    qRegisterMetaType<std::shared_ptr<const DatasetSplit>>();
}

TrainingWorker::~TrainingWorker()
{
    stop();
    wait();
}

void TrainingWorker::train(const TrainingRequest& request, std::shared_ptr<const DatasetSplit> data,
                           std::unique_ptr<Model> startModel)
{
    if (isRunning())
        return;
    job_ = std::make_unique<TrainingJob>(request);
    if (data)
        job_->setData(std::move(data));
    if (startModel)
        job_->setStartModel(std::move(startModel));
    start(QThread::LowPriority); // the GUI thread comes first
}

void TrainingWorker::setPaused(bool paused)
{
    if (job_)
        job_->setPaused(paused);
}

bool TrainingWorker::isPaused() const
{
    return job_ && job_->isPaused();
}

void TrainingWorker::stop()
{
    if (job_)
        job_->requestCancel();
}

void TrainingWorker::run()
{
    try {
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        TrainingEvents events;
        events.datasetLoaded = [this](std::shared_ptr<const DatasetSplit> data) { Q_EMIT datasetLoaded(std::move(data)); };
        events.started = [this](const Model& model) { Q_EMIT snapshot(std::shared_ptr<const Model>(model.clone())); };
        events.snapshot = events.started;
        events.note = [this](const std::string& text) { Q_EMIT note(QString::fromStdString(text)); };
        events.progress = [&](const TrainingProgress& p) {
            if (p.epochDone) {
                Q_EMIT progress(p);
                Q_EMIT epochFinished(p.record);
            } else if (sinceProgress.elapsed() >= 50 || p.batch == p.batches) {
                Q_EMIT progress(p);
                sinceProgress.restart();
            }
        };
        const TrainingJobResult result = job_->run(events);
        Q_EMIT trainingFinished(QString::fromStdString(toString(result.outcome)),
                                QString::fromStdString(result.message), result.best, result.saved);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

} // namespace latentlab
