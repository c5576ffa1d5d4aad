#include "ui/DecodeWorker.h"

#include <QElapsedTimer>

#include "core/latent/LatentGrid.h"
#include "ui/ImageConversion.h"

namespace latentlab {

DecodeWorker::DecodeWorker(QObject* parent) : QThread(parent) {}

DecodeWorker::~DecodeWorker()
{
    {
        QMutexLocker locker(&mutex_);
        abort_ = true;
        condition_.wakeOne();
    }
    wait();
}

void DecodeWorker::render(MapRequest request)
{
    QMutexLocker locker(&mutex_);
    pending_ = std::move(request);
    if (!isRunning())
        start(QThread::NormalPriority);
    else
        condition_.wakeOne();
}

void DecodeWorker::run()
{
    for (;;) {
        MapRequest request;
        {
            QMutexLocker locker(&mutex_);
            while (!pending_ && !abort_)
                condition_.wait(&mutex_);
            if (abort_)
                return;
            request = std::move(*pending_);
            pending_.reset();
        }
        try {
            QElapsedTimer timer;
            timer.start();
            const ViewMapping mapping(request.range, request.spacing, 1, 1);
            const Image grid = LatentGrid::render(*request.model, request.plane, mapping, request.tiles,
                                                  request.tiles, 0, // seamless, like the classic manifold figure
                                                  request.conditionClass);
            const double ms = double(timer.nsecsElapsed()) / 1e6;
            if (!abort_)
                Q_EMIT frameReady(ImageConversion::toQImage(grid), request.stamp, ms);
        } catch (const std::exception& e) {
            Q_EMIT failed(QString::fromUtf8(e.what()), request.stamp);
        }
    }
}

} // namespace latentlab
