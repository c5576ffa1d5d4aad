#include <QtTest>

#include <cmath>
#include <random>

#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/latent/FactorReport.h"

using namespace latentlab;

// The factor report on planted latent spaces: codes that are known functions of the factors.
class TestFactorReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mutualInformationOfKnownSequences();
    void plantedCodeGivesItsMigAndCorrelations();
    void angleLatentAndSymmetricSuits();
    void neighboursAndClusters();
    void fromDatasetReadsLabelsAttributesAndFactors();
    void rejects_data();
    void rejects();
};

namespace {

constexpr int kCount = 2000;

// Two continuous factors a, b uniform in [-1, 1], a label of 4 classes and a factor c that
// no dimension encodes. The code: z0 = a, z1 = b + noise, z2 = the class's centre (well
// apart) + noise, z3 = noise.
struct Planted {
    std::vector<FactorInput> factors;
    std::vector<float> codes;
};

Planted planted(unsigned seed = 7)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> uniform(-1, 1);
    std::normal_distribution<double> noise(0, 0.05);
    Planted p;
    p.factors = {{"a", FactorInput::Kind::Continuous, {}, 0}, {"b", FactorInput::Kind::Continuous, {}, 0},
                 {"class", FactorInput::Kind::Label, {}, 4}, {"c", FactorInput::Kind::Continuous, {}, 0}};
    for (int i = 0; i < kCount; ++i) {
        const double a = uniform(rng), b = uniform(rng), c = uniform(rng);
        const int cls = i % 4;
        p.factors[0].values.push_back(a);
        p.factors[1].values.push_back(b);
        p.factors[2].values.push_back(cls);
        p.factors[3].values.push_back(c);
        for (double v : {a, b + noise(rng), 3.0 * cls + noise(rng), noise(rng)})
            p.codes.push_back(float(v));
    }
    return p;
}

} // namespace

void TestFactorReport::mutualInformationOfKnownSequences()
{
    // Four equally likely values: MI with itself is log 4; with an independent copy, 0.
    std::vector<int> x, y;
    for (int i = 0; i < 400; ++i) {
        x.push_back(i % 4);
        y.push_back((i / 4) % 4);
    }
    QVERIFY(std::abs(FactorReport::mutualInformation(x, 4, x, 4) - std::log(4.0)) < 1e-12);
    QVERIFY(std::abs(FactorReport::mutualInformation(x, 4, y, 4)) < 1e-12);
    const std::vector<int> bins = FactorReport::discretise({0.0, 0.5, 1.0, 0.999}, 2);
    QCOMPARE(bins, (std::vector<int>{0, 1, 1, 1}));
    QCOMPARE(FactorReport::discretise({2.0, 2.0}), (std::vector<int>{0, 0}));
}

void TestFactorReport::plantedCodeGivesItsMigAndCorrelations()
{
    const Planted p = planted();
    const FactorReport r = FactorReport::analyse(p.codes, 4, {"0", "1", "2", "3"}, p.factors, {0, 1, 2, 3});
    QCOMPARE(int(r.factors.size()), 4);
    const FactorScores& a = r.factors[0];
    // z0 is a exactly: the same 20 bins, so MI = H(a), and no other dimension knows a.
    QVERIFY(std::abs(a.mutualInformation[0] - a.entropy) < 1e-9);
    QVERIFY(a.correlation[0] > 0.999);
    for (int d = 1; d < 4; ++d)
        QVERIFY2(a.correlation[std::size_t(d)] < 0.1, qPrintable(QString::number(a.correlation[std::size_t(d)])));
    QCOMPARE(a.bestDimension, 0);
    QVERIFY2(a.mig > 0.9, qPrintable(QString::number(a.mig)));
    const FactorScores& b = r.factors[1];
    QCOMPARE(b.bestDimension, 1);
    QVERIFY(b.correlation[1] > 0.99);
    QVERIFY2(b.mig > 0.6, qPrintable(QString::number(b.mig))); // noise of 0.05 blurs the 0.1-wide bins
    const FactorScores& label = r.factors[2];
    QCOMPARE(label.bestDimension, 2);
    QVERIFY(std::abs(label.entropy - std::log(4.0)) < 1e-9);
    QVERIFY(label.correlation[2] > 0.99); // the correlation ratio: the classes explain z2
    QVERIFY(label.mig > 0.95);
    // c is in no dimension: every MI is the plug-in estimator's small bias, so no gap.
    const FactorScores& c = r.factors[3];
    for (double mi : c.mutualInformation)
        QVERIFY2(mi < 0.15, qPrintable(QString::number(mi)));
    QVERIFY2(c.mig < 0.05, qPrintable(QString::number(c.mig)));
    QVERIFY(std::abs(r.mig - (a.mig + b.mig + label.mig + c.mig) / 4) < 1e-12);
    QVERIFY(r.hasLabels);
    QVERIFY(!r.hasAngle);
}

