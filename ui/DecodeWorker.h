#pragma once
// Decodes latent-map frames off the GUI thread. Modelled on Qt's Mandelbrot
// RenderThread: one thread, only the newest pending request counts, a request that
// arrives mid-frame restarts the loop, and destruction aborts.
#include <QImage>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <optional>

#include "ui/MapRequest.h"

namespace latentlab {

class DecodeWorker : public QThread {
    Q_OBJECT

public:
    explicit DecodeWorker(QObject* parent = nullptr);
    ~DecodeWorker() override;

    // Queues the request, replacing any that has not started yet.
    void render(MapRequest request);

Q_SIGNALS:
    // `image` owns its pixels; `stamp` is the request's; `milliseconds` the decode time.
    void frameReady(const QImage& image, quint64 stamp, double milliseconds);
    void failed(const QString& message, quint64 stamp);

protected:
    void run() override;

private:
    QMutex mutex_;
    QWaitCondition condition_;
    std::optional<MapRequest> pending_;
    std::atomic<bool> abort_{false};
};

} // namespace latentlab
