#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QDropEvent>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QToolButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QStatusBar>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <limits>

#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/latent/LatentGrid.h"
#include "core/training/Restoration.h"
#include "core/training/Trainer.h"
#include "ui/BackgroundLoads.h"
#include "ui/ComparePanel.h"
#include "ui/DatasetBrowser.h"
#include "ui/ImageConversion.h"
#include "ui/InspectorPanel.h"
#include "ui/PlaneControls.h"
#include "ui/ScriptDescriptionDialog.h"
#include "ui/EditSession.h"
#include "ui/FactorsPanel.h"
#include "ui/ExplorerDocument.h"
#include "ui/MorphPanel.h"
#include "ui/LatentMapView.h"
#include "ui/MainWindow.h"
#include "models/ModelRegistry.h"
#include "ui/TrainingPanel.h"
#include "ui/TrainingWorker.h"

using namespace latentlab;

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void opensWithMenusAndStatus();
    void badModelKeepsThePreviousOne();
    void dropOpensModel();
    void droppedImageBecomesTheSelection();
    void firstRunTrainsAndNextStartOpensIt();
    void closingDuringTrainingAsksAndStops();
    void screenshotOption();
    void conditionalModelOffersItsClasses();
    void poseModelDecodesAtThePoseAndReportsFactors();
    void trainingDockOffersTheRotationVaeSettings();
    void trainingDockOffersCorruptionAndDebiasing();
    void trainingDockOffersSsimAndTheVaeGan();
    void denoiserShowsInputAndRestorationAndWarnsOfStrangeImages();
    void opensAPyTorchModel();
    void secondLoadDuringASlowOneReturnsAtOnce();
    void quitsWhileALoadRuns();
    void newestModelWins();
    void staleAndCancelledLoadsAreDropped();
    void saveAsFailureKeepsThePath();
    void indicesPastTheOverlayAreIgnored();
    void badInputSaysWhatAndKeepsWhatWasOpen_data();
    void badInputSaysWhatAndKeepsWhatWasOpen();
    void recordedDataSetIsASuggestion_data();
    void recordedDataSetIsASuggestion();
    void dockDecodeErrorReachesTheStatusBar();
    void compareShowsBothModelsEachWithItsOwnEncoder();
    void continueTrainingExtendsTheOpenModel();
    void mapIsTheLargestThing_data();
    void mapIsTheLargestThing();

private:
    QString digitsModel(const QString& name, int latent);
    QString garbageFile(const QString& name, const QByteArray& bytes);
    // A face cache of its own, so that a faces: pass really runs (seconds) instead of reading the cache.
    void freshFaceCache(const QString& name);
    // Lets every load finish, then delivers their results (or drops them).
    static bool settleLoads();
    QTemporaryDir dir_;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings and data in a test location
    QSettings().clear();
    QFile::remove(MainWindow::defaultModelPath());
}

void TestMainWindow::cleanupTestCase()
{
    // Loads that windows did not wait for (a stale faces pass) end before the process does.
    QVERIFY(BackgroundLoads::waitForAll(120000));
}

namespace {

const QString kVideo = "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";

} // namespace

QString TestMainWindow::garbageFile(const QString& name, const QByteArray& bytes)
{
    const QString path = dir_.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestMainWindow::freshFaceCache(const QString& name)
{
    // Read on the loading thread when the load starts; never restored, as a stale load may still read it.
    qputenv("XDG_CACHE_HOME", dir_.filePath("cache-" + name).toLocal8Bit());
}

bool TestMainWindow::settleLoads()
{
    if (!BackgroundLoads::waitForAll(60000))
        return false;
    for (int round = 0; round < 3; ++round) // results, and what they start, arrive as events
        QCoreApplication::processEvents();
    return true;
}

QString TestMainWindow::digitsModel(const QString& name, int latent)
{
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = latent;
    c.hidden = {32};
    Model model(c, std::uint64_t(latent));
    model.info().datasetSpec = "digits";
    const QString path = dir_.filePath(name);
    ModelFile::save(model, path.toStdString());
    return path;
}

void TestMainWindow::opensWithMenusAndStatus()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QString("LatentLab"));
    QStringList menus;
    for (QAction* action : window.menuBar()->actions())
        menus << action->text();
    QCOMPARE(menus, (QStringList{"&File", "&Training", "&View", "&Help"}));
    QVERIFY(!window.mapView()->hasModel());
}

void TestMainWindow::badModelKeepsThePreviousOne()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    const QString good = digitsModel("good.latentlab", 3);
    window.openModel(good);
    QVERIFY(opened.wait(10000));
    const std::shared_ptr<const Model> before = window.model();
    QVERIFY(before);
    QVERIFY(QTest::qWaitFor([&] { return window.mapView()->paintedStamp() > 0; }, 10000));

    const QString bad = dir_.filePath("bad.latentlab");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("LATENTLAB-MODEL\n\x05\0\0\0\0\0\0\0{oops", 30);
    file.close();
    window.openModel(bad);
    QVERIFY(errors.wait(10000));
    QVERIFY2(errors.first().at(0).toString().contains("bad.latentlab"), qPrintable(errors.first().at(0).toString()));
    QCOMPARE(window.model(), before);
    QCOMPARE(window.modelPath(), good);
    auto* box = window.findChild<QMessageBox*>();
    QVERIFY(box && box->isVisible());
    QVERIFY(box->text().contains("corrupt") || box->text().contains("truncated"));
    box->accept();
}

void TestMainWindow::dropOpensModel()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    const QString path = digitsModel("dropped.latentlab", 4);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint centre = window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.first().at(0).toString(), path);
    QCOMPARE(window.model()->config().latentDim, 4);
}

