#include <QtTest>

#include <cmath>

#include "core/base/Error.h"
#include "core/latent/LatentGrid.h"
#include "core/latent/LatentPlane.h"
#include "core/latent/NormalDistribution.h"
#include "core/latent/ViewMapping.h"

using namespace latentlab;

class TestLatentPlane : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pixelLatentPixel_data();
    void pixelLatentPixel();
    void inverseCdf_data();
    void inverseCdf();
    void inverseCdfGridQuantiles();
    void principalComponents();
    void pinnedHoldsThePose();
    void rejects_data();
    void rejects();
};

namespace {

LatentCodes correlatedCodes()
{
    // Codes stretched along (1, 1, 0, 0) (std 3) and (0, 0, 1, -1)/sqrt2 (std 1).
    LatentCodes codes;
    codes.dim = 4;
    for (int i = 0; i < 400; ++i) {
        const double s = 3 * std::sin(i * 0.7) * std::sqrt(2.0), t = std::cos(i * 1.3) * std::sqrt(2.0);
        const float m[4] = {float(1 + s / std::sqrt(2.0)), float(s / std::sqrt(2.0)), float(t / std::sqrt(2.0)),
                            float(-t / std::sqrt(2.0))};
        codes.mu.insert(codes.mu.end(), m, m + 4);
    }
    return codes;
}

LatentPlane planeOfKind(const QString& kind)
{
    const std::vector<float> base = {0.5f, -1, 2, 0.25f};
    if (kind == "dimensions")
        return LatentPlane::fromDimensions(base, 3, 1);
    if (kind == "pca")
        return LatentPlane::fromPrincipalComponents(correlatedCodes());
    if (kind == "three codes")
        return LatentPlane::throughCodes(base, {1, 1, 1, 1}, {-2, 0, 3, 1});
    return LatentPlane::fromAttributes(base, {0.3f, 0.2f, -0.1f, 0}, {0, 0.5f, 0.5f, 0.1f}, "smile", "glasses");
}

} // namespace

void TestLatentPlane::pinnedHoldsThePose()
{
    // A plane through three rVAE codes (angle, dx, dy, z0, z1), held at the pose (0.5, 1, -1):
    // every point has that pose, and the content moves as before.
    const LatentPlane plane = LatentPlane::throughCodes({0.1f, 0.2f, 0.3f, 0, 0}, {1, 0, 0, 1, 0}, {-1, 0, 0, 0, 2});
    const LatentPlane held = plane.pinned({0.5f, 1, -1});
    float z[5], before[5];
    for (auto [a, b] : {std::pair{0.0, 0.0}, {1.0, 0.0}, {0.3, 0.7}}) {
        held.point(a, b, z);
        plane.point(a, b, before);
        QCOMPARE(z[0], 0.5f);
        QCOMPARE(z[1], 1.0f);
        QCOMPARE(z[2], -1.0f);
        QCOMPARE(z[3], before[3]);
        QCOMPARE(z[4], before[4]);
    }
    QCOMPARE(held.uName(), plane.uName());
    QCOMPARE(plane.pinned({}).origin(), plane.origin());
    // A plane of the pose alone has nothing left.
    try {
        LatentPlane::fromDimensions({0, 0, 0, 0, 0}, 0, 1).pinned({0, 0, 0});
        QFAIL("a plane of the pose alone was pinned");
    } catch (const Error&) {
    }
    try {
        plane.pinned(std::vector<float>(6, 0.0f));
        QFAIL("more values than dimensions");
    } catch (const Error& e) {
        QVERIFY(std::string(e.what()).find("cannot hold 6 values") != std::string::npos);
    }
}

void TestLatentPlane::pixelLatentPixel_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("spacing");
    for (const char* kind : {"dimensions", "pca", "three codes", "attributes"})
        for (int spacing : {int(GridSpacing::Linear), int(GridSpacing::InverseCdf)})
            QTest::newRow(qPrintable(QString("%1, %2").arg(kind, spacing ? "inverse CDF" : "linear")))
                << QString(kind) << spacing;
}

void TestLatentPlane::pixelLatentPixel()
{
    QFETCH(QString, kind);
    QFETCH(int, spacing);
    const LatentPlane plane = planeOfKind(kind);
    const ViewMapping view({-2.5, 1.5, -1, 2}, GridSpacing(spacing), 640, 480);
    for (double x : {0.0, 0.5, 13.25, 320.0, 639.0, 640.0}) {
        for (double y : {0.0, 100.5, 240.0, 479.75}) {
            const auto [a, b] = view.toPlane(x, y);
            const std::vector<float> z = plane.point(a, b);
            const auto [a2, b2] = plane.coordinates(z);
            const auto [x2, y2] = view.toPixel(a2, b2);
            QVERIFY2(std::abs(x2 - x) < 1e-3 && std::abs(y2 - y) < 1e-3,
                     qPrintable(QString("(%1, %2) came back as (%3, %4)").arg(x).arg(y).arg(x2).arg(y2)));
        }
    }
    // Corners are the range's ends; b grows upwards.
    QCOMPARE(view.toPlane(0, 480).first, -2.5);
    QVERIFY(std::abs(view.toPlane(0, 480).second - -1) < 1e-12);
    QVERIFY(std::abs(view.toPlane(640, 0).second - 2) < 1e-12);
    // Tile centres of the grid are the view's mapping of the tile centres' pixels.
    const std::vector<float> codes = LatentGrid::codes(plane, view, 4, 3);
    QCOMPARE(codes.size(), std::size_t(12 * 4));
    const auto [a, b] = view.toPlane(2.5 * 160, 0.5 * 160);
    const std::vector<float> expected = plane.point(a, b);
    for (int j = 0; j < 4; ++j)
        QVERIFY(std::abs(codes[std::size_t(2 * 4 + j)] - expected[std::size_t(j)]) < 1e-6);
}

