#pragma once
// The explorer's window: the latent map in the middle, the View and Training docks,
// File menu (models, data sets, recent models), drag and drop of model files.
// Everything heavy (loading, encoding, training, decoding) runs off the GUI thread and
// lands in the ExplorerDocument, which the panels and the map follow. A load that a
// newer one superseded is ignored by its stamp: the window never waits for one.
#include <QMainWindow>

#include <memory>

#include "core/data/DatasetLoader.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"

class QLabel;
class QMenu;

namespace latentlab {

class AttributesPanel;
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
    void openModel(const QString& path);
    void openDataset(const QString& spec);
    void startTraining();
    // Trains the open model further (its optimiser state included), into its own file.
    void continueTraining();
    // Picks image `index` of the overlay: selects it and makes it a morph endpoint.
    void pickImage(int index);
    void useAsEndpoint(int slot, int index);
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
    };
    struct LoadedData {
        std::shared_ptr<const DatasetSplit> data;
        QString error;
    };

    void createMenus();
    void createDocks();
    void sizeDocksForTheMap();
    // A model to explore and edit (opened, or trained to the end).
    void setModel(std::shared_ptr<Model> model, const QString& path);
    // The document's shown model changed (opened, trained, or a training snapshot).
    void followShownModel();
    void openImageFile(const QString& path);
    void setData(std::shared_ptr<const DatasetSplit> data);
    void encodeOverlay();
    void onEncoded(const Encoded& encoded);
    void applyPlane();
    void showError(const QString& title, const QString& message);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void saveModelAs();
    void updateStatus();
    void trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<Model> model, bool saved);

    // Declared first, destroyed last: the panels and the map refer to it.
    const std::unique_ptr<ExplorerDocument> document_;
    LatentMapView* map_;
    EditSession* session_;
    PlaneControls* planeControls_;
    TrainingPanel* trainingPanel_;
    InspectorPanel* inspector_;
    MorphPanel* morph_;
    AttributesPanel* attributes_;
    DatasetBrowser* browser_;
    std::unique_ptr<TrainingWorker> trainer_;
    QMenu* recentMenu_ = nullptr;
    QLabel* modelLabel_;
    QLabel* deviceLabel_;
    QLabel* decodeLabel_;

    QString trainingSavePath_;
    bool continuing_ = false;     // the run trains the open model further
    QString continuedPath_;       // that model's file, if it has one
    int shownLatentDim_ = 0; // of the shown model: a new latent space resets the plane

    // Stamps of the newest model and data set loads; a result with an older stamp is
    // dropped. 0 in the *InFlight_ ones: none running.
    quint64 modelStamp_ = 0, dataStamp_ = 0;
    quint64 dataInFlight_ = 0;
    // One encode at a time (it uses every core); a newer model or data set while it
    // runs encodes again once it ends.
    bool encoding_ = false;
    bool encodeAgain_ = false;
    bool overlayPending_ = false;
};

} // namespace latentlab
