#include <QtTest>

#include "core/base/Error.h"
#include "core/latent/AttributeTransfer.h"

using namespace latentlab;

// The nearest-class-mean transfer rate that `latentlab-cli attribute` prints.
class TestAttributeTransfer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rates_data();
    void rates();
    void rejects_data();
    void rejects();
};

namespace {

// One-dimensional codes: class 0 around 0, class 1 around 4 (means exactly 0 and 4), so
// the nearest-mean boundary lies at 2.
LatentCodes reference()
{
    LatentCodes codes;
    codes.dim = 1;
    codes.mu = {-1, 1, 3, 5};
    codes.labels = {0, 0, 1, 1};
    codes.classNames = {"zero", "four"};
    return codes;
}

// Held-out codes at 0, 0.5, 1, 1.5 (all nearer class 0) and one at 3 (class 1).
LatentCodes heldOut()
{
    LatentCodes codes;
    codes.dim = 1;
    codes.mu = {0, 0.5, 1, 1.5, 3};
    return codes;
}

} // namespace

void TestAttributeTransfer::rates_data()
{
    QTest::addColumn<QList<int>>("without");
    QTest::addColumn<int>("target");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("images");
    QTest::addColumn<double>("before");
    QTest::addColumn<double>("after");
    // The vector is +1; alpha moves each code by alpha.
    QTest::newRow("no strength") << QList<int>{0, 1, 2, 3} << 1 << 0.0 << 4 << 0.0 << 0.0;
    QTest::newRow("half cross") << QList<int>{0, 1, 2, 3} << 1 << 1.25 << 4 << 0.0 << 0.5;
    QTest::newRow("all cross") << QList<int>{0, 1, 2, 3} << 1 << 2.5 << 4 << 0.0 << 1.0;
    QTest::newRow("one already across") << QList<int>{0, 4} << 1 << 0.0 << 2 << 0.5 << 0.5;
    QTest::newRow("negative strength moves back") << QList<int>{4} << 1 << -1.5 << 1 << 1.0 << 0.0;
    QTest::newRow("towards the other class") << QList<int>{4} << 0 << -1.5 << 1 << 0.0 << 1.0;
    QTest::newRow("no held-out images") << QList<int>{} << 1 << 3.0 << 0 << 0.0 << 0.0;
}

void TestAttributeTransfer::rates()
{
    QFETCH(QList<int>, without);
    QFETCH(int, target);
    QFETCH(double, alpha);
    QFETCH(int, images);
    QFETCH(double, before);
    QFETCH(double, after);
    std::vector<std::size_t> rows;
    for (int i : without)
        rows.push_back(std::size_t(i));
    const TransferRate rate = AttributeTransfer::nearestClassMean(reference(), heldOut(), rows, target, {1.0f}, alpha);
    QCOMPARE(int(rate.images), images);
    QCOMPARE(rate.before, before);
    QCOMPARE(rate.after, after);
}

void TestAttributeTransfer::rejects_data()
{
    QTest::addColumn<int>("heldOutDim");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("vectorLength");
    QTest::addColumn<QString>("expected");
    QTest::newRow("row past the end") << 1 << 5 << 1 << "out of range";
    QTest::newRow("other dimensions") << 2 << 0 << 1 << "dimensions";
    QTest::newRow("vector of the wrong length") << 1 << 0 << 3 << "";
}

void TestAttributeTransfer::rejects()
{
    QFETCH(int, heldOutDim);
    QFETCH(int, row);
    QFETCH(int, vectorLength);
    QFETCH(QString, expected);
    LatentCodes codes = heldOut();
    if (heldOutDim != 1) {
        codes.dim = heldOutDim;
        codes.mu.resize(codes.mu.size() * std::size_t(heldOutDim), 0.0f);
    }
    try {
        AttributeTransfer::nearestClassMean(reference(), codes, {std::size_t(row)}, 1,
                                            std::vector<float>(std::size_t(vectorLength), 1.0f), 1.0);
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_APPLESS_MAIN(TestAttributeTransfer)
#include "test_attributetransfer.moc"
