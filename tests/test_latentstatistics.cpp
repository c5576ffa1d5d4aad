#include <QtTest>

#include <cmath>
#include <random>

#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/formats/HistogramPlot.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentStatistics.h"
#include "core/model/Model.h"

using namespace latentlab;

class TestLatentStatistics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownDistributions();
    void encodeDataset();
    void nearestNeighbours();
    void histogramPlot();
    void rejects();
};

void TestLatentStatistics::knownDistributions()
{
    // Dimension 0: mu ~ N(0, 0.8^2) with sigma^2 = 0.36 (aggregate variance 1, like the prior);
    // dimension 1: mu = 0, sigma = 1 (collapsed onto the prior: KL 0, inactive);
    // dimension 2: mu ~ N(2, 0.5^2), logvar = -2.
    std::mt19937 rng(3);
    std::normal_distribution<double> normal;
    LatentCodes codes;
    codes.dim = 3;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        codes.mu.insert(codes.mu.end(), {float(0.8 * normal(rng)), 0.0f, float(2 + 0.5 * normal(rng))});
        codes.logvar.insert(codes.logvar.end(), {float(std::log(0.36)), 0.0f, -2.0f});
    }
    const LatentStatistics s = LatentStatistics::compute(codes, 40, 4);
    QCOMPARE(s.dimensions.size(), std::size_t(3));
    QVERIFY(std::abs(s.dimensions[0].variance - 0.64) < 0.03);
    QVERIFY(std::abs(s.dimensions[0].aggregateVariance() - 1.0) < 0.03);
    QVERIFY(std::abs(s.dimensions[2].mean - 2) < 0.02);
    // KL(N(mu, s2) || N(0,1)) = (mu^2 + s2 - 1 - log s2) / 2, averaged over the data.
    QVERIFY(std::abs(s.dimensions[0].kl - 0.5 * (0.64 + 0.36 - 1 - std::log(0.36))) < 0.02);
    QCOMPARE(s.dimensions[1].kl, 0.0);
    QVERIFY(std::abs(s.dimensions[2].kl - 0.5 * (4.25 + std::exp(-2.0) - 1 + 2)) < 0.05);
    QCOMPARE(s.activeUnits, 2);
    int total = 0;
    for (int c : s.dimensions[0].histogram)
        total += c;
    QVERIFY(total > n * 0.999); // |mu| < 4 for all but a few
    QVERIFY(s.dimensions[0].histogram[19] > s.dimensions[0].histogram[5]); // peaked at 0
}

void TestLatentStatistics::encodeDataset()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 5;
    const Model model(c);
    const Dataset some = digits.test.head(300);
    const LatentCodes codes = LatentCodes::encode(model, some);
    QCOMPARE(codes.count(), std::size_t(300));
    QCOMPARE(codes.logvar.size(), std::size_t(300 * 5));
    QCOMPARE(codes.labels, some.labels());
    // The same means as encoding one image alone.
    std::vector<float> pixels(some.image(7), some.image(7) + 400);
    for (float& p : pixels)
        p /= 255.0f;
    const std::vector<float> one = model.encodeMeans(pixels);
    for (int j = 0; j < 5; ++j)
        QVERIFY(std::abs(codes.code(7)[j] - one[std::size_t(j)]) < 1e-5);
    QVERIFY_THROWS_EXCEPTION(Error, LatentCodes::encode(Model(ModelConfig{}), some));
}

void TestLatentStatistics::nearestNeighbours()
{
    LatentCodes codes;
    codes.dim = 2;
    codes.mu = {0, 0, 3, 4, 1, 0, 0, -2};
    const float z[2] = {0, 0};
    const auto nearest = codes.nearest(z, 2, 0);
    QCOMPARE(nearest.size(), std::size_t(2));
    QCOMPARE(nearest[0].first, std::size_t(2));
    QCOMPARE(nearest[0].second, 1.0);
    QCOMPARE(nearest[1].first, std::size_t(3));
    QCOMPARE(codes.nearest(z, 10).size(), std::size_t(4));
}

void TestLatentStatistics::histogramPlot()
{
    LatentCodes codes;
    codes.dim = 7;
    for (int i = 0; i < 700; ++i)
        codes.mu.push_back(float(std::sin(i * 0.37)));
    const Image plot = HistogramPlot::render(LatentStatistics::compute(codes), 4, 200, 130);
    QCOMPARE(plot.width, 800);
    QCOMPARE(plot.height, 260);
    QCOMPARE(plot.channels, 3);
    int coloured = 0;
    for (std::size_t i = 0; i < plot.pixels.size(); i += 3)
        coloured += plot.pixels[i] != plot.pixels[i + 1];
    QVERIFY2(coloured > 1000, "bars and curves are drawn");
}

void TestLatentStatistics::rejects()
{
    QVERIFY_THROWS_EXCEPTION(Error, LatentStatistics::compute(LatentCodes{}));
}

QTEST_GUILESS_MAIN(TestLatentStatistics)
#include "test_latentstatistics.moc"
