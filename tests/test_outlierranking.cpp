#include <QtTest>

#include <cmath>
#include <limits>

#include "core/training/OutlierRanking.h"

using namespace latentlab;

// The least likely images, as `latentlab-cli stats --outliers` and the statistics dock list them.
class TestOutlierRanking : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void leastLikely_data();
    void leastLikely();
};

void TestOutlierRanking::leastLikely_data()
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::addColumn<QList<double>>("scores");
    QTest::addColumn<int>("count");
    QTest::addColumn<QList<int>>("expected"); // indices, least likely first
    QTest::newRow("highest first") << QList<double>{1, 5, 3, 4, 2} << 3 << QList<int>{1, 3, 2};
    QTest::newRow("all of them") << QList<double>{1, 5, 3} << 3 << QList<int>{1, 2, 0};
    QTest::newRow("more asked than there are") << QList<double>{2, 1} << 10 << QList<int>{0, 1};
    QTest::newRow("none asked") << QList<double>{2, 1} << 0 << QList<int>{};
    QTest::newRow("no images") << QList<double>{} << 5 << QList<int>{};
    QTest::newRow("ties by index") << QList<double>{7, 9, 7, 9, 7} << 4 << QList<int>{1, 3, 0, 2};
    QTest::newRow("negative scores") << QList<double>{-3, -1, -2} << 2 << QList<int>{1, 2};
    QTest::newRow("NaN last") << QList<double>{nan, 1, nan, 2} << 3 << QList<int>{3, 1, 0};
}

void TestOutlierRanking::leastLikely()
{
    QFETCH(QList<double>, scores);
    QFETCH(int, count);
    QFETCH(QList<int>, expected);
    const std::vector<double> s(scores.begin(), scores.end());
    const std::vector<RankedImage> ranked = OutlierRanking::leastLikely(s, std::size_t(count));
    QList<int> indices;
    for (const RankedImage& r : ranked) {
        indices.append(int(r.index));
        // The score comes along with its image.
        QVERIFY(r.nll == s[r.index] || (std::isnan(r.nll) && std::isnan(s[r.index])));
    }
    QCOMPARE(indices, expected);
}

QTEST_APPLESS_MAIN(TestOutlierRanking)
#include "test_outlierranking.moc"
