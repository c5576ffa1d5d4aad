#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/detail/ModelInternals.h"
#include "core/formats/ModelFile.h"
#include "core/training/Evaluator.h"
#include "core/training/Trainer.h"
#include "models/detail/Losses.h"

using namespace latentlab;

// The SSIM reconstruction term: SSIM against an independent OpenCV computation of Wang et
// al.'s formula, a finite gradient, a model trained with it whose SSIM rises, its weight in
// the model file, and the IWAE estimate refused for it.
class TestSsim : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void identicalImagesScoreOne();
    void matchesOpenCv_data();
    void matchesOpenCv();
    void gradientIsFinite();
    void trainsAndRoundTrips();
    void refusesPixelSamplingAndIwae();
};

namespace {

// Wang et al.'s SSIM as OpenCV's tutorial computes it (GaussianBlur 11 x 11, sigma 1.5),
// over the positions where the window lies inside the image (the border the blur pads is cut).
double openCvSsim(const cv::Mat& a, const cv::Mat& b)
{
    constexpr double kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;
    int size_ = std::min({11, a.rows, a.cols});
    size_ -= size_ % 2 == 0; // odd, as LatentLab's
    auto blur = [&](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, cv::Size(size_, size_), 1.5);
        const int r = size_ / 2;
        return cv::Mat(out, cv::Rect(r, r, m.cols - 2 * r, m.rows - 2 * r)).clone();
    };
    const cv::Mat muA = blur(a), muB = blur(b);
    const cv::Mat muA2 = muA.mul(muA), muB2 = muB.mul(muB), muAB = muA.mul(muB);
    const cv::Mat varA = blur(a.mul(a)) - muA2, varB = blur(b.mul(b)) - muB2, cov = blur(a.mul(b)) - muAB;
    cv::Mat numerator = (2 * muAB + kC1).mul(2 * cov + kC2);
    cv::Mat denominator = (muA2 + muB2 + kC1).mul(varA + varB + kC2);
    cv::Mat map;
    cv::divide(numerator, denominator, map);
    return cv::mean(map)[0];
}

cv::Mat toMat(const torch::Tensor& image) // [H, W] float
{
    const torch::Tensor c = image.to(torch::kDouble).contiguous();
    return cv::Mat(int(c.size(0)), int(c.size(1)), CV_64F, c.data_ptr<double>()).clone();
}

} // namespace

void TestSsim::identicalImagesScoreOne()
{
    const torch::Tensor x = torch::rand({3, 3, 32, 32});
    const torch::Tensor s = Losses::ssim(x, x);
    QCOMPARE(s.size(0), std::int64_t(3));
    QVERIFY(torch::allclose(s, torch::ones({3}), 0, 1e-5));
    // A flat image against noise shares no structure.
    QVERIFY(Losses::ssim(torch::full({1, 1, 28, 28}, 0.5), torch::rand({1, 1, 28, 28})).item<double>() < 0.2);
}

void TestSsim::matchesOpenCv_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<QString>("change");
    QTest::newRow("28 px, blurred") << 28 << "blur";
    QTest::newRow("28 px, noisy") << 28 << "noise";
    QTest::newRow("64 px, blurred") << 64 << "blur";
    QTest::newRow("20 px, darker") << 20 << "darker";
    QTest::newRow("8 px, blurred (a smaller window)") << 8 << "blur";
}

void TestSsim::matchesOpenCv()
{
    QFETCH(int, side);
    QFETCH(QString, change);
    torch::manual_seed(3);
    // A smooth pattern with edges: a disc and a gradient.
    const torch::Tensor axis = torch::linspace(-1, 1, side);
    const torch::Tensor yy = axis.view({side, 1}).expand({side, side}), xx = axis.view({1, side}).expand({side, side});
    const torch::Tensor clean = ((xx.square() + yy.square() < 0.4).to(torch::kFloat) * 0.7 + 0.15 * (xx + 1)).clamp(0, 1);
    cv::Mat a = toMat(clean), b;
    if (change == "blur")
        cv::GaussianBlur(a, b, cv::Size(5, 5), 1.2);
    else if (change == "noise")
        b = a + toMat(torch::randn({side, side}) * 0.1);
    else
        b = a * 0.6;
    const torch::Tensor ta = clean.view({1, 1, side, side});
    const torch::Tensor tb = torch::from_blob(b.ptr<double>(), {1, 1, side, side}, torch::kDouble).to(torch::kFloat);
    const double ours = Losses::ssim(ta, tb).item<double>();
    const double reference = openCvSsim(a, b);
    qInfo("SSIM %.5f, OpenCV's formula %.5f", ours, reference);
    QVERIFY(reference < 0.99); // the change is one SSIM sees
    QVERIFY(std::abs(ours - reference) < 1e-4);
}

