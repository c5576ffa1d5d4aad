#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QImageReader>
#include <QLabel>
#include <QTextStream>
#include <QListView>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QSemaphore>
#include <QThreadPool>
#include <QtTest>

#include <opencv2/videoio.hpp>

#include "core/latent/AttributeDirections.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/latent/AttributeHold.h"
#include "ui/AttributesPanel.h"
#include "ui/BackgroundLoads.h"
#include "ui/DatasetBrowser.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"
#include "ui/ImageConversion.h"
#include "ui/InspectorPanel.h"
#include "ui/MorphPanel.h"
#include "ui/StatisticsPanel.h"
#include "ui/TriangleControl.h"

using namespace latentlab;

// The editing docks driven through their real widgets; decodes go through the worker.
class TestEditing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void morphSliderEndsShowAAndB_data();
    void morphSliderEndsShowAAndB();
    void triangleCornersShowTheImages();
    void attributeSliderEditsLive();
    void heldEditsHoldTheOthers();
    void inspectorSlidersEditTheCode();
    void handPickedVectorSurvivesSaveAndOpen();
    void vectorFromLabelsAndBadInput();
    void vectorFromAttributeFile();
    void exportReadsBack_data();
    void exportReadsBack();
    void browserFiltersAndPicks();
    void statisticsListOutliers();
    void decodeErrorsReachThePanels();
    void inspectorGuidesBeforeASelection();

private:
    QImage expected(const std::vector<float>& code) const;
    static QImage waitFor(QSignalSpy& spy);
    QTemporaryDir dir_;
    std::shared_ptr<const Dataset> test_;
    std::shared_ptr<Model> model_;
    std::shared_ptr<const LatentCodes> codes_;
    std::unique_ptr<ExplorerDocument> document_;
    std::unique_ptr<EditSession> session_;
};

void TestEditing::initTestCase()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    test_ = std::make_shared<const Dataset>(digits.test);
}

void TestEditing::init()
{
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 3;
    c.hidden = {48};
    model_ = std::make_shared<Model>(c, 3);
    codes_ = std::make_shared<const LatentCodes>(LatentCodes::encode(*model_, *test_));
    document_ = std::make_unique<ExplorerDocument>();
    document_->setModel(model_);
    document_->setOverlay(test_);
    document_->setCodes(codes_);
    session_ = std::make_unique<EditSession>(document_.get());
}

void TestEditing::cleanup()
{
    session_.reset();
    document_.reset();
}

QImage TestEditing::expected(const std::vector<float>& code) const
{
    return ImageConversion::toQImage(model_->decodeImages(code).front());
}

QImage TestEditing::waitFor(QSignalSpy& spy)
{
    if (spy.isEmpty() && !spy.wait(5000))
        return {};
    return spy.takeLast().at(0).value<QImage>();
}

void TestEditing::morphSliderEndsShowAAndB_data()
{
    QTest::addColumn<bool>("spherical");
    QTest::newRow("linear") << false;
    QTest::newRow("spherical") << true;
}

void TestEditing::morphSliderEndsShowAAndB()
{
    QFETCH(bool, spherical);
    MorphPanel morph(document_.get());
    morph.setSpherical(spherical);
    QSignalSpy preview(&morph, &MorphPanel::previewReady);
    const std::vector<float> a = codes_->codeVector(10), b = codes_->codeVector(400);
    morph.setEndpoint(0, {}, a, "A");
    morph.setEndpoint(1, {}, b, "B");
    QVERIFY(QTest::qWaitFor([&] { return !preview.isEmpty(); }, 5000));
    preview.clear();
    morph.scrubber()->setValue(morph.scrubber()->maximum());
    const QImage atB = waitFor(preview);
    morph.scrubber()->setValue(0);
    const QImage atA = waitFor(preview);
    const auto close = [](const QImage& x, const QImage& y) {
        if (x.size() != y.size() || x.isNull())
            return false;
        for (int yy = 0; yy < x.height(); ++yy)
            for (int xx = 0; xx < x.width(); ++xx)
                if (std::abs(qGray(x.pixel(xx, yy)) - qGray(y.pixel(xx, yy))) > 1) // slerp's weights round
                    return false;
        return true;
    };
    QVERIFY2(close(atA, expected(a)), "slider at the start shows A's decode");
    QVERIFY2(close(atB, expected(b)), "slider at the end shows B's decode");
    QVERIFY(atA != atB);
}

