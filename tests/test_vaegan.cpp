#include <QTemporaryDir>
#include <QtTest>

#include <torch/optim/adam.h>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/detail/ModelInternals.h"
#include "core/formats/ModelFile.h"
#include "core/model/Model.h"
#include "core/training/Trainer.h"
#include "core/training/TrainingJob.h"
#include "models/ModelRegistry.h"
#include "models/vaegan/VaeGan.h"

using namespace latentlab;

// The VAE-GAN: its encoder never follows the GAN loss, Larsen's balance and the lost game,
// training and continuing from its file with the discriminator kept, and what it refuses.
class TestVaeGan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void encoderGetsNoGanGradient();
    void balanceSkipsTheStrongerSide_data();
    void balanceSkipsTheStrongerSide();
    void outrightWinIsALostGame();
    void trainsRoundTripsAndContinues();
    void keepsTheNewestEpochRatherThanTheBestPixelLoss();
    void conditionalDiscriminatorTakesTheClass();
    void rejects_data();
    void rejects();

private:
    DatasetSplit faces_;
};

namespace {

ModelConfig vaeganConfig(int classes = 0)
{
    ModelConfig c;
    c.architecture = "vaegan";
    c.channels = 3;
    c.height = c.width = 64;
    c.latentDim = 8;
    c.hidden = {8, 8, 16, 16};
    c.conditionClasses = classes;
    c.reconWeight = 0.01;
    return c;
}

std::vector<torch::Tensor> snapshot(const std::vector<torch::Tensor>& params)
{
    std::vector<torch::Tensor> out;
    for (const torch::Tensor& p : params)
        out.push_back(p.detach().clone());
    return out;
}

bool unchanged(const std::vector<torch::Tensor>& before, const std::vector<torch::Tensor>& after)
{
    for (std::size_t i = 0; i < before.size(); ++i)
        if (!before[i].equal(after[i].detach()))
            return false;
    return true;
}

} // namespace

void TestVaeGan::initTestCase()
{
    faces_ = DatasetLoader::load("synth-faces:200");
}

// With the encoder's own terms (KL and feature error) switched off, an Adam step on the
// decoder's and discriminator's losses moves them and leaves every encoder weight as it was.
void TestVaeGan::encoderGetsNoGanGradient()
{
    torch::manual_seed(1);
    VaeGan net(vaeganConfig());
    at::Generator g = makeGenerator(2);
    const torch::Tensor x = toFloatImages(datasetTensor(faces_.train).slice(0, 0, 16), torch::kCPU);
    VaeNetwork::Objective o = net.objective(x, x, {}, vaeganConfig(), g);
    QCOMPARE(o.parts.size(), std::size_t(3));
    QCOMPARE(o.terms.size(), ModelRegistry::find("vaegan").lossTerms.size());
    o.parts[0].step = false;               // the encoder's own loss off
    o.parts[1].step = o.parts[2].step = true; // the GAN's sides on, whatever the balance said
    const std::vector<torch::Tensor> all = net.parameters();
    VaeNetwork::setPartGradients(o.parts, all);
    for (const torch::Tensor& p : net.encoderParameters())
        QVERIFY(!p.grad().defined());
    torch::optim::Adam adam(all, torch::optim::AdamOptions(1e-2));
    const auto encoder = snapshot(net.encoderParameters()), decoder = snapshot(net.decoderParameters()),
               discriminator = snapshot(net.discriminatorParameters());
    adam.step();
    QVERIFY(unchanged(encoder, net.encoderParameters()));
    QVERIFY(!unchanged(decoder, net.decoderParameters()));
    QVERIFY(!unchanged(discriminator, net.discriminatorParameters()));

    // And the other way: the encoder's loss alone moves the encoder only.
    o = net.objective(x, x, {}, vaeganConfig(), g);
    o.parts[1].step = o.parts[2].step = false;
    VaeNetwork::setPartGradients(o.parts, all);
    const auto encoder2 = snapshot(net.encoderParameters()), decoder2 = snapshot(net.decoderParameters());
    adam.step();
    QVERIFY(!unchanged(encoder2, net.encoderParameters()));
    QVERIFY(unchanged(decoder2, net.decoderParameters()));
}

void TestVaeGan::balanceSkipsTheStrongerSide_data()
{
    QTest::addColumn<double>("real");
    QTest::addColumn<double>("fake");
    QTest::addColumn<bool>("discriminator");
    QTest::addColumn<bool>("decoder");
    QTest::newRow("even") << 0.69 << 0.69 << true << true;
    QTest::newRow("D too good on data") << 0.1 << 0.7 << false << true;
    QTest::newRow("D too good on fakes") << 0.7 << 0.2 << false << true;
    QTest::newRow("D too bad") << 1.5 << 0.7 << true << false;
    QTest::newRow("both at once: both step") << 0.1 << 1.5 << true << true;
}

void TestVaeGan::balanceSkipsTheStrongerSide()
{
    QFETCH(double, real);
    QFETCH(double, fake);
    QFETCH(bool, discriminator);
    QFETCH(bool, decoder);
    GanBalance balance;
    const GanBalance::Steps s = balance.update(real, fake);
    QCOMPARE(s.discriminator, discriminator);
    QCOMPARE(s.decoder, decoder);
}