void TestSsim::gradientIsFinite()
{
    ModelConfig c;
    c.likelihood = Likelihood::Ssim;
    c.reconWeight = 2;
    const torch::Tensor logits = torch::zeros({4, 1, 28, 28}).requires_grad_(); // flat grey: a zero variance
    const torch::Tensor x = torch::rand({4, 1, 28, 28});
    const torch::Tensor loss = Losses::reconstruction(c, logits, x, false);
    loss.backward();
    QVERIFY(std::isfinite(loss.item<double>()));
    QVERIFY(loss.item<double>() > 0);
    QVERIFY(torch::isfinite(logits.grad()).all().item<bool>());
    QVERIFY(logits.grad().abs().sum().item<double>() > 0);
    // Per image: weight x (1 - SSIM) x the value count, summing to the batch's term.
    const torch::Tensor perImage = Losses::reconstruction(c, logits.detach(), x, true);
    QVERIFY(torch::allclose(perImage, 2.0 * 784 * (1 - Losses::ssim(torch::sigmoid(logits.detach()), x))));
    QVERIFY(std::abs(perImage.sum().item<double>() - loss.item<double>()) < 1e-3 * loss.item<double>());
}

void TestSsim::trainsAndRoundTrips()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {128};
    c.latentDim = 8;
    c.likelihood = Likelihood::Ssim;
    c.reconWeight = 0.5;
    Model model(c, 3);
    const torch::Tensor x = toFloatImages(datasetTensor(digits.test).slice(0, 0, 16), torch::kCPU);
    auto meanSsim = [&](Model& m) {
        torch::NoGradGuard guard;
        const torch::Tensor logits = m.impl().network->decodeLogits(m.impl().network->encode(x).mu);
        return Losses::ssim(torch::sigmoid(logits), x).mean().item<double>();
    };
    const double before = meanSsim(model);
    TrainingConfig t;
    t.epochs = 2;
    t.batchSize = 64;
    t.device = "cpu";
    const TrainingResult result = Trainer(t).run(model, digits.train, digits.test);
    QCOMPARE(int(result.outcome), int(TrainingOutcome::Finished));
    const double after = meanSsim(model);
    qInfo("SSIM of 16 test digits' reconstructions: %.3f untrained, %.3f after 2 epochs", before, after);
    QVERIFY(after > before + 0.2);

    QTemporaryDir dir;
    const std::string path = dir.filePath("ssim.latentlab").toStdString();
    ModelFile::save(model, path);
    const std::unique_ptr<Model> loaded = ModelFile::load(path);
    QCOMPARE(int(loaded->config().likelihood), int(Likelihood::Ssim));
    QCOMPARE(loaded->config().reconWeight, 0.5);
    Evaluator evaluator;
    evaluator.setSeed(4);
    QCOMPARE(evaluator.negativeElbo(*loaded, digits.test).loss, evaluator.negativeElbo(model, digits.test).loss);
}

void TestSsim::refusesPixelSamplingAndIwae()
{
    ModelConfig c;
    c.likelihood = Likelihood::Ssim;
    c.pixelSample = 100;
    QVERIFY_THROWS_EXCEPTION(Error, c.validate());
    c.pixelSample = 0;
    c.reconWeight = 0;
    QVERIFY_THROWS_EXCEPTION(Error, c.validate());
    c.reconWeight = 1;
    c.validate();
    QCOMPARE(int(likelihoodFromString(toString(Likelihood::Ssim))), int(Likelihood::Ssim));

    const DatasetSplit digits = DatasetLoader::load("digits");
    c.height = c.width = 20;
    c.hidden = {16};
    c.latentDim = 2;
    Model model(c, 1);
    try {
        Evaluator().iwaeNllPerImage(model, digits.test, 10);
        QFAIL("the IWAE estimate ran on an SSIM model");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("ssim"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestSsim)
#include "test_ssim.moc"