void TestMainWindow::droppedImageBecomesTheSelection()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(digitsModel("for-images.latentlab", 3));
    QVERIFY(opened.wait(10000));
    const QString photo = dir_.filePath("stroke.png");
    QImage image(60, 40, QImage::Format_RGB32);
    image.fill(Qt::black);
    for (int y = 5; y < 35; ++y)
        for (int x = 28; x < 33; ++x)
            image.setPixel(x, y, qRgb(255, 255, 255));
    QVERIFY(image.save(photo));
    QSignalSpy selected(window.document(), &ExplorerDocument::selectionChanged);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(photo)});
    QDragEnterEvent enter(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QDropEvent drop(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QVERIFY2(selected.wait(10000), errors.isEmpty() ? "no selection" : qPrintable(errors.first().at(0).toString()));
    QCOMPARE(window.editSession()->selectionName(), QString("stroke.png"));
    // Resized and centre-cropped to the model's 20 x 20, then encoded.
    QCOMPARE(window.editSession()->original().size(), QSize(20, 20));
    QCOMPARE(int(window.editSession()->baseCode().size()), 3);
    QCOMPARE(window.editSession()->selectedIndex(), -1);
}

void TestMainWindow::firstRunTrainsAndNextStartOpensIt()
{
    QSettings().clear();
    QFile::remove(MainWindow::defaultModelPath());
    {
        MainWindow window;
        window.show();
        QSignalSpy epochs(window.trainingWorker(), &TrainingWorker::epochFinished);
        QSignalSpy finished(window.trainingWorker(), &TrainingWorker::trainingFinished);
        window.start({});
        QVERIFY2(window.isTraining(), "with no model, the first start trains one");
        QVERIFY(epochs.wait(60000));
        // The map fills in from snapshots while training goes on.
        QVERIFY(window.mapView()->hasModel());
        QVERIFY(QTest::qWaitFor([&] { return window.mapView()->paintedStamp() > 0; }, 10000));
        window.trainingWorker()->stop(); // keeps the best model so far
        QVERIFY(finished.wait(30000));
        QTRY_COMPARE(window.modelPath(), MainWindow::defaultModelPath());
    }
    QVERIFY(QFile::exists(MainWindow::defaultModelPath()));
    MainWindow next;
    QSignalSpy opened(&next, &MainWindow::modelOpened);
    next.start({});
    QVERIFY(!next.isTraining());
    QVERIFY(opened.wait(10000));
    QCOMPARE(opened.first().at(0).toString(), MainWindow::defaultModelPath());
    QCOMPARE(next.model()->config().latentDim, 2);
}

void TestMainWindow::closingDuringTrainingAsksAndStops()
{
    MainWindow window;
    window.show();
    TrainingRequest request;
    request.datasetSpec = "digits";
    request.model.hidden = {32};
    request.training.epochs = 1000;
    window.trainingPanel()->setRequest(request);
    QSignalSpy progress(window.trainingWorker(), &TrainingWorker::progress);
    window.startTraining();
    QVERIFY(progress.wait(30000));
    // Look for the question until it is up (close() blocks in it); give up after 10 s
    // and answer whatever modal is up, so that a missing question fails, never hangs.
    bool asked = false;
    QString seen;
    QElapsedTimer waited;
    waited.start();
    QTimer poll;
    poll.setInterval(50);
    connect(&poll, &QTimer::timeout, this, [&] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            box = window.findChild<QMessageBox*>();
        if (box && box->isVisible()) {
            poll.stop();
            seen = box->text();
            asked = seen.contains("Stop training");
            if (QAbstractButton* yes = box->button(QMessageBox::Yes))
                yes->click();
            else
                box->reject();
        } else if (waited.elapsed() > 10000) {
            poll.stop();
            if (QWidget* modal = QApplication::activeModalWidget())
                modal->close();
        }
    });
    poll.start();
    const bool closed = window.close();
    poll.stop();
    QVERIFY2(asked, seen.isEmpty() ? "closing during training asked nothing"
                                   : qPrintable("closing asked something else: " + seen));
    QVERIFY(closed);
    QVERIFY(!window.isTraining());
}

void TestMainWindow::screenshotOption()
{
    const QString model = digitsModel("shot.latentlab", 2);
    const QString shot = dir_.filePath("shot.png");
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", dir_.filePath("config"));
    env.insert("XDG_DATA_HOME", dir_.filePath("data"));
    process.setProcessEnvironment(env);
    process.start(LATENTLAB_GUI, {"--model", model, "--tiles", "8", "--screenshot", shot, "--timeout", "60"});
    QVERIFY(process.waitForFinished(90000));
    QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    const QImage image(shot);
    QVERIFY(image.width() >= 1000 && image.height() >= 700);
    // Not blank: the map's black square and the tiles' greys are there.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 50, qPrintable(QString::number(colours.size())));

    // A model that cannot be opened ends a screenshot run at once, naming the file
    // (it used to wait for the timeout behind a message box nobody could see).
    process.start(LATENTLAB_GUI, {"--model", dir_.filePath("missing.latentlab"), "--screenshot", shot, "--timeout", "60"});
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 1);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains("missing.latentlab: cannot open the model file"), error.constData());
}

void TestMainWindow::poseModelDecodesAtThePoseAndReportsFactors()
{
    // An (untrained) rVAE on the rotated digits: a code of angle, dx, dy, z0, z1.
    ModelConfig c;
    c.architecture = "rvae";
    c.height = c.width = 28;
    c.latentDim = 5;
    c.hidden = {16};
    Model rvae(c, 3);
    rvae.info().datasetSpec = "digits-rotated";
    const QString path = dir_.filePath("rvae.latentlab");
    ModelFile::save(rvae, path.toStdString());
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(path);
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.editSession()->codes() != nullptr, 20000);

    // Axes by name, the content on the map; the pose sliders shown.
    PlaneControls* controls = window.planeControls();
    auto* dimU = controls->findChild<QComboBox*>("dimU");
    QCOMPARE(dimU->itemText(0), QString("angle"));
    QCOMPARE(dimU->currentText(), QString("z0"));
    auto* angle = controls->findChild<QSlider*>("poseAngle");
    auto* dx = controls->findChild<QSlider*>("poseDx");
    QVERIFY(angle->isVisibleTo(controls));
    QCOMPARE(window.mapView()->plane().origin()[0], 0.0f); // upright

    // Turning the angle slider re-decodes the map at that angle.
    const quint64 before = window.mapView()->latestStamp();
    angle->setValue(90);
    dx->setValue(150);
    QVERIFY(std::abs(window.document()->pose()[0] - float(M_PI / 2)) < 1e-6);
    QCOMPARE(window.mapView()->plane().origin()[0], window.document()->pose()[0]);
    QCOMPARE(window.mapView()->plane().origin()[1], 1.5f);
    QCOMPARE(window.mapView()->plane().u()[0], 0.0f);
    QVERIFY(window.mapView()->latestStamp() > before);
    QTRY_COMPARE_WITH_TIMEOUT(window.mapView()->paintedStamp(), window.mapView()->latestStamp(), 10000);

    // The inspector: the inferred pose, and the content decoded at the sliders' pose.
    QSignalSpy canonical(window.editSession(), &EditSession::canonicalReady);
    window.pickImage(2);
    QVERIFY(canonical.wait(10000));
    const auto model = window.editSession()->model();
    const std::vector<float> atPose = window.document()->atPose(window.editSession()->baseCode());
    QCOMPARE(atPose[0], window.document()->pose()[0]);
    QCOMPARE(canonical.last().at(0).value<QImage>(), ImageConversion::toQImage(model->decodeImages(atPose).front()));
    auto* inspector = window.findChild<InspectorPanel*>();
    QVERIFY2(inspector->titleText().contains("Pose: angle"), qPrintable(inspector->titleText()));
    QVERIFY(inspector->canonicalLabel()->isVisibleTo(inspector));

    // The overlay coloured by the data set's true angle, on a colour wheel.
    auto* colourBy = controls->findChild<QComboBox*>("colourBy");
    QCOMPARE(colourBy->count(), 2); // Label, angle
    colourBy->setCurrentText("angle");
    QCOMPARE(window.mapView()->scatterColouring().kind(), ScatterColouring::Kind::Angle);

    // The factor report: dimensions against the label and the angle; a click shows that
    // dimension across, coloured by that factor.
    auto* factors = window.findChild<FactorsPanel*>();
    QSignalSpy computed(factors, &FactorsPanel::computed);
    factors->compute();
    QVERIFY(computed.wait(20000));
    QCOMPARE(factors->table()->rowCount(), 2);
    QCOMPARE(factors->table()->columnCount(), 6);
    QVERIFY2(factors->summaryText().contains("Angle latent against the true angle"), qPrintable(factors->summaryText()));
    colourBy->setCurrentText("Label");
    Q_EMIT factors->table()->cellClicked(1, 4);
    QCOMPARE(controls->dimU(), 4);
    QCOMPARE(window.document()->colourBy(), QString("angle"));
    QCOMPARE(window.mapView()->plane().uName(), std::string("z1"));
}

