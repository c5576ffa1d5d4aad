#include <QtTest>

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/data/CardsGenerator.h"
#include "core/detail/ModelInternals.h"
#include "core/latent/FactorReport.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/CircularStatistics.h"
#include "core/model/Model.h"
#include "core/training/Evaluator.h"
#include "core/training/Trainer.h"
#include "models/ModelRegistry.h"
#include "models/rvae/RotationVae.h"

using namespace latentlab;

// The rotation-invariant VAE: its decoder's pose is an exact rotation and shift of the
// canonical decode, it trains on cards and finds the angle, and it refuses what it cannot do.
class TestRotationVae : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quarterTurnIsExact();
    void pixelShiftIsExact();
    void anyPoseMatchesWarpAffine_data();
    void anyPoseMatchesWarpAffine();
    void circularCorrelation_data();
    void circularCorrelation();
    void trainsOnCards();
    void pixelSampleEstimatesTheWholeImage();
    void turningTheInputMatchesTheDecoder();
    void colourWorks();
    void namesTheCodesParts();
    void rejects_data();
    void rejects();
};

namespace {

constexpr int kSide = 32;

ModelConfig rvaeConfig(int channels = 1, int side = kSide)
{
    ModelConfig c;
    c.architecture = "rvae";
    c.height = c.width = side;
    c.channels = channels;
    c.latentDim = 3 + 2;
    c.hidden = {32, 32};
    return c;
}

// The decode of (angle, dx, dy, z0, z1) as rows of floats (one channel).
std::vector<float> decodeAt(const Model& model, double angle, double dx, double dy)
{
    return model.decode({float(angle), float(dx), float(dy), 0.7f, -0.4f});
}

float pixelAt(const std::vector<float>& image, int row, int column)
{
    return image[std::size_t(row * kSide + column)];
}

} // namespace

void TestRotationVae::quarterTurnIsExact()
{
    const Model model(rvaeConfig(), 3);
    const std::vector<float> canonical = decodeAt(model, 0, 0, 0);
    const std::vector<float> turned = decodeAt(model, M_PI / 2, 0, 0);
    // A quarter turn counter-clockwise maps pixel centres onto pixel centres.
    double worst = 0;
    for (int r = 0; r < kSide; ++r)
        for (int c = 0; c < kSide; ++c)
            worst = std::max(worst, double(std::abs(pixelAt(turned, r, c) - pixelAt(canonical, c, kSide - 1 - r))));
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    // and the picture does change: by a good part of its own contrast (fresh weights draw
    // a faint, smooth picture).
    const auto [low, high] = std::minmax_element(canonical.begin(), canonical.end());
    double change = 0;
    for (std::size_t i = 0; i < canonical.size(); ++i)
        change = std::max(change, double(std::abs(canonical[i] - turned[i])));
    QVERIFY(*high - *low > 1e-3);
    QVERIFY2(change > 0.2 * (*high - *low), qPrintable(QString("%1 of %2").arg(change).arg(*high - *low)));
}

void TestRotationVae::pixelShiftIsExact()
{
    const Model model(rvaeConfig(), 3);
    // dx, dy are in units of the prior's width (0.1 half-widths); one pixel is 2 / (side - 1).
    const double pixel = 2.0 / (kSide - 1) / model.config().translationPrior;
    const std::vector<float> canonical = decodeAt(model, 0, 0, 0);
    const std::vector<float> shifted = decodeAt(model, 0, 3 * pixel, 2 * pixel); // 3 right, 2 up
    double worst = 0;
    for (int r = 0; r + 2 < kSide; ++r)
        for (int c = 3; c < kSide; ++c)
            worst = std::max(worst, double(std::abs(pixelAt(shifted, r, c) - pixelAt(canonical, r + 2, c - 3))));
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
}

