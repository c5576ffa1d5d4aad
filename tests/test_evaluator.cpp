#include <QtTest>

#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "core/training/Trainer.h"

using namespace latentlab;

class TestEvaluator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void iwaeBoundHolds();
    void seedMakesItRepeatable();
    void rejects();

private:
    DatasetSplit digits_;
    std::unique_ptr<Model> model_;
};

void TestEvaluator::initTestCase()
{
    digits_ = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {128};
    c.latentDim = 8;
    model_ = std::make_unique<Model>(c);
    TrainingConfig t;
    t.epochs = 3;
    t.batchSize = 64;
    t.device = "cpu";
    Trainer(t).run(*model_, digits_.train, digits_.test);
}

void TestEvaluator::iwaeBoundHolds()
{
    const Dataset test = digits_.test.head(200);
    Evaluator evaluator;
    // The negative ELBO averaged over repeated draws of z, to shrink its noise.
    double elbo = 0;
    for (int i = 0; i < 10; ++i) {
        const LossSummary s = evaluator.negativeElbo(*model_, test);
        QCOMPARE(s.images, std::size_t(200));
        QVERIFY(std::abs(s.loss - (s.recon + s.kl)) < 1e-6 * s.loss);
        QVERIFY(s.kl > 0);
        elbo += s.loss / 10;
    }
    std::size_t reported = 0;
    const double k1 = evaluator.iwaeNll(*model_, test, 1);
    const double k64 = evaluator.iwaeNll(*model_, test, 64, [&](std::size_t done, std::size_t total) {
        QVERIFY(done <= total);
        reported = done;
    });
    QCOMPARE(reported, std::size_t(200));
    qInfo("negative ELBO %.3f, IWAE K=1 %.3f, K=64 %.3f", elbo, k1, k64);
    QVERIFY2(k64 <= elbo, "the IWAE estimate is a tighter bound than the ELBO");
    QVERIFY2(k64 < k1, "more samples, tighter bound");
    QVERIFY2(std::abs(k1 - elbo) < 0.03 * elbo, "with one sample the IWAE estimate is the ELBO");
    QVERIFY(k64 > 0.5 * elbo);
}

void TestEvaluator::seedMakesItRepeatable()
{
    const Dataset test = digits_.test.head(50);
    Evaluator evaluator;
    evaluator.setSeed(42);
    QCOMPARE(evaluator.iwaeNll(*model_, test, 16), evaluator.iwaeNll(*model_, test, 16));
    QCOMPARE(evaluator.negativeElbo(*model_, test).loss, evaluator.negativeElbo(*model_, test).loss);
}

void TestEvaluator::rejects()
{
    ModelConfig ae;
    ae.height = ae.width = 20;
    ae.variational = false;
    const Model autoencoder(ae);
    try {
        Evaluator().iwaeNll(autoencoder, digits_.test.head(10), 10);
        QFAIL("IWAE of a plain autoencoder");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("variational"), e.what());
    }
    const Model wrongSize{ModelConfig{}};
    try {
        Evaluator().negativeElbo(wrongSize, digits_.test);
        QFAIL("20 px images evaluated by a 28 px model");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("the model takes 28x28x1"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestEvaluator)
#include "test_evaluator.moc"
