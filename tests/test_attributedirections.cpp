#include <QtTest>

#include <cmath>
#include <random>

#include "core/base/Error.h"
#include "core/latent/AttributeDirections.h"

using namespace latentlab;

// The ways to make a vector, on planted latent spaces: two binary attributes, each a
// known direction, agreeing with each other for a chosen share of the images.
class TestAttributeDirections : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void controlsForACorrelatedAttribute_data();
    void controlsForACorrelatedAttribute();
    void probeSeparatesAPlantedSet();
    void crossTalk_data();
    void crossTalk();
    void crossTalkWithStoredVectors();
    void strengthToReach();
    void rejects_data();
    void rejects();
};

namespace {

constexpr int kDim = 8;

struct Planted {
    LatentCodes codes;
    AttributeLabels labels{{"first", "second"}, {}};
    std::vector<float> first, second; // the planted directions, unit length
};

// z = N(0, I) + strength * (a1 * first + a2 * second); a1 in half the images, a2 = a1
// for the share `agree` of them. `angle` (degrees) is between the two directions.
Planted planted(double agree, double angleDegrees, double strength = 3, int count = 6000, unsigned seed = 7)
{
    Planted p;
    const double angle = angleDegrees * M_PI / 180;
    p.first.assign(kDim, 0.0f);
    p.second.assign(kDim, 0.0f);
    p.first[0] = 1;
    p.second[0] = float(std::cos(angle));
    p.second[1] = float(std::sin(angle));
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    std::bernoulli_distribution half(0.5), same(agree);
    p.codes.dim = kDim;
    for (int i = 0; i < count; ++i) {
        const bool a1 = half(rng);
        const bool a2 = same(rng) ? a1 : !a1;
        p.labels.values.push_back(a1 ? 1 : -1);
        p.labels.values.push_back(a2 ? 1 : -1);
        for (int j = 0; j < kDim; ++j)
            p.codes.mu.push_back(normal(rng) + float(strength * ((a1 ? p.first[j] : 0) + (a2 ? p.second[j] : 0))));
    }
    return p;
}

double norm(const std::vector<float>& v)
{
    double s = 0;
    for (float x : v)
        s += double(x) * x;
    return std::sqrt(s);
}

std::vector<std::size_t> allRows(std::size_t n)
{
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i)
        rows[i] = i;
    return rows;
}

} // namespace

void TestAttributeDirections::controlsForACorrelatedAttribute_data()
{
    QTest::addColumn<double>("agree");
    QTest::addColumn<int>("target");
    QTest::newRow("first, 85% agree") << 0.85 << 0;
    QTest::newRow("second, 85% agree") << 0.85 << 1;
    QTest::newRow("first, 95% agree") << 0.95 << 0;
    QTest::newRow("first, 15% agree (anti-correlated)") << 0.15 << 0;
}

// The stratified mean difference recovers the planted direction where the plain mean
// difference takes in the correlated attribute's. The conditional probe does not: each
// probe's normal leans towards the other direction too (the other attribute predicts
// this one), so projecting one normal out of the other is not the planted direction;
// it only leaves the other's latent classifier unmoved.
void TestAttributeDirections::controlsForACorrelatedAttribute()
{
    QFETCH(double, agree);
    QFETCH(int, target);
    const Planted p = planted(agree, 90);
    const std::vector<float>& truth = target == 0 ? p.first : p.second;
    const auto cosineOf = [&](VectorMethod m) {
        return AttributeMath::cosine(AttributeDirections::make(m, p.codes, p.labels, std::size_t(target)), truth);
    };
    double coverage = 0;
    const double stratified = AttributeMath::cosine(
        AttributeDirections::stratifiedMeanDifference(p.codes, p.labels, std::size_t(target), &coverage), truth);
    qInfo("cosine with the planted direction: mean %.3f, stratified %.3f, probe %.3f, conditional probe %.3f, "
          "orthogonal %.3f",
          cosineOf(VectorMethod::Mean), stratified, cosineOf(VectorMethod::Probe), cosineOf(VectorMethod::ConditionalProbe),
          cosineOf(VectorMethod::Orthogonal));
    QVERIFY(stratified >= 0.99);
    QVERIFY(cosineOf(VectorMethod::Stratified) >= 0.99);
    QVERIFY(cosineOf(VectorMethod::Mean) < 0.95);
    const std::vector<float> conditional =
        AttributeDirections::make(VectorMethod::ConditionalProbe, p.codes, p.labels, std::size_t(target));
    const LinearProbe other = LinearProbe::fit(p.codes, p.labels.groups(std::size_t(1 - target)));
    QVERIFY(std::abs(AttributeMath::cosine(
                conditional, std::vector<float>(other.normal().begin(), other.normal().end()))) < 1e-5);
    QCOMPARE(coverage, 1.0); // two attributes: every stratum has both groups
    // The stratified vector's length is the planted strength (a difference of means).
    const std::vector<float> v = AttributeDirections::stratifiedMeanDifference(p.codes, p.labels, std::size_t(target));
    QVERIFY2(std::abs(norm(v) - 3.0) < 0.1, qPrintable(QString::number(norm(v))));
}

