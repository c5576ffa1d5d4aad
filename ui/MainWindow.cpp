#include "ui/MainWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

#include "core/model/Device.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"
#include "core/formats/TorchScriptFile.h"
#include "core/training/Restoration.h"
#include "models/ModelRegistry.h"
#include "ui/AttributesPanel.h"
#include "ui/ComparePanel.h"
#include "ui/BackgroundTask.h"
#include "ui/DatasetBrowser.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"
#include "ui/ImageConversion.h"
#include "ui/InspectorPanel.h"
#include "ui/LatentMapView.h"
#include "ui/MorphPanel.h"
#include "ui/PlaneControls.h"
#include "ui/ScriptDescriptionDialog.h"
#include "ui/FactorsPanel.h"
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
    return QObject::tr("Models (*.latentlab *.pt);;LatentLab models (*.latentlab);;TorchScript models (*.pt);;All files (*)");
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

constexpr std::size_t kTypicalityReference = 500; // overlay images an input is placed among
constexpr double kUnlikePercentile = 99.0;         // as latentlab-cli restore

// "Unlike the training data" when `input` scores worse (negative ELBO, as the model takes
// its inputs) than 99% of the overlay's images, both as they are and with the model's own
// corruption drawn (a denoiser may be given either); empty when it does not, or when it
// cannot be scored. Slow: off the GUI thread.
QString unlikeNotice(const Model& model, const Image& input, const Dataset* overlay)
{
    if (!overlay || overlay->empty())
        return {};
    try {
        const Dataset reference = overlay->head(kTypicalityReference);
        std::vector<std::uint8_t> pixels;
        input.appendPlanarBytes(pixels);
        const double score = Restoration::inputScores(model, Dataset("input", reference.shape(), std::move(pixels)), 1).at(0);
        double at = Restoration::percentile(Restoration::inputScores(model, reference, 1), score);
        if (model.config().corruption.random())
            at = std::min(at, Restoration::percentile(
                                  Restoration::inputScores(model, Restoration::asModelInputs(model, reference, 1), 1), score));
        if (at <= kUnlikePercentile)
            return {};
        return QObject::tr("<b>This image is unlike the training data:</b> the model finds it less likely than %1% of "
                           "the data set's test images (negative ELBO %2), so what it makes of it may not be faithful.")
            .arg(at, 0, 'f', 1)
            .arg(score, 0, 'f', 1);
    } catch (const std::exception&) {
        return {}; // a model that cannot be scored (TorchScript without an ELBO) says nothing
    }
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), document_(std::make_unique<ExplorerDocument>()), map_(new LatentMapView(this)),
      session_(new EditSession(document_.get(), this)), trainer_(std::make_unique<TrainingWorker>())
{
    setWindowTitle(tr("LatentLab"));
    setAcceptDrops(true);
    setCentralWidget(map_);
    map_->setDocument(document_.get());
    createDocks();
    createMenus();

    modelLabel_ = new QLabel(tr("No model"), this);
    deviceLabel_ = new QLabel(this);
    decodeLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(modelLabel_);
    statusBar()->addPermanentWidget(deviceLabel_);
    statusBar()->addPermanentWidget(decodeLabel_);
    // What is loading, with a way out: a hostile file may take minutes.
    loadLabel_ = new QLabel(this);
    loadLabel_->setObjectName("loadLabel");
    loadProgress_ = new QProgressBar(this);
    loadProgress_->setRange(0, 0); // busy, until a load reports its progress
    loadProgress_->setMaximumWidth(120);
    loadProgressTimer_ = new QTimer(this);
    loadProgressTimer_->setInterval(100);
    connect(loadProgressTimer_, &QTimer::timeout, this, [this] {
        for (const Load* load : {&modelLoad_, &dataLoad_, &encodeLoad_, &imageLoad_, &compareLoad_})
            if (load->running && load->permille && load->permille->load() >= 0) {
                loadProgress_->setRange(0, 1000);
                loadProgress_->setValue(load->permille->load());
                return;
            }
        loadProgress_->setRange(0, 0);
    });
    loadCancel_ = new QToolButton(this);
    loadCancel_->setObjectName("cancelLoadsButton");
    loadCancel_->setDefaultAction(cancelLoadsAction_);
    // Permanent: a temporary message would hide normal widgets while a load runs.
    statusBar()->insertPermanentWidget(0, loadLabel_);
    statusBar()->insertPermanentWidget(1, loadProgress_);
    statusBar()->insertPermanentWidget(2, loadCancel_);
    updateStatus();
    updateLoadIndicator();

    connect(map_, &LatentMapView::framePainted, this, [this](quint64, double, double decodeMs) {
        decodeLabel_->setText(tr("decode %1 ms").arg(decodeMs, 0, 'f', 1));
        if (!overlayPending_)
            Q_EMIT viewReady();
    });
    connect(map_, &LatentMapView::imageClicked, this, &MainWindow::pickImage);
    connect(map_, &LatentMapView::decodeFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });

    // After createDocks: the View dock and the map follow the shown model first.
    connect(document_.get(), &ExplorerDocument::shownModelChanged, this, &MainWindow::followShownModel);
    connect(document_.get(), &ExplorerDocument::picksChanged, this, [this] {
        if (planeControls_->kind() == PlaneControls::Kind::ThreeImages)
            applyPlane();
    });

    connect(trainer_.get(), &TrainingWorker::datasetLoaded, this, [this](std::shared_ptr<const DatasetSplit> data) {
        setData(std::move(data));
    });
    connect(trainer_.get(), &TrainingWorker::snapshot, document_.get(), &ExplorerDocument::showSnapshot);
    connect(document_.get(), &ExplorerDocument::saveFailed, this, [this](const QString& path, const QString& m) {
        if (path == saveAsPath_) {
            saveAsPath_.clear();
            showError(tr("Cannot save the model"),
                      tr("%1\nThe model stays %2.")
                          .arg(namingTheFile(m, path),
                               modelPath().isEmpty() ? tr("unsaved") : tr("in %1").arg(QDir::toNativeSeparators(modelPath()))));
            return;
        }
        showError(tr("Cannot save the model"), namingTheFile(m, path));
    });
    // Decode errors of the docks: the panel says it too, the status bar makes sure it is seen.
    connect(session_, &EditSession::decodeFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    // The inspector's corrupted view: every image picked while it is on is shown corrupted;
    // turned off, the last one is shown as it is.
    connect(inspector_, &InspectorPanel::corruptedViewToggled, this, [this](bool on) {
        corruptedView_ = on;
        if (on)
            inspectCorrupted(document_->selectedIndex());
        else if (corruptedIndex_ >= 0 && document_->selectedIndex() < 0 && document_->overlay()
                 && std::size_t(corruptedIndex_) < document_->overlay()->size())
            document_->selectIndex(corruptedIndex_);
    });
    connect(document_.get(), &ExplorerDocument::selectionChanged, this, [this] {
        if (corruptedView_ && document_->selectedIndex() >= 0)
            inspectCorrupted(document_->selectedIndex());
    });
    connect(morph_, &MorphPanel::decodeFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(morph_, &MorphPanel::exportFailed, this, [this](const QString& m) { showError(tr("Cannot export the morph"), m); });
    connect(morph_, &MorphPanel::exported, this, [this](const QString& path, int frames) {
        statusBar()->showMessage(tr("Exported %1 frames to %2").arg(frames).arg(QFileInfo(path).fileName()), 5000);
    });
    connect(document_.get(), &ExplorerDocument::saved, this, [this](const QString& path) {
        if (path == saveAsPath_)
            savedAs(path);
        statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 3000);
    });
    connect(trainer_.get(), &TrainingWorker::progress, trainingPanel_, &TrainingPanel::showProgress);
    connect(trainer_.get(), &TrainingWorker::epochFinished, trainingPanel_, &TrainingPanel::addEpoch);
    connect(trainer_.get(), &TrainingWorker::trainingFinished, this, &MainWindow::trainingFinished);
    connect(trainer_.get(), &TrainingWorker::note, this, [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(trainer_.get(), &TrainingWorker::failed, this, [this](const QString& message) {
        trainingPanel_->trainingEnded(tr("Training failed: %1").arg(message));
        showError(tr("Training failed"), message);
    });
    resize(1500, 900);
}

MainWindow::~MainWindow()
{
    // The panels and the map refer to the document: they go before it. Loads in flight
    // are not waited for: they hold copies of what they need, run on a pool nobody
    // waits for, and their results go to `this` only while it lives.
    delete takeCentralWidget();
    qDeleteAll(findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly));
    delete session_;
}

std::shared_ptr<const Model> MainWindow::model() const
{
    return document_->shownModel();
}

QString MainWindow::modelPath() const
{
    return document_->modelPath();
}

QString MainWindow::defaultModelPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/fashion-mnist-mlp-2d.latentlab";
}

