#include <QtTest>

#include <cmath>

#include "core/CardsGenerator.h"
#include "core/Error.h"

using namespace latentlab;

class TestCards : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void presets_data();
    void presets();
    void factorsFillThePresetRanges_data();
    void factorsFillThePresetRanges();
    void deterministicForSeed();
    void suitsLookDifferent();
    void rejectsBadPresets();
};

namespace {

double factor(const Dataset& d, std::size_t i, int column)
{
    return d.factors()[i * d.factorNames().size() + std::size_t(column)];
}

} // namespace

void TestCards::presets_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("rotation");
    QTest::addColumn<double>("shear");
    QTest::newRow("cards1") << "cards1" << 12.0 << 1.0;
    QTest::newRow("cards2") << "cards2" << 12.0 << 20.0;
    QTest::newRow("cards3") << "cards3" << 120.0 << 1.0;
    QTest::newRow("cards4") << "cards4" << 120.0 << 20.0;
}

void TestCards::presets()
{
    QFETCH(QString, name);
    QFETCH(double, rotation);
    QFETCH(double, shear);
    const CardsPreset p = CardsGenerator::preset(name.toStdString());
    QCOMPARE(p.maxRotationDegrees, rotation);
    QCOMPARE(p.maxShearDegrees, shear);
}

void TestCards::factorsFillThePresetRanges_data()
{
    presets_data();
}

void TestCards::factorsFillThePresetRanges()
{
    QFETCH(QString, name);
    QFETCH(double, rotation);
    QFETCH(double, shear);
    const Dataset d = CardsGenerator::generate(CardsGenerator::preset(name.toStdString()), 2000, 3);
    QCOMPARE(d.size(), std::size_t(2000));
    QVERIFY(d.shape() == (ImageShape{1, 48, 48}));
    QCOMPARE(d.factorNames(), (std::vector<std::string>{"angle", "shear"}));
    QCOMPARE(d.classNames(), (std::vector<std::string>{"diamonds", "clubs", "spades", "hearts"}));
    double maxAngle = 0, maxShear = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        QVERIFY(std::abs(factor(d, i, 0)) <= rotation);
        QVERIFY(std::abs(factor(d, i, 1)) <= shear);
        maxAngle = std::max(maxAngle, std::abs(factor(d, i, 0)));
        maxShear = std::max(maxShear, std::abs(factor(d, i, 1)));
        QCOMPARE(d.labels()[i], int(i % 4));
    }
    QVERIFY2(maxAngle > 0.9 * rotation && maxShear > 0.9 * shear, "the whole range is used");
}

void TestCards::deterministicForSeed()
{
    const CardsPreset p = CardsGenerator::preset("cards4");
    const Dataset a = CardsGenerator::generate(p, 40, 9), b = CardsGenerator::generate(p, 40, 9);
    QCOMPARE(a.pixels(), b.pixels());
    QCOMPARE(a.factors(), b.factors());
    QCOMPARE(CardsGenerator::generate(p, 10, 9).pixels(), a.head(10).pixels());
    QVERIFY(CardsGenerator::generate(p, 40, 10).pixels() != a.pixels());
}

void TestCards::suitsLookDifferent()
{
    // Upright and unsheared, every image of a suit is the same shape: ink on the centre
    // column at the top and bottom tells them apart (a heart's notch, a stem, a tip).
    const Dataset d = CardsGenerator::generate({"flat", 0, 0}, 8, 1);
    const auto at = [&](std::size_t i, int x, int y) { return int(d.image(i)[y * 48 + x]); };
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(d.pixels().size() / 8, std::size_t(48 * 48));
        QCOMPARE(std::vector<std::uint8_t>(d.image(i), d.image(i) + 48 * 48),
                 std::vector<std::uint8_t>(d.image(i + 4), d.image(i + 4) + 48 * 48));
        int ink = 0;
        for (int p = 0; p < 48 * 48; ++p)
            ink += d.image(i)[p] > 128;
        QVERIFY2(ink > 200 && ink < 48 * 48 / 2, "a shape, not empty and not a full frame");
    }
    for (std::size_t a = 0; a < 4; ++a)
        for (std::size_t b = a + 1; b < 4; ++b) {
            int differing = 0;
            for (int p = 0; p < 48 * 48; ++p)
                differing += std::abs(int(d.image(a)[p]) - int(d.image(b)[p])) > 128;
            QVERIFY2(differing > 60, qPrintable(QString("suits %1 and %2 differ in %3 pixels").arg(a).arg(b).arg(differing)));
        }
    // A diamond is widest at mid-height and comes to points: little ink in its corners.
    QVERIFY(at(0, 24, 24) > 200);
    QVERIFY(at(0, 14, 12) < 50 && at(0, 34, 36) < 50);
    // A heart has lobes left and right of a notch at the top centre.
    int row = 0;
    while (row < 48 && at(3, 24, row) < 128)
        ++row;
    int lobeRow = 0;
    while (lobeRow < 48 && at(3, 18, lobeRow) < 128)
        ++lobeRow;
    QVERIFY2(lobeRow < row, "the heart's lobes rise above its notch");
}

void TestCards::rejectsBadPresets()
{
    try {
        CardsGenerator::preset("cards9");
        QFAIL("an unknown preset was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("cards4"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, CardsGenerator::generate({"bad", -1, 0}, 4, 1));
    QVERIFY_THROWS_EXCEPTION(Error, CardsGenerator::generate({"bad", 10, 80}, 4, 1));
}

QTEST_GUILESS_MAIN(TestCards)
#include "test_cards.moc"
