#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "core/formats/ModelFile.h"
#include "core/training/Trainer.h"
#include "models/ModelRegistry.h"

using namespace latentlab;

class TestTrainer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void lossFalls_data();
    void lossFalls();
    void convolutionalShapes_data();
    void convolutionalShapes();
    void nanStopsAndKeepsLastGoodState();
    void divergesWhateverOverflowsFirst_data();
    void divergesWhateverOverflowsFirst();
    void divergesWhenTheTestLossExplodes();
    void cancelFromAnotherThread();
    void timeBudgetEndsAfterTheEpochThatSpendsIt();
    void pauseStopsProgress();
    void rejectsMismatchedData();
    void rejectsABatchTooLargeForItsImages();
    void conditionalGeneratesTheChosenClass();

private:
    static ModelConfig smallMlp(Likelihood likelihood = Likelihood::Bernoulli, bool variational = true);
    static TrainingConfig quick(int epochs);
    DatasetSplit digits_;
    QTemporaryDir dir_;
};

void TestTrainer::initTestCase()
{
    digits_ = DatasetLoader::load("digits");
}

ModelConfig TestTrainer::smallMlp(Likelihood likelihood, bool variational)
{
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {128};
    c.latentDim = 8;
    c.likelihood = likelihood;
    c.variational = variational;
    return c;
}

TrainingConfig TestTrainer::quick(int epochs)
{
    TrainingConfig t;
    t.epochs = epochs;
    t.batchSize = 64;
    t.device = "cpu";
    return t;
}

void TestTrainer::lossFalls_data()
{
    QTest::addColumn<int>("likelihood");
    QTest::addColumn<bool>("variational");
    QTest::newRow("bernoulli vae") << int(Likelihood::Bernoulli) << true;
    QTest::newRow("gaussian vae") << int(Likelihood::Gaussian) << true;
    QTest::newRow("laplace vae") << int(Likelihood::Laplace) << true;
    QTest::newRow("bernoulli autoencoder") << int(Likelihood::Bernoulli) << false;
}

void TestTrainer::lossFalls()
{
    QFETCH(int, likelihood);
    QFETCH(bool, variational);
    Model model(smallMlp(Likelihood(likelihood), variational));
    Trainer trainer(quick(3));
    int batchReports = 0;
    trainer.setProgressCallback([&](const TrainingProgress& p) {
        if (!p.epochDone)
            ++batchReports;
        QVERIFY(p.imagesPerSecond > 0);
    });
    const TrainingResult result = trainer.run(model, digits_.train, digits_.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(result.epochsDone, 3);
    QCOMPARE(batchReports, 3 * ((4500 + 63) / 64));
    const auto& h = model.info().history;
    QCOMPARE(h.size(), std::size_t(3));
    QVERIFY2(h[2].trainLoss < h[0].trainLoss, "training loss falls");
    QVERIFY2(h[2].testLoss < h[0].testLoss, "test loss falls");
    QVERIFY(h[0].seconds > 0);
    QCOMPARE(h[2].epoch, 3);
    if (!variational)
        QCOMPARE(h[2].testKl, 0.0);

    // Training more appends to the history.
    Trainer(quick(1)).run(model, digits_.train, digits_.test);
    QCOMPARE(model.info().history.back().epoch, 4);
}

void TestTrainer::convolutionalShapes_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("channels");
    QTest::newRow("28 grey") << 28 << 1;
    QTest::newRow("32 rgb") << 32 << 3;
    QTest::newRow("64 rgb") << 64 << 3;
}