void TestMainWindow::conditionalModelOffersItsClasses()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(digitsModel("plain.latentlab", 3));
    QVERIFY(opened.wait(10000));
    auto* choice = window.planeControls()->findChild<QComboBox*>("classChoice");
    QVERIFY(choice);
    QVERIFY(!choice->isVisibleTo(window.planeControls())); // nothing to choose for a plain model

    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 3;
    c.hidden = {32};
    c.conditionClasses = 10;
    Model conditional(c, 7);
    conditional.info().datasetSpec = "digits";
    conditional.info().classNames = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    const QString path = dir_.filePath("conditional.latentlab");
    ModelFile::save(conditional, path.toStdString());
    window.openModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
    QVERIFY(choice->isVisibleTo(window.planeControls()));
    QCOMPARE(choice->count(), 10);
    QCOMPARE(choice->itemText(7), QString("seven"));

    choice->setCurrentIndex(7);
    QCOMPARE(window.editSession()->conditionClass(), 7);
    QCOMPARE(window.mapView()->conditionClass(), 7);

    // The selection's code, edited, decoded in the chosen class; and in every class
    // as tiles in the inspector, where a click chooses the class for everything.
    QTRY_VERIFY_WITH_TIMEOUT(window.editSession()->codes() != nullptr, 10000);
    window.pickImage(4);
    const auto model = window.editSession()->model();
    const auto decodedIn = [&](int k) {
        return ImageConversion::toQImage(model->decodeImages(window.editSession()->editedCode(), {k}).front());
    };
    auto* inspector = window.findChild<InspectorPanel*>();
    QTRY_COMPARE_WITH_TIMEOUT(inspector->editedImage(), decodedIn(7), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(inspector->classButtons().size(), 10, 5000);
    QVERIFY(inspector->classButtons()[7]->isChecked());
    QVERIFY(decodedIn(7) != decodedIn(2));
    inspector->classButtons()[2]->click();
    QCOMPARE(choice->currentIndex(), 2);
    QCOMPARE(window.mapView()->conditionClass(), 2);
    QVERIFY(inspector->classButtons()[2]->isChecked() && !inspector->classButtons()[7]->isChecked());
    QTRY_COMPARE_WITH_TIMEOUT(inspector->editedImage(), decodedIn(2), 5000);

    // Back to a plain model of the same latent size: the selection stays, the classes go.
    window.openModel(dir_.filePath("plain.latentlab"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, 10000);
    QVERIFY(window.editSession()->hasSelection());
    QVERIFY(!choice->isVisibleTo(window.planeControls()));
    QWidget* classBox = inspector->classButtons().first()->parentWidget();
    QTRY_VERIFY_WITH_TIMEOUT(!classBox->isVisibleTo(inspector), 5000);
}

// The rVAE's training settings appear with it, start at its family's defaults and reach
// the request; other families neither show nor send them.
void TestMainWindow::trainingDockOffersTheRotationVaeSettings()
{
    TrainingPanel panel;
    auto* architecture = panel.findChild<QComboBox*>("architecture");
    auto* pixelSample = panel.findChild<QSpinBox*>("pixelSample");
    auto* consistency = panel.findChild<QDoubleSpinBox*>("angleConsistency");
    QVERIFY(architecture && pixelSample && consistency);
    QCOMPARE(panel.request().model.architecture, std::string("mlp"));
    QVERIFY(!pixelSample->isVisibleTo(&panel));
    QCOMPARE(panel.request().model.pixelSample, 0);
    architecture->setCurrentIndex(architecture->findData("rvae"));
    QVERIFY(pixelSample->isVisibleTo(&panel) && consistency->isVisibleTo(&panel));
    const ModelFamily& rvae = ModelRegistry::find("rvae");
    QCOMPARE(panel.request().model.pixelSample, rvae.defaultPixelSample);
    QCOMPARE(panel.request().model.angleConsistency, rvae.defaultAngleConsistency);
    QCOMPARE(panel.request().training.batchSize, rvae.defaultBatchSize);
    QCOMPARE(panel.request().training.epochs, rvae.defaultEpochs);
    pixelSample->setValue(0); // "all"
    TrainingRequest request = panel.request();
    QCOMPARE(request.model.pixelSample, 0);
    ModelRegistry::validate(request.model);
    request.model.angleConsistency = 7;
    panel.setRequest(request);
    QCOMPARE(consistency->value(), 7.0);
    QCOMPARE(pixelSample->value(), 0);
}

// SSIM shows its weight; the VAE-GAN starts at its own weight, learning rate and batch, and
// its discriminator's and GAN's losses join the chart as they arrive.
void TestMainWindow::trainingDockOffersSsimAndTheVaeGan()
{
    TrainingPanel panel;
    auto* architecture = panel.findChild<QComboBox*>("architecture");
    auto* likelihood = panel.findChild<QComboBox*>("likelihood");
    auto* weight = panel.findChild<QDoubleSpinBox*>("reconWeight");
    auto* chartView = panel.findChild<QChartView*>();
    QVERIFY(architecture && likelihood && weight && chartView);
    QVERIFY(!weight->isVisibleTo(&panel));
    likelihood->setCurrentIndex(likelihood->findData("ssim"));
    QVERIFY(weight->isVisibleTo(&panel));
    weight->setValue(2.5);
    QCOMPARE(int(panel.request().model.likelihood), int(Likelihood::Ssim));
    QCOMPARE(panel.request().model.reconWeight, 2.5);
    likelihood->setCurrentIndex(likelihood->findData("bernoulli"));
    QVERIFY(!weight->isVisibleTo(&panel));

    architecture->setCurrentIndex(architecture->findData("vaegan"));
    const ModelFamily& vaegan = ModelRegistry::find("vaegan");
    QVERIFY(weight->isVisibleTo(&panel));
    const TrainingRequest request = panel.request();
    QCOMPARE(request.model.reconWeight, vaegan.defaultReconWeight);
    QCOMPARE(request.training.learningRate, vaegan.defaultLearningRate);
    QCOMPARE(request.training.batchSize, vaegan.defaultBatchSize);
    ModelRegistry::validate(request.model);

    const int before = int(chartView->chart()->series().size());
    TrainingProgress p;
    p.epoch = 1;
    p.epochs = 2;
    p.batches = 10;
    p.batch = 5;
    p.loss = 60;
    p.recon = 30;
    p.kl = 20;
    p.extraTerms = {1.2, 1.7};
    p.extraTermNames = {"discriminator", "gan"};
    panel.showProgress(p);
    QCOMPARE(int(chartView->chart()->series().size()), before + 2);
    QStringList names;
    for (QAbstractSeries* series : chartView->chart()->series())
        names << series->name();
    QVERIFY2(names.contains("discriminator") && names.contains("gan"), qPrintable(names.join(", ")));
    auto* gan = qobject_cast<QLineSeries*>(chartView->chart()->series().last());
    QVERIFY(gan && gan->count() == 1 && gan->at(0).y() == 1.7);
}

void TestMainWindow::trainingDockOffersCorruptionAndDebiasing()
{
    TrainingPanel panel;
    auto* corruption = panel.findChild<QComboBox*>("corruption");
    auto* amount = panel.findChild<QDoubleSpinBox*>("corruptionAmount");
    auto* debias = panel.findChild<QDoubleSpinBox*>("debias");
    QVERIFY(corruption && amount && debias);
    QVERIFY(!panel.request().model.corruption.active());
    QVERIFY(panel.request().training.debias < 0); // off by default
    QVERIFY(!amount->isVisibleTo(&panel));
    corruption->setCurrentIndex(corruption->findData("gaussian"));
    QVERIFY(amount->isVisibleTo(&panel));
    amount->setValue(0.2);
    QCOMPARE(panel.request().model.corruption.text(), std::string("gaussian:0.2"));
    corruption->setCurrentIndex(corruption->findData("grey"));
    QVERIFY(!amount->isVisibleTo(&panel));
    QCOMPARE(panel.request().model.corruption.text(), std::string("grey"));
    debias->setValue(0.05);
    QCOMPARE(panel.request().training.debias, 0.05);
    // What a request says comes back: a masking run with debiasing.
    TrainingRequest request = panel.request();
    request.model.corruption = Corruption::parse("mask:0.4");
    request.training.debias = 0.02;
    panel.setRequest(request);
    QCOMPARE(corruption->currentData().toString(), QString("mask"));
    QCOMPARE(amount->value(), 0.4);
    QCOMPARE(debias->value(), 0.02);
    request.training.debias = -1;
    panel.setRequest(request);
    QCOMPARE(debias->text(), QString("off"));
}

// A masking denoiser on the digits: the Inspector names its columns Input and Restored, its
// toggle shows a picked test image masked (and the image itself when turned off), and a
// dropped image unlike the digits is said to be so, a digit (clean or masked) not.
void TestMainWindow::denoiserShowsInputAndRestorationAndWarnsOfStrangeImages()
{
    const DatasetSplit digits = DatasetLoader::load("digits");
    ModelConfig c;
    c.height = c.width = 20;
    c.hidden = {64};
    c.latentDim = 8;
    c.corruption = Corruption::parse("mask:0.3");
    Model model(c, 5);
    TrainingConfig t;
    t.epochs = 3;
    t.batchSize = 64;
    t.device = "cpu";
    QCOMPARE(int(Trainer(t).run(model, digits.train, digits.test).outcome), int(TrainingOutcome::Finished));
    model.info().datasetSpec = "digits";
    const QString path = dir_.filePath("denoiser.latentlab");
    ModelFile::save(model, path.toStdString());

    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(path);
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.editSession()->codes() != nullptr, 20000);
    auto* toggle = window.findChild<QCheckBox*>("corruptedToggle");
    auto* notice = window.findChild<QLabel*>("notice");
    QVERIFY(toggle && notice);
    QVERIFY(toggle->isVisibleTo(&window));
    QVERIFY(toggle->text().contains("mask:0.3"));

    window.editSession()->selectIndex(7);
    QCOMPARE(window.editSession()->selectedIndex(), 7);
    QSignalSpy selected(window.document(), &ExplorerDocument::selectionChanged);
    toggle->setChecked(true);
    QVERIFY(selected.wait(10000));
    QCOMPARE(window.editSession()->selectionName(), QString("image 7, mask:0.3"));
    // About 30% of the pixels dropped: the input is darker than the clean image.
    const auto ink = [](const QImage& image) {
        qint64 sum = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                sum += qGray(image.pixel(x, y));
        return sum;
    };
    const Image clean = Image::fromPlanarBytes(digits.test.image(7), digits.test.shape());
    const qint64 cleanInk = ink(ImageConversion::toQImage(clean));
    const qint64 inputInk = ink(window.editSession()->original());
    qInfo("ink: clean %lld, masked input %lld", cleanInk, inputInk);
    QVERIFY(inputInk < 0.85 * cleanInk && inputInk > 0.5 * cleanInk);
    toggle->setChecked(false);
    QCOMPARE(window.editSession()->selectedIndex(), 7);

    const auto drop = [&](const QString& file) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        QDragEnterEvent enter(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QDropEvent event(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QSignalSpy changed(window.document(), &ExplorerDocument::selectionChanged);
        QApplication::sendEvent(&window, &event);
        return changed.wait(10000);
    };
    // A masked digit is what the model was trained to take in, a clean one what it gives; a
    // checkerboard is neither.
    const Image clean3 = Image::fromPlanarBytes(digits.test.image(3), digits.test.shape());
    for (const Image& given : {clean3, Restoration::corrupted(clean3, c.corruption, 9)}) {
        const QString digit = dir_.filePath("digit.png");
        QVERIFY(ImageConversion::toQImage(given).save(digit));
        QVERIFY(drop(digit));
        QVERIFY2(!notice->isVisibleTo(&window), qPrintable(notice->text()));
    }
    const QString checks = dir_.filePath("checks.png");
    QImage board(20, 20, QImage::Format_RGB32);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x)
            board.setPixel(x, y, (x + y) % 2 ? qRgb(255, 255, 255) : qRgb(0, 0, 0));
    QVERIFY(board.save(checks));
    QVERIFY(drop(checks));
    QVERIFY2(notice->isVisibleTo(&window), "no warning for a checkerboard");
    QVERIFY(notice->text().contains("unlike the training data"));
}

