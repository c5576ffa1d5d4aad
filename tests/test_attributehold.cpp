#include <QtTest>

#include <cmath>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/latent/AttributeHold.h"
#include "core/latent/LatentCodes.h"
#include "core/training/Trainer.h"

using namespace latentlab;

// Holding attributes through the decoder, on a small VAE trained on the digits: class
// "is it a 0" and "is it a 1" are held while a 7 is added.
class TestAttributeHold : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void holdsThroughTheDecoder();
    void oneOriginalForManyEdits();
    void nothingHeldChangesNothing();
    void rejects_data();
    void rejects();

private:
    // Mean |decision on the re-encoded edit - decision on the re-encoded original| of the
    // held attributes, and mean decision change of the edited one.
    std::pair<double, double> errors(const std::vector<float>& edits) const;

    DatasetSplit digits_;
    std::unique_ptr<Model> model_;
    std::vector<HeldAttribute> attributes_;
    std::vector<float> originals_; // codes of test images that are not 7s
    std::vector<float> shifted_;   // those plus 0.6 times the 7 vector
};

void TestAttributeHold::initTestCase()
{
    digits_ = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 4;
    c.hidden = {64};
    model_ = std::make_unique<Model>(c, 5);
    TrainingConfig t;
    t.epochs = 8;
    t.batchSize = 64;
    t.learningRate = 3e-3;
    t.device = "cpu";
    Trainer(t).run(*model_, digits_.train, digits_.test);

    const LatentCodes codes = LatentCodes::encode(*model_, digits_.train);
    const auto groups = [&codes](int digit) {
        return AttributeMath::groupsFromLabels(codes.labels, codes.classNames, std::to_string(digit), "rest");
    };
    const std::vector<float> seven = AttributeMath::meanDifference(codes, groups(7));
    attributes_ = {{LinearProbe::fit(codes, groups(0)), false},
                   {LinearProbe::fit(codes, groups(1)), false},
                   {LinearProbe::fit(codes, groups(7)), true}};
    const LatentCodes test = LatentCodes::encode(*model_, digits_.test);
    for (std::size_t i = 0; i < test.count() && originals_.size() < 200 * 4; ++i)
        if (test.labels[i] != 7)
            originals_.insert(originals_.end(), test.code(i), test.code(i) + 4);
    shifted_ = originals_;
    for (std::size_t k = 0; k < shifted_.size(); ++k)
        shifted_[k] += 0.6f * seven[k % 4];
}

std::pair<double, double> TestAttributeHold::errors(const std::vector<float>& edits) const
{
    const std::vector<float> base = model_->encodeMeans(model_->decode(originals_));
    const std::vector<float> again = model_->encodeMeans(model_->decode(edits));
    double held = 0, edited = 0;
    const std::size_t n = edits.size() / 4;
    for (std::size_t f = 0; f < n; ++f)
        for (const HeldAttribute& a : attributes_) {
            const double change = a.classifier.decision(&again[f * 4]) - a.classifier.decision(&base[f * 4]);
            (a.edited ? edited : held) += a.edited ? change : std::abs(change);
        }
    return {held / double(2 * n), edited / double(n)};
}

void TestAttributeHold::holdsThroughTheDecoder()
{
    const auto [heldBefore, editedBefore] = errors(shifted_);
    const std::vector<float> corrected = AttributeHold::apply(*model_, attributes_, originals_, shifted_);
    const auto [heldAfter, editedAfter] = errors(corrected);
    qInfo("held attributes' decisions moved %.3f without holding, %.3f with; the 7's by %.3f and %.3f",
          heldBefore, heldAfter, editedBefore, editedAfter);
    QVERIFY(heldBefore > 0.2);              // the plain shift does drag them
    QVERIFY(heldAfter < 0.5 * heldBefore);  // holding takes most of it back
    QVERIFY(editedAfter > 0.9 * editedBefore); // and the edit itself is not undone
}

void TestAttributeHold::oneOriginalForManyEdits()
{
    const std::vector<float> one(originals_.begin(), originals_.begin() + 4);
    std::vector<float> edits, repeated;
    for (double alpha : {0.5, 1.0, 2.0})
        for (std::size_t d = 0; d < 4; ++d) {
            edits.push_back(one[d] + float(alpha) * (shifted_[d] - one[d]));
            repeated.push_back(one[d]);
        }
    const std::vector<float> shared = AttributeHold::apply(*model_, attributes_, one, edits);
    const std::vector<float> expanded = AttributeHold::apply(*model_, attributes_, repeated, edits);
    QCOMPARE(shared.size(), edits.size());
    for (std::size_t k = 0; k < shared.size(); ++k)
        QVERIFY(std::abs(shared[k] - expanded[k]) < 1e-4f);
    QVERIFY(shared != edits);
}

void TestAttributeHold::nothingHeldChangesNothing()
{
    std::vector<HeldAttribute> allEdited = attributes_;
    for (HeldAttribute& a : allEdited)
        a.edited = true;
    QVERIFY(AttributeHold::apply(*model_, allEdited, originals_, shifted_) == shifted_);
    QVERIFY(AttributeHold::apply(*model_, {}, originals_, shifted_) == shifted_);
    QVERIFY(AttributeHold::apply(*model_, attributes_, originals_, shifted_, {}, 0) == shifted_);
    // Only vectors that carry a classifier are known; the named ones are the edited ones.
    const std::vector<HeldAttribute> known = AttributeHold::known(
        {{"a", {0, 0, 0, 1}, {1, 0, 0, 0}, 0.5}, {"b", {0, 0, 1, 0}, {}, 0}, {"c", {0, 1, 0, 0}, {0, 1, 0, 0}, 0}}, {"c"});
    QCOMPARE(known.size(), std::size_t(2));
    QVERIFY(!known[0].edited);
    QCOMPARE(known[0].classifier.bias(), 0.5);
    QVERIFY(known[1].edited);
}

void TestAttributeHold::rejects_data()
{
    QTest::addColumn<int>("originals");
    QTest::addColumn<int>("shifted");
    QTest::addColumn<int>("classes");
    QTest::addColumn<int>("classifierSize");
    QTest::addColumn<QString>("message");
    QTest::newRow("part of a code") << 4 << 10 << 0 << 4 << "not a whole number of 4-value codes";
    QTest::newRow("originals do not match") << 8 << 12 << 0 << 4 << "2 original codes for 3 edits";
    QTest::newRow("classes do not match") << 4 << 12 << 2 << 4 << "2 classes for 3 codes";
    QTest::newRow("classifier of another model") << 4 << 12 << 0 << 5 << "a classifier of 5 values for a latent code of 4";
}

void TestAttributeHold::rejects()
{
    QFETCH(int, originals);
    QFETCH(int, shifted);
    QFETCH(int, classes);
    QFETCH(int, classifierSize);
    QFETCH(QString, message);
    std::vector<HeldAttribute> attributes = {{LinearProbe(std::vector<double>(std::size_t(classifierSize), 1.0), 0), false}};
    try {
        AttributeHold::apply(*model_, attributes, std::vector<float>(std::size_t(originals)),
                             std::vector<float>(std::size_t(shifted)), std::vector<int>(std::size_t(classes)));
        QFAIL("expected an error");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

QTEST_GUILESS_MAIN(TestAttributeHold)
#include "test_attributehold.moc"
