#pragma once
// Runs a job on Qt's thread pool and hands its result to `context`'s thread. Unlike
// QFuture::then(context, ...), which runs at once inside the call when the job has
// already finished, `done` always runs later from the event loop, so that callers
// (and signal spies) see results in the order of events; and never once `context` is
// gone (the watcher is its child). The job must hold copies of what it uses.
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace latentlab {

template <typename Job, typename Done>
void runInBackground(QObject* context, Job job, Done done)
{
    using Result = std::invoke_result_t<Job>;
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(std::move(job)));
}

} // namespace latentlab