void TestMainWindow::opensAPyTorchModel()
{
    // pytorch/examples' VAE, trained and scripted by Debian's python3-torch.
    QProcess python;
    python.start("/usr/bin/python3", {LATENTLAB_SOURCE_DIR "/tests/python/torchscript_bridge.py", "make", dir_.path()});
    QVERIFY2(python.waitForFinished(120000) && python.exitCode() == 0, python.readAllStandardError().constData());
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(dir_.filePath("examples-vae.pt"));
    QVERIFY(opened.wait(10000));
    QCOMPARE(window.model()->config().latentDim, 20);
    QTRY_VERIFY_WITH_TIMEOUT(window.editSession()->codes() != nullptr, 30000); // its data set, encoded by the script
    QTRY_COMPARE_WITH_TIMEOUT(window.mapView()->paintedStamp(), window.mapView()->latestStamp(), 10000);
    QVERIFY(!window.mapView()->grab().toImage().isNull());
    // The training dock says why it cannot continue this one.
    auto* continueButton = window.findChild<QPushButton*>("continueButton");
    QVERIFY(!continueButton->isEnabled());
    QVERIFY2(continueButton->toolTip().contains("TorchScript"), qPrintable(continueButton->toolTip()));

    // A file without a description: the window asks, and keeps the answer beside it.
    bool asked = false;
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        if (auto* dialog = qobject_cast<ScriptDescriptionDialog*>(QApplication::activeModalWidget())) {
            asked = true;
            QCOMPARE(dialog->findChild<QSpinBox*>("scriptHeight")->value(), 28);
            dialog->accept();
        }
    });
    poll.start(20);
    const QString undescribed = dir_.filePath("undescribed.pt");
    window.openModel(undescribed);
    QVERIFY(opened.wait(10000));
    QVERIFY(asked);
    QCOMPARE(window.modelPath(), undescribed);
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(undescribed + ".latentlab.json"), 10000);
}