void TestEditing::triangleCornersShowTheImages()
{
    MorphPanel morph(document_.get());
    QSignalSpy preview(&morph, &MorphPanel::previewReady);
    const std::vector<float> a = codes_->codeVector(1), b = codes_->codeVector(2), c = codes_->codeVector(3);
    morph.setEndpoint(0, {}, a, "A");
    morph.setEndpoint(1, {}, b, "B");
    morph.setEndpoint(2, {}, c, "C");
    QVERIFY(QTest::qWaitFor([&] { return !preview.isEmpty(); }, 5000));
    preview.clear();
    morph.triangle()->setWeights({0, 1});
    QCOMPARE(waitFor(preview), expected(c));
    morph.triangle()->setWeights({1, 0});
    QCOMPARE(waitFor(preview), expected(b));
    // Three images: the strip goes around the triangle, corners shared.
    QCOMPARE(morph.frameCodes(5).size(), std::size_t(13 * 3));
}

void TestEditing::attributeSliderEditsLive()
{
    const std::vector<float> direction = {1.5f, -0.5f, 0.25f}, other = {0.2f, 1.0f, 0.0f};
    document_->addAttribute({"thick", direction});
    document_->addAttribute({"slant", other});
    AttributesPanel panel(session_.get());
    QSignalSpy edited(session_.get(), &EditSession::editedReady);
    session_->selectIndex(25);
    const std::vector<float> base = codes_->codeVector(25);
    QCOMPARE(waitFor(edited), expected(base)); // every slider at 0: the reconstruction

    panel.slider("thick")->setValue(150); // alpha 1.5
    QCOMPARE(waitFor(edited), expected(AttributeMath::apply(base, {direction}, {1.5})));
    panel.slider("slant")->setValue(-100); // several sliders combine
    QCOMPARE(waitFor(edited), expected(AttributeMath::apply(base, {direction, other}, {1.5, -1.0})));
    session_->setOrthogonalised("thick", true);
    const std::vector<float> orthogonal = AttributeMath::orthogonalised(direction, {other});
    QCOMPARE(waitFor(edited), expected(AttributeMath::apply(base, {orthogonal, other}, {1.5, -1.0})));
    panel.slider("thick")->setValue(0);
    panel.slider("slant")->setValue(0);
    QCOMPARE(waitFor(edited), expected(base));
}

// Vectors with classifiers: an edit holds the others through the decoder, in the worker,
// unless the dock's checkbox says not to.
void TestEditing::heldEditsHoldTheOthers()
{
    const std::vector<float> direction = {1.5f, -0.5f, 0.25f}, other = {0.2f, 1.0f, 0.0f};
    document_->addAttribute({"thick", direction, {1.0, -0.3, 0.1}, 0.0});
    document_->addAttribute({"slant", other, {0.1, 1.0, 0.2}, -0.2});
    AttributesPanel panel(session_.get());
    auto* hold = panel.findChild<QCheckBox*>("holdOthers");
    QVERIFY(hold && hold->isChecked());
    QSignalSpy edited(session_.get(), &EditSession::editedReady);
    session_->selectIndex(25);
    const std::vector<float> base = codes_->codeVector(25);
    QCOMPARE(waitFor(edited), expected(base)); // nothing edited: nothing to hold

    panel.slider("thick")->setValue(150);
    const std::vector<float> shifted = AttributeMath::apply(base, {direction}, {1.5});
    const std::vector<float> held =
        AttributeHold::apply(*model_, AttributeHold::known(model_->info().attributes, {"thick"}), base, shifted, {0});
    QVERIFY(held != shifted);
    QCOMPARE(waitFor(edited), expected(held));
    hold->setChecked(false);
    QCOMPARE(waitFor(edited), expected(shifted));
}

