#include "ui/TrainingWorker.h"

#include <QElapsedTimer>

#include "core/base/Error.h"
#include "core/formats/ModelFile.h"

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

void TrainingWorker::train(const TrainingRequest& request)
{
    if (isRunning())
        return;
    request_ = request;
    stopRequested_ = false;
    paused_ = false;
    start(QThread::LowPriority); // the GUI thread comes first
}

void TrainingWorker::setPaused(bool paused)
{
    paused_ = paused;
    if (Trainer* trainer = trainer_)
        trainer->setPaused(paused);
}

void TrainingWorker::stop()
{
    stopRequested_ = true;
    if (Trainer* trainer = trainer_)
        trainer->requestCancel();
}

void TrainingWorker::run()
{
    try {
        auto data = std::make_shared<const DatasetSplit>(DatasetLoader::load(request_.datasetSpec, request_.datasetOptions));
        Q_EMIT datasetLoaded(data);
        ModelConfig config = request_.model;
        config.channels = data->train.shape().channels;
        config.height = data->train.shape().height;
        config.width = data->train.shape().width;
        if (request_.conditional) {
            if (!data->train.hasLabels())
                throw Error(data->spec + " has no labels to condition on: a conditional VAE needs a labelled data set");
            config.conditionClasses = int(data->train.classNames().size());
        }
        auto model = std::make_shared<Model>(config, request_.training.seed);
        model->info().datasetSpec = data->spec;
        model->info().classNames = data->train.classNames();
        Q_EMIT snapshot(std::shared_ptr<const Model>(model->clone()));

        TrainingConfig training = request_.training;
        training.checkpointPath = request_.savePath;
        Trainer trainer(*model, data->train, data->test, training);
        std::shared_ptr<Model> best;
        double bestLoss = 0;
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        int batchesSinceSnapshot = 0;
        trainer.setProgressCallback([&](const TrainingProgress& p) {
            // Runs in this thread between two steps: the weights are consistent here.
            if (p.epochDone) {
                Q_EMIT progress(p);
                Q_EMIT epochFinished(p.record);
                if (!best || p.record.testLoss < bestLoss) {
                    best = std::shared_ptr<Model>(model->clone());
                    bestLoss = p.record.testLoss;
                }
                Q_EMIT snapshot(std::shared_ptr<const Model>(model->clone()));
                batchesSinceSnapshot = 0;
                return;
            }
            if (sinceProgress.elapsed() >= 50 || p.batch == p.batches) {
                Q_EMIT progress(p);
                sinceProgress.restart();
            }
            if (request_.snapshotEveryBatches > 0 && ++batchesSinceSnapshot >= request_.snapshotEveryBatches) {
                Q_EMIT snapshot(std::shared_ptr<const Model>(model->clone()));
                batchesSinceSnapshot = 0;
            }
        });
        trainer_ = &trainer;
        trainer.setPaused(paused_); // asked before the trainer existed
        if (stopRequested_)
            trainer.requestCancel();
        const TrainingResult result = trainer.run();
        trainer_ = nullptr;

        if (!best) // stopped inside the first epoch: what there is
            best = model;
        if (!request_.savePath.empty() && !best->info().history.empty())
            ModelFile::save(*best, request_.savePath); // the best, not merely the last
        const QString outcome = result.outcome == TrainingOutcome::Finished ? "finished"
                                : result.outcome == TrainingOutcome::Cancelled ? "stopped" : "diverged";
        Q_EMIT trainingFinished(outcome, QString::fromStdString(result.message), best);
    } catch (const std::exception& e) {
        trainer_ = nullptr;
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

} // namespace latentlab
