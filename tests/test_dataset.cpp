#include <QtTest>

#include "core/base/Error.h"
#include "core/data/Dataset.h"

using namespace latentlab;

// A Dataset is built from shapes that files declare: it must refuse what it cannot hold.
class TestDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rejectsShapes_data();
    void rejectsShapes();
    void headOfATemporaryIsItsOwnCopy();
};

void TestDataset::rejectsShapes_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QString>("expected");
    // 65536 x 65536 overflowed an int pixel count to 0, then divided by it (SIGFPE).
    QTest::newRow("65536 x 65536") << 1 << 65536 << 65536 << 0 << "each side 1 to 4096";
    QTest::newRow("65536 x 65536, 1 byte") << 1 << 65536 << 65536 << 1 << "each side 1 to 4096";
    QTest::newRow("zero width") << 1 << 28 << 0 << 0 << "each side 1 to 4096";
    QTest::newRow("negative height") << 1 << -28 << 28 << 0 << "each side 1 to 4096";
    QTest::newRow("two channels") << 2 << 28 << 28 << 0 << "1 or 3 channels";
    QTest::newRow("a partial image") << 1 << 28 << 28 << 700 << "not a whole number";
}

void TestDataset::rejectsShapes()
{
    QFETCH(int, channels);
    QFETCH(int, height);
    QFETCH(int, width);
    QFETCH(int, bytes);
    QFETCH(QString, expected);
    try {
        Dataset("idx:hostile", ImageShape{channels, height, width}, std::vector<std::uint8_t>(std::size_t(bytes)));
        QFAIL("a bad shape was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
        QVERIFY2(QString(e.what()).startsWith("idx:hostile"), "the message names the data set");
    }
}

void TestDataset::headOfATemporaryIsItsOwnCopy()
{
    std::vector<std::uint8_t> pixels(5 * 4);
    for (std::size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = std::uint8_t(i);
    const Dataset head = Dataset("five", ImageShape{1, 2, 2}, pixels, {0, 1, 2, 3, 4}).head(2);
    QCOMPARE(head.size(), std::size_t(2));
    QCOMPARE(int(head.image(1)[3]), 7);
    QCOMPARE(head.labels(), std::vector<int>({0, 1}));
}

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"