void MainWindow::createDocks()
{
    // One column of docks on the right, the map in all the rest: the View dock on top
    // (small), the panels as tabs below it. Each panel scrolls inside its dock, so that
    // no panel's minimum size can push the window past the screen or squeeze the map.
    const auto scrolled = [this](QWidget* panel) {
        auto* scroll = new QScrollArea(this);
        scroll->setWidget(panel);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        return scroll;
    };
    planeControls_ = new PlaneControls(document_.get(), this);
    auto* viewDock = new QDockWidget(tr("View"), this);
    viewDock->setObjectName("viewDock");
    viewDock->setWidget(planeControls_);
    addDockWidget(Qt::RightDockWidgetArea, viewDock);

    trainingPanel_ = new TrainingPanel(this);
    trainingPanel_->setRequest(defaultTraining());
    inspector_ = new InspectorPanel(session_, this);
    morph_ = new MorphPanel(document_.get(), this);
    attributes_ = new AttributesPanel(session_, this);
    browser_ = new DatasetBrowser(document_.get(), this);
    auto* statistics = new StatisticsPanel(session_, this);
    auto* factors = new FactorsPanel(document_.get(), this);
    compare_ = new ComparePanel(document_.get(), session_, morph_, map_, this);
    QDockWidget* previous = nullptr;
    for (auto [title, name, widget] : {std::tuple<QString, QString, QWidget*>{tr("Inspector"), "inspectorDock", inspector_},
                                      {tr("Morph"), "morphDock", morph_},
                                      {tr("Attributes"), "attributesDock", attributes_},
                                      {tr("Data Set"), "browserDock", browser_},
                                      {tr("Statistics"), "statisticsDock", statistics},
                                      {tr("Factors"), "factorsDock", factors},
                                      {tr("Compare"), "compareDock", compare_},
                                      {tr("Training"), "trainingDock", trainingPanel_}}) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        // The browser's list view scrolls by itself and must fill the dock's height.
        dock->setWidget(widget == browser_ ? widget : scrolled(widget));
        if (previous)
            tabifyDockWidget(previous, dock);
        else
            splitDockWidget(viewDock, dock, Qt::Vertical);
        previous = dock;
    }
    findChild<QDockWidget*>("inspectorDock")->raise();
    // The map gets the most room: the column takes what a square map leaves over, within limits.
    QTimer::singleShot(0, this, &MainWindow::sizeDocksForTheMap);

    connect(browser_, &DatasetBrowser::useAsRequested, this, &MainWindow::useAsEndpoint);
    connect(compare_, &ComparePanel::openRequested, this, &MainWindow::chooseCompareModel);
    connect(compare_, &ComparePanel::decodeFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(browser_, &DatasetBrowser::offerAccepted, this, [this](const QString& spec) {
        raiseDock("browserDock");
        openDataset(spec);
    });
    connect(browser_, &DatasetBrowser::addToWithRequested, attributes_, &AttributesPanel::addToWith);
    connect(browser_, &DatasetBrowser::addToWithoutRequested, attributes_, &AttributesPanel::addToWithout);
    connect(attributes_, &AttributesPanel::message, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
    connect(attributes_, &AttributesPanel::attributePlaneRequested, this, [this](const QString& x, const QString& y) {
        const auto model = document_->model();
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
    connect(factors, &FactorsPanel::dimensionChosen, this, [this](int dimension, const QString& colourBy) {
        // The chosen dimension across, the one the map showed across (or the next) up.
        const int other = planeControls_->dimU() != dimension ? planeControls_->dimU()
                                                              : (dimension + 1) % std::max(2, planeControls_->dimCount());
        planeControls_->setKind(PlaneControls::Kind::Dimensions);
        planeControls_->setDims(dimension, other);
        document_->setColourBy(colourBy);
    });
    connect(document_.get(), &ExplorerDocument::poseChanged, this, &MainWindow::applyPlane);
    connect(planeControls_, &PlaneControls::spacingChanged, this, [this](bool cdf) {
        map_->setSpacing(cdf ? GridSpacing::InverseCdf : GridSpacing::Linear);
    });
    connect(planeControls_, &PlaneControls::tilesChanged, map_, &LatentMapView::setTiles);
    connect(planeControls_, &PlaneControls::opacityChanged, map_, &LatentMapView::setScatterOpacity);
    // The class a conditional model decodes lives in the document: the View dock and the
    // inspector's class tiles both set it, and the map follows.
    connect(trainingPanel_, &TrainingPanel::startRequested, this, &MainWindow::startTraining);
    connect(trainingPanel_, &TrainingPanel::continueRequested, this, &MainWindow::continueTraining);
    connect(document_.get(), &ExplorerDocument::modelChanged, this,
            [this] {
                const auto model = document_->model();
                const bool imported = model && !model->info().importedFrom.empty();
                trainingPanel_->setCanContinue(model && !imported,
                                               imported ? tr("A TorchScript model is explored here, not trained: its "
                                                             "objective and optimiser live in the Python that made it.")
                                                        : QString());
            });
    connect(trainingPanel_, &TrainingPanel::pauseRequested, this, [this](bool paused) {
        trainer_->setPaused(paused);
        trainingPanel_->trainingPaused(paused);
    });
    connect(trainingPanel_, &TrainingPanel::stopRequested, this, [this] { trainer_->stop(); });
}

void MainWindow::sizeDocksForTheMap()
{
    constexpr int kMinColumn = 380, kMaxColumn = 680; // room for the panels, not more
    const int mapHeight = centralWidget() ? centralWidget()->height() : height();
    // A square map needs its height plus the axes' margins (52 + 10 across, 10 + 40 down).
    const int column = std::clamp(width() - (mapHeight + 12), kMinColumn, kMaxColumn);
    resizeDocks({findChild<QDockWidget*>("viewDock")}, {column}, Qt::Horizontal);
    // The View dock keeps its natural height; the tabs get the rest.
    resizeDocks({findChild<QDockWidget*>("viewDock")}, {planeControls_->sizeHint().height() + 30}, Qt::Vertical);
}

void MainWindow::createMenus()
{
    cancelLoadsAction_ = new QAction(tr("&Cancel Loading"), this);
    cancelLoadsAction_->setObjectName("cancelLoadsAction");
    cancelLoadsAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    cancelLoadsAction_->setToolTip(tr("Stop waiting for what is loading (Esc); what is open stays open"));
    connect(cancelLoadsAction_, &QAction::triggered, this, &MainWindow::cancelLoads);
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Model…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), QFileInfo(modelPath()).path(),
                                                          modelFileFilter());
        if (!path.isEmpty())
            openModel(path);
    });
    file->addAction(tr("Compare &With…"), QKeySequence(tr("Ctrl+Shift+B")), this, &MainWindow::chooseCompareModel);
    file->addAction(tr("&Save Model As…"), QKeySequence::SaveAs, this, qOverload<>(&MainWindow::saveModelAs));
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
    loadOfferedAction_ = file->addAction(tr("&Load the Model's Data Set"), this, [this] {
        if (!browser_->offeredSpec().isEmpty())
            openDataset(browser_->offeredSpec());
    });
    loadOfferedAction_->setObjectName("loadOfferedAction");
    loadOfferedAction_->setEnabled(false);
    file->addSeparator();
    file->addAction(cancelLoadsAction_);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addAction(tr("&Train"), QKeySequence(tr("Ctrl+T")), this, &MainWindow::startTraining);
    training->addAction(tr("&Continue Training"), QKeySequence(tr("Ctrl+Shift+T")), this, &MainWindow::continueTraining);
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
        raiseDock("trainingDock");
        startTraining();
    }
}

