#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/CardsGenerator.h"
#include "core/base/Error.h"

using namespace latentlab;

class TestCards : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void presets_data();
    void presets();
    void unknownPresetNamesKnownOnes();
    void rejectsBadLimits_data();
    void rejectsBadLimits();
    void factorsFillLimits_data();
    void factorsFillLimits();
    void deterministic();
    void flatShapesCentred();
    void labelsMatchDrawing_data();
    void labelsMatchDrawing();
    void rotationIsReal_data();
    void rotationIsReal();
    void shearIsReal();

private:
    // One upright, unsheared image per suit (index = label).
    std::vector<cv::Mat> flat_;
};

namespace {

constexpr int kSize = CardsGenerator::kSize;
const cv::Point2f kCentre((kSize - 1) / 2.0f, (kSize - 1) / 2.0f);

cv::Mat imageOf(const Dataset& d, std::size_t i)
{
    return cv::Mat(kSize, kSize, CV_8UC1, const_cast<std::uint8_t*>(d.image(i))).clone();
}

double correlation(const cv::Mat& a, const cv::Mat& b)
{
    cv::Mat fa, fb;
    a.convertTo(fa, CV_64F);
    b.convertTo(fb, CV_64F);
    fa -= cv::mean(fa)[0];
    fb -= cv::mean(fb)[0];
    return fa.dot(fb) / std::sqrt(fa.dot(fa) * fb.dot(fb));
}

// The image as the generator should draw it at (angle, shear), made from the flat one.
cv::Mat transformed(const cv::Mat& flat, double angleDegrees, double shearDegrees)
{
    const double a = angleDegrees * CV_PI / 180, t = std::tan(shearDegrees * CV_PI / 180);
    const cv::Matx22d rotation(std::cos(a), std::sin(a), -std::sin(a), std::cos(a));
    const cv::Matx22d a2 = rotation * cv::Matx22d(1, t, 0, 1);
    const cv::Vec2d c(kCentre.x, kCentre.y), shift = c - a2 * c;
    const cv::Matx23d m(a2(0, 0), a2(0, 1), shift[0], a2(1, 0), a2(1, 1), shift[1]);
    cv::Mat out;
    cv::warpAffine(flat, out, cv::Mat(m), flat.size(), cv::INTER_LINEAR);
    return out;
}

// The frame of a flat shape: its centre and half-height in pixels, from the rows and
// columns holding noticeable ink, so that the checks below do not lean on the
// generator's own constants.
struct Frame {
    double cx, cy, half;
    double width; // of the ink, in pixels
};

Frame frameOf(const cv::Mat& img)
{
    int top = kSize, bottom = -1, left = kSize, right = -1;
    for (int y = 0; y < kSize; ++y)
        for (int x = 0; x < kSize; ++x)
            if (img.at<std::uint8_t>(y, x) > 20) {
                top = std::min(top, y);
                bottom = std::max(bottom, y);
                left = std::min(left, x);
                right = std::max(right, x);
            }
    return {(left + right) / 2.0, (top + bottom) / 2.0, (bottom - top + 1) / 2.0, double(right - left + 1)};
}

// Ink in [0, 1] at shape coordinates (x, y) (y down, the shape spans y in [-1, 1]), bilinear.
double ink(const cv::Mat& img, const Frame& f, double x, double y)
{
    const double px = f.cx + x * f.half, py = f.cy + y * f.half;
    const int x0 = int(std::floor(px)), y0 = int(std::floor(py));
    const double wx = px - x0, wy = py - y0;
    const auto at = [&](int yy, int xx) {
        return yy < 0 || xx < 0 || yy >= kSize || xx >= kSize ? 0.0 : img.at<std::uint8_t>(yy, xx) / 255.0;
    };
    return (1 - wy) * ((1 - wx) * at(y0, x0) + wx * at(y0, x0 + 1))
           + wy * ((1 - wx) * at(y0 + 1, x0) + wx * at(y0 + 1, x0 + 1));
}

// Width of the ink across the row at shape height y, in shape units (rows interpolated).
double widthAt(const cv::Mat& img, const Frame& f, double y)
{
    const double py = f.cy + y * f.half;
    const int y0 = int(std::floor(py));
    const double w = py - y0;
    double sum = 0;
    for (int x = 0; x < kSize; ++x)
        sum += ((1 - w) * img.at<std::uint8_t>(std::clamp(y0, 0, kSize - 1), x)
                + w * img.at<std::uint8_t>(std::clamp(y0 + 1, 0, kSize - 1), x))
               / 255.0;
    return sum / f.half;
}

// What tells the suits apart, measured on an upright image.
struct SuitFeatures {
    bool notch;     // dark gap at the top centre between two bright lobes (heart)
    bool stem;      // the shape widens again into a foot at the very bottom (club, spade)
    bool roundTop;  // wide just below the top, not a point (club, heart)
    bool cornerInk; // ink off the two diagonals, where a rhombus has none (all but diamond)
    QString values;
};

SuitFeatures measure(const cv::Mat& img)
{
    const Frame f = frameOf(img);
    const double gap = ink(img, f, 0, -0.85);
    const double lobes = std::min(ink(img, f, -0.45, -0.85), ink(img, f, 0.45, -0.85));
    const double foot = widthAt(img, f, 0.92) - widthAt(img, f, 0.75);
    const double top = widthAt(img, f, -0.75);
    double corners = 0;
    for (double x : {-0.55, 0.55})
        for (double y : {-0.55, 0.45})
            corners = std::max(corners, ink(img, f, x, y));
    const QString values = QString("gap %1, lobes %2, foot %3, top width %4, corners %5")
                               .arg(gap, 0, 'f', 2)
                               .arg(lobes, 0, 'f', 2)
                               .arg(foot, 0, 'f', 2)
                               .arg(top, 0, 'f', 2)
                               .arg(corners, 0, 'f', 2);
    return {gap < 0.25 && lobes > 0.75, foot > 0, top > 0.55, corners > 0.5, values};
}

} // namespace