void TestMainWindow::secondLoadDuringASlowOneReturnsAtOnce()
{
    // A faces: pass over a video takes seconds; opening a model and another data set
    // meanwhile returns at once and only the newest data set lands; and the window,
    // destroyed while the pass still runs, does not wait for it.
    if (!QFile::exists(kVideo))
        QSKIP("needs Debian's opencv-doc package");
    freshFaceCache("second-load");
    auto window = std::make_unique<MainWindow>();
    window->show();
    QSignalSpy data(window->document(), &ExplorerDocument::dataChanged);
    QSignalSpy opened(window.get(), &MainWindow::modelOpened);
    window->openDataset("faces:" + kVideo);
    QVERIFY(window->isLoading());
    QTest::qWait(100); // the detection pass is under way
    QElapsedTimer timer;
    timer.start();
    window->openModel(digitsModel("during-faces.latentlab", 3));
    window->openDataset("digits");
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString("opening blocked for %1 ms").arg(timer.elapsed())));
    QVERIFY(opened.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 20000);
    QCOMPARE(window->document()->data()->spec, std::string("digits"));
    QTRY_VERIFY_WITH_TIMEOUT(window->document()->modelCodes() != nullptr, 10000);
    QVERIFY2(BackgroundLoads::running() > 0, "the faces pass should still run: this test needs a slow load");

    timer.restart();
    window.reset();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("closing took %1 ms").arg(timer.elapsed())));
    QVERIFY2(BackgroundLoads::running() > 0, "the window waited for the faces pass");
}

void TestMainWindow::quitsWhileALoadRuns()
{
    // The process too: a model that cannot be opened ends a screenshot run while the
    // data set's faces pass (9 s here) still runs, and the process does not wait for it.
    if (!QFile::exists(kVideo))
        QSKIP("needs Debian's opencv-doc package");
    const QString bad = garbageFile("unopenable.latentlab", "not a model at all");
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", dir_.filePath("config"));
    env.insert("XDG_DATA_HOME", dir_.filePath("data"));
    env.insert("XDG_CACHE_HOME", dir_.filePath("cache-quit"));
    process.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    process.start(LATENTLAB_GUI, {"--model", bad, "--dataset", "faces:" + kVideo, "--screenshot",
                                  dir_.filePath("never.png"), "--timeout", "60"});
    QVERIFY(process.waitForFinished(60000));
    const qint64 took = timer.elapsed();
    QCOMPARE(process.exitCode(), 1);
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains("unopenable.latentlab"), error.constData());
    QVERIFY2(took < 5000, qPrintable(QString("the process took %1 ms to end").arg(took)));
}

void TestMainWindow::newestModelWins()
{
    // Two opens in a row: the first is not waited for, and only the second lands.
    MainWindow window;
    window.show();
    const QString first = digitsModel("first.latentlab", 3), second = digitsModel("second.latentlab", 5);
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(first);
    window.openModel(second);
    QVERIFY(opened.wait(10000));
    QVERIFY(settleLoads()); // the first one's result has come, and was dropped
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().at(0).toString(), second);
    QCOMPARE(window.model()->config().latentDim, 5);
}

void TestMainWindow::staleAndCancelledLoadsAreDropped()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QSignalSpy data(window.document(), &ExplorerDocument::dataChanged);
    window.openModel(digitsModel("kept.latentlab", 3));
    // A second data set at once: the first one's failure is never shown.
    window.openDataset("idx:" + dir_.filePath("superseded-images.idx"));
    window.openDataset("digits");
    QVERIFY(opened.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 20000);
    QVERIFY(settleLoads());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().at(0).toString()));
    QCOMPARE(window.document()->data()->spec, std::string("digits"));
    const std::shared_ptr<const Model> kept = window.model();

    // Loads in flight show in the status bar with a Cancel (Esc); cancelling drops
    // them: neither the model nor the failing data set arrives, and no error shows.
    auto* cancel = window.findChild<QToolButton*>("cancelLoadsButton");
    QVERIFY(cancel && !cancel->isVisibleTo(&window));
    QCOMPARE(cancel->defaultAction()->shortcut(), QKeySequence(Qt::Key_Escape));
    window.openModel(digitsModel("cancelled.latentlab", 4));
    window.openDataset("idx:" + dir_.filePath("cancelled-images.idx"));
    QVERIFY(window.isLoading());
    QVERIFY(cancel->isVisibleTo(&window));
    const QLabel* loading = window.findChild<QLabel*>("loadLabel");
    QVERIFY2(loading->text().contains("cancelled.latentlab") && loading->text().contains("1 more"),
             qPrintable(loading->text()));
    QVERIFY2(loading->toolTip().contains("cancelled-images.idx"), qPrintable(loading->toolTip()));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(!window.isLoading());
    QVERIFY(!cancel->isVisibleTo(&window));
    QVERIFY2(window.statusBar()->currentMessage().startsWith("Cancelled"), qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(settleLoads());
    QCOMPARE(opened.size(), 1);
    QVERIFY(errors.isEmpty());
    QCOMPARE(window.model(), kept);
    QCOMPARE(window.document()->data()->spec, std::string("digits"));
    QCOMPARE(data.size(), 1);
}