void TestLatentPlane::inverseCdf_data()
{
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("z");
    QTest::newRow("median") << 0.5 << 0.0;
    QTest::newRow("97.5%") << 0.975 << 1.959963984540054;
    QTest::newRow("5%") << 0.05 << -1.6448536269514722;
    QTest::newRow("84.13%") << 0.8413447460685429 << 1.0;
    QTest::newRow("lower tail 1e-10") << 1e-10 << -6.361340902404056;
    QTest::newRow("upper tail 0.9999") << 0.9999 << 3.719016485455709;
    QTest::newRow("1% (grid default)") << 0.01 << -2.3263478740408408;
}

void TestLatentPlane::inverseCdf()
{
    QFETCH(double, p);
    QFETCH(double, z);
    QVERIFY2(std::abs(NormalDistribution::inverseCdf(p) - z) < 1e-12,
             qPrintable(QString::number(NormalDistribution::inverseCdf(p), 'g', 17)));
    QVERIFY(std::abs(NormalDistribution::cdf(z) - p) < 1e-14);
}

void TestLatentPlane::inverseCdfGridQuantiles()
{
    // Kingma & Welling: tiles at equal steps of probability between the range's quantiles.
    const double zLow = NormalDistribution::inverseCdf(0.05), zHigh = NormalDistribution::inverseCdf(0.95);
    const ViewMapping view({zLow, zHigh, zLow, zHigh}, GridSpacing::InverseCdf, 100, 100);
    const auto centres = view.tileCentres(10, 10);
    for (int c = 0; c < 10; ++c) {
        const double expected = 0.05 + (c + 0.5) / 10 * 0.9;
        QVERIFY(std::abs(NormalDistribution::cdf(centres[std::size_t(c)].first) - expected) < 1e-12);
        QVERIFY(std::abs(NormalDistribution::cdf(centres[std::size_t(c * 10)].second) - (1 - expected)) < 1e-12);
    }
    // Linear spacing: equal steps in z.
    const auto linear = ViewMapping({-3, 3, -3, 3}, GridSpacing::Linear, 10, 10).tileCentres(6, 1);
    for (int c = 0; c < 6; ++c)
        QVERIFY(std::abs(linear[std::size_t(c)].first - (-2.5 + c)) < 1e-12);
}

void TestLatentPlane::principalComponents()
{
    const LatentPlane plane = LatentPlane::fromPrincipalComponents(correlatedCodes());
    // PC1 lies along (1, 1, 0, 0) with std ~3, PC2 along (0, 0, 1, -1) with std ~1.
    const std::vector<float>& u = plane.u();
    const double normU = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2] + u[3] * u[3]);
    QVERIFY2(std::abs(std::abs(u[0] + u[1]) / (normU * std::sqrt(2.0)) - 1) < 1e-3, "PC1 direction");
    QVERIFY2(std::abs(normU - 3) < 0.2, qPrintable(QString::number(normU)));
    const std::vector<float>& v = plane.v();
    QVERIFY2(std::abs(v[2] + v[3]) < 1e-3 && std::abs(v[0]) < 1e-3, "PC2 direction");
    QVERIFY(std::abs(plane.origin()[0] - 1) < 0.05); // the mean
}

void TestLatentPlane::rejects_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("same dimension twice") << "dims" << "must differ";
    QTest::newRow("three codes on a line") << "collinear" << "parallel";
    QTest::newRow("identical codes") << "identical" << "must not be zero";
    QTest::newRow("code of the wrong length") << "length" << "does not fit";
    QTest::newRow("empty range") << "range" << "minimums below";
    QTest::newRow("probability 1") << "cdf" << "strictly between 0 and 1";
}

void TestLatentPlane::rejects()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    try {
        if (what == "dims")
            LatentPlane::fromDimensions({0, 0, 0}, 1, 1);
        else if (what == "collinear")
            LatentPlane::throughCodes({0, 0}, {1, 1}, {2, 2});
        else if (what == "identical")
            LatentPlane::throughCodes({1, 2}, {1, 2}, {3, 4});
        else if (what == "length")
            LatentPlane::fromDimensions({0, 0, 0}, 0, 1).coordinates({1, 2});
        else if (what == "range")
            ViewMapping({1, 1, 0, 1}, GridSpacing::Linear, 10, 10);
        else if (what == "cdf")
            NormalDistribution::inverseCdf(1.0);
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestLatentPlane)
#include "test_latentplane.moc"
