#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include "core/base/Error.h"
#include "core/base/Image.h"
#include "core/data/SyntheticFaces.h"

using namespace latentlab;

// The statistics a test reads from a region of each image.
enum class Measure { Darkness, Blackness, Redness, Blueness };
Q_DECLARE_METATYPE(Measure)

class TestSyntheticFaces : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void deterministicForSeed();
    void prefixIsReproducible();
    void shapeNamesAndValues();
    void emptyDataSet();
    void attributeRates_data();
    void attributeRates();
    void attributesIndependent_data();
    void attributesIndependent();
    void labelsMatchPixels_data();
    void labelsMatchPixels();
    void skinToneShowsOnCheeks();
    void backgroundShowsInCorner();

private:
    Dataset many_; // 2,000 faces shared by the statistical tests
};

namespace {

constexpr int kSize = SyntheticFaces::kSize;
constexpr int kPlane = kSize * kSize;

int column(const std::vector<std::string>& names, const std::string& name)
{
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : int(it - names.begin());
}

// The per-image mean over `region` of one measure of the pixels.
double regionMean(const Dataset& data, std::size_t image, const QRect& region, Measure measure)
{
    const std::uint8_t* chw = data.image(image);
    double sum = 0;
    for (int y = region.top(); y <= region.bottom(); ++y)
        for (int x = region.left(); x <= region.right(); ++x) {
            const double r = chw[y * kSize + x], g = chw[kPlane + y * kSize + x], b = chw[2 * kPlane + y * kSize + x];
            switch (measure) {
            case Measure::Darkness: sum += 255 - (r + g + b) / 3; break;
            case Measure::Blackness: sum += 255 - std::max({r, g, b}); break; // dark, and not red like lips
            case Measure::Redness: sum += r - (g + b) / 2; break;
            case Measure::Blueness: sum += b - (r + g) / 2; break;
            }
        }
    return sum / (region.width() * region.height());
}

double mean(const std::vector<double>& v)
{
    return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

double variance(const std::vector<double>& v)
{
    const double m = mean(v);
    double s = 0;
    for (double x : v)
        s += (x - m) * (x - m);
    return s / double(v.size() - 1);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b)
{
    const double ma = mean(a), mb = mean(b);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

} // namespace

void TestSyntheticFaces::initTestCase()
{
    many_ = SyntheticFaces::generate(2000, 2024);
}

void TestSyntheticFaces::deterministicForSeed()
{
    const Dataset a = SyntheticFaces::generate(50, 7);
    const Dataset b = SyntheticFaces::generate(50, 7);
    QVERIFY(a.pixels() == b.pixels());
    QVERIFY(a.attributes() == b.attributes());
    QVERIFY(a.factors() == b.factors());

    const Dataset other = SyntheticFaces::generate(50, 8);
    QVERIFY(other.pixels() != a.pixels());
    QVERIFY(other.attributes() != a.attributes());
    QVERIFY(other.factors() != a.factors());
    // No two images of one set are the same.
    for (std::size_t i = 1; i < a.size(); ++i)
        QVERIFY(!std::equal(a.image(i), a.image(i) + kPlane * 3, a.image(i - 1)));
}

void TestSyntheticFaces::prefixIsReproducible()
{
    // Image i depends on (seed, i) alone, not on the count or how the work is split.
    const Dataset ten = SyntheticFaces::generate(10, 7);
    const Dataset fifty = SyntheticFaces::generate(50, 7).head(10);
    QVERIFY(ten.pixels() == fifty.pixels());
    QVERIFY(ten.attributes() == fifty.attributes());
    QVERIFY(ten.factors() == fifty.factors());
    const Dataset one = SyntheticFaces::generate(1, 7);
    QVERIFY(std::equal(one.pixels().begin(), one.pixels().end(), ten.image(0)));
    // Large enough to be split between threads (at different indices for the two counts).
    const Dataset part = SyntheticFaces::generate(130, 7);
    const Dataset whole = SyntheticFaces::generate(1000, 7).head(130);
    QVERIFY(part.pixels() == whole.pixels());
    QVERIFY(part.attributes() == whole.attributes());
    QVERIFY(part.factors() == whole.factors());
    QVERIFY(std::equal(ten.pixels().begin(), ten.pixels().end(), part.pixels().begin()));
}

void TestSyntheticFaces::shapeNamesAndValues()
{
    const std::vector<std::string> attributes{"Smiling", "Eyeglasses", "Wearing_Hat", "Beard", "Mouth_Open"};
    const std::vector<std::string> factors{"skin_tone", "hair_colour", "face_width", "eye_size", "head_tilt",
                                           "background"};
    QVERIFY(SyntheticFaces::attributeNames() == attributes);
    QVERIFY(SyntheticFaces::factorNames() == factors);

    const Dataset data = SyntheticFaces::generate(123, 1, "faces");
    QCOMPARE(data.name(), std::string("faces"));
    QCOMPARE(data.size(), std::size_t(123));
    QVERIFY(data.shape() == (ImageShape{3, 64, 64}));
    QCOMPARE(data.pixels().size(), std::size_t(123 * 3 * 64 * 64));
    QVERIFY(data.attributeNames() == attributes);
    QVERIFY(data.factorNames() == factors);
    QCOMPARE(data.attributes().size(), std::size_t(123 * attributes.size()));
    QCOMPARE(data.factors().size(), std::size_t(123 * factors.size()));
    for (signed char v : data.attributes())
        QVERIFY(v == 1 || v == -1);
    for (float f : data.factors())
        QVERIFY(f >= 0.0f && f <= 1.0f);
    QVERIFY(!data.hasLabels());
    // Colour, not grey: the planes differ.
    const std::uint8_t* p = data.image(0);
    QVERIFY(!std::equal(p, p + kPlane, p + kPlane));
}

void TestSyntheticFaces::emptyDataSet()
{
    const Dataset none = SyntheticFaces::generate(0, 3);
    QVERIFY(none.empty());
    QVERIFY(none.shape() == (ImageShape{3, 64, 64}));
    QVERIFY(none.attributeNames() == SyntheticFaces::attributeNames());
}

void TestSyntheticFaces::attributeRates_data()
{
    QTest::addColumn<QString>("attribute");
    for (const std::string& name : SyntheticFaces::attributeNames())
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestSyntheticFaces::attributeRates()
{
    QFETCH(QString, attribute);
    const int a = column(many_.attributeNames(), attribute.toStdString());
    QVERIFY(a >= 0);
    std::size_t present = 0;
    for (std::size_t i = 0; i < many_.size(); ++i)
        present += many_.attribute(i, std::size_t(a)) == 1;
    const double rate = double(present) / double(many_.size());
    QVERIFY2(rate >= 0.3 && rate <= 0.5, qPrintable(QString("%1 in %2 of the images").arg(attribute).arg(rate)));
}

void TestSyntheticFaces::attributesIndependent_data()
{
    QTest::addColumn<QString>("attribute");
    QTest::addColumn<QString>("given");
    const auto& names = SyntheticFaces::attributeNames();
    for (const std::string& a : names)
        for (const std::string& b : names)
            if (a < b)
                QTest::newRow((a + " given " + b).c_str()) << QString::fromStdString(a) << QString::fromStdString(b);
}

void TestSyntheticFaces::attributesIndependent()
{
    QFETCH(QString, attribute);
    QFETCH(QString, given);
    const int a = column(many_.attributeNames(), attribute.toStdString());
    const int b = column(many_.attributeNames(), given.toStdString());
    std::size_t withA = 0, withB = 0, withBoth = 0;
    for (std::size_t i = 0; i < many_.size(); ++i) {
        const bool hasA = many_.attribute(i, std::size_t(a)) == 1, hasB = many_.attribute(i, std::size_t(b)) == 1;
        withA += hasA;
        withB += hasB;
        withBoth += hasA && hasB;
    }
    QVERIFY(withB > 0);
    const double overall = double(withA) / double(many_.size());
    const double conditional = double(withBoth) / double(withB);
    QVERIFY2(std::abs(conditional - overall) < 0.1,
             qPrintable(QString("%1: %2 overall, %3 among %4").arg(attribute).arg(overall).arg(conditional).arg(given)));
}

void TestSyntheticFaces::labelsMatchPixels_data()
{
    // Regions hold the feature for every width and tilt (the head turns about (32, 33)).
    QTest::addColumn<QString>("attribute");
    QTest::addColumn<QRect>("region");
    QTest::addColumn<Measure>("measure");
    QTest::addColumn<double>("minEffect");
    QTest::newRow("Smiling: left corner turned up") << "Smiling" << QRect(QPoint(21, 41), QPoint(23, 43)) << Measure::Redness << 1.5;
    QTest::newRow("Smiling: right corner turned up") << "Smiling" << QRect(QPoint(41, 41), QPoint(43, 43)) << Measure::Redness << 1.5;
    QTest::newRow("Eyeglasses: dark between the eyes") << "Eyeglasses" << QRect(QPoint(28, 28), QPoint(36, 33)) << Measure::Darkness << 1.5;
    QTest::newRow("Eyeglasses: dark around the eyes") << "Eyeglasses" << QRect(QPoint(16, 25), QPoint(48, 36)) << Measure::Darkness << 1.5;
    QTest::newRow("Wearing_Hat: blue on top") << "Wearing_Hat" << QRect(QPoint(24, 4), QPoint(40, 10)) << Measure::Blueness << 1.5;
    QTest::newRow("Mouth_Open: dark mouth centre") << "Mouth_Open" << QRect(QPoint(30, 44), QPoint(34, 47)) << Measure::Blackness << 1.5;
    QTest::newRow("Beard: dark chin") << "Beard" << QRect(QPoint(28, 50), QPoint(36, 54)) << Measure::Darkness << 1.5;
}

void TestSyntheticFaces::labelsMatchPixels()
{
    QFETCH(QString, attribute);
    QFETCH(QRect, region);
    QFETCH(Measure, measure);
    QFETCH(double, minEffect);
    const int a = column(many_.attributeNames(), attribute.toStdString());
    QVERIFY(a >= 0);
    std::vector<double> with, without;
    for (std::size_t i = 0; i < 500; ++i)
        (many_.attribute(i, std::size_t(a)) == 1 ? with : without).push_back(regionMean(many_, i, region, measure));
    QVERIFY(with.size() > 100 && without.size() > 100);
    // Difference of the group means against the spread within the groups (Cohen's d).
    const double pooled = std::sqrt((variance(with) + variance(without)) / 2);
    const double effect = (mean(with) - mean(without)) / pooled;
    qInfo("%s: with %.1f, without %.1f, pooled sd %.1f, effect %.2f", qPrintable(attribute), mean(with),
          mean(without), pooled, effect);
    QVERIFY2(effect > minEffect, qPrintable(QString("effect %1 not above %2").arg(effect).arg(minEffect)));
}

void TestSyntheticFaces::skinToneShowsOnCheeks()
{
    const int f = column(many_.factorNames(), "skin_tone");
    QVERIFY(f >= 0);
    // Between nose and lenses, above the beard, for every tilt.
    const QRect left(QPoint(26, 37), QPoint(28, 38)), right(QPoint(36, 37), QPoint(38, 38));
    std::vector<double> tone, brightness;
    for (std::size_t i = 0; i < many_.size(); ++i) {
        tone.push_back(many_.factors()[i * many_.factorNames().size() + std::size_t(f)]);
        brightness.push_back(255 - (regionMean(many_, i, left, Measure::Darkness) + regionMean(many_, i, right, Measure::Darkness)) / 2);
    }
    const double r = pearson(tone, brightness);
    qInfo("skin tone against cheek brightness: r = %.3f", r);
    QVERIFY2(r < -0.8, qPrintable(QString("r = %1").arg(r))); // 0 is light skin, 1 dark
}

void TestSyntheticFaces::backgroundShowsInCorner()
{
    const int f = column(many_.factorNames(), "background");
    QVERIFY(f >= 0);
    std::vector<double> background, corner;
    for (std::size_t i = 0; i < many_.size(); ++i) {
        background.push_back(many_.factors()[i * many_.factorNames().size() + std::size_t(f)]);
        corner.push_back(many_.image(i)[0]); // red of the top left pixel
    }
    const double r = pearson(background, corner);
    qInfo("background against the corner pixel: r = %.3f", r);
    QVERIFY2(r > 0.95, qPrintable(QString("r = %1").arg(r)));
}

QTEST_GUILESS_MAIN(TestSyntheticFaces)
#include "test_syntheticfaces.moc"
