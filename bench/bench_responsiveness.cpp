// How late a 10 ms timer on the GUI thread fires while the window's TrainingWorker
// trains the first-run model (Fashion-MNIST, 2-D latent, all threads asked): the figure
// that test_trainingworker only checks loosely (never blocked for a second).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/base/CommandLine.h"
#include "ui/TrainingWorker.h"

using namespace latentlab;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    CommandLine cl("Usage: bench_responsiveness [options]",
                   {{"threads", "N", "2", "training threads"}, {"seconds", "S", "3", "how long to measure"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        TrainingWorker worker;
        TrainingRequest request;
        request.model.latentDim = 2;
        request.training.epochs = 100; // stopped after the measurement
        request.training.threads = cl.intValue("threads");
        request.snapshotEveryBatches = 50;
        bool stepping = false;
        QObject::connect(&worker, &TrainingWorker::progress, [&] { stepping = true; });
        worker.train(request);
        QElapsedTimer clock;
        clock.start();
        while (!stepping && clock.elapsed() < 60000) // the data set loads first
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);

        std::vector<double> lateness;
        QElapsedTimer since;
        since.start();
        qint64 last = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, [&] {
            const qint64 now = since.elapsed();
            lateness.push_back(double(now - last - 10));
            last = now;
        });
        timer.start(10);
        while (since.elapsed() < qint64(cl.doubleValue("seconds") * 1000))
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        timer.stop();
        const bool trained = worker.isRunning();
        worker.stop();
        worker.wait();
        std::sort(lateness.begin(), lateness.end());
        const auto at = [&](double q) {
            return lateness.empty() ? 0.0 : lateness[std::min(lateness.size() - 1, std::size_t(q * double(lateness.size())))];
        };
        std::cout << nlohmann::json{{"ticks", lateness.size()}, {"training_throughout", trained},
                                    {"late_ms_median", at(0.5)}, {"late_ms_p99", at(0.99)},
                                    {"late_ms_worst", lateness.empty() ? 0.0 : lateness.back()}}
                         .dump()
                  << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_responsiveness: " << e.what() << "\n";
        return 1;
    }
}
