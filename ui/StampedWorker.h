#pragma once
// One background thread that computes Jobs into Results, after Qt's Mandelbrot
// RenderThread: each channel keeps only its newest pending job (an older one that has
// not started is replaced), every result or error carries the stamp submit() returned,
// and destruction aborts and waits. Results reach the GUI thread as queued calls on
// the worker's own GUI-thread post box, which drops them when the job's receiver is
// gone (checked on the GUI thread, where the receiver dies).
//
// A class template cannot carry Q_OBJECT, hence the per-job callbacks instead of
// signals; they run on the receiver's thread.
#include <QMap>
#include <QMetaObject>
#include <QMutex>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace latentlab {

template <typename Job, typename Result>
class StampedWorker : public QThread {
public:
    using Compute = std::function<Result(const Job&)>;
    using OnResult = std::function<void(quint64 stamp, const Result& result)>;
    using OnError = std::function<void(quint64 stamp, const QString& message)>;

    // Construct on the GUI thread: results are delivered on the constructing thread.
    explicit StampedWorker(Compute compute) : compute_(std::move(compute)), postBox_(std::make_unique<QObject>()) {}

    ~StampedWorker() override
    {
        {
            QMutexLocker locker(&mutex_);
            abort_ = true;
            condition_.wakeOne();
        }
        wait();
    }

    StampedWorker(const StampedWorker&) = delete;
    StampedWorker& operator=(const StampedWorker&) = delete;

    // Queues `job` on `channel`, replacing the channel's pending job. Returns its stamp;
    // stamps grow across all channels. `receiver` must live on the GUI thread.
    quint64 submit(const QString& channel, Job job, QObject* receiver, OnResult onResult, OnError onError)
    {
        QMutexLocker locker(&mutex_);
        const quint64 stamp = ++nextStamp_;
        pending_.insert(channel, Pending{stamp, std::move(job), receiver, std::move(onResult), std::move(onError)});
        if (!isRunning())
            start();
        else
            condition_.wakeOne();
        return stamp;
    }

    quint64 latestStamp() const
    {
        QMutexLocker locker(&mutex_);
        return nextStamp_;
    }

protected:
    void run() override
    {
        for (;;) {
            Pending next;
            {
                QMutexLocker locker(&mutex_);
                while (pending_.isEmpty() && !abort_)
                    condition_.wait(&mutex_);
                if (abort_)
                    return;
                // The oldest job first, so that no channel starves another.
                auto oldest = pending_.begin();
                for (auto it = pending_.begin(); it != pending_.end(); ++it)
                    if (it->stamp < oldest->stamp)
                        oldest = it;
                next = std::move(oldest.value());
                pending_.erase(oldest);
            }
            try {
                Result result = compute_(next.job);
                if (!abort_ && next.onResult)
                    QMetaObject::invokeMethod(
                        postBox_.get(),
                        [receiver = next.receiver, done = std::move(next.onResult), stamp = next.stamp,
                         result = std::move(result)] {
                            if (receiver)
                                done(stamp, result);
                        },
                        Qt::QueuedConnection);
            } catch (const std::exception& e) {
                deliverError(next, QString::fromUtf8(e.what()));
            } catch (...) {
                deliverError(next, QStringLiteral("Unknown error in the background decoder"));
            }
        }
    }

private:
    struct Pending {
        quint64 stamp = 0;
        Job job;
        QPointer<QObject> receiver;
        OnResult onResult;
        OnError onError;
    };

    void deliverError(Pending& job, const QString& message)
    {
        if (abort_ || !job.onError)
            return;
        QMetaObject::invokeMethod(
            postBox_.get(),
            [receiver = job.receiver, failed = std::move(job.onError), stamp = job.stamp, message] {
                if (receiver)
                    failed(stamp, message);
            },
            Qt::QueuedConnection);
    }

    const Compute compute_;
    const std::unique_ptr<QObject> postBox_; // lives on the GUI thread; destroyed after the thread ends
    mutable QMutex mutex_;
    QWaitCondition condition_;
    QMap<QString, Pending> pending_;
    quint64 nextStamp_ = 0;
    std::atomic<bool> abort_{false};
};

} // namespace latentlab
