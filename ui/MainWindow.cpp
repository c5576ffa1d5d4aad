#include "ui/MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include "core/model/Device.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"
#include "ui/AttributesPanel.h"
#include "ui/DatasetBrowser.h"
#include "ui/EditSession.h"
#include "ui/ImageConversion.h"
#include "ui/InspectorPanel.h"
#include "ui/LatentMapView.h"
#include "ui/MorphPanel.h"
#include "ui/PlaneControls.h"
#include "ui/StatisticsPanel.h"
#include "ui/TrainingPanel.h"
#include "ui/TrainingWorker.h"

namespace latentlab {

namespace {

constexpr int kMaxRecent = 8;
const char* const kRecentKey = "recentModels";
const char* const kLastModelKey = "lastModel";

QString modelFileFilter()
{
    return QObject::tr("LatentLab models (*.latentlab);;All files (*)");
}

// The first-run model: a 2-D latent space is the manifold itself (no projection), so
// the map shows every kind of garment side by side after one epoch.
TrainingRequest defaultTraining()
{
    TrainingRequest r;
    r.model.latentDim = 2;
    r.training.epochs = 10;
    return r;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), map_(new LatentMapView(this)), session_(new EditSession(this)),
      trainer_(std::make_unique<TrainingWorker>())
{
    setWindowTitle(tr("LatentLab"));
    setAcceptDrops(true);
    setCentralWidget(map_);
    createDocks();
    createMenus();

    modelLabel_ = new QLabel(tr("No model"), this);
    deviceLabel_ = new QLabel(this);
    decodeLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(modelLabel_);
    statusBar()->addPermanentWidget(deviceLabel_);
    statusBar()->addPermanentWidget(decodeLabel_);
    updateStatus();

    connect(map_, &LatentMapView::framePainted, this, [this](quint64, double, double decodeMs) {
        decodeLabel_->setText(tr("decode %1 ms").arg(decodeMs, 0, 'f', 1));
        if (!overlayPending_)
            Q_EMIT viewReady();
    });
    connect(map_, &LatentMapView::imageClicked, this, &MainWindow::pickImage);
    connect(map_, &LatentMapView::decodeFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });

    connect(&modelWatcher_, &QFutureWatcher<LoadedModel>::finished, this, [this] {
        const LoadedModel loaded = modelWatcher_.result();
        if (!loaded.error.isEmpty()) {
            showError(tr("Cannot open the model"), loaded.error);
            return;
        }
        setModel(loaded.model, pendingModelPath_);
    });
    connect(&dataWatcher_, &QFutureWatcher<LoadedData>::finished, this, [this] {
        const LoadedData loaded = dataWatcher_.result();
        if (!loaded.error.isEmpty()) {
            overlayPending_ = false;
            showError(tr("Cannot open the data set"), loaded.error);
            return;
        }
        setData(loaded.data);
    });
    connect(&encodeWatcher_, &QFutureWatcher<Encoded>::finished, this, [this] {
        const Encoded encoded = encodeWatcher_.result();
        if (encodeAgain_) { // a newer model or data set arrived meanwhile
            encodeAgain_ = false;
            encodeOverlay();
            return;
        }
        overlayPending_ = false;
        if (!encoded.error.isEmpty()) {
            statusBar()->showMessage(encoded.error, 8000);
            map_->setScatter(nullptr, nullptr);
            return;
        }
        codes_ = encoded.codes;
        pcaPlane_ = encoded.pca;
        map_->setScatter(overlayData_, codes_);
        if (!isTraining())
            session_->setCodes(overlayData_, codes_);
        if (planeControls_->kind() != PlaneControls::Kind::Dimensions)
            applyPlane();
        if (map_->paintedStamp() == map_->latestStamp() && map_->latestStamp() != 0)
            Q_EMIT viewReady();
    });