void TestEditing::inspectorSlidersEditTheCode()
{
    InspectorPanel inspector(session_.get());
    session_->selectIndex(7);
    QVERIFY(inspector.slider(2));
    inspector.slider(2)->setValue(125);
    const std::vector<float> base = codes_->codeVector(7);
    QCOMPARE(session_->editedCode()[2], base[2] + 1.25f);
    QCOMPARE(session_->editedCode()[0], base[0]);
    QTRY_COMPARE_WITH_TIMEOUT(inspector.editedImage(), expected(session_->editedCode()), 5000);
    QCOMPARE(inspector.neighbours().size(), InspectorPanel::kNeighbours);
    QVERIFY(!inspector.neighbours().contains(7));
    session_->resetEdits();
    QCOMPARE(inspector.slider(2)->value(), 0);
    QCOMPARE(session_->editedCode(), base);
}

namespace {

// Makes `name` and waits for it: whether the vector was made.
bool makeVector(AttributesPanel& panel, const QString& name)
{
    QSignalSpy done(&panel, &AttributesPanel::vectorCreated);
    if (!panel.createVector(name))
        return false;
    if (done.isEmpty() && !done.wait(20000))
        return false;
    return done.first().at(1).toBool();
}

} // namespace

void TestEditing::handPickedVectorSurvivesSaveAndOpen()
{
    const QString path = dir_.filePath("picked.latentlab");
    ModelFile::save(*model_, path.toStdString());
    document_->setModelPath(path);
    AttributesPanel panel(session_.get());
    QSignalSpy saved(document_.get(), &ExplorerDocument::saved);
    panel.addToWith({0, 1, 2, 50});
    panel.addToWithout({300, 301});
    QVERIFY2(makeVector(panel, "picked"), qPrintable(panel.lastError()));
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 5000); // may come before the wait starts
    const auto reopened = ModelFile::load(path.toStdString());
    const std::vector<float> stored = AttributeMath::find(reopened->info().attributes, "picked").direction;
    QCOMPARE(stored, AttributeMath::meanDifference(*codes_, {{0, 1, 2, 50}, {300, 301}}));
    QVERIFY(panel.slider("picked"));

    document_->renameAttribute("picked", "thick strokes");
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 5000); // may come before the wait starts
    QCOMPARE(ModelFile::load(path.toStdString())->info().attributes.at(0).name, std::string("thick strokes"));
    document_->removeAttribute("thick strokes");
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 3, 5000); // may come before the wait starts
    QVERIFY(ModelFile::load(path.toStdString())->info().attributes.empty());
}

