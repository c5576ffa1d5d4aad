#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"
#include "core/formats/ModelFile.h"
#include "core/training/Evaluator.h"
#include "core/training/Restoration.h"
#include "core/training/Trainer.h"

using namespace latentlab;

// Denoising: each corruption does what it says, is drawn afresh every time, never changes
// the clean images it is given; a model trained with one keeps it in its file.
class TestCorruption : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsAndWrites_data();
    void readsAndWrites();
    void refuses_data();
    void refuses();
    void masksTheStatedShareOfPixels();
    void gaussianNoiseHasTheStatedSigma();
    void saltAndPepperInEqualShares();
    void redrawnEveryTimeAndTheCleanImageKept();
    void denoisingModelTrainsAndKeepsItsCorruption();
    void greyInputIsTheLuminance();
    void colourisingModelTakesGreyAndGivesColour();
};

namespace {

at::Generator generator(std::uint64_t seed = 1)
{
    return makeGenerator(seed);
}

// A batch of mid-grey colour images: 64 x 3 x 28 x 28.
torch::Tensor grey() { return torch::full({64, 3, 28, 28}, 0.5f); }

} // namespace

void TestCorruption::readsAndWrites_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("amount");
    QTest::newRow("none") << "none" << int(Corruption::Kind::None) << 0.0;
    QTest::newRow("mask") << "mask:0.3" << int(Corruption::Kind::Mask) << 0.3;
    QTest::newRow("gaussian") << "gaussian:0.25" << int(Corruption::Kind::Gaussian) << 0.25;
    QTest::newRow("salt-pepper") << "salt-pepper:0.1" << int(Corruption::Kind::SaltAndPepper) << 0.1;
    QTest::newRow("grey") << "grey" << int(Corruption::Kind::Grey) << 0.0;
}

void TestCorruption::readsAndWrites()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(double, amount);
    const Corruption c = Corruption::parse(text.toStdString());
    QCOMPARE(int(c.kind), kind);
    QCOMPARE(c.amount, amount);
    QCOMPARE(QString::fromStdString(c.text()), text); // the shortest digits: "mask:0.3", not 0.2999...
    const Corruption again = Corruption::parse(c.text());
    QCOMPARE(int(again.kind), kind);
    QCOMPARE(again.amount, amount);
}

void TestCorruption::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << "blur:2" << "expected none, mask:P";
    QTest::newRow("no amount") << "mask" << "needs an amount";
    QTest::newRow("not a number") << "gaussian:lots" << "needs an amount";
    QTest::newRow("everything masked") << "mask:1" << "below 1";
    QTest::newRow("negative") << "salt-pepper:-0.1" << "above 0";
    QTest::newRow("sigma too large") << "gaussian:3" << "at most 1";
    QTest::newRow("nan") << "gaussian:nan" << "above 0";
}