void TestCards::initTestCase()
{
    const Dataset d = CardsGenerator::generate({"flat", 0, 0}, 4, 1);
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(d.labels()[i], int(i));
        flat_.push_back(imageOf(d, i));
    }
}

void TestCards::presets_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<double>("rotation");
    QTest::addColumn<double>("shear");
    QTest::newRow("cards1") << 0 << 12.0 << 1.0;
    QTest::newRow("cards2") << 1 << 12.0 << 20.0;
    QTest::newRow("cards3") << 2 << 120.0 << 1.0;
    QTest::newRow("cards4") << 3 << 120.0 << 20.0;
}

void TestCards::presets()
{
    QFETCH(int, index);
    QFETCH(double, rotation);
    QFETCH(double, shear);
    const std::string name = QTest::currentDataTag();
    QCOMPARE(CardsGenerator::presets().size(), std::size_t(4));
    const CardsPreset& listed = CardsGenerator::presets()[std::size_t(index)];
    QCOMPARE(listed.name, name);
    const CardsPreset p = CardsGenerator::preset(name);
    QCOMPARE(p.name, name);
    QCOMPARE(p.maxRotationDegrees, rotation);
    QCOMPARE(p.maxShearDegrees, shear);
}

void TestCards::unknownPresetNamesKnownOnes()
{
    try {
        CardsGenerator::preset("cards5");
        QFAIL("no Error for an unknown preset");
    } catch (const Error& e) {
        const QString message = e.what();
        QVERIFY2(message.contains("cards5"), e.what());
        for (const char* known : {"cards1", "cards2", "cards3", "cards4"})
            QVERIFY2(message.contains(known), e.what());
    }
}

void TestCards::rejectsBadLimits_data()
{
    QTest::addColumn<double>("rotation");
    QTest::addColumn<double>("shear");
    QTest::newRow("negative rotation") << -1.0 << 0.0;
    QTest::newRow("rotation over 180") << 181.0 << 0.0;
    QTest::newRow("negative shear") << 10.0 << -5.0;
    QTest::newRow("shear over 60") << 10.0 << 75.0;
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << 0.0;
}

void TestCards::rejectsBadLimits()
{
    QFETCH(double, rotation);
    QFETCH(double, shear);
    QVERIFY_THROWS_EXCEPTION(Error, CardsGenerator::generate({"bad", rotation, shear}, 8, 1));
}

void TestCards::factorsFillLimits_data()
{
    QTest::addColumn<QString>("preset");
    for (const char* name : {"cards1", "cards2", "cards3", "cards4"})
        QTest::newRow(name) << QString(name);
}