void TestTrainer::convolutionalShapes()
{
    QFETCH(int, side);
    QFETCH(int, channels);
    // Smooth random blobs: something a small conv VAE can learn in a few steps.
    const int n = 120, pixels = channels * side * side;
    std::vector<std::uint8_t> bytes(std::size_t(n) * pixels);
    for (int i = 0; i < n; ++i)
        for (int c = 0; c < channels; ++c)
            for (int y = 0; y < side; ++y)
                for (int x = 0; x < side; ++x) {
                    const double cx = side * (0.3 + 0.4 * ((i * 7) % 10) / 10.0), r = side / 5.0;
                    const bool inside = std::hypot(x - cx, y - side / 2.0) < r;
                    bytes[std::size_t(i) * pixels + std::size_t(c * side * side + y * side + x)] = inside ? 230 : 20;
                }
    const Dataset all("blobs", ImageShape{channels, side, side}, bytes);
    ModelConfig c;
    c.architecture = "conv";
    c.height = c.width = side;
    c.channels = channels;
    c.latentDim = 4;
    c.hidden = std::vector<int>(ModelRegistry::effectiveHidden(c).size(), 8);
    Model model(c);
    TrainingConfig t = quick(20);
    t.batchSize = 10;
    t.learningRate = 3e-3;
    const Dataset test = all.subset({100, 101, 102, 103});
    Evaluator evaluator;
    evaluator.setSeed(3);
    const double before = evaluator.negativeElbo(model, test).loss;
    // The training set is a temporary: the trainer keeps nothing of it past run() (under
    // ASan a stored reference to it was a stack-use-after-scope).
    Trainer trainer(t);
    QCOMPARE(int(trainer.run(model, all.head(100), test).outcome), int(TrainingOutcome::Finished));
    // Against the untrained network: a few noisy epochs need not fall monotonically.
    const double after = evaluator.negativeElbo(model, test).loss;
    qInfo("negative ELBO of 4 held-out blobs: %.1f untrained, %.1f trained", before, after);
    QVERIFY2(after < 0.9 * before, "the conv VAE learns the blobs");
    const std::vector<float> images = model.decode(std::vector<float>(8, 0.5f));
    QCOMPARE(images.size(), std::size_t(2 * pixels));
    for (float v : images)
        QVERIFY(v >= 0 && v <= 1);
}

void TestTrainer::nanStopsAndKeepsLastGoodState()
{
    Model model(smallMlp());
    QCOMPARE(int(Trainer(quick(1)).run(model, digits_.train, digits_.test).outcome), int(TrainingOutcome::Finished));
    const std::vector<float> codes(16, 0.7f);
    const std::vector<float> good = model.decode(codes);

    // Adam moves each weight by about the learning rate: 1e30 overflows within steps.
    TrainingConfig t = quick(2);
    t.learningRate = 1e30;
    const TrainingResult result = Trainer(t).run(model, digits_.train, digits_.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Diverged));
    QVERIFY2(QString::fromStdString(result.message).contains("lower learning rate"), result.message.c_str());
    QVERIFY2(QString::fromStdString(result.message).contains("in epoch 2"), result.message.c_str());
    QVERIFY2(QString::fromStdString(result.message).contains("weights of epoch 1"), result.message.c_str());
    QCOMPARE(result.epochsDone, 0);
    QCOMPARE(model.decode(codes), good);
    QCOMPARE(model.info().history.size(), std::size_t(1));
}

void TestTrainer::divergesWhateverOverflowsFirst_data()
{
    // One batch per epoch, so no batch's loss sees what the epoch's last step did.
    QTest::addColumn<double>("learningRate");
    QTest::addColumn<QString>("what");
    QTest::newRow("1e30: the test loss") << 1e30 << "the test loss became";
    // Adam's squared gradients overflow an epoch later; the jump is caught first.
    QTest::newRow("1e6: a test loss far above the training loss") << 1e6 << "the test loss jumped to";
}