void TestVaeGan::outrightWinIsALostGame()
{
    GanBalance balance;
    for (int i = 0; i < GanBalance::kWonBatches - 1; ++i)
        balance.update(1e-5, 1e-5);
    QVERIFY(balance.failure().empty());
    balance.update(0.5, 1e-5); // one batch it does not win resets the count
    for (int i = 0; i < GanBalance::kWonBatches - 1; ++i)
        balance.update(1e-5, 1e-5);
    QVERIFY(balance.failure().empty());
    balance.update(1e-5, 1e-5);
    QVERIFY2(balance.failure().find("won outright") != std::string::npos, balance.failure().c_str());
}

void TestVaeGan::trainsRoundTripsAndContinues()
{
    Model model(vaeganConfig(), 3);
    TrainingConfig t;
    t.epochs = 2;
    t.batchSize = 32;
    t.learningRate = 3e-4;
    t.device = "cpu";
    std::vector<std::string> names;
    std::vector<double> extra;
    Trainer trainer(t);
    trainer.setProgressCallback([&](const TrainingProgress& p) {
        names = p.extraTermNames;
        extra = p.extraTerms;
    });
    const TrainingResult first = trainer.run(model, faces_.train, faces_.test);
    QCOMPARE(int(first.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(names, std::vector<std::string>({"discriminator", "gan"}));
    QCOMPARE(extra.size(), std::size_t(2));
    QVERIFY(extra[0] > 0 && extra[1] > 0);
    const std::vector<EpochRecord>& history = model.info().history;
    QCOMPARE(history.back().trainExtra.size(), std::size_t(2));
    QVERIFY(history.back().testLoss < history.front().testLoss * 1.5); // a pixel ELBO it can be judged by

    QTemporaryDir dir;
    const std::string path = dir.filePath("vaegan.latentlab").toStdString();
    ModelFile::save(model, path);
    const std::unique_ptr<Model> loaded = ModelFile::load(path);
    QVERIFY(loaded->hasOptimizerState());
    auto* original = dynamic_cast<VaeGan*>(model.impl().network.get());
    auto* reopened = dynamic_cast<VaeGan*>(loaded->impl().network.get());
    QVERIFY(original && reopened);
    QVERIFY(unchanged(snapshot(original->discriminatorParameters()), reopened->discriminatorParameters()));
    // Exploring needs only the encoder and decoder: the same decode.
    const std::vector<float> code(8, 0.5f);
    QCOMPARE(loaded->decode(code), model.decode(code));

    t.epochs = 1;
    const TrainingResult more = Trainer(t).run(*loaded, faces_.train, faces_.test);
    QCOMPARE(int(more.outcome), int(TrainingOutcome::Finished));
    QCOMPARE(loaded->info().history.size(), std::size_t(3));
    QVERIFY(!unchanged(snapshot(original->discriminatorParameters()), reopened->discriminatorParameters()));
}

// The pixel ELBO does not rank a VAE-GAN's epochs: continuing one whose last test objective
// nothing can beat still rewrites its file, where a conv VAE's file is left as it was.
void TestVaeGan::keepsTheNewestEpochRatherThanTheBestPixelLoss()
{
    QTemporaryDir dir;
    for (const std::string architecture : {"vaegan", "conv"}) {
        ModelConfig c = vaeganConfig();
        c.architecture = architecture;
        Model model(c, 4);
        model.info().datasetSpec = "synth-faces:200";
        TrainingConfig t;
        t.epochs = 1;
        t.batchSize = 32;
        t.device = "cpu";
        Trainer(t).run(model, faces_.train, faces_.test);
        model.info().history.back().testRecon = -1e12; // unbeatable
        const std::string path = dir.filePath(QString::fromStdString(architecture) + ".latentlab").toStdString();
        ModelFile::save(model, path);

        TrainingRequest request;
        request.resumePath = request.savePath = path;
        request.datasetSpec.clear();
        request.training = t;
        const TrainingJobResult result = TrainingJob(request).run({});
        QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
        const std::size_t kept = ModelFile::load(path)->info().history.size();
        QCOMPARE(kept, std::size_t(architecture == "vaegan" ? 2 : 1));
    }
}

void TestVaeGan::conditionalDiscriminatorTakesTheClass()
{
    torch::manual_seed(4);
    VaeGan net(vaeganConfig(5));
    const torch::Tensor x = torch::rand({4, 3, 64, 64});
    const auto [features, a] = net.discriminate(x, torch::zeros({4}, torch::kLong));
    const auto [same, b] = net.discriminate(x, torch::full({4}, 3, torch::kLong));
    QVERIFY(features.equal(same));   // the class joins after the features
    QVERIFY(!a.allclose(b));         // and changes the verdict
}

void TestVaeGan::rejects_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("autoencoder") << "autoencoder" << "no plain autoencoder";
    QTest::newRow("corruption") << "corruption" << "trains on clean images";
    QTest::newRow("size") << "size" << "28, 32 or 64 px";
}

void TestVaeGan::rejects()
{
    QFETCH(QString, change);
    QFETCH(QString, expected);
    ModelConfig c = vaeganConfig();
    if (change == "autoencoder")
        c.variational = false;
    else if (change == "corruption")
        c.corruption = Corruption::parse("mask:0.5");
    else
        c.height = c.width = 48;
    try {
        ModelRegistry::validate(c);
        QFAIL("accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestVaeGan)
#include "test_vaegan.moc"