void TestFactorReport::angleLatentAndSymmetricSuits()
{
    // Angles uniform in +-120 degrees; the angle latent (radians) is the angle plus a fixed
    // offset and a little noise, except on the symmetric class 0 (a diamond) where half the
    // images are seen half a turn away. Content z1 = the class, z2 = cos of the angle (the
    // content carries the angle: bad, and the report must say so).
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> uniform(-120, 120);
    std::normal_distribution<double> noise(0, 0.02);
    FactorInput angle{"angle", FactorInput::Kind::Angle, {}, 0}, label{"class", FactorInput::Kind::Label, {}, 2};
    std::vector<float> codes;
    for (int i = 0; i < 1000; ++i) {
        const double degrees = uniform(rng);
        const int cls = i % 2;
        angle.values.push_back(degrees);
        label.values.push_back(cls);
        const double flip = cls == 0 && i % 4 == 0 ? M_PI : 0.0;
        const double rad = degrees * M_PI / 180;
        for (double v : {rad + 0.3 + flip + noise(rng), double(cls) + noise(rng), std::cos(rad)})
            codes.push_back(float(v));
    }
    const FactorReport r =
        FactorReport::analyse(codes, 3, {"angle", "z0", "z1"}, {label, angle}, {1, 2}, 0, {2, 1});
    QVERIFY(r.hasAngle);
    QVERIFY(r.angle.hasAngleLatent);
    QVERIFY2(r.angle.angleLatentCorrelation > 0.99, qPrintable(QString::number(r.angle.angleLatentCorrelation)));
    QCOMPARE(int(r.angle.angleLatentCorrelationPerClass.size()), 2);
    // Doubling the diamond's angles makes the half-turn flips vanish.
    QVERIFY2(r.angle.angleLatentCorrelationPerClass[0] > 0.99,
             qPrintable(QString::number(r.angle.angleLatentCorrelationPerClass[0])));
    QVERIFY(r.angle.carriedByContent > 0.5); // z1 = cos(angle) on class 1, cos(2 angle) unknown to it on class 0
    // A content that only says the class carries none of the angle, though the doubled
    // angles of class 0 have another mean cosine than class 1's (-0.21 against 0.41).
    const FactorReport classOnly = FactorReport::analyse(codes, 3, {"angle", "z0", "z1"}, {label, angle}, {1}, 0, {2, 1});
    QVERIFY2(classOnly.angle.carriedByContent < 0.1, qPrintable(QString::number(classOnly.angle.carriedByContent)));
    // Each class may have its own canonical orientation: the overall figure is the mean of
    // the classes' own, not the pooled correlation that the offsets would spoil.
    {
        FactorInput turned{"angle", FactorInput::Kind::Angle, {}, 0}, suits{"class", FactorInput::Kind::Label, {}, 3};
        std::vector<float> offsetCodes;
        for (int i = 0; i < 300; ++i) {
            const double degrees = uniform(rng);
            turned.values.push_back(degrees);
            suits.values.push_back(i % 3);
            for (double v : {degrees * M_PI / 180 + 2.0 * (i % 3) + noise(rng), double(i % 3)})
                offsetCodes.push_back(float(v));
        }
        const FactorReport offsets = FactorReport::analyse(offsetCodes, 2, {"angle", "z0"}, {suits, turned}, {1}, 0);
        QVERIFY2(offsets.angle.angleLatentCorrelation > 0.99, qPrintable(QString::number(offsets.angle.angleLatentCorrelation)));
    }
    const FactorReport undoubled = FactorReport::analyse(codes, 3, {"angle", "z0", "z1"}, {label, angle}, {1, 2}, 0);
    QVERIFY2(undoubled.angle.angleLatentCorrelationPerClass[0] < 0.9,
             qPrintable(QString::number(undoubled.angle.angleLatentCorrelationPerClass[0])));
    // Without an angle latent (a plain VAE) there is only the circular-linear correlation:
    // z2 = cos(angle) is a linear function of (cos, sin), so it scores 1; the angle latent,
    // seen as a line, follows the angle on +-120 degrees less well (its half-turn flips).
    const FactorReport plain = FactorReport::analyse(codes, 3, {"0", "1", "2"}, {label, angle}, {0, 1, 2});
    QVERIFY(!plain.angle.hasAngleLatent);
    QCOMPARE(plain.angle.bestLinearDimension, 2);
    QVERIFY(plain.angle.bestLinearCorrelation > 0.999);
    QVERIFY(plain.factors[1].correlation[0] > 0.5);
}