void TestAttributeDirections::probeSeparatesAPlantedSet()
{
    const Planted p = planted(0.5, 90, 6);
    const LinearProbe probe = LinearProbe::fit(p.codes, p.labels.groups(0));
    QVERIFY2(probe.accuracy() > 0.99, qPrintable(QString::number(probe.accuracy())));
    const std::vector<float> normal(probe.normal().begin(), probe.normal().end());
    QVERIFY(AttributeMath::cosine(normal, p.first) > 0.99);
    std::size_t right = 0;
    for (std::size_t i = 0; i < p.codes.count(); ++i)
        right += probe.predicts(p.codes.code(i)) == (p.labels.value(i, 0) > 0);
    QCOMPARE(double(right) / double(p.codes.count()), probe.accuracy());
    // Scaled to the groups' mean gap along it: about the planted strength.
    const std::vector<float> v = AttributeDirections::make(VectorMethod::Probe, p.codes, p.labels.groups(0));
    QVERIFY2(std::abs(norm(v) - 6.0) < 0.2, qPrintable(QString::number(norm(v))));
}

void TestAttributeDirections::crossTalk_data()
{
    QTest::addColumn<double>("angle");
    QTest::addColumn<double>("expected"); // the pair's cosine
    QTest::newRow("orthogonal pair") << 90.0 << 0.0;
    QTest::newRow("correlated pair, cos 0.6") << std::acos(0.6) * 180 / M_PI << 0.6;
    QTest::newRow("correlated pair, cos -0.3") << std::acos(-0.3) * 180 / M_PI << -0.3;
}

// Independent attributes along directions at an angle: an edit of strength 1 with the
// first's vector moves the second's projection by the directions' cosine.
void TestAttributeDirections::crossTalk()
{
    QFETCH(double, angle);
    QFETCH(double, expected);
    const Planted p = planted(0.5, angle, 3, 20000);
    const AttributeGroups first = p.labels.groups(0);
    const std::vector<float> v = AttributeDirections::make(VectorMethod::Mean, p.codes, p.labels, 0);
    const std::vector<CrossTalk> talk = AttributeDirections::crossTalk(v, p.codes, p.labels, 0, first.without);
    QCOMPARE(talk.size(), std::size_t(1));
    QCOMPARE(talk[0].name, std::string("second"));
    qInfo("shift %.3f, flipped %.1f%%", talk[0].shift, 100 * talk[0].flipped);
    QVERIFY2(std::abs(talk[0].shift - expected) < 0.03, qPrintable(QString::number(talk[0].shift)));
    if (expected == 0)
        QVERIFY(talk[0].flipped < 0.02);
    else
        QVERIFY(talk[0].flipped > 0.03);
    // The conditional probe's vector does not move the other's latent classifier.
    const std::vector<float> c = AttributeDirections::make(VectorMethod::ConditionalProbe, p.codes, p.labels, 0);
    const std::vector<CrossTalk> none = AttributeDirections::crossTalk(c, p.codes, p.labels, 0, allRows(p.codes.count()));
    QVERIFY2(none[0].flipped < 0.01, qPrintable(QString::number(none[0].flipped)));
}