void TestCards::factorsFillLimits()
{
    QFETCH(QString, preset);
    const CardsPreset p = CardsGenerator::preset(preset.toStdString());
    const std::size_t n = 2000;
    const Dataset d = CardsGenerator::generate(p, n, 3);
    QCOMPARE(d.size(), n);
    QCOMPARE(d.shape(), (ImageShape{1, kSize, kSize}));
    QCOMPARE(d.name(), std::string("cards"));
    QCOMPARE(d.classNames(), (std::vector<std::string>{"diamonds", "clubs", "spades", "hearts"}));
    QCOMPARE(d.factorNames(), (std::vector<std::string>{"angle", "shear"}));
    std::vector<int> perSuit(4);
    for (int label : d.labels()) {
        QVERIFY(label >= 0 && label < 4);
        ++perSuit[std::size_t(label)];
    }
    QCOMPARE(perSuit, std::vector<int>(4, int(n / 4)));

    const double limits[2] = {p.maxRotationDegrees, p.maxShearDegrees};
    for (int k = 0; k < 2; ++k) {
        double lowest = 0, highest = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = d.factors()[2 * i + std::size_t(k)];
            QVERIFY2(std::abs(v) <= limits[k], qPrintable(QString("%1 outside +-%2").arg(v).arg(limits[k])));
            lowest = std::min(lowest, v);
            highest = std::max(highest, v);
        }
        // Both ends reached: uniform over [-max, max], not one side or a narrow middle.
        QVERIFY2(highest > 0.9 * limits[k] && lowest < -0.9 * limits[k],
                 qPrintable(QString("%1 spans [%2, %3] of +-%4")
                                .arg(d.factorNames()[std::size_t(k)].c_str())
                                .arg(lowest)
                                .arg(highest)
                                .arg(limits[k])));
    }
}

void TestCards::deterministic()
{
    const CardsPreset p = CardsGenerator::preset("cards4");
    // 400 and 250 images are cut into different slices per thread (where there are
    // several cores), and 40 make one slice: the prefix checks also show that the
    // result does not depend on how the work is split.
    const Dataset a = CardsGenerator::generate(p, 400, 7);
    const Dataset b = CardsGenerator::generate(p, 400, 7);
    QVERIFY(a.pixels() == b.pixels());
    QVERIFY(a.factors() == b.factors());
    QVERIFY(a.labels() == b.labels());

    for (std::size_t n : {std::size_t(40), std::size_t(250)}) {
        const Dataset prefix = CardsGenerator::generate(p, n, 7, "prefix");
        QCOMPARE(prefix.name(), std::string("prefix"));
        const Dataset head = a.head(n);
        QVERIFY(prefix.pixels() == head.pixels());
        QVERIFY(prefix.factors() == head.factors());
        QVERIFY(prefix.labels() == head.labels());
    }

    const Dataset other = CardsGenerator::generate(p, 400, 8);
    QVERIFY(other.pixels() != a.pixels());
    std::size_t sameAngle = 0;
    for (std::size_t i = 0; i < 400; ++i)
        sameAngle += other.factors()[2 * i] == a.factors()[2 * i];
    QCOMPARE(sameAngle, std::size_t(0));

    QCOMPARE(CardsGenerator::generate(p, 0, 7).size(), std::size_t(0));
}

void TestCards::flatShapesCentred()
{
    for (std::size_t suit = 0; suit < 4; ++suit) {
        const Frame f = frameOf(flat_[suit]);
        const QString where = QString("suit %1: centre (%2, %3), height %4, width %5")
                                  .arg(suit)
                                  .arg(f.cx)
                                  .arg(f.cy)
                                  .arg(2 * f.half)
                                  .arg(f.width);
        QVERIFY2(std::abs(f.cx - kCentre.x) <= 1 && std::abs(f.cy - kCentre.y) <= 1, qPrintable(where));
        QVERIFY2(2 * f.half > 0.55 * kSize && 2 * f.half < 0.7 * kSize, qPrintable(where));
        QVERIFY2(f.width > 0.4 * kSize && f.width < 0.7 * kSize, qPrintable(where));
        // Clean edges: black background, a solid white inside.
        QCOMPARE(int(flat_[suit].at<std::uint8_t>(0, 0)), 0);
        QCOMPARE(int(flat_[suit].at<std::uint8_t>(kSize - 1, kSize - 1)), 0);
        QCOMPARE(int(flat_[suit].at<std::uint8_t>(kSize / 2, kSize / 2)), 255);
    }
}

void TestCards::labelsMatchDrawing_data()
{
    QTest::addColumn<int>("suit");
    QTest::addColumn<bool>("notch");
    QTest::addColumn<bool>("stem");
    QTest::addColumn<bool>("roundTop");
    QTest::addColumn<bool>("cornerInk");
    QTest::newRow("diamonds") << 0 << false << false << false << false;
    QTest::newRow("clubs") << 1 << false << true << true << true;
    QTest::newRow("spades") << 2 << false << true << false << true;
    QTest::newRow("hearts") << 3 << true << false << true << true;
}