void TestMainWindow::saveAsFailureKeepsThePath()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    const QString original = digitsModel("save-as-source.latentlab", 3);
    window.openModel(original);
    QVERIFY(opened.wait(10000));
    const QString title = window.windowTitle();

    // Under a plain file, so that no folder can be made there (even as root).
    const QString unwritable = garbageFile("a-file", "x") + "/copy.latentlab";
    window.saveModelAs(unwritable);
    QVERIFY(errors.wait(10000));
    const QString message = errors.first().at(0).toString();
    QVERIFY2(message.contains(unwritable), qPrintable(message));
    QVERIFY2(message.contains(original), qPrintable(message)); // where the model stays
    QCOMPARE(window.modelPath(), original);
    QCOMPARE(QSettings().value("lastModel").toString(), original);
    QVERIFY(!QSettings().value("recentModels").toStringList().contains(QFileInfo(unwritable).absoluteFilePath()));
    QCOMPARE(window.windowTitle(), title);
    auto* box = window.findChild<QMessageBox*>();
    QVERIFY(box && box->isVisible());
    box->accept();

    // A writable path: the window follows once the file is written.
    QSignalSpy saved(window.document(), &ExplorerDocument::saved);
    const QString copy = dir_.filePath("save-as-copy.latentlab");
    window.saveModelAs(copy);
    QVERIFY(saved.wait(10000));
    QVERIFY(QFile::exists(copy));
    QCOMPARE(window.modelPath(), copy);
    QCOMPARE(QSettings().value("lastModel").toString(), copy);
    QCOMPARE(QSettings().value("recentModels").toStringList().value(0), QFileInfo(copy).absoluteFilePath());
    QVERIFY(window.windowTitle().contains("save-as-copy.latentlab"));
}

void TestMainWindow::indicesPastTheOverlayAreIgnored()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(digitsModel("indices.latentlab", 3));
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->modelCodes() != nullptr, 20000);
    const int size = int(window.document()->overlay()->size());
    for (int index : {size, size + 1, -1, std::numeric_limits<int>::max()}) {
        window.pickImage(index);
        window.useAsEndpoint(0, index);
        window.document()->selectIndex(index);
    }
    QVERIFY(window.document()->picks().isEmpty());
    QVERIFY(!window.document()->hasSelection());

    // Codes of other images (a data set replaced while they were computed) are refused:
    // the map, the picks and the panels index the overlay with them.
    auto other = std::make_shared<LatentCodes>();
    other->dim = 3;
    other->mu.assign(std::size_t(3 * (size + 10)), 0.0f);
    window.document()->setCodes(other);
    QVERIFY(window.document()->codes() == nullptr);
}

void TestMainWindow::badInputSaysWhatAndKeepsWhatWasOpen_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("file");    // the message names it
    QTest::addColumn<QString>("problem"); // and says what is wrong
    QTest::addColumn<bool>("modelStays"); // the model open before stays open
    QTest::newRow("data set file missing") << "missing-idx" << "missing-images.idx" << "cannot open" << true;
    QTest::newRow("unknown data set kind") << "unknown-kind" << "nonsense:1" << "unknown data set" << true;
    QTest::newRow("the model's own data set is gone") << "own-data" << "gone-images.idx" << "no such file" << false;
    QTest::newRow("the model's own data set fails") << "own-digits" << "broken-digits.png" << "cannot read" << false;
    QTest::newRow("encode fails") << "encode" << "digits" << "outside the model's 3 classes" << false;
    QTest::newRow("dropped corrupt model") << "drop-model" << "dropped-broken.latentlab" << "not a LatentLab model" << true;
    QTest::newRow("dropped corrupt image") << "drop-image" << "dropped-broken.png" << "cannot read the image" << true;
    QTest::newRow("recent file gone") << "recent-gone" << "gone.latentlab" << "cannot open the model file" << true;
    QTest::newRow("last model corrupt") << "last-corrupt" << "last-truncated.latentlab" << "truncated" << true;
}

