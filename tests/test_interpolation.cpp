#include <QtTest>

#include <cmath>

#include "core/base/Error.h"
#include "core/latent/Interpolation.h"

using namespace latentlab;

class TestInterpolation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void slerpKeepsNorm_data();
    void slerpKeepsNorm();
    void parallelVectors_data();
    void parallelVectors();
    void linearAndBarycentric();
    void framesEndAtTheCodes();
    void triangleFramesVisitTheCorners();
    void rejectsMismatchedCodes();
};

namespace {

double norm(const std::vector<float>& z)
{
    double s = 0;
    for (float v : z)
        s += double(v) * v;
    return std::sqrt(s);
}

} // namespace

void TestInterpolation::slerpKeepsNorm_data()
{
    QTest::addColumn<QVector<float>>("a");
    QTest::addColumn<QVector<float>>("b");
    QTest::newRow("orthogonal unit") << QVector<float>{1, 0, 0} << QVector<float>{0, 1, 0};
    QTest::newRow("obtuse, norm 5") << QVector<float>{3, 4, 0} << QVector<float>{-4, 0, 3};
    QTest::newRow("acute, 20-D") << QVector<float>(20, 1.0f) << QVector<float>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    QTest::newRow("nearly opposite") << QVector<float>{1, 0} << QVector<float>{-1, 0.01f};
}

void TestInterpolation::slerpKeepsNorm()
{
    QFETCH(QVector<float>, a);
    QFETCH(QVector<float>, b);
    const std::vector<float> za(a.begin(), a.end());
    std::vector<float> zb(b.begin(), b.end());
    const double n = norm(za);
    for (float& v : zb) // same norm as a
        v = float(v * n / norm(std::vector<float>(b.begin(), b.end())));
    for (double t : {0.0, 0.1, 0.25, 0.5, 0.8, 1.0}) {
        const std::vector<float> z = Interpolation::spherical(za, zb, t);
        QVERIFY2(std::abs(norm(z) - n) < 1e-5 * n, qPrintable(QString("t=%1: norm %2, not %3").arg(t).arg(norm(z)).arg(n)));
    }
    // Linear interpolation does not keep it (the test can tell the two apart).
    QVERIFY(norm(Interpolation::linear(za, zb, 0.5)) < n * 0.999);
}

void TestInterpolation::parallelVectors_data()
{
    QTest::addColumn<QVector<float>>("b");
    QTest::newRow("same vector") << QVector<float>{1, 2, 3};
    QTest::newRow("same direction, longer") << QVector<float>{2, 4, 6};
    QTest::newRow("opposite") << QVector<float>{-1, -2, -3};
    QTest::newRow("zero") << QVector<float>{0, 0, 0};
}

void TestInterpolation::parallelVectors()
{
    QFETCH(QVector<float>, b);
    const std::vector<float> za = {1, 2, 3}, zb(b.begin(), b.end());
    for (double t : {0.0, 0.3, 0.5, 1.0}) {
        const std::vector<float> s = Interpolation::spherical(za, zb, t);
        const std::vector<float> l = Interpolation::linear(za, zb, t);
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(std::isfinite(s[i]));
            QVERIFY(std::abs(s[i] - l[i]) < 1e-5);
        }
    }
}

void TestInterpolation::linearAndBarycentric()
{
    const std::vector<float> z1 = {0, 0}, z2 = {2, 0}, z3 = {0, 4};
    QCOMPARE(Interpolation::linear(z1, z2, 0.25), (std::vector<float>{0.5f, 0}));
    QCOMPARE(Interpolation::barycentric(z1, z2, z3, 0, 0), z1);
    QCOMPARE(Interpolation::barycentric(z1, z2, z3, 1, 0), z2);
    QCOMPARE(Interpolation::barycentric(z1, z2, z3, 0, 1), z3);
    QCOMPARE(Interpolation::barycentric(z1, z2, z3, 0.5, 0.25), (std::vector<float>{1, 1}));
}

void TestInterpolation::framesEndAtTheCodes()
{
    const std::vector<float> a = {1, 0, 0}, b = {0, 0, 2};
    for (InterpolationKind kind : {InterpolationKind::Linear, InterpolationKind::Spherical}) {
        const std::vector<float> f = Interpolation::frames(a, b, 7, kind);
        QCOMPARE(f.size(), std::size_t(21));
        QCOMPARE(std::vector<float>(f.begin(), f.begin() + 3), a);
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(f[std::size_t(18 + i)] - b[std::size_t(i)]) < 1e-6);
    }
}

void TestInterpolation::triangleFramesVisitTheCorners()
{
    const std::vector<float> a = {0, 0}, b = {4, 0}, c = {0, 4};
    const std::vector<float> f = Interpolation::triangleFrames(a, b, c, 5);
    QCOMPARE(f.size(), std::size_t(13 * 2)); // 3 edges of 5 frames, corners shared, back at A
    const auto frame = [&](int i) { return std::vector<float>(f.begin() + 2 * i, f.begin() + 2 * i + 2); };
    QCOMPARE(frame(0), a);
    QCOMPARE(frame(4), b);
    QCOMPARE(frame(8), c);
    QCOMPARE(frame(12), a);
    QCOMPARE(frame(2), (std::vector<float>{2, 0}));
    QVERIFY_THROWS_EXCEPTION(Error, Interpolation::triangleFrames(a, b, c, 1));
}

void TestInterpolation::rejectsMismatchedCodes()
{
    QVERIFY_THROWS_EXCEPTION(Error, Interpolation::linear({1, 2}, {1, 2, 3}, 0.5));
    QVERIFY_THROWS_EXCEPTION(Error, Interpolation::spherical({1, 2}, {1}, 0.5));
    QVERIFY_THROWS_EXCEPTION(Error, Interpolation::frames({1}, {2}, 1, InterpolationKind::Linear));
}

QTEST_GUILESS_MAIN(TestInterpolation)
#include "test_interpolation.moc"
