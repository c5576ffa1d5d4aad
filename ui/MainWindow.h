#pragma once
// The explorer's window: the latent map in the middle, the View and Training docks,
// File menu (models, data sets, recent models), drag and drop of model files.
// Everything heavy (loading, encoding, training, decoding) runs off the GUI thread.
#include <QFutureWatcher>
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
    // Picks image `index` of the overlay: selects it and makes it a morph endpoint.
    void pickImage(int index);
    void useAsEndpoint(int slot, int index);
    void raiseDock(const QString& objectName);

    // The per-user file the first-run model is saved to and opened from.
    static QString defaultModelPath();

    LatentMapView* mapView() const { return map_; }
    EditSession* editSession() const { return session_; }
    InspectorPanel* inspector() const { return inspector_; }
    MorphPanel* morphPanel() const { return morph_; }
    AttributesPanel* attributesPanel() const { return attributes_; }
    DatasetBrowser* browser() const { return browser_; }
    PlaneControls* planeControls() const { return planeControls_; }
    TrainingPanel* trainingPanel() const { return trainingPanel_; }
    TrainingWorker* trainingWorker() const { return trainer_.get(); }
    std::shared_ptr<const Model> model() const { return model_; }
    QString modelPath() const { return modelPath_; }
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
        quint64 stamp = 0;
        std::shared_ptr<const LatentCodes> codes;
        std::shared_ptr<LatentPlane> pca;
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
    // A model to explore and edit (opened, or trained to the end).
    void setModel(std::shared_ptr<Model> model, const QString& path);
    // A snapshot of the weights while training: the map and overlay follow it.
    void showModel(std::shared_ptr<const Model> model);
    void openImageFile(const QString& path);
    void setData(std::shared_ptr<const DatasetSplit> data);
    void encodeOverlay();
    void applyPlane();
    void updateSelectionText();
    void showError(const QString& title, const QString& message);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void saveModelAs();
    void updateStatus();
    void trainingFinished(const QString& outcome, const QString& message, std::shared_ptr<Model> model);

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

    std::shared_ptr<const Model> model_;       // the model shown (a snapshot while training)
    QString modelPath_;
    QString pendingModelPath_;
    std::shared_ptr<const DatasetSplit> data_;
    std::shared_ptr<const Dataset> overlayData_; // the test split, shown as the scatter
    std::shared_ptr<const LatentCodes> codes_;
    std::shared_ptr<LatentPlane> pcaPlane_;
    QList<int> picks_;
    QString trainingSavePath_;

    QFutureWatcher<LoadedModel> modelWatcher_;
    QFutureWatcher<LoadedData> dataWatcher_;
    QFutureWatcher<Encoded> encodeWatcher_;
    quint64 encodeStamp_ = 0;
    bool encodeAgain_ = false;
    bool overlayPending_ = false;
};

} // namespace latentlab