void TestTrainer::divergesWhateverOverflowsFirst()
{
    QFETCH(double, learningRate);
    QFETCH(QString, what);
    Model model(smallMlp());
    TrainingConfig t = quick(3);
    t.learningRate = learningRate;
    t.batchSize = 1000;
    const Dataset train = digits_.train.head(1000);
    const std::vector<float> codes(8, 0.2f);
    const std::vector<float> initial = model.decode(codes);
    const TrainingResult result = Trainer(t).run(model, train, digits_.test.head(100));
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Diverged));
    QVERIFY2(QString::fromStdString(result.message).contains(what), result.message.c_str());
    // What is left is the last good epoch (or the initialisation), which saves and loads.
    for (const EpochRecord& r : model.info().history)
        QVERIFY(std::isfinite(r.testLoss) && std::isfinite(r.trainLoss));
    if (model.info().history.empty())
        QCOMPARE(model.decode(codes), initial);
    const std::string path = dir_.filePath("diverged.latentlab").toStdString();
    ModelFile::save(model, path);
    QCOMPARE(ModelFile::load(path)->decode(codes), model.decode(codes));
}

void TestTrainer::divergesWhenTheTestLossExplodes()
{
    // train --lr 1e6 on one batch of 180 random 8x8 images: every weight and moment stayed
    // finite, the test loss was 3e28 after a training loss of 45, and it was saved as the best.
    std::vector<std::uint8_t> pixels(200 * 64);
    std::uint32_t state = 12345;
    for (std::uint8_t& p : pixels)
        p = std::uint8_t((state = state * 1664525u + 1013904223u) >> 24);
    const Dataset all("random", ImageShape{1, 8, 8}, std::move(pixels));
    ModelConfig c;
    c.height = c.width = 8;
    c.hidden = {8};
    c.latentDim = 2;
    Model model(c);
    TrainingConfig t = quick(1);
    t.learningRate = 1e6;
    t.batchSize = 180;
    const TrainingResult result = Trainer(t).run(model, all.head(180), all.subset({180, 181, 182, 183, 184, 185}));
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Diverged));
    QVERIFY2(QString::fromStdString(result.message).contains("the test loss jumped to"), result.message.c_str());
    QVERIFY(model.info().history.empty());
}

void TestTrainer::cancelFromAnotherThread()
{
    Model model(smallMlp());
    Trainer trainer(quick(1000));
    std::atomic<int> batches{0};
    trainer.setProgressCallback([&](const TrainingProgress&) { ++batches; });
    TrainingResult result;
    std::thread worker([&] { result = trainer.run(model, digits_.train, digits_.test); });
    while (batches < 5)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const auto start = std::chrono::steady_clock::now();
    trainer.requestCancel();
    worker.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Cancelled));
    QVERIFY2(seconds < 5, "cancel acts between steps, not at the end of 1000 epochs");
    QVERIFY(model.info().history.size() < 1000);
}

