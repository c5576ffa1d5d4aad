#include "ui/CodeDecodeWorker.h"

#include "ui/ImageConversion.h"

namespace latentlab {

CodeDecodeWorker::CodeDecodeWorker(QObject* parent) : QThread(parent) {}

CodeDecodeWorker::~CodeDecodeWorker()
{
    {
        QMutexLocker locker(&mutex_);
        abort_ = true;
        condition_.wakeOne();
    }
    wait();
}

quint64 CodeDecodeWorker::decode(const QString& channel, std::shared_ptr<const Model> model, std::vector<float> codes,
                                 std::vector<int> classes)
{
    QMutexLocker locker(&mutex_);
    const quint64 stamp = ++nextStamp_;
    pending_.insert(channel, Job{stamp, std::move(model), std::move(codes), std::move(classes)});
    if (!isRunning())
        start();
    else
        condition_.wakeOne();
    return stamp;
}

void CodeDecodeWorker::run()
{
    for (;;) {
        QString channel;
        Job job;
        {
            QMutexLocker locker(&mutex_);
            while (pending_.isEmpty() && !abort_)
                condition_.wait(&mutex_);
            if (abort_)
                return;
            // The oldest request first, so that no channel starves another.
            auto oldest = pending_.begin();
            for (auto it = pending_.begin(); it != pending_.end(); ++it)
                if (it->stamp < oldest->stamp)
                    oldest = it;
            channel = oldest.key();
            job = std::move(oldest.value());
            pending_.erase(oldest);
        }
        try {
            QList<QImage> images;
            for (const Image& image : job.model->decodeImages(job.codes, job.classes))
                images.append(ImageConversion::toQImage(image));
            if (!abort_)
                Q_EMIT decoded(channel, job.stamp, images);
        } catch (const std::exception& e) {
            Q_EMIT failed(channel, QString::fromUtf8(e.what()));
        }
    }
}

} // namespace latentlab