void TestFactorReport::neighboursAndClusters()
{
    const Planted p = planted();
    std::vector<int> labels;
    for (double v : p.factors[2].values)
        labels.push_back(int(v));
    // z2 separates the classes; z3 is noise, so its neighbours vote at chance.
    QCOMPARE(FactorReport::nearestNeighbourAccuracy(p.codes, 4, {2}, labels), 1.0);
    const double chance = FactorReport::nearestNeighbourAccuracy(p.codes, 4, {3}, labels);
    QVERIFY2(chance < 0.35, qPrintable(QString::number(chance)));
    QVERIFY(std::abs(FactorReport::clusterAgreement(p.codes, 4, {2}, labels, 4) - 1.0) < 1e-9);
    const double random = FactorReport::clusterAgreement(p.codes, 4, {3}, labels, 4);
    QVERIFY2(random < 0.05, qPrintable(QString::number(random)));
}

void TestFactorReport::fromDatasetReadsLabelsAttributesAndFactors()
{
    std::vector<std::uint8_t> pixels(40, 0);
    std::vector<int> labels;
    std::vector<signed char> attributes;
    std::vector<float> factors, codes;
    for (int i = 0; i < 40; ++i) {
        labels.push_back(i % 4);
        const int odd = (i % 2) ^ ((i / 4) % 2); // neither the class nor the angle's bins tell it
        attributes.push_back(odd ? 1 : -1);
        factors.push_back(float(i * 6 - 120)); // angle
        factors.push_back(float(i));           // shear
        for (float v : {float(i * 6 - 120) / 57.3f, 0.0f, 0.0f, float(i % 4), float(odd)})
            codes.push_back(v);
    }
    Dataset data("cards-like", ImageShape{1, 1, 1}, pixels, labels, {"diamonds", "clubs", "spades", "hearts"});
    data.setAttributes({"Odd"}, attributes);
    data.setFactors({"angle", "shear"}, factors);
    const FactorReport r = FactorReport::fromDataset(codes, 5, data, {"angle", "dx", "dy", "z0", "z1"}, 3);
    QCOMPARE(int(r.factors.size()), 4);
    QCOMPARE(r.factors[0].name, std::string("class"));
    QCOMPARE(r.factors[1].name, std::string("Odd"));
    QCOMPARE(r.factors[1].kind, FactorInput::Kind::Label);
    QCOMPARE(r.factors[2].kind, FactorInput::Kind::Angle);
    QCOMPARE(r.factors[3].kind, FactorInput::Kind::Continuous);
    QCOMPARE(r.factors[1].bestDimension, 4);
    QVERIFY(r.angle.hasAngleLatent);
    QCOMPARE(r.contentKnnAccuracy, 1.0);

    Dataset bare("bare", ImageShape{1, 1, 1}, pixels);
    try {
        FactorReport::fromDataset(codes, 5, bare, {"0", "1", "2", "3", "4"}, 0);
        QFAIL("a data set without factors was accepted");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("bare has no labels, attributes or factors") != std::string::npos, e.what());
    }
}

void TestFactorReport::rejects_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("no factors") << 0 << "no known factors";
    QTest::newRow("too few codes") << 1 << "needs 10 to 20000 codes, got 5";
    QTest::newRow("wrong value count") << 2 << "has 3 values for 20 codes";
    QTest::newRow("label out of range") << 3 << "holds the value 7.000000, not a class index";
    QTest::newRow("not a number") << 4 << "not a finite number";
    QTest::newRow("one class") << 5 << "needs 2 to 1000 classes, has 1";
    QTest::newRow("names") << 6 << "1 names for 2 dimensions";
}

void TestFactorReport::rejects()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    std::vector<float> codes(40, 0.5f);
    std::vector<FactorInput> factors = {{"f", FactorInput::Kind::Label, std::vector<double>(20, 1.0), 2}};
    std::vector<std::string> names = {"0", "1"};
    switch (kind) {
    case 0: factors.clear(); break;
    case 1: codes.resize(10); break;
    case 2: factors[0].values.resize(3); break;
    case 3: factors[0].values[4] = 7; break;
    case 4: codes[3] = std::nanf(""); break;
    case 5: factors[0].classes = 1; break;
    case 6: names.pop_back(); break;
    }
    try {
        FactorReport::analyse(codes, 2, names, factors, {0, 1});
        QFAIL("accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

QTEST_GUILESS_MAIN(TestFactorReport)
#include "test_factorreport.moc"
