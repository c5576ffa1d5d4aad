#include <QSemaphore>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <memory>

#include "ui/StampedWorker.h"

using namespace latentlab;

// The Mandelbrot semantics of StampedWorker: newest pending job per channel wins,
// results and errors carry their stamps, destruction aborts and waits.
class TestStampedWorker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void newestPendingJobPerChannelWins();
    void errorsCarryTheirStamp();
    void destructionAbortsAndWaits();
    void goneReceiverHearsNothing();
};

namespace {

// Jobs: a number to square; a negative one throws. The first job may be held at a gate.
struct Gate {
    QSemaphore entered, open;
    std::atomic<bool> hold{false};
};

using Worker = StampedWorker<int, int>;

std::unique_ptr<Worker> makeWorker(std::shared_ptr<Gate> gate)
{
    return std::make_unique<Worker>([gate](const int& n) {
        if (gate->hold.exchange(false)) {
            gate->entered.release();
            gate->open.acquire();
        }
        if (n < 0)
            throw std::runtime_error("negative " + std::to_string(n));
        return n * n;
    });
}

} // namespace

void TestStampedWorker::newestPendingJobPerChannelWins()
{
    auto gate = std::make_shared<Gate>();
    gate->hold = true;
    auto worker = makeWorker(gate);
    QObject receiver;
    QList<QPair<quint64, int>> results;
    const auto onResult = [&](quint64 stamp, const int& r) { results.append({stamp, r}); };
    const auto onError = [](quint64, const QString& m) { QFAIL(qPrintable(m)); };
    const quint64 first = worker->submit("a", 2, &receiver, onResult, onError);
    QVERIFY(gate->entered.tryAcquire(1, 5000)); // the first job runs, held
    worker->submit("a", 3, &receiver, onResult, onError); // replaced by the next one
    const quint64 newestA = worker->submit("a", 4, &receiver, onResult, onError);
    const quint64 b = worker->submit("b", 5, &receiver, onResult, onError);
    QVERIFY(first < newestA && newestA < b);
    gate->open.release();
    QTRY_COMPARE_WITH_TIMEOUT(results.size(), 3, 5000);
    QTest::qWait(50);
    QCOMPARE(results, (QList<QPair<quint64, int>>{{first, 4}, {newestA, 16}, {b, 25}}));
}

void TestStampedWorker::errorsCarryTheirStamp()
{
    auto worker = makeWorker(std::make_shared<Gate>());
    QObject receiver;
    quint64 failedStamp = 0;
    QString message;
    const quint64 stamp = worker->submit(
        "a", -3, &receiver, [](quint64, const int&) { QFAIL("no result for a failing job"); },
        [&](quint64 s, const QString& m) {
            failedStamp = s;
            message = m;
        });
    QTRY_COMPARE_WITH_TIMEOUT(failedStamp, stamp, 5000);
    QCOMPARE(message, QString("negative -3"));
}

void TestStampedWorker::destructionAbortsAndWaits()
{
    auto gate = std::make_shared<Gate>();
    gate->hold = true;
    auto worker = makeWorker(gate);
    QObject receiver;
    int delivered = 0;
    worker->submit("a", 2, &receiver, [&](quint64, const int&) { ++delivered; }, {});
    QVERIFY(gate->entered.tryAcquire(1, 5000));
    worker->submit("b", 3, &receiver, [&](quint64, const int&) { ++delivered; }, {});
    // The running job ends later, on another thread: the GUI thread is blocked in the destructor.
    std::thread opener([gate] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        gate->open.release();
    });
    worker.reset(); // aborts: waits for the running job, skips the pending one
    opener.join();
    QTest::qWait(100);
    QCOMPARE(delivered, 0); // the running job's result came after the abort: dropped
}

void TestStampedWorker::goneReceiverHearsNothing()
{
    auto gate = std::make_shared<Gate>();
    gate->hold = true;
    auto worker = makeWorker(gate);
    int delivered = 0;
    {
        QObject receiver;
        worker->submit("a", 2, &receiver, [&](quint64, const int&) { ++delivered; }, {});
        QVERIFY(gate->entered.tryAcquire(1, 5000));
    }
    gate->open.release();
    QTest::qWait(200);
    QCOMPARE(delivered, 0);
}

QTEST_MAIN(TestStampedWorker)
#include "test_stampedworker.moc"