void TestMainWindow::badInputSaysWhatAndKeepsWhatWasOpen()
{
    QFETCH(QString, input);
    QFETCH(QString, file);
    QFETCH(QString, problem);
    QFETCH(bool, modelStays);
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    const QString good = digitsModel("open-before.latentlab", 3);
    window.openModel(good);
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->modelCodes() != nullptr, 20000);
    std::shared_ptr<const Model> model = window.model();
    const std::shared_ptr<const DatasetSplit> data = window.document()->data();
    const auto drop = [&](const QString& path) {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QDropEvent drop(window.rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
    };
    ModelConfig c;
    c.hidden = {32};
    c.latentDim = 3;

    if (input == "missing-idx") {
        window.openDataset("idx:" + dir_.filePath("missing-images.idx"));
    } else if (input == "unknown-kind") {
        window.openDataset("nonsense:1");
    } else if (input == "own-data") {
        Model own(c, 3); // 28 x 28: the digits open now do not fit it
        own.info().datasetSpec = "idx:" + dir_.filePath("gone-images.idx").toStdString();
        const QString path = dir_.filePath("own-data.latentlab");
        ModelFile::save(own, path.toStdString());
        window.openModel(path);
    } else if (input == "own-digits") {
        // The model's digits (a bounded set, loaded unasked) from a sheet that is not a PNG.
        qputenv("LATENTLAB_DIGITS_PNG", garbageFile("broken-digits.png", "not a png").toLocal8Bit());
        Model own(c, 3); // 28 x 28: the digits open now do not fit it
        own.info().datasetSpec = "digits";
        const QString path = dir_.filePath("own-digits.latentlab");
        ModelFile::save(own, path.toStdString());
        window.openModel(path);
    } else if (input == "encode") {
        c.height = c.width = 20;
        c.conditionClasses = 3; // the digits have ten
        Model conditional(c, 3);
        conditional.info().datasetSpec = "digits";
        const QString path = dir_.filePath("three-classes.latentlab");
        ModelFile::save(conditional, path.toStdString());
        window.openModel(path);
    } else if (input == "drop-model") {
        drop(garbageFile("dropped-broken.latentlab", QByteArray(300, 'x')));
    } else if (input == "drop-image") {
        drop(garbageFile("dropped-broken.png", QByteArray("\x89PNG\r\n\x1a\n") + QByteArray(100, 'x')));
    } else if (input == "recent-gone") {
        const QString gone = digitsModel("gone.latentlab", 3);
        window.openModel(gone); // now a recent file
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 2, 10000);
        window.openModel(good);
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.document()->modelCodes() != nullptr, 20000);
        model = window.model(); // the good one, opened again
        QVERIFY(QFile::remove(gone));
        QMenu* recent = nullptr;
        for (QMenu* menu : window.menuBar()->findChildren<QMenu*>())
            if (menu->title() == "Open &Recent")
                recent = menu;
        QVERIFY(recent);
        QAction* entry = nullptr;
        for (QAction* action : recent->actions())
            if (action->text() == "gone.latentlab")
                entry = action;
        QVERIFY(entry);
        entry->trigger();
    } else if (input == "last-corrupt") {
        QByteArray bytes;
        {
            QFile whole(good);
            QVERIFY(whole.open(QIODevice::ReadOnly));
            bytes = whole.readAll();
        }
        QSettings().setValue("lastModel", garbageFile("last-truncated.latentlab", bytes.left(bytes.size() / 2)));
        window.start({});
    }
    const auto said = [&] {
        QStringList messages{window.statusBar()->currentMessage()};
        for (const QList<QVariant>& args : errors)
            messages << args.at(0).toString();
        for (const QString& m : messages)
            if (m.contains(file) && m.contains(problem, Qt::CaseInsensitive))
                return true;
        return false;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(said(), qPrintable(window.statusBar()->currentMessage() + " | " +
                                                 (errors.isEmpty() ? QString() : errors.last().at(0).toString())),
                              20000);
    QVERIFY(settleLoads());
    qunsetenv("LATENTLAB_DIGITS_PNG");
    if (modelStays) {
        QCOMPARE(window.model(), model);
        QCOMPARE(window.modelPath(), good);
    } else {
        QVERIFY(window.model()); // the new model opened; only its data set or overlay failed
    }
    QCOMPARE(window.document()->data(), data);
    QVERIFY(!window.isTraining());
    if (input == "recent-gone")
        QVERIFY(!QSettings().value("recentModels").toStringList().join('|').contains("gone.latentlab"));
}

void TestMainWindow::dockDecodeErrorReachesTheStatusBar()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    window.openModel(digitsModel("for-errors.latentlab", 3));
    QVERIFY(opened.wait(10000));
    // Once the data set's status message is out of the way.
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->modelCodes() != nullptr, 10000);
    // Endpoints of 4 values for a 3-D model: the morph decodes throw.
    window.morphPanel()->setEndpoint(0, {}, {0.1f, 0.2f, 0.3f, 0.4f}, "A");
    window.morphPanel()->setEndpoint(1, {}, {0.4f, 0.3f, 0.2f, 0.1f}, "B");
    QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains("Cannot decode the morph"), 5000);
    QVERIFY2(window.statusBar()->currentMessage().contains("not a whole number"),
             qPrintable(window.statusBar()->currentMessage()));
}

void TestMainWindow::compareShowsBothModelsEachWithItsOwnEncoder()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    window.openModel(digitsModel("compare-a.latentlab", 2));
    QVERIFY(opened.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(window.document()->modelCodes() != nullptr, 10000);
    ComparePanel* compare = window.comparePanel();

    // Another image size: refused, naming the file and both shapes; nothing is compared.
    ModelConfig c;
    c.height = c.width = 28;
    c.latentDim = 2;
    c.hidden = {16};
    const QString wrong = dir_.filePath("compare-28.latentlab");
    ModelFile::save(Model(c, 5), wrong.toStdString());
    window.openCompareModel(wrong);
    QVERIFY(errors.wait(10000));
    const QString message = errors.last().at(0).toString();
    QVERIFY2(message.contains("compare-28.latentlab") && message.contains("28x28 grey") && message.contains("20x20 grey"),
             qPrintable(message));
    QVERIFY(!compare->secondModel());
    for (QMessageBox* box : window.findChildren<QMessageBox*>())
        box->accept();

    // The same images, other weights: B's row is B's own reconstruction, not a decode of A's codes.
    c.height = c.width = 20;
    c.hidden = {24};
    Model second(c, 9);
    second.info().datasetSpec = "digits";
    const QString secondPath = dir_.filePath("compare-b.latentlab");
    ModelFile::save(second, secondPath.toStdString());
    QSignalSpy rows(compare, &ComparePanel::reconstructionsReady);
    window.document()->selectIndex(3);
    window.openCompareModel(secondPath);
    QVERIFY(rows.wait(10000));
    QCOMPARE(compare->secondModel()->config().hidden, std::vector<int>{24});
    QList<QImage> images = compare->reconstructions();
    QCOMPARE(images.size(), 3 * ComparePanel::kImages);
    const Dataset& overlay = *window.document()->overlay();
    const Image third = Image::fromPlanarBytes(overlay.image(3), overlay.shape());
    const std::shared_ptr<const Model> b = compare->secondModel();
    QCOMPARE(images[2 * ComparePanel::kImages], ImageConversion::toQImage(b->decodeImages(b->encodeImage(third)).front()));
    QCOMPARE(images[ComparePanel::kImages], ImageConversion::toQImage(window.document()->model()->decodeImages(
                                                window.document()->model()->encodeImage(third)).front()));
    QVERIFY(images[2 * ComparePanel::kImages]
            != ImageConversion::toQImage(b->decodeImages(window.document()->model()->encodeImage(third)).front()));

    // The morph: both models between the same two images, as many frames as the Morph dock.
    QSignalSpy morphs(compare, &ComparePanel::morphsReady);
    window.useAsEndpoint(0, 3);
    window.useAsEndpoint(1, 7);
    QTRY_VERIFY_WITH_TIMEOUT(compare->morphs().size() == 2 * window.morphPanel()->frameCount(), 10000);
    const QList<QImage> frames = compare->morphs();
    QCOMPARE(frames[window.morphPanel()->frameCount()], images[2 * ComparePanel::kImages]); // B's first frame: image 3

    // The map: B's tiles where the main map is, while its plane is two latent dimensions.
    QSignalSpy maps(compare, &ComparePanel::mapReady);
    window.mapView()->panByPixels({40, -20});
    QVERIFY(maps.wait(10000));
    const LatentMapView* map = window.mapView();
    QCOMPARE(compare->secondMap(), ImageConversion::toQImage(LatentGrid::render(
                                       *b, map->plane(), ViewMapping(map->range(), map->spacing(), 1, 1), map->tiles(),
                                       map->tiles(), 0)));
    QVERIFY(compare->mapText().startsWith("z0 from"));
    window.planeControls()->setKind(PlaneControls::Kind::Pca);
    QTRY_VERIFY_WITH_TIMEOUT(compare->mapText().contains("no counterpart"), 10000);
    QVERIFY(compare->secondMap().isNull());

    // A model of another size opened as A closes B, saying why.
    window.openModel(wrong);
    QTRY_VERIFY_WITH_TIMEOUT(!compare->secondModel(), 10000);
}

