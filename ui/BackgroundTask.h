#pragma once
// Runs a job on a thread pool and hands its result to `context`'s thread. Unlike
// QFuture::then(context, ...), which runs at once inside the call when the job has
// already finished, `done` always runs later from the event loop, so that callers
// (and signal spies) see results in the order of events; and never once `context` is
// gone (the watcher is its child; destroying it does not wait for the job). The job
// must hold copies of what it uses.
//
// runInBackground: Qt's global pool, which the application waits for at exit: for
// work that must finish (saving a file). runLoad: BackgroundLoads' pool, which
// nobody waits for: for reading input that may take arbitrarily long.
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

#include "ui/BackgroundLoads.h"

namespace latentlab {

template <typename Job, typename Done>
void runInBackground(QObject* context, Job job, Done done, QThreadPool* pool = QThreadPool::globalInstance())
{
    using Result = std::invoke_result_t<Job>;
    auto* watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(job)));
}

template <typename Job, typename Done>
void runLoad(QObject* context, Job job, Done done)
{
    runInBackground(context, std::move(job), std::move(done), BackgroundLoads::pool());
}

} // namespace latentlab