void TestRotationVae::anyPoseMatchesWarpAffine_data()
{
    QTest::addColumn<double>("degrees");
    QTest::addColumn<double>("right"); // pixels
    QTest::addColumn<double>("up");
    QTest::newRow("30 degrees") << 30.0 << 0.0 << 0.0;
    QTest::newRow("-75 degrees, shifted") << -75.0 << 1.5 << -2.25;
    QTest::newRow("shift alone") << 0.0 << -2.5 << 0.5;
}

void TestRotationVae::anyPoseMatchesWarpAffine()
{
    QFETCH(double, degrees);
    QFETCH(double, right);
    QFETCH(double, up);
    const Model model(rvaeConfig(), 4);
    const double pixel = 2.0 / (kSide - 1) / model.config().translationPrior;
    const std::vector<float> canonical = decodeAt(model, 0, 0, 0);
    const std::vector<float> posed = decodeAt(model, degrees * M_PI / 180, right * pixel, up * pixel);
    const cv::Mat source(kSide, kSide, CV_32F, const_cast<float*>(canonical.data()));
    const double centre = (kSide - 1) / 2.0;
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(float(centre), float(centre)), degrees, 1.0);
    m.at<double>(0, 2) += right;
    m.at<double>(1, 2) -= up; // image rows grow downwards
    cv::Mat expected;
    cv::warpAffine(source, expected, m, source.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    // Within the central disc, away from what the frame cuts off.
    double sum = 0;
    int count = 0;
    for (int r = 0; r < kSide; ++r)
        for (int c = 0; c < kSide; ++c)
            if (std::hypot(r - centre, c - centre) < 0.35 * kSide) {
                sum += std::abs(pixelAt(posed, r, c) - expected.at<float>(r, c));
                ++count;
            }
    QVERIFY2(sum / count < 0.01, qPrintable(QString("mean difference %1").arg(sum / count)));
}

void TestRotationVae::circularCorrelation_data()
{
    QTest::addColumn<double>("offset");
    QTest::addColumn<double>("sign");
    QTest::addColumn<double>("expected");
    QTest::newRow("the same angles, turned") << 2.0 << 1.0 << 1.0;
    QTest::newRow("mirrored") << 0.5 << -1.0 << -1.0;
}

void TestRotationVae::circularCorrelation()
{
    QFETCH(double, offset);
    QFETCH(double, sign);
    QFETCH(double, expected);
    std::vector<double> a, b;
    for (int i = 0; i < 200; ++i) {
        a.push_back(-2.5 + 5.0 * ((i * 37) % 200) / 200.0);
        b.push_back(sign * a.back() + offset); // wrapped angles are the same angles
    }
    QVERIFY(std::abs(CircularStatistics::correlation(a, b) - expected) < 1e-9);
    // Independent angles: near 0.
    std::vector<double> c;
    for (int i = 0; i < 200; ++i)
        c.push_back(std::fmod(i * 2.39996, 2 * M_PI));
    QVERIFY(std::abs(CircularStatistics::correlation(a, c)) < 0.2);
    QVERIFY_THROWS_EXCEPTION(Error, CircularStatistics::correlation({1.0}, {1.0}));
    QVERIFY_THROWS_EXCEPTION(Error, CircularStatistics::correlation({1.0, 2.0}, {1.0}));
}