    connect(trainer_.get(), &TrainingWorker::datasetLoaded, this, [this](std::shared_ptr<const DatasetSplit> data) {
        setData(std::move(data));
    });
    connect(trainer_.get(), &TrainingWorker::snapshot, this, &MainWindow::showModel);
    connect(session_, &EditSession::saveFailed, this, [this](const QString& m) { showError(tr("Cannot save the model"), m); });
    connect(session_, &EditSession::saved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 3000);
    });
    connect(trainer_.get(), &TrainingWorker::progress, trainingPanel_, &TrainingPanel::showProgress);
    connect(trainer_.get(), &TrainingWorker::epochFinished, trainingPanel_, &TrainingPanel::addEpoch);
    connect(trainer_.get(), &TrainingWorker::trainingFinished, this, &MainWindow::trainingFinished);
    connect(trainer_.get(), &TrainingWorker::failed, this, [this](const QString& message) {
        trainingPanel_->trainingEnded(tr("Training failed: %1").arg(message));
        showError(tr("Training failed"), message);
    });
    resize(1500, 900);
}

MainWindow::~MainWindow()
{
    // Wait for background jobs: they hold pointers to what this window owns.
    modelWatcher_.waitForFinished();
    dataWatcher_.waitForFinished();
    encodeWatcher_.waitForFinished();
}

QString MainWindow::defaultModelPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/fashion-mnist-mlp-2d.latentlab";
}

