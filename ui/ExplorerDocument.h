#pragma once
// What the window explores, in one place (after Tiled's MapDocument): the model and
// its file, the data split and the overlay shown on the map, the overlay's codes and
// principal-component plane, the selection (the inspected image and the map's picks
// A, B, C), the class a conditional model decodes, and the model's attribute vectors.
// Panels and the map read it and follow its change signals; MainWindow only loads
// things into it. It does no heavy work on the GUI thread: encoding and decoding
// happen elsewhere, and saving runs in the background.
#include <QImage>
#include <QList>
#include <QObject>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/data/Dataset.h"
#include "core/data/DatasetLoader.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"

namespace latentlab {

class ExplorerDocument : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxPicks = 3;

    explicit ExplorerDocument(QObject* parent = nullptr);
    ~ExplorerDocument() override;

    // The model explored and edited (opened, or trained to the end) and the file its
    // attribute edits are saved to (empty: nowhere).
    void setModel(std::shared_ptr<Model> model, const QString& path = {});
    std::shared_ptr<Model> model() const { return model_; }
    QString modelPath() const { return modelPath_; }
    void setModelPath(const QString& path);
    // The weights the map shows: a training snapshot while training, else model().
    void showSnapshot(std::shared_ptr<const Model> snapshot);
    std::shared_ptr<const Model> shownModel() const { return shownModel_; }

    // The data set; its test split becomes the overlay.
    void setData(std::shared_ptr<const DatasetSplit> data);
    std::shared_ptr<const DatasetSplit> data() const { return data_; }
    // The images shown as the map's scatter and browsed, selected and edited.
    void setOverlay(std::shared_ptr<const Dataset> overlay);
    std::shared_ptr<const Dataset> overlay() const { return overlay_; }

    // The overlay encoded by `encodedBy` (null: the model()), with its PCA plane if any.
    void setCodes(std::shared_ptr<const LatentCodes> codes, std::shared_ptr<const LatentPlane> pca = nullptr,
                  std::shared_ptr<const Model> encodedBy = nullptr);
    std::shared_ptr<const LatentCodes> codes() const { return codes_; }
    std::shared_ptr<const LatentPlane> pcaPlane() const { return pcaPlane_; }
    // The codes if they belong to model() (not to a training snapshot): what edits use.
    std::shared_ptr<const LatentCodes> modelCodes() const;

    // The inspected image: one of the overlay, or any image with its code (a dropped file).
    void selectIndex(int index);
    void selectImage(const QImage& original, std::vector<float> code, const QString& name);
    bool hasSelection() const { return !baseCode_.empty(); }
    int selectedIndex() const { return selectedIndex_; }
    QString selectionName() const { return selectionName_; }
    const std::vector<float>& baseCode() const { return baseCode_; }
    QImage original() const { return original_; }
    // "#12 Sneaker": an overlay image's index and label.
    QString imageName(int index) const;

    // The map's picks A, B, C (newest last): picking also inspects the image.
    void pick(int index);
    void clearPicks();
    QList<int> picks() const { return picks_; }

    void setConditionClass(int conditionClass);
    int conditionClass() const { return conditionClass_; }
    // The pose the map and the inspector's canonical view decode at, for a model whose code
    // starts with one (the rVAE: angle in radians, dx, dy in the code's units); empty for
    // other models. Upright and centred (zeros) whenever the shown model's pose size changes.
    const std::vector<float>& pose() const { return pose_; }
    void setPose(std::vector<float> pose);
    // What the map's overlay is coloured by: a ScatterColouring choice (the label, a factor
    // or an attribute of the overlay, by name).
    QString colourBy() const { return colourBy_; }
    void setColourBy(const QString& choice);
    // A code's pose as people read it, "angle 12.3°, shift (1.2, -0.4) px"; empty when the
    // shown model's code has no angle and shift.
    QString describePose(const std::vector<float>& code) const;
    // `code` with its pose values replaced by pose().
    std::vector<float> atPose(std::vector<float> code) const;
    bool isConditional() const { return model_ && model_->config().conditionClasses > 0; }

    // Attribute vectors live in the model; every change is saved to modelPath() in the background.
    QStringList attributeNames() const;
    void addAttribute(AttributeVector vector);
    void removeAttribute(const QString& name);
    void renameAttribute(const QString& from, const QString& to);
    // Writes a copy of the model in the background; `saved` or `saveFailed` follows,
    // naming `path`.
    void save(const QString& path);

Q_SIGNALS:
    void modelChanged();
    void shownModelChanged();
    void dataChanged();    // the split and with it the overlay
    void overlayChanged();
    void codesChanged();
    void selectionChanged();
    void picksChanged();
    void conditionClassChanged(int conditionClass);
    void poseChanged();
    void colourByChanged(const QString& choice);
    void attributesChanged();
    void attributeRenamed(const QString& from, const QString& to);
    void saved(const QString& path);
    void saveFailed(const QString& path, const QString& message);

private:
    void select(const QImage& original, std::vector<float> code, const QString& name, int index);
    void clearSelection();

    std::shared_ptr<Model> model_;
    QString modelPath_;
    std::shared_ptr<const Model> shownModel_;
    std::shared_ptr<const DatasetSplit> data_;
    std::shared_ptr<const Dataset> overlay_;
    std::shared_ptr<const LatentCodes> codes_;
    std::shared_ptr<const LatentPlane> pcaPlane_;
    std::shared_ptr<const Model> codesModel_;
    int selectedIndex_ = -1;
    QString selectionName_;
    QImage original_;
    std::vector<float> baseCode_;
    QList<int> picks_;
    int conditionClass_ = 0;
    std::vector<float> pose_;
    QString colourBy_;

    struct SaveState {
        std::mutex mutex;
        std::map<QString, quint64> written; // per file: the newest save written to it
    };
    std::shared_ptr<SaveState> saveState_ = std::make_shared<SaveState>();
    quint64 saveSequence_ = 0;
};

} // namespace latentlab