void MainWindow::openModel(const QString& path, const std::optional<ScriptDescription>& given)
{
    if (isTraining()) {
        showError(tr("Cannot open the model"), tr("Stop training before opening another model."));
        return;
    }
    // A load still running is not waited for: its result is dropped by its stamp.
    const quint64 stamp = begin(modelLoad_, tr("Opening %1…").arg(QFileInfo(path).fileName()));
    runLoad(this, [path, given] {
        LoadedModel loaded;
        try {
            loaded.model = given ? TorchScriptFile::load(path.toStdString(), *given) : ModelFile::load(path.toStdString());
        } catch (const ScriptDescriptionMissing& e) {
            loaded.error = QString::fromUtf8(e.what());
            loaded.undescribed = true;
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        return loaded;
    }, [this, stamp, path, given](const LoadedModel& loaded) {
        if (!finish(modelLoad_, stamp))
            return;
        if (loaded.undescribed) {
            ScriptDescriptionDialog dialog(QFileInfo(path).fileName(), tr("its image size is not known"), this);
            if (dialog.exec() == QDialog::Accepted)
                openModel(path, dialog.description());
            return;
        }
        if (!loaded.error.isEmpty()) {
            showError(tr("Cannot open the model"), namingTheFile(loaded.error, path));
            if (!QFileInfo::exists(path))
                forgetRecent(path);
            return;
        }
        if (isTraining()) // training started while it loaded
            return;
        setModel(loaded.model, path);
        if (given) // the answers, beside the file: not asked again
            document_->save(path);
    });
}

void MainWindow::chooseCompareModel()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Compare With"), QFileInfo(modelPath()).path(),
                                                      modelFileFilter());
    if (!path.isEmpty())
        openCompareModel(path);
}

