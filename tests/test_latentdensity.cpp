#include <QtTest>

#include <cmath>
#include <random>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/detail/DebiasSampler.h"
#include "core/detail/ModelInternals.h"
#include "core/latent/LatentDensity.h"
#include "core/training/Trainer.h"

using namespace latentlab;

// Debiasing (DB-VAE): weights from the latent density favour what is rare, flatten as
// alpha grows, and the sampler draws each image as often as its weight says.
class TestLatentDensity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void favoursTheSparseCluster();
    void largeAlphaGivesUniformWeights();
    void refuses_data();
    void refuses();
    void samplerFrequenciesMatchTheWeights();
    void debiasedTrainingRuns();
};

namespace {

// 2-D codes: 950 from N(0, I) and a sparse cluster of 50 at (6, 0), the last ones.
std::vector<float> plantedCodes()
{
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> mu;
    for (int i = 0; i < 1000; ++i) {
        mu.push_back(i < 950 ? normal(rng) : 6.0f + 0.1f * normal(rng));
        mu.push_back(normal(rng));
    }
    return mu;
}

} // namespace

void TestLatentDensity::favoursTheSparseCluster()
{
    const std::vector<float> mu = plantedCodes();
    const std::vector<double> w = LatentDensity::debiasWeights(mu, 2, 0.01);
    QCOMPARE(w.size(), std::size_t(1000));
    // The cloud's core (within one sigma in both dimensions) is the densest part.
    double dense = 0, core = 0, sparse = 0, total = 0;
    int cores = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        (i < 950 ? dense : sparse) += w[i], total += w[i];
        if (i < 950 && std::abs(mu[2 * i]) < 1 && std::abs(mu[2 * i + 1]) < 1)
            core += w[i], ++cores;
    }
    dense /= 950, sparse /= 50, core /= cores;
    qInfo("mean weight: sparse cluster %.3g, the rest %.3g (ratio %.2f), the cloud's core %.3g (ratio %.2f)", sparse,
          dense, sparse / dense, core, sparse / core);
    QVERIFY(std::abs(total - 1) < 1e-9);
    // The cloud's tails are rare too (and every code takes its rarest dimension's weight).
    QVERIFY(sparse > 1.5 * dense);
    QVERIFY(sparse > 3 * core);
    // Every code of the cluster weighs more than any of the core.
    double lightestSparse = 1, heaviestCore = 0;
    for (std::size_t i = 0; i < w.size(); ++i)
        if (i >= 950)
            lightestSparse = std::min(lightestSparse, w[i]);
        else if (std::abs(mu[2 * i]) < 1 && std::abs(mu[2 * i + 1]) < 1)
            heaviestCore = std::max(heaviestCore, w[i]);
    QVERIFY(lightestSparse > heaviestCore);
    // The rarest first, ties by index.
    QCOMPARE(LatentDensity::rarest({0.1, 0.5, 0.2, 0.5}, 3), (std::vector<std::size_t>{1, 3, 2}));
}

void TestLatentDensity::largeAlphaGivesUniformWeights()
{
    const std::vector<double> w = LatentDensity::debiasWeights(plantedCodes(), 2, 1e9);
    for (const double v : w)
        QVERIFY(std::abs(v * 1000 - 1) < 1e-6);
    // One value everywhere: one bin, uniform weights whatever alpha.
    for (const double v : LatentDensity::debiasWeights(std::vector<float>(30, 0.5f), 3, 0))
        QVERIFY(std::abs(v * 10 - 1) < 1e-12);
}

void TestLatentDensity::refuses_data()
{
    QTest::addColumn<double>("alpha");
    QTest::addColumn<int>("bins");
    QTest::addColumn<float>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("negative alpha") << -0.5 << 10 << 0.0f << "between 0 and";
    QTest::newRow("nan alpha") << double(NAN) << 10 << 0.0f << "between 0 and";
    QTest::newRow("no bins") << 0.01 << 0 << 0.0f << "bins must be between 1 and 10000";
    QTest::newRow("nan code") << 0.01 << 10 << float(NAN) << "not a finite number";
}

void TestLatentDensity::refuses()
{
    QFETCH(double, alpha);
    QFETCH(int, bins);
    QFETCH(float, code);
    QFETCH(QString, message);
    std::vector<float> mu = plantedCodes();
    mu[17] = code;
    try {
        LatentDensity::debiasWeights(mu, 2, alpha, bins);
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestLatentDensity::samplerFrequenciesMatchTheWeights()
{
    const std::vector<double> w{0.1, 0.2, 0.3, 0.4, 0.0};
    at::Generator g = makeGenerator(3);
    constexpr std::int64_t draws = 200000;
    const torch::Tensor counts = torch::bincount(DebiasSampler::draw(w, draws, g), {}, 5);
    for (int i = 0; i < 5; ++i) {
        const double share = counts[i].item<double>() / draws;
        const double sigma = std::sqrt(w[i] * (1 - w[i]) / draws);
        qInfo("index %d: weight %.2f, drawn %.4f", i, w[i], share);
        QVERIFY(std::abs(share - w[i]) <= 4 * sigma);
    }
    QCOMPARE(counts[4].item<std::int64_t>(), std::int64_t(0));
}

// A debiased epoch on a few digits trains like any other, and a bad alpha is refused first.
void TestLatentDensity::debiasedTrainingRuns()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {64};
    c.latentDim = 4;
    Model model(c, 3);
    TrainingConfig t;
    t.epochs = 2;
    t.batchSize = 100;
    t.device = "cpu";
    t.debias = 0.01;
    const TrainingResult result = Trainer(t).run(model, digits.train.head(1000), digits.test.head(200));
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QVERIFY(std::isfinite(model.info().history.back().testLoss));
    t.debias = NAN;
    QVERIFY_THROWS_EXCEPTION(Error, Trainer::validate(t));
}

QTEST_GUILESS_MAIN(TestLatentDensity)
#include "test_latentdensity.moc"
