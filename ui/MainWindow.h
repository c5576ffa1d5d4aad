#pragma once
// The explorer's window: the latent map in the middle, the View and Training docks,
// File menu (models, data sets, recent models), drag and drop of model files.
// Everything heavy (loading, encoding, training, decoding) runs off the GUI thread and
// lands in the ExplorerDocument, which the panels and the map follow. Loads (model
// files, data sets, encodes, dropped images) run on BackgroundLoads' pool; one that a
// newer one superseded or that the person cancelled (Esc, or the status bar's Cancel)
// is dropped by its stamp when it ends: the window never waits for one, not even to close.
#include <QMainWindow>

#include <atomic>
#include <memory>
#include <optional>

#include "core/data/DatasetLoader.h"
#include "core/formats/ScriptDescription.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QTimer;
class QToolButton;

namespace latentlab {

class AttributesPanel;
class ComparePanel;
class DatasetBrowser;
class EditSession;
class ExplorerDocument;
class InspectorPanel;
class LatentMapView;
class MorphPanel;
class PlaneControls;
class TrainingPanel;
class TrainingWorker;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    struct StartOptions {
        QString modelPath;          // empty: the last model, else train the default one
        QString datasetSpec;        // overrides the model's data set for the overlay
        bool trainIfNoModel = true;
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void start(const StartOptions& options);
    // Both load in the background; a failure shows a message and keeps what was there.
    // A TorchScript file without a description asks for one (ScriptDescriptionDialog);
    // `given` is that answer, and it is then kept beside the file.
    void openModel(const QString& path, const std::optional<ScriptDescription>& given = std::nullopt);
    void openDataset(const QString& spec);
    // A second model for the Compare dock, loaded in the background; refused with a message
    // when its images differ from the explored model's in size or channels.
    void openCompareModel(const QString& path);
    // The data set recorded in the model file `recordedIn`: a suggestion, loaded only
    // when DatasetLoader::isSafeToLoadUnasked says it is bounded; otherwise the status
    // bar and the Data Set dock say why and offer to load it (offeredDataset()).
    void openRecordedDataset(const QString& spec, const QString& recordedIn);
    QString offeredDataset() const;
    // Drops every load in flight (model, data set, encode, image): what was open stays.
    void cancelLoads();
    bool isLoading() const;
    // Writes the model to `path` in the background; only once that succeeded do the
    // window's path, the recent list and the last-model setting follow.
    void saveModelAs(const QString& path);
    void startTraining();
    // Trains the open model further (its optimiser state included), into its own file.
    void continueTraining();
    // Picks image `index` of the overlay: selects it and makes it a morph endpoint.
    void pickImage(int index);
    void useAsEndpoint(int slot, int index);
    // A denoising or colourising model: the Inspector shows picked test images corrupted as
    // the model was trained, next to their restorations (its toggle).
    void showCorruptedInputs(bool on);
    void raiseDock(const QString& objectName);

    // The per-user file the first-run model is saved to and opened from.
    static QString defaultModelPath();
    // Where training a model of this config on this data set writes it.
    static QString trainingFilePath(const std::string& datasetSpec, const ModelConfig& config);

    ExplorerDocument* document() const { return document_.get(); }
    LatentMapView* mapView() const { return map_; }
    EditSession* editSession() const { return session_; }
    InspectorPanel* inspector() const { return inspector_; }
    MorphPanel* morphPanel() const { return morph_; }
    ComparePanel* comparePanel() const { return compare_; }
    AttributesPanel* attributesPanel() const { return attributes_; }
    DatasetBrowser* browser() const { return browser_; }
    PlaneControls* planeControls() const { return planeControls_; }
    TrainingPanel* trainingPanel() const { return trainingPanel_; }
    TrainingWorker* trainingWorker() const { return trainer_.get(); }
    std::shared_ptr<const Model> model() const; // the one shown: a snapshot while training
    QString modelPath() const;
    bool isTraining() const;

Q_SIGNALS:
    void modelOpened(const QString& path);
    void errorShown(const QString& message);
    void loadsCancelled();
    // The map shows a complete frame of the newest request (and the overlay, once its
    // data is encoded): what --screenshot waits for.
    void viewReady();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    struct Encoded {
        std::shared_ptr<const Model> model; // what encoded the codes
        std::shared_ptr<const LatentCodes> codes;
        std::shared_ptr<const LatentPlane> pca;
        QString error;
    };
    struct LoadedModel {
        std::shared_ptr<Model> model;
        QString error;
        bool undescribed = false; // a TorchScript file that does not say its image shape
    };
    struct LoadedData {
        std::shared_ptr<const DatasetSplit> data;
        QString error;
        QString notLoadedWhy; // a recorded data set not safe to load unasked
    };
    void startDatasetLoad(const QString& spec, const QString& recordedIn);
    void offerDataset(const QString& spec, const QString& recordedIn, const QString& why);
    void clearDatasetOffer();