void MainWindow::openCompareModel(const QString& path)
{
    const quint64 stamp = begin(compareLoad_, tr("Opening %1 to compare…").arg(QFileInfo(path).fileName()));
    runLoad(this, [path] {
        LoadedModel loaded;
        try {
            loaded.model = ModelFile::load(path.toStdString());
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        return loaded;
    }, [this, stamp, path](const LoadedModel& loaded) {
        if (!finish(compareLoad_, stamp))
            return;
        if (!loaded.error.isEmpty()) {
            showError(tr("Cannot compare with the model"), namingTheFile(loaded.error, path));
            return;
        }
        const auto explored = document_->model();
        const QString refused = explored ? ComparePanel::refusal(*explored, *loaded.model)
                                         : tr("open the model to compare it with first");
        if (!refused.isEmpty()) {
            showError(tr("Cannot compare with the model"), namingTheFile(refused, path));
            return;
        }
        compare_->setSecondModel(loaded.model, path);
        raiseDock("compareDock");
        statusBar()->showMessage(tr("Comparing with %1").arg(QFileInfo(path).fileName()), 5000);
    });
}

void MainWindow::openDataset(const QString& spec)
{
    startDatasetLoad(spec, QString());
}

void MainWindow::openRecordedDataset(const QString& spec, const QString& recordedIn)
{
    startDatasetLoad(spec, recordedIn);
}

void MainWindow::startDatasetLoad(const QString& spec, const QString& recordedIn)
{
    clearDatasetOffer();
    DatasetOptions options;
    if (const auto model = document_->shownModel()) {
        options.imageSize = model->config().height;
        options.channels = model->config().channels;
    }
    overlayPending_ = true;
    // A load still running (a face-detection pass can take a while) is not waited for:
    // it finishes in the background and its result is dropped by its stamp.
    const quint64 stamp = begin(dataLoad_, tr("Loading %1…").arg(spec));
    options.progress = [permille = dataLoad_.permille](std::size_t done, std::size_t total) {
        permille->store(int(1000 * done / std::max<std::size_t>(total, 1)));
    };
    const bool recorded = !recordedIn.isEmpty();
    runLoad(this, [spec, options, recorded] {
        LoadedData loaded;
        try {
            // The check reads IDX headers: here, off the GUI thread, too.
            std::string why;
            if (recorded && !DatasetLoader::isSafeToLoadUnasked(spec.toStdString(), &why)) {
                loaded.notLoadedWhy = QString::fromStdString(why);
                return loaded;
            }
            loaded.data = std::make_shared<const DatasetSplit>(DatasetLoader::load(spec.toStdString(), options));
        } catch (const std::exception& e) {
            loaded.error = QString::fromUtf8(e.what());
        }
        return loaded;
    }, [this, stamp, spec, recordedIn](const LoadedData& loaded) {
        if (!finish(dataLoad_, stamp))
            return;
        if (!loaded.notLoadedWhy.isEmpty()) {
            overlayPending_ = false;
            offerDataset(spec, recordedIn, loaded.notLoadedWhy);
            return;
        }
        if (!loaded.error.isEmpty()) {
            overlayPending_ = false;
            QString message = namingTheFile(loaded.error, spec);
            if (!recordedIn.isEmpty())
                message += tr("\n(The data set recorded in %1; the model stays open.)").arg(QFileInfo(recordedIn).fileName());
            showError(tr("Cannot open the data set"), message);
            return;
        }
        setData(loaded.data);
    });
}

void MainWindow::offerDataset(const QString& spec, const QString& recordedIn, const QString& why)
{
    browser_->offerDataset(spec, why);
    loadOfferedAction_->setText(tr("&Load the Model's Data Set (%1)").arg(spec.size() > 40 ? spec.left(37) + "…" : spec));
    loadOfferedAction_->setEnabled(true);
    statusBar()->showMessage(tr("%1 records the data set %2, not loaded: %3. Load it from the Data Set tab or the File menu.")
                                 .arg(QFileInfo(recordedIn).fileName(), spec, why),
                             20000);
}

void MainWindow::clearDatasetOffer()
{
    browser_->clearOffer();
    loadOfferedAction_->setText(tr("&Load the Model's Data Set"));
    loadOfferedAction_->setEnabled(false);
}

QString MainWindow::offeredDataset() const
{
    return browser_->offeredSpec();
}

quint64 MainWindow::begin(Load& load, const QString& what)
{
    load.running = true;
    load.what = what;
    load.permille = std::make_shared<std::atomic<int>>(-1);
    updateLoadIndicator();
    return ++load.stamp;
}

bool MainWindow::finish(Load& load, quint64 stamp)
{
    if (stamp != load.stamp)
        return false;
    load.running = false;
    updateLoadIndicator();
    return true;
}

bool MainWindow::isLoading() const
{
    return modelLoad_.running || dataLoad_.running || encodeLoad_.running || imageLoad_.running || compareLoad_.running;
}

void MainWindow::cancelLoads()
{
    QStringList cancelled;
    for (Load* load : {&modelLoad_, &dataLoad_, &encodeLoad_, &imageLoad_, &compareLoad_})
        if (load->running) {
            ++load->stamp; // its result, when it comes, is dropped
            load->running = false;
            cancelled << load->what;
        }
    if (cancelled.isEmpty())
        return;
    encodeAgain_ = false;
    overlayPending_ = false;
    updateLoadIndicator();
    statusBar()->showMessage(tr("Cancelled: %1").arg(cancelled.join(", ")), 6000);
    Q_EMIT loadsCancelled();
}

void MainWindow::updateLoadIndicator()
{
    QStringList running;
    for (const Load* load : {&modelLoad_, &dataLoad_, &encodeLoad_, &imageLoad_, &compareLoad_})
        if (load->running)
            running << load->what;
    const bool loading = !running.isEmpty();
    // Short, so that a long data set spec cannot push the status bar around; all in the tooltip.
    QString text = running.value(0);
    if (text.size() > 60)
        text = text.left(57) + "…";
    if (running.size() > 1)
        text += tr(" (and %n more)", nullptr, int(running.size() - 1));
    loadLabel_->setText(text);
    loadLabel_->setToolTip(running.join("\n"));
    loadLabel_->setVisible(loading);
    loadProgress_->setVisible(loading);
    if (loading)
        loadProgressTimer_->start();
    else
        loadProgressTimer_->stop();
    loadCancel_->setVisible(loading);
    cancelLoadsAction_->setEnabled(loading);
}

void MainWindow::setModel(std::shared_ptr<Model> model, const QString& path)
{
    const bool fromFile = !path.isEmpty();
    const std::shared_ptr<const Model> previous = document_->shownModel();
    const bool newSpace = !previous || previous->config().latentDim != model->config().latentDim;
    document_->setModel(model, path); // the map, the View dock and followShownModel() follow
    if (fromFile) {
        addRecent(path);
        QSettings().setValue(kLastModelKey, path);
        setWindowTitle(tr("LatentLab — %1").arg(QFileInfo(path).fileName()));
        statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 4000);
        if (!isTraining())
            trainingPanel_->showHistory(model->info().history);
        Q_EMIT modelOpened(path);
    }
    if (fromFile && !newSpace)
        applyPlane(); // a new file resets the view even in the same space
    // The overlay: the model's own data set unless one is open with the same image shape.
    const ImageShape shape{model->config().channels, model->config().height, model->config().width};
    const auto data = document_->data();
    if (fromFile)
        clearDatasetOffer(); // another model's suggestion
    if (fromFile && !(data && data->test.shape() == shape) && !model->info().datasetSpec.empty() && !dataLoad_.running)
        openRecordedDataset(QString::fromStdString(model->info().datasetSpec), path);
}