void TestEditing::vectorFromLabelsAndBadInput()
{
    AttributesPanel panel(session_.get());
    panel.setSource(AttributesPanel::Source::ClassVsClass);
    panel.setClasses("1", "7");
    QVERIFY2(makeVector(panel, "one minus seven"), qPrintable(panel.lastError()));
    const auto groups = AttributeMath::groupsFromLabels(codes_->labels, test_->classNames(), "1", "7");
    QCOMPARE(AttributeMath::find(model_->info().attributes, "one minus seven").direction,
             AttributeMath::meanDifference(*codes_, groups));

    panel.setClasses("3", "3");
    QVERIFY(!makeVector(panel, "nothing"));
    QVERIFY2(panel.lastError().contains("two different classes"), qPrintable(panel.lastError()));
    panel.setSource(AttributesPanel::Source::HandPicked);
    panel.addToWith({1});
    QVERIFY(!makeVector(panel, "half"));
    QVERIFY2(panel.lastError().contains("group is empty"), qPrintable(panel.lastError()));
    QVERIFY(!makeVector(panel, ""));

    // Another model opened while the vector is made: it is not added to the new one.
    panel.setSource(AttributesPanel::Source::ClassVsClass);
    panel.setClasses("1", "7");
    QSignalSpy done(&panel, &AttributesPanel::vectorCreated);
    // Every thread of the pool busy, so that the job waits until the new model is open.
    QThreadPool* const pool = BackgroundLoads::pool();
    const int threads = pool->maxThreadCount();
    QSemaphore busy;
    for (int i = 0; i < threads; ++i)
        pool->start([&busy] { busy.acquire(); });
    QTRY_COMPARE(pool->activeThreadCount(), threads);
    QVERIFY(panel.createVector("late"));
    QCOMPARE(done.size(), 0);
    ModelConfig c = model_->config();
    document_->setModel(std::make_shared<Model>(c, 4));
    busy.release(threads);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
    QCOMPARE(done.first().at(1).toBool(), false);
    QVERIFY2(panel.lastError().contains("another model was opened"), qPrintable(panel.lastError()));
    QVERIFY(document_->model()->info().attributes.empty());
}

void TestEditing::vectorFromAttributeFile()
{
    // A folder of bright and dark images and a CelebA-style file that marks the bright ones.
    const QString root = dir_.filePath("faces");
    QDir().mkpath(root);
    QFile table(dir_.filePath("list_attr.txt"));
    QVERIFY(table.open(QIODevice::WriteOnly | QIODevice::Text));
    QTextStream out(&table);
    out << 40 << "\nBright Round Third\n";
    for (int i = 0; i < 40; ++i) {
        QImage image(20, 20, QImage::Format_Grayscale8);
        image.fill(i % 2 ? 230 : 25);
        if (i % 3 == 0) // "Third": a grey right half
            for (int y = 0; y < 20; ++y)
                for (int x = 10; x < 20; ++x)
                    image.setPixel(x, y, qRgb(128, 128, 128));
        const QString name = QString("%1.png").arg(i, 6, 10, QChar('0'));
        QVERIFY(image.save(root + "/" + name));
        out << name << (i % 2 ? "  1" : " -1") << " -1" << (i % 3 ? " -1" : "  1") << "\n";
    }
    table.close();
    const DatasetSplit folder = DatasetLoader::load(("folder:" + root).toStdString(), {20, 1});
    auto all = std::make_shared<const Dataset>(folder.train);
    document_->setOverlay(all);
    document_->setCodes(std::make_shared<const LatentCodes>(LatentCodes::encode(*model_, *all)));

    AttributesPanel panel(session_.get());
    QSignalSpy loaded(&panel, &AttributesPanel::attributeFileLoaded);
    panel.loadAttributeFile(table.fileName());
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 5000); // may come before a wait would start
    QVERIFY(loaded.first().at(0).toBool());
    panel.setColumn("Bright");
    panel.setMethod(VectorMethod::Mean);
    QVERIFY2(makeVector(panel, "bright"), qPrintable(panel.lastError()));
    AttributeGroups groups;
    for (std::size_t i = 0; i < all->size(); ++i) // 36 training images: which are bright
        (all->image(i)[0] > 128 ? groups.with : groups.without).push_back(i);
    QCOMPARE(AttributeMath::find(model_->info().attributes, "bright").direction,
             AttributeMath::meanDifference(*session_->codes(), groups));
    // Every method, from the file's labels of all three attributes (Round has no "with",
    // so it is neither controlled for nor compared with).
    AttributeLabels labels{{"Bright", "Round", "Third"}, {}};
    for (std::size_t i = 0; i < all->size(); ++i) {
        const int file = QFileInfo(QString::fromStdString(all->fileNames()[i])).baseName().toInt();
        labels.values.insert(labels.values.end(), {static_cast<signed char>(file % 2 ? 1 : -1), -1, static_cast<signed char>(file % 3 ? -1 : 1)});
    }
    for (VectorMethod method : AttributeDirections::methods()) {
        panel.setMethod(method);
        QVERIFY2(makeVector(panel, "bright"), qPrintable(panel.lastError()));
        QCOMPARE(AttributeMath::find(model_->info().attributes, "bright").direction,
                 AttributeDirections::make(method, *session_->codes(), labels, 0));
        QVERIFY2(panel.crossTalkText("bright").contains(QRegularExpression("at strength \\d+\\.\\d\\d\\. ")),
                 qPrintable(panel.crossTalkText("bright")));
        QVERIFY2(panel.crossTalkText("bright").contains(QRegularExpression("Third [+-]\\d+\\.\\d\\d \\(flips \\d+%\\)")),
                 qPrintable(panel.crossTalkText("bright")));
    }
    panel.setColumn("Round"); // nobody is round: one group is empty
    QVERIFY(!makeVector(panel, "round"));
}