void MainWindow::createDocks()
{
    planeControls_ = new PlaneControls(this);
    auto* viewDock = new QDockWidget(tr("View"), this);
    viewDock->setObjectName("viewDock");
    viewDock->setWidget(planeControls_);
    addDockWidget(Qt::RightDockWidgetArea, viewDock);

    trainingPanel_ = new TrainingPanel(this);
    trainingPanel_->setRequest(defaultTraining());
    auto* trainingDock = new QDockWidget(tr("Training"), this);
    trainingDock->setObjectName("trainingDock");
    trainingDock->setWidget(trainingPanel_);
    addDockWidget(Qt::RightDockWidgetArea, trainingDock);

    inspector_ = new InspectorPanel(session_, this);
    morph_ = new MorphPanel(session_, this);
    attributes_ = new AttributesPanel(session_, this);
    browser_ = new DatasetBrowser(this);
    auto* statistics = new StatisticsPanel(session_, this);
    QDockWidget* previous = nullptr;
    for (auto [title, name, widget] : {std::tuple<QString, QString, QWidget*>{tr("Inspector"), "inspectorDock", inspector_},
                                      {tr("Morph"), "morphDock", morph_},
                                      {tr("Attributes"), "attributesDock", attributes_},
                                      {tr("Data Set"), "browserDock", browser_},
                                      {tr("Statistics"), "statisticsDock", statistics}}) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        dock->setWidget(widget);
        addDockWidget(Qt::LeftDockWidgetArea, dock);
        if (previous)
            tabifyDockWidget(previous, dock);
        previous = dock;
    }
    findChild<QDockWidget*>("inspectorDock")->raise();
    // The map gets the middle; docks start narrow (people widen what they use).
    QTimer::singleShot(0, this, [this] {
        resizeDocks({findChild<QDockWidget*>("inspectorDock"), findChild<QDockWidget*>("viewDock")}, {340, 330},
                    Qt::Horizontal);
    });

    connect(browser_, &DatasetBrowser::inspectRequested, session_, &EditSession::selectIndex);
    connect(browser_, &DatasetBrowser::useAsRequested, this, &MainWindow::useAsEndpoint);
    connect(browser_, &DatasetBrowser::addToWithRequested, attributes_, &AttributesPanel::addToWith);
    connect(browser_, &DatasetBrowser::addToWithoutRequested, attributes_, &AttributesPanel::addToWithout);
    connect(attributes_, &AttributesPanel::message, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(attributes_, &AttributesPanel::attributePlaneRequested, this, [this](const QString& x, const QString& y) {
        const auto model = session_->model();
        if (!model)
            return;
        const std::vector<float> base = session_->hasSelection()
                                            ? session_->baseCode()
                                            : std::vector<float>(std::size_t(model->config().latentDim), 0.0f);
        try {
            map_->setPlane(LatentPlane::fromAttributes(base, session_->appliedVector(x), session_->appliedVector(y),
                                                       x.toStdString(), y.toStdString()),
                           PlaneRange::around(0, 0, 3, 3));
        } catch (const std::exception& e) {
            statusBar()->showMessage(QString::fromUtf8(e.what()), 6000);
        }
    });

    connect(planeControls_, &PlaneControls::planeChanged, this, &MainWindow::applyPlane);
    connect(planeControls_, &PlaneControls::spacingChanged, this, [this](bool cdf) {
        map_->setSpacing(cdf ? GridSpacing::InverseCdf : GridSpacing::Linear);
    });
    connect(planeControls_, &PlaneControls::tilesChanged, map_, &LatentMapView::setTiles);
    connect(planeControls_, &PlaneControls::opacityChanged, map_, &LatentMapView::setScatterOpacity);
    // The session holds the class a conditional model decodes; the View dock and the
    // inspector's class tiles both set it, and the map follows.
    connect(planeControls_, &PlaneControls::conditionClassChanged, session_, &EditSession::setConditionClass);
    connect(session_, &EditSession::conditionClassChanged, this, [this](int conditionClass) {
        planeControls_->setConditionClass(conditionClass);
        map_->setConditionClass(conditionClass);
    });
    connect(planeControls_, &PlaneControls::clearSelection, this, [this] {
        picks_.clear();
        updateSelectionText();
    });
    connect(trainingPanel_, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
    connect(trainingPanel_, &TrainingPanel::pauseRequested, this, [this](bool paused) {
        trainer_->setPaused(paused);
        trainingPanel_->trainingPaused(paused);
    });
    connect(trainingPanel_, &TrainingPanel::stopRequested, this, [this] { trainer_->stop(); });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Model…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), QFileInfo(modelPath_).path(),
                                                          modelFileFilter());
        if (!path.isEmpty())
            openModel(path);
    });
    file->addAction(tr("&Save Model As…"), QKeySequence::SaveAs, this, &MainWindow::saveModelAs);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("Open &Data Set…"), QKeySequence(tr("Ctrl+D")), this, [this] {
        bool ok = false;
        const QString spec = QInputDialog::getItem(
            this, tr("Open Data Set"),
            tr("Data set: fashion-mnist, digits, idx:IMAGES[,LABELS] or folder:PATH"),
            {"fashion-mnist", "digits", "folder:", "idx:"}, 0, true, &ok);
        if (ok && !spec.trimmed().isEmpty())
            openDataset(spec.trimmed());
    });
    file->addAction(tr("Open Image &Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of PNG/JPEG images (sub-folders are labels)"));
        if (!dir.isEmpty())
            openDataset("folder:" + dir);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addAction(tr("&Train"), QKeySequence(tr("Ctrl+T")), this, &MainWindow::startTraining);
    training->addAction(tr("&Stop"), QKeySequence(tr("Ctrl+.")), this, [this] { trainer_->stop(); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this, [this] { map_->zoomAt(map_->mapRect().center(), 0.8); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this, [this] { map_->zoomAt(map_->mapRect().center(), 1.25); });
    view->addAction(tr("&Reset View"), QKeySequence(tr("Ctrl+0")), this, &MainWindow::applyPlane);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LatentLab"), this, [this] {
        QMessageBox::about(this, tr("About LatentLab"),
                           tr("<b>LatentLab</b> %1<br>Explore the latent space of variational autoencoders.<br><br>"
                              "Drag to pan, scroll to zoom, double-click to centre; arrows and +/- too. "
                              "Click points of the overlay to pick images.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::start(const StartOptions& options)
{
    if (!options.datasetSpec.isEmpty())
        trainingPanel_->setDatasetSpec(options.datasetSpec);
    QString path = options.modelPath;
    if (path.isEmpty()) {
        const QString last = QSettings().value(kLastModelKey).toString();
        path = QFileInfo::exists(last) ? last : (QFileInfo::exists(defaultModelPath()) ? defaultModelPath() : QString());
    }
    if (!path.isEmpty()) {
        openModel(path);
        if (!options.datasetSpec.isEmpty())
            openDataset(options.datasetSpec);
    } else if (options.trainIfNoModel) {
        statusBar()->showMessage(tr("First run: training a model on Fashion-MNIST; the map fills in as it learns."));
        startTraining();
    }
}

void MainWindow::openModel(const QString& path)
{
    if (modelWatcher_.isRunning())
        modelWatcher_.waitForFinished();
    if (isTraining()) {
        showError(tr("Cannot open the model"), tr("Stop training before opening another model."));
        return;
    }
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    pendingModelPath_ = path;
    modelWatcher_.setFuture(QtConcurrent::run([path] {
        LoadedModel loaded;
        try {
            loaded.model = ModelFile::load(path.toStdString());
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        return loaded;
    }));
}

void MainWindow::openDataset(const QString& spec)
{
    if (dataWatcher_.isRunning())
        dataWatcher_.waitForFinished();
    DatasetOptions options;
    if (model_) {
        options.imageSize = model_->config().height;
        options.channels = model_->config().channels;
    }
    overlayPending_ = true;
    statusBar()->showMessage(tr("Loading %1…").arg(spec));
    dataWatcher_.setFuture(QtConcurrent::run([spec, options] {
        LoadedData loaded;
        try {
            loaded.data = std::make_shared<const DatasetSplit>(DatasetLoader::load(spec.toStdString(), options));
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        return loaded;
    }));
}

void MainWindow::setModel(std::shared_ptr<Model> model, const QString& path)
{
    session_->setModel(model);
    session_->setSavePath(path);
    const bool fromFile = !path.isEmpty();
    const bool newSpace = !model_ || model_->config().latentDim != model->config().latentDim;
    model_ = std::move(model);
    if (fromFile) {
        modelPath_ = path;
        addRecent(path);
        QSettings().setValue(kLastModelKey, path);
        setWindowTitle(tr("LatentLab — %1").arg(QFileInfo(path).fileName()));
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 4000);
        if (!isTraining())
            trainingPanel_->showHistory(model_->info().history);
        Q_EMIT modelOpened(path);
    }
    showModel(model_);
    if (newSpace || fromFile)
        applyPlane();
    // The overlay: the model's own data set unless one is open with the same image shape.
    const ImageShape shape{model_->config().channels, model_->config().height, model_->config().width};
    if (fromFile && !(data_ && data_->test.shape() == shape) && !model_->info().datasetSpec.empty()
        && !dataWatcher_.isRunning())
        openDataset(QString::fromStdString(model_->info().datasetSpec));
}

void MainWindow::showModel(std::shared_ptr<const Model> model)
{
    const bool newSpace = !model_ || model_->config().latentDim != model->config().latentDim;
    model_ = std::move(model);
    planeControls_->setLatentDim(model_->config().latentDim);
    QStringList classes;
    const std::vector<std::string>& names = model_->info().classNames;
    for (int k = 0; k < model_->config().conditionClasses; ++k)
        classes << (std::size_t(k) < names.size() ? QString::fromStdString(names[std::size_t(k)]) : QString::number(k));
    planeControls_->setClassNames(classes);
    session_->setConditionClass(classes.isEmpty() ? 0 : planeControls_->conditionClass());
    map_->setModel(model_);
    if (newSpace)
        applyPlane();
    updateStatus();
    const ImageShape shape{model_->config().channels, model_->config().height, model_->config().width};
    if (data_ && data_->test.shape() == shape)
        encodeOverlay();
}

void MainWindow::setData(std::shared_ptr<const DatasetSplit> data)
{
    data_ = std::move(data);
    overlayData_ = std::shared_ptr<const Dataset>(data_, &data_->test);
    trainingPanel_->setDatasetSpec(QString::fromStdString(data_->spec));
    browser_->setDataset(overlayData_);
    picks_.clear();
    updateSelectionText();
    statusBar()->showMessage(tr("%1: %2 training and %3 test images. %4")
                                 .arg(QString::fromStdString(data_->spec))
                                 .arg(data_->train.size())
                                 .arg(data_->test.size())
                                 .arg(QString::fromStdString(data_->report)),
                             data_->report.empty() ? 5000 : 15000);
    encodeOverlay();
}

void MainWindow::encodeOverlay()
{
    if (!model_ || !overlayData_)
        return;
    if (encodeWatcher_.isRunning()) {
        encodeAgain_ = true; // once the running job ends; never two at a time
        return;
    }
    overlayPending_ = true;
    const quint64 stamp = ++encodeStamp_;
    encodeWatcher_.setFuture(QtConcurrent::run([stamp, model = model_, data = overlayData_] {
        Encoded encoded;
        encoded.stamp = stamp;
        try {
            auto codes = std::make_shared<LatentCodes>(LatentCodes::encode(*model, *data));
            if (codes->dim >= 2 && codes->count() >= 3)
                encoded.pca = std::make_shared<LatentPlane>(LatentPlane::fromPrincipalComponents(*codes));
            encoded.codes = std::move(codes);
        } catch (const std::exception& e) {
            encoded.error = QObject::tr("No overlay: %1").arg(QString::fromUtf8(e.what()));
        }
        return encoded;
    }));
}

void MainWindow::applyPlane()
{
    if (!model_)
        return;
    const int dim = model_->config().latentDim;
    try {
        switch (planeControls_->kind()) {
        case PlaneControls::Kind::Dimensions:
            if (dim < 2) {
                statusBar()->showMessage(tr("A one-dimensional latent space has no plane to show"), 5000);
                return;
            }
            map_->setPlane(LatentPlane::fromDimensions(std::vector<float>(std::size_t(dim), 0.0f),
                                                       planeControls_->dimU(), planeControls_->dimV()),
                           PlaneRange::around(0, 0, 3, 3));
            break;
        case PlaneControls::Kind::Pca:
            if (!pcaPlane_ || pcaPlane_->dim() != dim) {
                statusBar()->showMessage(tr("Principal components appear once the data set is encoded…"), 3000);
                return;
            }
            map_->setPlane(*pcaPlane_, PlaneRange::around(0, 0, 3, 3));
            break;
        case PlaneControls::Kind::ThreeImages: {
            if (picks_.size() != 3 || !codes_ || codes_->dim != dim)
                return;
            map_->setPlane(LatentPlane::throughCodes(codes_->codeVector(std::size_t(picks_[0])),
                                                     codes_->codeVector(std::size_t(picks_[1])),
                                                     codes_->codeVector(std::size_t(picks_[2]))),
                           {-0.25, 1.25, -0.25, 1.25});
            break;
        }
        }
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromUtf8(e.what()), 6000);
    }
}

void MainWindow::pickImage(int index)
{
    picks_.removeAll(index);
    picks_.append(index);
    while (picks_.size() > 3)
        picks_.removeFirst();
    updateSelectionText();
    session_->selectIndex(index);
    for (int slot = 0; slot < picks_.size() && slot < 2; ++slot)
        useAsEndpoint(slot, picks_[slot]);
}

void MainWindow::raiseDock(const QString& objectName)
{
    if (auto* dock = findChild<QDockWidget*>(objectName)) {
        dock->show();
        dock->raise();
    }
}

void MainWindow::useAsEndpoint(int slot, int index)
{
    if (!codes_ || !overlayData_ || index < 0 || std::size_t(index) >= codes_->count())
        return;
    const QImage image = ImageConversion::toQImage(Image::fromPlanarBytes(overlayData_->image(std::size_t(index)),
                                                                          overlayData_->shape()));
    morph_->setEndpoint(slot, image, codes_->codeVector(std::size_t(index)), QString("#%1").arg(index));
}

void MainWindow::openImageFile(const QString& path)
{
    const auto model = session_->model();
    if (!model) {
        showError(tr("Cannot open the image"), tr("Open or train a model first: the image is encoded with it."));
        return;
    }
    auto* watcher = new QFutureWatcher<QString>(this);
    auto image = std::make_shared<Image>();
    auto code = std::make_shared<std::vector<float>>();
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, image, code, path] {
        watcher->deleteLater();
        if (!watcher->result().isEmpty()) {
            showError(tr("Cannot open the image"), watcher->result());
            return;
        }
        session_->selectImage(ImageConversion::toQImage(*image), *code, QFileInfo(path).fileName());
    });
    // Read, resize and encode off the GUI thread.
    watcher->setFuture(QtConcurrent::run([model, path, image, code] {
        try {
            *image = ImageIO::read(path.toStdString(), model->config().height, model->config().channels);
            *code = model->encodeImage(*image);
            return QString();
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void MainWindow::updateSelectionText()
{
    map_->setSelection(picks_);
    if (picks_.isEmpty()) {
        planeControls_->setSelectionText({}, false);
        return;
    }
    QStringList parts;
    for (int k = 0; k < picks_.size(); ++k) {
        QString name = QString("#%1").arg(picks_[k]);
        if (overlayData_ && overlayData_->hasLabels()) {
            const int label = overlayData_->labels()[std::size_t(picks_[k])];
            if (label < int(overlayData_->classNames().size()))
                name += " " + QString::fromStdString(overlayData_->classNames()[std::size_t(label)]);
        }
        parts << QString("%1: %2").arg(QChar('A' + k)).arg(name);
    }
    planeControls_->setSelectionText(parts.join(", "), picks_.size() == 3);
}

void MainWindow::startTraining()
{
    if (isTraining())
        return;
    TrainingRequest request = trainingPanel_->request();
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    // e.g. fashion-mnist-mlp-2d.latentlab: the first-run model is defaultModelPath().
    QString name = QString::fromStdString(request.datasetSpec);
    name.replace(QRegularExpression("[^A-Za-z0-9_-]+"), "_");
    name = name.right(40) + QString("-%1-%2d%3")
                                .arg(QString::fromStdString(request.model.architecture))
                                .arg(request.model.latentDim)
                                .arg(request.model.variational ? "" : "-ae");
    trainingSavePath_ = QDir(dir).filePath(name + ".latentlab");
    request.savePath = trainingSavePath_.toStdString();
    trainingPanel_->trainingStarted();
    modelPath_.clear();
    trainer_->train(request);
}

bool MainWindow::isTraining() const
{
    return trainer_->isRunning();
}

void MainWindow::trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<Model> model)
{
    const bool saved = !model->info().history.empty();
    QString text = message;
    if (saved)
        text += tr("; best test loss %1, saved to %2")
                    .arg(model->info().history.back().testLoss, 0, 'f', 2)
                    .arg(QDir::toNativeSeparators(trainingSavePath_));
    trainingPanel_->trainingEnded(text);
    if (outcome == "diverged")
        showError(tr("Training diverged"), message);
    setModel(model, saved ? trainingSavePath_ : QString());
}

void MainWindow::saveModelAs()
{
    if (isTraining()) {
        showError(tr("Training is running"), tr("Training writes the model to %1 after every epoch; save it as "
                                               "another file once training ends.").arg(trainingSavePath_));
        return;
    }
    if (!session_->model()) {
        showError(tr("Nothing to save"), tr("Open or train a model first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Model As"), modelPath_, modelFileFilter());
    if (path.isEmpty())
        return;
    // From now on edits (attribute vectors) go to the new file.
    modelPath_ = path;
    session_->setSavePath(path);
    session_->save(path);
    addRecent(path);
    QSettings().setValue(kLastModelKey, path);
    setWindowTitle(tr("LatentLab — %1").arg(QFileInfo(path).fileName()));
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : recent)
        recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openModel(path); })->setToolTip(path);
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::showError(const QString& title, const QString& message)
{
    // Window-modal and non-blocking: the map and training keep running behind it.
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(message, 8000);
    Q_EMIT errorShown(message);
}

void MainWindow::updateStatus()
{
    if (model_) {
        const ModelConfig& c = model_->config();
        modelLabel_->setText(tr("%1 %2, %3-D latent, %4x%5")
                                 .arg(QString::fromStdString(c.architecture).toUpper())
                                 .arg(!c.variational              ? tr("autoencoder")
                                      : c.conditionClasses > 0 ? tr("conditional VAE (%1 classes)").arg(c.conditionClasses)
                                                               : tr("VAE"))
                                 .arg(c.latentDim)
                                 .arg(c.width)
                                 .arg(c.height));
    }
    deviceLabel_->setText(Device::cudaAvailable() ? tr("CUDA") : tr("CPU, %1 threads").arg(Device::coreCount()));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (isTraining()) {
        const auto answer = QMessageBox::question(
            this, tr("Training is running"),
            tr("Stop training and close? The best model so far is kept in %1.").arg(trainingSavePath_),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        trainer_->stop();
        trainer_->wait(); // stops between two steps and writes the best model
    }
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    const QString path = urls.first().toLocalFile();
    if (QFileInfo(path).isDir())
        openDataset("folder:" + path);
    else if (ImageIO::isImageFile(path.toStdString()))
        openImageFile(path);
    else
        openModel(path);
    event->acceptProposedAction();
}

} // namespace latentlab