void MainWindow::followShownModel()
{
    const auto model = document_->shownModel();
    if (!model)
        return;
    const bool newSpace = model->config().latentDim != shownLatentDim_;
    shownLatentDim_ = model->config().latentDim;
    if (newSpace)
        applyPlane();
    updateStatus();
    const ImageShape shape{model->config().channels, model->config().height, model->config().width};
    const auto data = document_->data();
    if (data && data->test.shape() == shape)
        encodeOverlay();
}

void MainWindow::setData(std::shared_ptr<const DatasetSplit> data)
{
    clearDatasetOffer();
    document_->setData(data); // the browser, the map's scatter and the picks follow
    trainingPanel_->setDatasetSpec(QString::fromStdString(data->spec));
    statusBar()->showMessage(tr("%1: %2 training and %3 test images. %4")
                                 .arg(QString::fromStdString(data->spec))
                                 .arg(data->train.size())
                                 .arg(data->test.size())
                                 .arg(QString::fromStdString(data->report)),
                             data->report.empty() ? 5000 : 15000);
    encodeOverlay();
}

void MainWindow::encodeOverlay()
{
    const auto model = document_->shownModel();
    const auto overlay = document_->overlay();
    if (!model || !overlay)
        return;
    if (encodeLoad_.running) {
        encodeAgain_ = true; // once the running job ends; never two at a time
        return;
    }
    overlayPending_ = true;
    const quint64 stamp = begin(encodeLoad_, tr("Encoding %1 images…").arg(overlay->size()));
    runLoad(this, [model, overlay, permille = encodeLoad_.permille] {
        Encoded encoded;
        encoded.model = model;
        try {
            auto codes = std::make_shared<LatentCodes>(LatentCodes::encode(
                *model, *overlay, [&](std::size_t done, std::size_t total) { permille->store(int(1000 * done / total)); }));
            if (codes->dim >= 2 && codes->count() >= 3)
                encoded.pca = std::make_shared<const LatentPlane>(LatentPlane::fromPrincipalComponents(*codes));
            encoded.codes = std::move(codes);
        } catch (const std::exception& e) {
            encoded.error = QObject::tr("No overlay: %1").arg(QString::fromUtf8(e.what()));
        }
        return encoded;
    }, [this, stamp, overlay](const Encoded& encoded) {
        if (!finish(encodeLoad_, stamp))
            return; // cancelled
        if (encodeAgain_ || overlay != document_->overlay()) { // a newer model or data set arrived meanwhile
            encodeAgain_ = false;
            encodeOverlay();
            return;
        }
        onEncoded(encoded);
    });
}