void TestAttributeDirections::crossTalkWithStoredVectors()
{
    const std::vector<float> v{2, 0, 0}, along{1, 0, 0}, across{0, 3, 0}, diagonal{1, 1, 0};
    const std::vector<CrossTalk> talk = AttributeDirections::crossTalk(
        v, std::vector<AttributeVector>{{"along", along}, {"across", across}, {"diagonal", diagonal}, {"short", {1}}});
    QCOMPARE(talk.size(), std::size_t(3)); // the one of the wrong length is left out
    QCOMPARE(talk[0].shift, 2.0);
    QCOMPARE(talk[1].shift, 0.0);
    QCOMPARE(talk[2].shift, 1.0);
    QCOMPARE(talk[0].flipped, -1.0);
}

// Without-first codes sit at N(0, 1) along the planted direction, the boundary at 1.5 and
// the vector is 3 long: 90% of them cross at (1.5 + 1.28) / 3 = 0.93.
void TestAttributeDirections::strengthToReach()
{
    const Planted p = planted(0.5, 90, 3, 20000);
    const AttributeGroups first = p.labels.groups(0);
    const LinearProbe probe = LinearProbe::fit(p.codes, first);
    const std::vector<float> v = AttributeDirections::make(VectorMethod::Mean, p.codes, p.labels, 0);
    const double alpha = AttributeDirections::strengthToReach(v, p.codes, probe, first.without, 0.9);
    qInfo("strength for 90%%: %.3f", alpha);
    QVERIFY(std::abs(alpha - 0.93) < 0.05);
    std::size_t reached = 0;
    for (std::size_t row : first.without) {
        std::vector<float> z = p.codes.codeVector(row);
        for (std::size_t j = 0; j < z.size(); ++j)
            z[j] += float(alpha) * v[j];
        reached += probe.predicts(z.data());
    }
    QVERIFY(double(reached + 1) / double(first.without.size()) >= 0.9); // the last one lands on the boundary
    std::vector<float> away = v;
    for (float& x : away)
        x = -x;
    QCOMPARE(AttributeDirections::strengthToReach(away, p.codes, probe, first.without), -1.0);
    QCOMPARE(AttributeDirections::strengthToReach(v, p.codes, probe, first.with, 0.5), 0.0); // already there
}

void TestAttributeDirections::rejects_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no stratum with both groups") << "always agree" << "no images that agree on the other 1 attributes";
    QTest::newRow("unknown method") << "parse" << "unknown vector method 'median'; known: mean, orthogonal, stratified";
    QTest::newRow("stratified without other attributes") << "groups" << "use mean or probe";
    QTest::newRow("labels that do not match the codes") << "rows" << "the attribute labels have 5999 rows";
    QTest::newRow("column out of range") << "column" << "attribute column 2 is out of range (2 attributes)";
    QTest::newRow("empty group") << "empty" << "one group is empty";
    QTest::newRow("spanned by the others") << "spanned" << "the direction of 'first' lies in the span of the other 1";
}

void TestAttributeDirections::rejects()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    Planted p = planted(what == "always agree" ? 1.0 : 0.5, 90);
    try {
        if (what == "always agree") {
            AttributeDirections::stratifiedMeanDifference(p.codes, p.labels, 0);
        } else if (what == "parse") {
            AttributeDirections::parse("median");
        } else if (what == "groups") {
            AttributeDirections::make(VectorMethod::Stratified, p.codes, p.labels.groups(0));
        } else if (what == "rows") {
            p.labels.values.resize(p.labels.values.size() - 2);
            AttributeDirections::make(VectorMethod::Mean, p.codes, p.labels, 0);
        } else if (what == "column") {
            AttributeDirections::make(VectorMethod::Probe, p.codes, p.labels, 2);
        } else if (what == "spanned") { // a 1-D latent space: the second's direction spans it
            LatentCodes line{1, {}, {}, {}, {}};
            for (std::size_t i = 0; i < p.codes.count(); ++i)
                line.mu.push_back(p.codes.code(i)[0]);
            AttributeDirections::make(VectorMethod::Orthogonal, line, p.labels, 0);
        } else {
            LinearProbe::fit(p.codes, {p.labels.groups(0).with, {}});
        }
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestAttributeDirections)
#include "test_attributedirections.moc"