void TestEditing::exportReadsBack_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("three");
    QTest::newRow("gif") << "morph.gif" << false;
    QTest::newRow("png strip") << "morph.png" << false;
    QTest::newRow("mp4") << "morph.mp4" << false;
    QTest::newRow("gif around three") << "triangle.gif" << true;
}

void TestEditing::exportReadsBack()
{
    QFETCH(QString, file);
    QFETCH(bool, three);
    MorphPanel morph(document_.get());
    morph.setEndpoint(0, {}, codes_->codeVector(0), "A");
    morph.setEndpoint(1, {}, codes_->codeVector(100), "B");
    if (three)
        morph.setEndpoint(2, {}, codes_->codeVector(200), "C");
    morph.setFrameCount(7);
    QSignalSpy exported(&morph, &MorphPanel::exported);
    QSignalSpy failed(&morph, &MorphPanel::exportFailed);
    const QString path = dir_.filePath(file);
    morph.exportTo(path);
    QVERIFY(QTest::qWaitFor([&] { return !exported.isEmpty() || !failed.isEmpty(); }, 10000));
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    const int frames = three ? 3 * 6 + 1 : 7;
    QCOMPARE(exported.first().at(1).toInt(), frames);
    if (file.endsWith(".gif")) {
        QImageReader reader(path);
        QCOMPARE(reader.imageCount(), frames);
    } else if (file.endsWith(".png")) {
        QCOMPARE(QImage(path).width(), frames * 20 + (frames - 1) * 2);
    } else {
        cv::VideoCapture video(path.toStdString());
        QVERIFY(video.isOpened());
        int count = 0;
        for (cv::Mat frame; video.read(frame);)
            ++count;
        QCOMPARE(count, frames);
    }
}

void TestEditing::browserFiltersAndPicks()
{
    DatasetBrowser browser(document_.get()); // shows the document's overlay
    QCOMPARE(browser.visibleCount(), 500);
    browser.setLabelFilter(3);
    QCOMPARE(browser.visibleCount(), 50);
    browser.setLabelFilter(-1);
    QSignalSpy with(&browser, &DatasetBrowser::addToWithRequested);
    QSignalSpy use(&browser, &DatasetBrowser::useAsRequested);
    browser.selectIndices({42, 7, 99});
    QCOMPARE(browser.selectedIndices(), (QList<int>{7, 42, 99}));
    const auto buttons = browser.findChildren<QPushButton*>();
    for (QPushButton* b : buttons)
        if (b->text() == "+ with" || b->text() == "B")
            b->click();
    QCOMPARE(with.size(), 1);
    QCOMPARE(with.first().at(0).value<QList<int>>(), (QList<int>{7, 42, 99}));
    QCOMPARE(use.first().at(0).toInt(), 1);
    QCOMPARE(use.first().at(1).toInt(), 7);
}