void TestCards::labelsMatchDrawing()
{
    QFETCH(int, suit);
    QFETCH(bool, notch);
    QFETCH(bool, stem);
    QFETCH(bool, roundTop);
    QFETCH(bool, cornerInk);
    // The rows above differ pairwise, so matching its row pins the suit down.
    const Dataset d = CardsGenerator::generate({"flat", 0, 0}, 8, 5);
    QCOMPARE(d.classNames()[std::size_t(suit)], std::string(QTest::currentDataTag()));
    for (std::size_t i = std::size_t(suit); i < d.size(); i += 4) {
        QCOMPARE(d.labels()[i], suit);
        QCOMPARE(d.factors()[2 * i], 0.0f);
        QCOMPARE(d.factors()[2 * i + 1], 0.0f);
        const SuitFeatures m = measure(imageOf(d, i));
        const QByteArray values = m.values.toUtf8();
        QVERIFY2(m.notch == notch, values);
        QVERIFY2(m.stem == stem, values);
        QVERIFY2(m.roundTop == roundTop, values);
        QVERIFY2(m.cornerInk == cornerInk, values);
    }
    if (suit == 0) {
        // The rhombus's tips lie on the centre column.
        const Frame f = frameOf(flat_[0]);
        QVERIFY(ink(flat_[0], f, 0, -0.75) > 0.5 && ink(flat_[0], f, 0, 0.75) > 0.5);
    }
}

void TestCards::rotationIsReal_data()
{
    QTest::addColumn<int>("suit");
    QTest::newRow("diamonds") << 0;
    QTest::newRow("clubs") << 1;
    QTest::newRow("spades") << 2;
    QTest::newRow("hearts") << 3;
}

void TestCards::rotationIsReal()
{
    QFETCH(int, suit);
    const Dataset d = CardsGenerator::generate({"rotation only", 120, 0}, 400, 11);
    int signChecked = 0;
    for (std::size_t i = std::size_t(suit); i < d.size(); i += 4) {
        const double angle = d.factors()[2 * i];
        QCOMPARE(d.factors()[2 * i + 1], 0.0f);
        const cv::Mat img = imageOf(d, i);
        cv::Mat expected;
        cv::warpAffine(flat_[std::size_t(suit)], expected, cv::getRotationMatrix2D(kCentre, angle, 1.0),
                       img.size(), cv::INTER_LINEAR);
        const double match = correlation(img, expected);
        QVERIFY2(match > 0.98, qPrintable(QString("angle %1: correlation %2").arg(angle).arg(match)));
        // The other way round is clearly worse: the sign convention is cv::getRotationMatrix2D's.
        if (std::abs(angle) > 20 && std::abs(angle) < 70) {
            cv::Mat mirrored;
            cv::warpAffine(flat_[std::size_t(suit)], mirrored, cv::getRotationMatrix2D(kCentre, -angle, 1.0),
                           img.size(), cv::INTER_LINEAR);
            const double wrong = correlation(img, mirrored);
            QVERIFY2(wrong < match - 0.05, qPrintable(QString("angle %1: %2 against %3").arg(angle).arg(wrong).arg(match)));
            ++signChecked;
        }
    }
    QVERIFY(signChecked > 10);
}

void TestCards::shearIsReal()
{
    const Dataset d = CardsGenerator::generate(CardsGenerator::preset("cards4"), 400, 13);
    int signChecked = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double angle = d.factors()[2 * i], shear = d.factors()[2 * i + 1];
        const cv::Mat& flat = flat_[std::size_t(d.labels()[i])];
        const cv::Mat img = imageOf(d, i);
        const double match = correlation(img, transformed(flat, angle, shear));
        QVERIFY2(match > 0.98, qPrintable(QString("image %1, angle %2, shear %3: correlation %4")
                                              .arg(i).arg(angle).arg(shear).arg(match)));
        if (std::abs(shear) > 15) {
            const double wrong = correlation(img, transformed(flat, angle, -shear));
            QVERIFY2(wrong < match - 0.1, qPrintable(QString("image %1, shear %2: %3 against %4")
                                                          .arg(i).arg(shear).arg(wrong).arg(match)));
            ++signChecked;
        }
    }
    QVERIFY(signChecked > 20);
}

QTEST_GUILESS_MAIN(TestCards)
#include "test_cards.moc"