void TestTrainer::timeBudgetEndsAfterTheEpochThatSpendsIt()
{
    Model model(smallMlp());
    TrainingConfig config = quick(1000);
    config.timeBudgetSeconds = 1e-3; // spent by the first epoch, whatever the machine
    const TrainingResult result = Trainer(config).run(model, digits_.train, digits_.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(result.epochsDone, 1);
    QVERIFY2(result.message.find("time budget") != std::string::npos, result.message.c_str());
    QCOMPARE(model.info().history.size(), std::size_t(1));

    for (const double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
        config.timeBudgetSeconds = bad;
        QVERIFY_THROWS_EXCEPTION(Error, Trainer::validate(config));
    }
}

void TestTrainer::pauseStopsProgress()
{
    Model model(smallMlp());
    Trainer trainer(quick(1000));
    std::atomic<int> batches{0};
    trainer.setProgressCallback([&](const TrainingProgress&) { ++batches; });
    std::thread worker([&] { trainer.run(model, digits_.train, digits_.test); });
    while (batches < 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    trainer.setPaused(true);
    QVERIFY(trainer.isPaused());
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let the step in flight finish
    const int paused = batches;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    QCOMPARE(int(batches), paused);
    trainer.setPaused(false);
    while (batches < paused + 3)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    trainer.setPaused(true);
    trainer.requestCancel(); // cancel also wakes a paused trainer
    worker.join();
}

void TestTrainer::rejectsMismatchedData()
{
    Model model(ModelConfig{}); // 28 x 28
    try {
        Trainer(quick(1)).run(model, digits_.train, digits_.test);
        QFAIL("20 px digits were accepted by a 28 px model");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("20x20 grey but the model takes 28x28 grey"), e.what());
    }
    Model mlp(smallMlp());
    TrainingConfig bad = quick(1);
    bad.device = "tpu";
    try {
        Trainer(bad).run(mlp, digits_.train, digits_.test);
        QFAIL("an unknown device was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("unknown device"), e.what());
    }
}

void TestTrainer::rejectsABatchTooLargeForItsImages()
{
    // 6000 colour images of 64 x 64 are 295 million floats: refused before any allocation.
    const ImageShape shape{3, 64, 64};
    const Dataset images("colour", shape, std::vector<std::uint8_t>(std::size_t(4) * 3 * 64 * 64, 128));
    ModelConfig c;
    c.channels = 3;
    c.height = c.width = 64;
    c.hidden = {8};
    c.latentDim = 2;
    Model model(c);
    TrainingConfig t = quick(1);
    t.batchSize = 6000;
    try {
        Trainer(t).run(model, images, images);
        QFAIL("a 6000-image batch of 64x64 colour images was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("is too large: at most 5461 images a batch"), e.what());
    }
}

void TestTrainer::conditionalGeneratesTheChosenClass()
{
    ModelConfig c = smallMlp();
    c.conditionClasses = 10;
    Model model(c);
    TrainingConfig t = quick(15);
    QCOMPARE(int(Trainer(t).run(model, digits_.train, digits_.test).outcome), int(TrainingOutcome::Finished));

    // Pixel-space class means of the real digits: the judge of what was generated.
    const int pixels = 400;
    std::vector<std::vector<double>> means(10, std::vector<double>(pixels));
    std::vector<int> counts(10);
    for (std::size_t i = 0; i < digits_.train.size(); ++i) {
        const int label = digits_.train.labels()[i];
        ++counts[std::size_t(label)];
        for (int p = 0; p < pixels; ++p)
            means[std::size_t(label)][std::size_t(p)] += digits_.train.image(i)[p] / 255.0;
    }
    for (int k = 0; k < 10; ++k)
        for (double& v : means[std::size_t(k)])
            v /= counts[std::size_t(k)];
    const auto nearestMean = [&](const float* image) {
        int best = 0;
        double bestDistance = 1e300;
        for (int k = 0; k < 10; ++k) {
            double d = 0;
            for (int p = 0; p < pixels; ++p)
                d += (image[p] - means[std::size_t(k)][std::size_t(p)]) * (image[p] - means[std::size_t(k)][std::size_t(p)]);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    };
    // The same 20 prior samples decoded in every class: the class decides the digit.
    std::vector<float> z(20 * 8);
    for (std::size_t i = 0; i < z.size(); ++i)
        z[i] = float(std::sin(1.3 * double(i)) * 0.8);
    int right = 0;
    for (int k = 0; k < 10; ++k) {
        const std::vector<float> images = model.decode(z, {k});
        for (int s = 0; s < 20; ++s)
            right += nearestMean(images.data() + s * pixels) == k;
    }
    qInfo("generated digits of the requested class: %d of 200", right);
    QVERIFY2(right > 140, qPrintable(QString::number(right)));

    // Labels are required; a file keeps the condition.
    const Dataset unlabelled("no labels", ImageShape{1, 20, 20}, digits_.train.head(100).pixels());
    QVERIFY_THROWS_EXCEPTION(Error, Trainer(quick(1)).run(model, unlabelled, unlabelled));
    const std::string path = dir_.filePath("conditional.latentlab").toStdString();
    ModelFile::save(model, path);
    const auto loaded = ModelFile::load(path);
    QCOMPARE(loaded->config().conditionClasses, 10);
    QCOMPARE(loaded->decode(z, {3}), model.decode(z, {3}));
    QVERIFY(loaded->decode(z, {3}) != loaded->decode(z, {4}));
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