// A short run with the family's training defaults (pixel sample, angle consistency): the
// negative ELBO falls well below the fresh network's (a grey picture), the IWAE bound,
// which uses the family's own prior, stays below it, and the angle latent follows the
// true angle on the suits without a symmetry (a loose bar: the cards study trains for
// longer and measures it properly, bench/cards_study.sh).
void TestRotationVae::trainsOnCards()
{
    const Dataset train = CardsGenerator::generate(CardsGenerator::preset("cards3"), 2000, 1);
    const Dataset test = CardsGenerator::generate(CardsGenerator::preset("cards3"), 200, 2);
    ModelConfig c = rvaeConfig(1, CardsGenerator::kSize);
    const ModelFamily& family = ModelRegistry::find("rvae");
    c.pixelSample = family.defaultPixelSample;
    c.angleConsistency = family.defaultAngleConsistency;
    c.rotationPrior = 2.0;
    c.hidden = {64, 64};
    Model model(c, 1);
    Evaluator evaluator;
    evaluator.setSeed(1);
    const double fresh = evaluator.negativeElbo(model, test).loss;
    TrainingConfig t;
    t.epochs = 3;
    t.batchSize = 32;
    t.learningRate = 2e-3;
    t.device = "cpu";
    Trainer(t).run(model, train, test);
    const LossSummary trained = evaluator.negativeElbo(model, test);
    qInfo("negative ELBO %.1f fresh, %.1f after 3 epochs of 2,000 cards (KL %.2f)", fresh, trained.loss, trained.kl);
    QVERIFY2(trained.loss < 0.8 * fresh, qPrintable(QString("%1 -> %2").arg(fresh).arg(trained.loss)));
    QVERIFY(trained.kl > 0);
    QVERIFY(evaluator.iwaeNll(model, test, 8) <= trained.loss + 1.0);
    // The angle latent against the true angle, through the factor report.
    const LatentCodes codes = LatentCodes::encode(model, test);
    const FactorReport report = FactorReport::fromDataset(codes.mu, codes.dim, test, ModelRegistry::dimensionNames(c), 3);
    QVERIFY(report.angle.hasAngleLatent);
    const std::vector<double>& perSuit = report.angle.angleLatentCorrelationPerClass;
    qInfo("angle latent's circular correlation: diamonds (x2) %.2f, clubs %.2f, spades %.2f, hearts %.2f; overall %.2f",
          perSuit[0], perSuit[1], perSuit[2], perSuit[3], report.angle.angleLatentCorrelation);
    QVERIFY2(report.angle.angleLatentCorrelation > 0.7, qPrintable(QString::number(report.angle.angleLatentCorrelation)));
}

// Training on a sample of each image's pixels: the reconstruction term, averaged over
// many draws, is the whole image's (it is scaled up, not a smaller loss), and only the
// families whose decoder draws pixels one by one accept it.
void TestRotationVae::pixelSampleEstimatesTheWholeImage()
{
    const Dataset cards = CardsGenerator::generate(CardsGenerator::preset("cards3"), 16, 5);
    ModelConfig c = rvaeConfig(1, CardsGenerator::kSize);
    Model model(c, 4);
    VaeNetwork& net = *model.impl().network;
    torch::NoGradGuard noGrad;
    const torch::Tensor x = datasetTensor(cards).to(torch::kFloat) / 255.0;
    const auto meanRecon = [&](int sample) {
        ModelConfig step = c;
        step.pixelSample = sample;
        at::Generator generator = makeGenerator(7);
        double sum = 0;
        constexpr int kDraws = 200;
        for (int i = 0; i < kDraws; ++i)
            sum += net.objective(x, x, {}, step, generator).terms[0].item<double>();
        return sum / kDraws;
    };
    const double whole = meanRecon(0), sampled = meanRecon(100);
    {
        ModelConfig step = c;
        at::Generator generator = makeGenerator(8);
        QCOMPARE(net.objective(x, x, {}, step, generator).terms.at(2).item<double>(), 0.0);
        step.angleConsistency = 1;
        const VaeNetwork::Objective withTerm = net.objective(x, x, {}, step, generator);
        QVERIFY(withTerm.terms.at(2).item<double>() > 0); // a fresh encoder does not turn with the image
    }
    qInfo("reconstruction term: %.1f from every pixel, %.1f from 100 of %d per image", whole, sampled,
          CardsGenerator::kSize * CardsGenerator::kSize);
    QVERIFY2(std::abs(sampled - whole) < 0.02 * whole, qPrintable(QString("%1 vs %2").arg(sampled).arg(whole)));

    ModelConfig mlp;
    mlp.pixelSample = 100;
    QVERIFY_THROWS_EXCEPTION(Error, ModelRegistry::validate(mlp));
    mlp.pixelSample = 0;
    mlp.angleConsistency = 1;
    QVERIFY_THROWS_EXCEPTION(Error, ModelRegistry::validate(mlp));
    c.pixelSample = -1;
    QVERIFY_THROWS_EXCEPTION(Error, ModelRegistry::validate(c));
}