void TestEditing::statisticsListOutliers()
{
    StatisticsPanel panel(session_.get());
    QSignalSpy computed(&panel, &StatisticsPanel::computed);
    panel.compute();
    QVERIFY(computed.wait(20000));
    QCOMPARE(panel.outliers()->count(), 40);
    // Ranked: the first is the least likely.
    QVERIFY(panel.outliers()->item(0)->text().toDouble() >= panel.outliers()->item(39)->text().toDouble());
    QSignalSpy selected(document_.get(), &ExplorerDocument::selectionChanged);
    const int index = panel.outliers()->item(0)->data(Qt::UserRole).toInt();
    Q_EMIT panel.outliers()->itemClicked(panel.outliers()->item(0));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(session_->selectedIndex(), index);

    // IWAE with many samples shows its progress and stops when cancelled.
    panel.findChild<QSpinBox*>("statisticsIwae")->setValue(5000);
    auto* progress = panel.findChild<QProgressBar*>("statisticsProgress");
    auto* summary = panel.findChild<QLabel*>("statisticsSummary");
    panel.compute();
    QVERIFY(progress->isVisibleTo(&panel));
    QTRY_VERIFY_WITH_TIMEOUT(progress->maximum() == 1000, 20000); // the scoring reports
    panel.findChild<QPushButton*>("statisticsCancel")->click();
    QTRY_COMPARE_WITH_TIMEOUT(summary->text(), QString("Cancelled."), 20000);
    QVERIFY(!progress->isVisibleTo(&panel));
    QCOMPARE(panel.outliers()->count(), 40); // the last result stays
}

void TestEditing::decodeErrorsReachThePanels()
{
    // Morph endpoints of the wrong size: the strip and preview decodes throw, and the
    // panel says so instead of staying blank.
    MorphPanel morph(document_.get());
    QSignalSpy morphFailed(&morph, &MorphPanel::decodeFailed);
    morph.setEndpoint(0, {}, {0.1f, 0.2f, 0.3f, 0.4f}, "A");
    morph.setEndpoint(1, {}, {0.4f, 0.3f, 0.2f, 0.1f}, "B");
    QTRY_VERIFY_WITH_TIMEOUT(!morphFailed.isEmpty(), 5000);
    QVERIFY2(morph.statusText().contains("not a whole number"), qPrintable(morph.statusText()));
    QVERIFY2(morphFailed.first().at(0).toString().contains("Cannot decode the morph"),
             qPrintable(morphFailed.first().at(0).toString()));

    // A conditional model asked for a class it does not have: the inspector shows why.
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 3;
    c.hidden = {32};
    c.conditionClasses = 3;
    document_->setModel(std::make_shared<Model>(c, 5));
    InspectorPanel inspector(session_.get());
    QSignalSpy sessionFailed(session_.get(), &EditSession::decodeFailed);
    document_->selectImage(QImage(20, 20, QImage::Format_Grayscale8), {0.0f, 0.5f, -0.5f}, "probe");
    QVERIFY(inspector.errorText().isEmpty());
    document_->setConditionClass(7);
    QTRY_VERIFY_WITH_TIMEOUT(!sessionFailed.isEmpty(), 5000);
    QVERIFY2(inspector.errorText().contains("outside the model's 3 classes"), qPrintable(inspector.errorText()));
    // A good decode clears it.
    document_->setConditionClass(1);
    QTRY_VERIFY_WITH_TIMEOUT(inspector.errorText().isEmpty(), 5000);
}

void TestEditing::inspectorGuidesBeforeASelection()
{
    InspectorPanel inspector(session_.get());
    QVERIFY2(inspector.titleText().contains("Click a point on the map"), qPrintable(inspector.titleText()));
    QVERIFY(!inspector.editedLabel()->isVisibleTo(&inspector)); // no empty image boxes
    session_->selectIndex(3);
    QVERIFY(inspector.editedLabel()->isVisibleTo(&inspector));
    QVERIFY(inspector.titleText().startsWith("Selected: #3"));
}

QTEST_MAIN(TestEditing)
#include "test_editing.moc"
