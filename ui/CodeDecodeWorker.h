#pragma once
// Decodes lists of latent codes off the GUI thread for the docks (inspector, morph,
// attributes). Each channel keeps only its newest pending job, and results carry the
// job's stamp so that a panel can drop what a newer request superseded.
#include <QImage>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <memory>
#include <vector>

#include "core/model/Model.h"

namespace latentlab {

class CodeDecodeWorker : public QThread {
    Q_OBJECT

public:
    explicit CodeDecodeWorker(QObject* parent = nullptr);
    ~CodeDecodeWorker() override;

    // Queues `codes` (count x latentDim) on `channel`, replacing its pending job. Returns the stamp.
    // `classes` matter to conditional models only: one per code, or one for all (empty: class 0).
    quint64 decode(const QString& channel, std::shared_ptr<const Model> model, std::vector<float> codes,
                   std::vector<int> classes = {});

Q_SIGNALS:
    void decoded(const QString& channel, quint64 stamp, const QList<QImage>& images);
    void failed(const QString& channel, const QString& message);

protected:
    void run() override;

private:
    struct Job {
        quint64 stamp = 0;
        std::shared_ptr<const Model> model;
        std::vector<float> codes;
        std::vector<int> classes;
    };
    QMutex mutex_;
    QWaitCondition condition_;
    QMap<QString, Job> pending_;
    quint64 nextStamp_ = 0;
    std::atomic<bool> abort_{false};
};

} // namespace latentlab