void TestMainWindow::continueTrainingExtendsTheOpenModel()
{
    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    const QString path = digitsModel("continued.latentlab", 2);
    window.openModel(path);
    QVERIFY(opened.wait(10000));
    auto* continueButton = window.trainingPanel()->findChild<QPushButton*>("continueButton");
    QVERIFY(continueButton && continueButton->isEnabled());
    TrainingRequest settings = window.trainingPanel()->request();
    settings.training.epochs = 1;
    settings.training.batchSize = 64;
    window.trainingPanel()->setRequest(settings);

    QSignalSpy finished(window.trainingWorker(), &TrainingWorker::trainingFinished);
    for (int round = 1; round <= 2; ++round) {
        window.continueTraining();
        QVERIFY(window.isTraining());
        QVERIFY(finished.wait(60000));
        const QList<QVariant> result = finished.takeFirst();
        QCOMPARE(result.at(0).toString(), QString("finished"));
        QVERIFY2(result.at(3).toBool(), "the better model is written to the open model's own file");
        QTRY_COMPARE(window.modelPath(), path);
        const auto onDisk = ModelFile::load(path.toStdString());
        QCOMPARE(int(onDisk->info().history.size()), round); // epochs counted on
        QVERIFY(onDisk->hasOptimizerState());
        QCOMPARE(window.model()->info().history.size(), onDisk->info().history.size());
    }
}

void TestMainWindow::mapIsTheLargestThing_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x800") << QSize(1280, 800);
    QTest::newRow("1600x1000") << QSize(1600, 1000);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TestMainWindow::mapIsTheLargestThing()
{
    QFETCH(QSize, size);
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50); // the docks' first sizes are set once the event loop runs
    const QSize map = window.mapView()->size();
    const QRectF square = window.mapView()->mapRect();
    const double window_ = double(window.width()) * window.height();
    const double widgetShare = map.width() * map.height() / window_;
    const double squareShare = square.width() * square.height() / window_;
    qInfo("%dx%d: map widget %dx%d = %.0f%% of the window, tiles %.0fx%.0f = %.0f%%", window.width(),
          window.height(), map.width(), map.height(), 100 * widgetShare, square.width(), square.height(),
          100 * squareShare);
    QVERIFY2(widgetShare >= 0.5, qPrintable(QString::number(widgetShare)));
    // The tiles are centred: as much room above as below, left as right (axes aside).
    const QRectF inner = QRectF(window.mapView()->rect()).adjusted(52, 10, -10, -40);
    QVERIFY(std::abs((square.top() - inner.top()) - (inner.bottom() - square.bottom())) <= 1);
    QVERIFY(std::abs((square.left() - inner.left()) - (inner.right() - square.right())) <= 1);
}

void TestMainWindow::recordedDataSetIsASuggestion_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("why"); // empty: loaded as the model opens
    QTest::newRow("digits") << "digits" << "";
    QTest::newRow("the whole file system") << "folder:/" << "walk the whole file system";
    QTest::newRow("a large generated set") << "synth-faces:50000" << "generates 55,000 faces";
    QTest::newRow("a count past the bound") << "synth-faces:1000000" << "100,000";
    QTest::newRow("a folder, accepted") << "folder:" << "reads every image";
}

void TestMainWindow::recordedDataSetIsASuggestion()
{
    QFETCH(QString, spec);
    QFETCH(QString, why);
    if (spec == "folder:") { // a small folder of its own, loaded once the person agrees
        QDir(dir_.path()).mkpath("small-folder");
        for (int i = 0; i < 12; ++i) {
            QImage image(24, 24, QImage::Format_Grayscale8);
            image.fill(i * 20);
            QVERIFY(image.save(dir_.filePath(QString("small-folder/%1.png").arg(i))));
        }
        spec += dir_.filePath("small-folder");
    }
    ModelConfig c;
    c.height = c.width = 20;
    c.latentDim = 3;
    c.hidden = {32};
    Model model(c, 5);
    model.info().datasetSpec = spec.toStdString();
    const QString path = dir_.filePath("records-" + QString::number(qHash(spec)) + ".latentlab");
    ModelFile::save(model, path.toStdString());

    MainWindow window;
    window.show();
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QSignalSpy data(window.document(), &ExplorerDocument::dataChanged);
    window.openModel(path);
    QVERIFY(opened.wait(10000));
    QVERIFY(settleLoads());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors.first().at(0).toString()));
    auto* offer = window.browser()->findChild<QPushButton*>("loadOfferedDataset");
    auto* menuEntry = window.findChild<QAction*>("loadOfferedAction");
    QVERIFY(offer && menuEntry);
    if (why.isEmpty()) {
        QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 20000);
        QCOMPARE(QString::fromStdString(window.document()->data()->spec), spec);
        QVERIFY(!offer->isVisibleTo(window.browser()));
        QVERIFY(!menuEntry->isEnabled());
        return;
    }
    // Not loaded: the status bar and the Data Set dock say which and why, and offer it.
    QVERIFY(window.document()->data() == nullptr);
    QCOMPARE(data.size(), 0);
    QCOMPARE(window.offeredDataset(), spec);
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(spec) && message.contains(why) && message.contains(QFileInfo(path).fileName()),
             qPrintable(message));
    QVERIFY(offer->isVisibleTo(window.browser()));
    QVERIFY(menuEntry->isEnabled());
    if (!spec.startsWith("folder:/tmp") && !spec.startsWith("folder:" + dir_.path()))
        return; // accepting the others would walk the disk or fill the memory
    offer->click();
    QVERIFY(window.isLoading()); // cancellable like any load
    QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 20000);
    QCOMPARE(QString::fromStdString(window.document()->data()->spec), spec);
    QVERIFY(!offer->isVisibleTo(window.browser()));
    QVERIFY(!menuEntry->isEnabled());
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