void TestCorruption::refuses()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    try {
        Corruption::parse(text.toStdString());
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestCorruption::masksTheStatedShareOfPixels()
{
    at::Generator g = generator();
    const torch::Tensor out = InputCorruption::apply(grey(), Corruption::parse("mask:0.3"), g);
    const torch::Tensor dropped = out == 0;
    const double share = dropped.to(torch::kDouble).mean().item<double>();
    qInfo("dropped %.4f of the values", share);
    QVERIFY(std::abs(share - 0.3) < 0.01);
    // A pixel is dropped in all its channels or in none; the rest is untouched.
    QVERIFY(dropped.all(1).eq(dropped.any(1)).all().item<bool>());
    QVERIFY(out.masked_select(~dropped).eq(0.5).all().item<bool>());
}

void TestCorruption::gaussianNoiseHasTheStatedSigma()
{
    at::Generator g = generator();
    const torch::Tensor noise = InputCorruption::apply(grey(), Corruption::parse("gaussian:0.1"), g) - 0.5;
    const double sigma = noise.std().item<double>(), mean = noise.mean().item<double>();
    qInfo("noise mean %.5f, sigma %.5f", mean, sigma);
    QVERIFY(std::abs(sigma - 0.1) < 0.002); // clipping at 0 and 1 is 5 sigma away
    QVERIFY(std::abs(mean) < 0.002);
    at::Generator g2 = generator();
    const torch::Tensor clipped = InputCorruption::apply(torch::zeros({8, 1, 28, 28}), Corruption::parse("gaussian:0.5"), g2);
    QVERIFY(clipped.min().item<float>() >= 0 && clipped.max().item<float>() <= 1);
}

void TestCorruption::saltAndPepperInEqualShares()
{
    at::Generator g = generator();
    const torch::Tensor out = InputCorruption::apply(grey(), Corruption::parse("salt-pepper:0.2"), g);
    const double pepper = (out == 0).to(torch::kDouble).mean().item<double>();
    const double salt = (out == 1).to(torch::kDouble).mean().item<double>();
    const double kept = (out == 0.5).to(torch::kDouble).mean().item<double>();
    qInfo("pepper %.4f, salt %.4f, kept %.4f", pepper, salt, kept);
    QVERIFY(std::abs(pepper - 0.1) < 0.005 && std::abs(salt - 0.1) < 0.005);
    QVERIFY(std::abs(pepper + salt + kept - 1) < 1e-9);
}

void TestCorruption::redrawnEveryTimeAndTheCleanImageKept()
{
    for (const char* text : {"mask:0.3", "gaussian:0.1", "salt-pepper:0.2"}) {
        at::Generator g = generator();
        const torch::Tensor clean = torch::rand({16, 1, 20, 20});
        const torch::Tensor copy = clean.clone();
        const torch::Tensor first = InputCorruption::apply(clean, Corruption::parse(text), g);
        const torch::Tensor second = InputCorruption::apply(clean, Corruption::parse(text), g);
        QVERIFY2(!first.equal(second), text);
        QVERIFY2(!first.equal(clean), text);
        QVERIFY2(clean.equal(copy), text);
    }
    at::Generator g = generator();
    const torch::Tensor clean = torch::rand({4, 1, 8, 8});
    QVERIFY(InputCorruption::apply(clean, Corruption{}, g).equal(clean));
}

// A masking denoiser on the digits: it trains, its test loss is measured on masked inputs
// as in training (the history's figure is that one, not the clean inputs'), and its file
// says how it was trained.
void TestCorruption::denoisingModelTrainsAndKeepsItsCorruption()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {128};
    c.latentDim = 8;
    c.corruption = Corruption::parse("mask:0.5");
    Model model(c, 3);
    TrainingConfig t;
    t.epochs = 2;
    t.batchSize = 64;
    t.device = "cpu";
    const TrainingResult result = Trainer(t).run(model, digits.train, digits.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    Evaluator evaluator;
    evaluator.setSeed(2);
    const double masked = evaluator.negativeElbo(model, digits.test).loss;
    const std::unique_ptr<Model> clean = model.clone();
    clean->impl().config.corruption = Corruption{};
    const double unmasked = evaluator.negativeElbo(*clean, digits.test).loss;
    const double recorded = model.info().history.back().testLoss; // another draw of the masks
    qInfo("test loss %.1f on masked inputs, %.1f on clean ones; %.1f in the history", masked, unmasked, recorded);
    QVERIFY(std::abs(masked - unmasked) > 0.01 * masked);
    QVERIFY(std::abs(recorded - masked) < std::abs(recorded - unmasked));

    QTemporaryDir dir;
    const std::string path = dir.filePath("denoiser.latentlab").toStdString();
    ModelFile::save(model, path);
    const std::unique_ptr<Model> loaded = ModelFile::load(path);
    QCOMPARE(loaded->config().corruption.text(), std::string("mask:0.5"));
}

// Grey input is OpenCV's RGB2GRAY of the colour image, one channel, the same on every call.
void TestCorruption::greyInputIsTheLuminance()
{
    at::Generator g = generator();
    const torch::Tensor colour = torch::rand({2, 3, 9, 7});
    const torch::Tensor grey = InputCorruption::apply(colour, Corruption::parse("grey"), g);
    QCOMPARE(grey.sizes().vec(), std::vector<std::int64_t>({2, 1, 9, 7}));
    QVERIFY(InputCorruption::apply(colour, Corruption::parse("grey"), g).equal(grey));
    // OpenCV wants the image interleaved: [H, W, 3].
    const torch::Tensor rgb = colour[1].permute({1, 2, 0}).contiguous();
    cv::Mat reference;
    cv::cvtColor(cv::Mat(9, 7, CV_32FC3, rgb.data_ptr<float>()), reference, cv::COLOR_RGB2GRAY);
    const torch::Tensor ours = grey[1][0].contiguous();
    double worst = 0;
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 7; ++x)
            worst = std::max(worst, std::abs(double(reference.at<float>(y, x)) - ours[y][x].item<double>()));
    qInfo("largest difference from cv::cvtColor: %.2g", worst);
    QVERIFY(worst < 1e-5);
    // A grey model's encoder input for a clean image is the same luminance; a denoiser's is the image.
    QVERIFY(InputCorruption::encoderInput(colour, Corruption::parse("grey")).equal(grey));
    QVERIFY(InputCorruption::encoderInput(colour, Corruption::parse("mask:0.5")).equal(colour));
}