    void createMenus();
    void chooseCompareModel(); // asks for the file
    void createDocks();
    void sizeDocksForTheMap();
    // A model to explore and edit (opened, or trained to the end).
    void setModel(std::shared_ptr<Model> model, const QString& path);
    // The document's shown model changed (opened, trained, or a training snapshot).
    void followShownModel();
    void openImageFile(const QString& path);
    void inspectCorrupted(int index);
    void setData(std::shared_ptr<const DatasetSplit> data);
    void encodeOverlay();
    void onEncoded(const Encoded& encoded);
    void applyPlane();
    void showError(const QString& title, const QString& message);
    void addRecent(const QString& path);
    void forgetRecent(const QString& path); // a file that has gone
    void savedAs(const QString& path);
    // The message, beginning with the file (or data set) unless it names it already.
    static QString namingTheFile(const QString& message, const QString& file);
    void rebuildRecentMenu();
    void saveModelAs();
    void updateStatus();
    void updateLoadIndicator();
    void trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<Model> model, bool saved);

    // Declared first, destroyed last: the panels and the map refer to it.
    const std::unique_ptr<ExplorerDocument> document_;
    LatentMapView* map_;
    EditSession* session_;
    PlaneControls* planeControls_;
    TrainingPanel* trainingPanel_;
    InspectorPanel* inspector_;
    MorphPanel* morph_;
    ComparePanel* compare_;
    AttributesPanel* attributes_;
    DatasetBrowser* browser_;
    std::unique_ptr<TrainingWorker> trainer_;
    QMenu* recentMenu_ = nullptr;
    QLabel* modelLabel_;
    QLabel* deviceLabel_;
    QLabel* decodeLabel_;
    QLabel* loadLabel_;
    QProgressBar* loadProgress_;
    QTimer* loadProgressTimer_; // polls the running loads' permille
    QToolButton* loadCancel_;
    QAction* cancelLoadsAction_ = nullptr;
    QAction* loadOfferedAction_ = nullptr;

    QString trainingSavePath_;
    bool continuing_ = false;     // the run trains the open model further
    QString continuedPath_;       // that model's file, if it has one
    int shownLatentDim_ = 0; // of the shown model: a new latent space resets the plane

    // A kind of load: its newest stamp (a result with another one is dropped) and
    // whether that one still runs, with what the status bar says about it.
    struct Load {
        quint64 stamp = 0;
        bool running = false;
        QString what;
        // Thousandths done, written by the job that reports its progress (-1: it does not);
        // a new one per begin(), so that a cancelled job writes to its own.
        std::shared_ptr<std::atomic<int>> permille;
    };
    quint64 begin(Load& load, const QString& what);
    bool finish(Load& load, quint64 stamp); // false: a stale result, to drop
    Load modelLoad_, dataLoad_, encodeLoad_, imageLoad_, compareLoad_;
    // One encode at a time (it uses every core); a newer model or data set while it
    // runs encodes again once it ends.
    bool encodeAgain_ = false;
    bool overlayPending_ = false;
    QString saveAsPath_; // a Save As in flight
    bool corruptedView_ = false; // the inspector shows picked images corrupted
    int corruptedIndex_ = -1;    // the overlay image shown corrupted last
};

} // namespace latentlab