void MainWindow::onEncoded(const Encoded& encoded)
{
    overlayPending_ = false;
    if (!encoded.error.isEmpty()) {
        statusBar()->showMessage(encoded.error, 8000);
        document_->setCodes(nullptr, nullptr, encoded.model);
        return;
    }
    document_->setCodes(encoded.codes, encoded.pca, encoded.model);
    if (planeControls_->kind() != PlaneControls::Kind::Dimensions)
        applyPlane();
    if (map_->paintedStamp() == map_->latestStamp() && map_->latestStamp() != 0)
        Q_EMIT viewReady();
}

void MainWindow::applyPlane()
{
    const auto model = document_->shownModel();
    if (!model)
        return;
    const int dim = model->config().latentDim;
    const auto pcaPlane = document_->pcaPlane();
    const auto codes = document_->codes();
    const QList<int> picks = document_->picks();
    try {
        switch (planeControls_->kind()) {
        case PlaneControls::Kind::Dimensions:
            if (dim < 2) {
                statusBar()->showMessage(tr("A one-dimensional latent space has no plane to show"), 5000);
                return;
            }
        {
            // A model with a pose is shown at the pose sliders' pose unless an axis is part of it.
            const LatentPlane plane = LatentPlane::fromDimensions(document_->atPose(std::vector<float>(std::size_t(dim), 0.0f)),
                                                                  planeControls_->dimU(), planeControls_->dimV());
            map_->setPlane(LatentPlane(plane.origin(), plane.u(), plane.v(), planeControls_->dimName(planeControls_->dimU()).toStdString(),
                                       planeControls_->dimName(planeControls_->dimV()).toStdString()),
                           PlaneRange::around(0, 0, 3, 3));
            break;
        }
        case PlaneControls::Kind::Pca:
            if (!pcaPlane || pcaPlane->dim() != dim) {
                statusBar()->showMessage(tr("Principal components appear once the data set is encoded…"), 3000);
                return;
            }
            map_->setPlane(pcaPlane->pinned(document_->pose()), PlaneRange::around(0, 0, 3, 3));
            break;
        case PlaneControls::Kind::ThreeImages: {
            if (picks.size() != 3 || !codes || codes->dim != dim)
                return;
            for (int pick : picks)
                if (pick < 0 || std::size_t(pick) >= codes->count())
                    return;
            map_->setPlane(LatentPlane::throughCodes(codes->codeVector(std::size_t(picks[0])),
                                                     codes->codeVector(std::size_t(picks[1])),
                                                     codes->codeVector(std::size_t(picks[2])))
                               .pinned(document_->pose()),
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
    document_->pick(index);
    const QList<int> picks = document_->picks();
    for (int slot = 0; slot < picks.size() && slot < 2; ++slot)
        useAsEndpoint(slot, picks[slot]);
}

void MainWindow::showCorruptedInputs(bool on)
{
    inspector_->corruptedToggle()->setChecked(on);
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
    const auto codes = document_->modelCodes();
    const auto overlay = document_->overlay();
    if (!codes || !overlay || index < 0 || std::size_t(index) >= codes->count() || std::size_t(index) >= overlay->size())
        return;
    const QImage image = ImageConversion::toQImage(Image::fromPlanarBytes(overlay->image(std::size_t(index)),
                                                                          overlay->shape()));
    morph_->setEndpoint(slot, image, codes->codeVector(std::size_t(index)), QString("#%1").arg(index));
}

void MainWindow::openImageFile(const QString& path)
{
    const auto model = std::shared_ptr<const Model>(document_->model());
    if (!model) {
        showError(tr("Cannot open the image"), tr("Open or train a model first: the image is encoded with it."));
        return;
    }
    struct Encoded {
        Image image;
        std::vector<float> code;
        QString error;
        QString notice;
    };
    // Read, resize, encode and place among the data off the GUI thread.
    const quint64 stamp = begin(imageLoad_, tr("Reading %1…").arg(QFileInfo(path).fileName()));
    runLoad(this, [model, path, overlay = document_->overlay()] {
        Encoded encoded;
        try {
            encoded.image = ImageIO::read(path.toStdString(), model->config().height, model->config().channels);
            encoded.code = model->encodeImage(encoded.image);
            encoded.notice = unlikeNotice(*model, encoded.image, overlay.get());
        } catch (const std::exception& e) {
            encoded.error = QString::fromUtf8(e.what());
        }
        return encoded;
    }, [this, stamp, path](const Encoded& encoded) {
        if (!finish(imageLoad_, stamp))
            return;
        if (!encoded.error.isEmpty()) {
            showError(tr("Cannot open the image"), namingTheFile(encoded.error, path));
            return;
        }
        document_->selectImage(ImageConversion::toQImage(encoded.image), encoded.code, QFileInfo(path).fileName());
        inspector_->setNotice(encoded.notice);
    });
}

// The overlay's image `index` as a denoising (or colourising) model was trained to take it
// in, its corruption drawn from the index, inspected next to the model's restoration.
void MainWindow::inspectCorrupted(int index)
{
    const std::shared_ptr<const Model> model = document_->model();
    const std::shared_ptr<const Dataset> overlay = document_->overlay();
    if (!model || !model->config().corruption.active() || !overlay || index < 0 || std::size_t(index) >= overlay->size())
        return;
    corruptedIndex_ = index;
    const int imageClass = overlay->hasLabels() && model->config().conditionClasses > 0 ? overlay->labels()[std::size_t(index)] : 0;
    struct Corrupted {
        Image image;
        std::vector<float> code;
        QString error;
    };
    const quint64 stamp = begin(imageLoad_, tr("Corrupting image %1…").arg(index));
    runLoad(this, [model, overlay, index, imageClass] {
        Corrupted c;
        try {
            c.image = Restoration::corrupted(Image::fromPlanarBytes(overlay->image(std::size_t(index)), overlay->shape()),
                                             model->config().corruption, std::uint64_t(index) + 1);
            c.code = model->encodeImage(c.image, imageClass);
        } catch (const std::exception& e) {
            c.error = QString::fromUtf8(e.what());
        }
        return c;
    }, [this, stamp, index, text = QString::fromStdString(model->config().corruption.text())](const Corrupted& c) {
        if (!finish(imageLoad_, stamp))
            return;
        if (!c.error.isEmpty()) {
            statusBar()->showMessage(c.error, 8000);
            return;
        }
        document_->selectImage(ImageConversion::toQImage(c.image), c.code, tr("image %1, %2").arg(index).arg(text));
    });
}

QString MainWindow::trainingFilePath(const std::string& datasetSpec, const ModelConfig& config)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    // e.g. fashion-mnist-mlp-2d.latentlab: the first-run model is defaultModelPath().
    QString name = QString::fromStdString(datasetSpec);
    name.replace(QRegularExpression("[^A-Za-z0-9_-]+"), "_");
    name = name.right(40) + QString("-%1-%2d%3")
                                .arg(QString::fromStdString(config.architecture))
                                .arg(config.latentDim)
                                .arg(config.variational ? "" : "-ae");
    return QDir(dir).filePath(name + ".latentlab");
}

void MainWindow::startTraining()
{
    if (isTraining())
        return;
    TrainingRequest request = trainingPanel_->request();
    trainingSavePath_ = trainingFilePath(request.datasetSpec, request.model);
    continuing_ = false;
    request.savePath = trainingSavePath_.toStdString();
    trainingPanel_->trainingStarted();
    ++modelLoad_.stamp; // a model still loading would replace what training shows
    modelLoad_.running = false;
    updateLoadIndicator();
    trainer_->train(request);
}

void MainWindow::continueTraining()
{
    if (isTraining())
        return;
    const std::shared_ptr<Model> model = document_->model();
    if (!model) {
        showError(tr("Nothing to continue"), tr("Open or train a model first, then continue training it."));
        return;
    }
    // The dock's epochs, batch size, learning rate, device and threads; the model's own
    // family, sizes and data set. The window's data is reused when it is that data set.
    TrainingRequest request = trainingPanel_->request();
    request.datasetSpec.clear();
    const std::shared_ptr<const DatasetSplit> data = document_->data();
    const ModelConfig& c = model->config();
    const bool ownData = data && data->spec == model->info().datasetSpec
                         && data->train.shape() == ImageShape{c.channels, c.height, c.width};
    continuing_ = true;
    continuedPath_ = document_->modelPath();
    trainingSavePath_ = continuedPath_.isEmpty() ? trainingFilePath(model->info().datasetSpec, c) : continuedPath_;
    request.savePath = trainingSavePath_.toStdString();
    trainingPanel_->trainingStarted(true);
    ++modelLoad_.stamp; // a model still loading would replace what training shows
    modelLoad_.running = false;
    updateLoadIndicator();
    trainer_->train(request, ownData ? data : nullptr, model->clone());
}

bool MainWindow::isTraining() const
{
    return trainer_->isRunning();
}

void MainWindow::trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<Model> model,
                                  bool saved)
{
    QString text = message;
    if (saved)
        text += tr("; best test loss %1, saved to %2")
                    .arg(model->info().history.back().testLoss, 0, 'f', 2)
                    .arg(QDir::toNativeSeparators(trainingSavePath_));
    else if (continuing_ && !model->info().history.empty())
        text += tr("; no epoch beat the model's test loss of %1, so it is kept as it was")
                    .arg(model->info().history.back().testLoss, 0, 'f', 2);
    trainingPanel_->trainingEnded(text);
    if (outcome == "diverged")
        showError(tr("Training diverged"), message);
    // Not saved and continued: the model is still the one in its own file, if it has one.
    setModel(model, saved ? trainingSavePath_ : continuing_ ? continuedPath_ : QString());
}

void MainWindow::saveModelAs()
{
    if (isTraining() || !document_->model()) {
        saveModelAs(QString()); // says why not
        return;
    }
    // An opened TorchScript model is saved as TorchScript (its network is the script).
    const QString filter = document_->model()->info().importedFrom.empty() ? tr("LatentLab models (*.latentlab)")
                                                                           : tr("TorchScript models (*.pt)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Model As"), modelPath(), filter);
    if (!path.isEmpty())
        saveModelAs(path);
}

void MainWindow::saveModelAs(const QString& path)
{
    if (isTraining()) {
        showError(tr("Training is running"), tr("Training writes the best model so far to %1; save it as "
                                               "another file once training ends.").arg(trainingSavePath_));
        return;
    }
    if (!document_->model()) {
        showError(tr("Nothing to save"), tr("Open or train a model first."));
        return;
    }
    if (path.isEmpty())
        return;
    // The path, the recent list and the last model follow once the file is written
    // (ExplorerDocument::saved); until then edits still go to the old file.
    saveAsPath_ = path;
    document_->save(path);
}

void MainWindow::savedAs(const QString& path)
{
    saveAsPath_.clear();
    // From now on edits (attribute vectors) go to the new file.
    document_->setModelPath(path);
    addRecent(path);
    QSettings().setValue(kLastModelKey, path);
    setWindowTitle(tr("LatentLab — %1").arg(QFileInfo(path).fileName()));
}

void MainWindow::forgetRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    if (recent.removeAll(QFileInfo(path).absoluteFilePath()) == 0)
        return;
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

QString MainWindow::namingTheFile(const QString& message, const QString& file)
{
    return message.contains(file) ? message : file + ": " + message;
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
    if (const auto model = document_->shownModel()) {
        const ModelConfig& c = model->config();
        const ModelFamily& family = ModelRegistry::find(c.architecture);
        const QString name = QString::fromStdString(c.variational ? family.title : family.autoencoderTitle);
        modelLabel_->setText(tr("%1%2, %3-D latent, %4x%5")
                                 .arg(name)
                                 .arg(c.conditionClasses > 0 ? tr(", conditional (%1 classes)").arg(c.conditionClasses)
                                                             : QString())
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