// A colourising MLP on a few synthetic faces: the encoder takes 64 x 64 grey values, the
// decoder gives colour, it trains, restores a colour face from its grey version, and its
// file keeps the corruption; grey images cannot be colourised from.
void TestCorruption::colourisingModelTakesGreyAndGivesColour()
{
    const DatasetSplit faces = DatasetLoader::load("synth-faces:300");
    ModelConfig c;
    c.channels = 3;
    c.height = c.width = 64;
    c.hidden = {64};
    c.latentDim = 8;
    c.likelihood = Likelihood::Gaussian;
    c.corruption = Corruption::parse("grey");
    Model model(c, 3);
    const auto weights = model.impl().network->parameters();
    QCOMPARE(weights.front().size(1), std::int64_t(64 * 64)); // the first layer sees one channel
    TrainingConfig t;
    t.epochs = 2;
    t.batchSize = 50;
    t.device = "cpu";
    const TrainingResult result = Trainer(t).run(model, faces.train, faces.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    const auto& history = model.info().history;
    QVERIFY2(history.back().testLoss < history.front().testLoss, "the test loss did not fall");

    const Image face = Image::fromPlanarBytes(faces.test.image(0), faces.test.shape());
    const Image shown = Restoration::corrupted(face, c.corruption, 1);
    QCOMPARE(shown.channels, 3); // grey, shown in colour's three channels
    QVERIFY(shown.pixels[0] == shown.pixels[1] && shown.pixels[1] == shown.pixels[2]);
    const Image restored = Restoration::restored(model, shown);
    QCOMPARE(restored.channels, 3);
    // The restoration of the grey face is the restoration of the colour one: the encoder sees
    // luminance only (rounded to bytes in the grey image, hence a level or two apart).
    const Image fromColour = Restoration::restored(model, face);
    int worst = 0;
    for (std::size_t i = 0; i < restored.pixels.size(); ++i)
        worst = std::max(worst, std::abs(int(fromColour.pixels[i]) - int(restored.pixels[i])));
    qInfo("restored from the colour face and from its grey image: at most %d levels apart", worst);
    QVERIFY(worst <= 3);

    QTemporaryDir dir;
    const std::string path = dir.filePath("colouriser.latentlab").toStdString();
    ModelFile::save(model, path);
    QCOMPARE(ModelFile::load(path)->config().corruption.text(), std::string("grey"));

    ModelConfig greyData = c;
    greyData.channels = 1;
    try {
        greyData.validate();
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("needs colour images"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestCorruption)
#include "test_corruption.moc"