// The angle-consistency term turns input images with RotationVae::rotated: it must turn
// them the way the decoder turns its canonical image (anyPoseMatchesWarpAffine: as
// warpAffine does with a positive angle), or the term would teach the opposite direction.
void TestRotationVae::turningTheInputMatchesTheDecoder()
{
    const int side = CardsGenerator::kSize;
    const Dataset cards = CardsGenerator::generate(CardsGenerator::preset("cards1"), 1, 3);
    std::vector<float> card(cards.pixels().begin(), cards.pixels().begin() + side * side);
    for (float& v : card)
        v /= 255.0f;
    const cv::Mat source(side, side, CV_32F, card.data());
    const double centre = (side - 1) / 2.0;
    for (double degrees : {35.0, -110.0}) {
        const torch::Tensor turned = RotationVae::rotated(torch::tensor(card).view({1, 1, side, side}),
                                                          torch::tensor({degrees * M_PI / 180}, torch::kFloat));
        const std::vector<float> got(turned.data_ptr<float>(), turned.data_ptr<float>() + side * side);
        cv::Mat expected;
        cv::warpAffine(source, expected, cv::getRotationMatrix2D(cv::Point2f(float(centre), float(centre)), degrees, 1.0),
                       source.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
        double difference = 0, ink = 0;
        for (int r = 0; r < side; ++r)
            for (int c = 0; c < side; ++c) {
                difference += std::abs(got[std::size_t(r * side + c)] - expected.at<float>(r, c));
                ink += expected.at<float>(r, c);
            }
        qInfo("%.0f degrees: |rotated - warpAffine| is %.4f of the ink", degrees, difference / ink);
        QVERIFY(ink > 20);
        QVERIFY2(difference < 0.02 * ink, qPrintable(QString::number(difference / ink)));
    }
}

void TestRotationVae::colourWorks()
{
    const Model model(rvaeConfig(3), 3);
    const std::vector<float> image = decodeAt(model, 0.3, 0, 0);
    QCOMPARE(image.size(), std::size_t(3 * kSide * kSide));
    const std::vector<float> code = model.encodeMeans(image);
    QCOMPARE(code.size(), std::size_t(5));
}

void TestRotationVae::namesTheCodesParts()
{
    QCOMPARE(ModelRegistry::dimensionNames(rvaeConfig()), (std::vector<std::string>{"angle", "dx", "dy", "z0", "z1"}));
    ModelConfig mlp;
    mlp.latentDim = 3;
    QCOMPARE(ModelRegistry::dimensionNames(mlp), (std::vector<std::string>{"0", "1", "2"}));
}

void TestRotationVae::rejects_data()
{
    QTest::addColumn<int>("latent");
    QTest::addColumn<int>("side");
    QTest::addColumn<bool>("variational");
    QTest::addColumn<QString>("message");
    QTest::newRow("no content") << 3 << 32 << true << "a latent size of at least 4 (3 + content)";
    QTest::newRow("too large") << 5 << 256 << true << "images of at most 128 x 128";
    QTest::newRow("no autoencoder") << 5 << 32 << false << "no plain-autoencoder baseline";
}

void TestRotationVae::rejects()
{
    QFETCH(int, latent);
    QFETCH(int, side);
    QFETCH(bool, variational);
    QFETCH(QString, message);
    ModelConfig c = rvaeConfig();
    c.latentDim = latent;
    c.height = c.width = side;
    c.variational = variational;
    try {
        ModelRegistry::validate(c);
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

QTEST_GUILESS_MAIN(TestRotationVae)
#include "test_rotationvae.moc"
