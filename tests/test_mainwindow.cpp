#include <QComboBox>
#include <QDropEvent>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QToolButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QElapsedTimer>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "core/formats/ModelFile.h"
#include "ui/ImageConversion.h"
#include "ui/InspectorPanel.h"
#include "ui/PlaneControls.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"
#include "ui/MorphPanel.h"
#include "ui/LatentMapView.h"
#include "ui/MainWindow.h"
#include "ui/TrainingPanel.h"
#include "ui/TrainingWorker.h"

using namespace latentlab;

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensWithMenusAndStatus();
    void badModelKeepsThePreviousOne();
    void dropOpensModel();
    void droppedImageBecomesTheSelection();
    void firstRunTrainsAndNextStartOpensIt();
    void closingDuringTrainingAsksAndStops();
    void screenshotOption();
    void conditionalModelOffersItsClasses();
    void secondDataSetDoesNotBlock();
    void newestModelWins();
    void dockDecodeErrorReachesTheStatusBar();
    void continueTrainingExtendsTheOpenModel();
    void mapIsTheLargestThing_data();
    void mapIsTheLargestThing();

private:
    QString digitsModel(const QString& name, int latent);
    QTemporaryDir dir_;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings and data in a test location
    QSettings().clear();
    QFile::remove(MainWindow::defaultModelPath());
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

void TestMainWindow::secondDataSetDoesNotBlock()
{
    // A faces: pass over a video takes seconds; opening another data set meanwhile
    // returns at once, and only the newest one lands in the document.
    const QString video = "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";
    if (!QFile::exists(video))
        QSKIP("needs Debian's opencv-doc package");
    // A fresh face cache, so that the detection pass really runs.
    const QByteArray cache = qgetenv("XDG_CACHE_HOME");
    qputenv("XDG_CACHE_HOME", dir_.filePath("fresh-cache").toLocal8Bit());
    const auto restore = qScopeGuard([cache] {
        if (cache.isEmpty())
            qunsetenv("XDG_CACHE_HOME");
        else
            qputenv("XDG_CACHE_HOME", cache);
    });
    MainWindow window;
    window.show();
    QSignalSpy data(window.document(), &ExplorerDocument::dataChanged);
    window.openDataset("faces:" + video);
    QTest::qWait(100); // the detection pass is under way
    QElapsedTimer timer;
    timer.start();
    window.openDataset("digits");
    QVERIFY2(timer.elapsed() < 500, qPrintable(QString("openDataset blocked for %1 ms").arg(timer.elapsed())));
    QTRY_COMPARE_WITH_TIMEOUT(data.size(), 1, 20000);
    QCOMPARE(window.document()->data()->spec, std::string("digits"));
    QTest::qWait(1500); // the faces result, if it comes now, is dropped
    QCOMPARE(data.size(), 1);
    QCOMPARE(window.document()->data()->spec, std::string("digits"));
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
    QTest::qWait(300); // the first one's result, had it not been dropped, would be here by now
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().at(0).toString(), second);
    QCOMPARE(window.model()->config().latentDim, 5);
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

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
