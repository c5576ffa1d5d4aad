#pragma once
// What the editing docks share: the model being edited (its attribute vectors live in
// it), the encoded data set, the selected image and its edits (offsets along latent
// dimensions or principal components, attribute strengths). Decodes go through a
// CodeDecodeWorker; the GUI thread only does vector arithmetic on codes.
#include <QImage>
#include <QMap>
#include <QObject>
#include <QSet>

#include <memory>
#include <mutex>
#include <vector>

#include "core/latent/AttributeMath.h"
#include "core/data/Dataset.h"
#include "core/latent/LatentCodes.h"
#include "core/model/Model.h"

namespace latentlab {

class CodeDecodeWorker;

class EditSession : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxSliders = 16;

    explicit EditSession(QObject* parent = nullptr);
    ~EditSession() override;

    void setModel(std::shared_ptr<Model> model);
    std::shared_ptr<Model> model() const { return model_; }
    // The encoded images that selections, neighbours and new vectors refer to.
    void setCodes(std::shared_ptr<const Dataset> data, std::shared_ptr<const LatentCodes> codes);
    std::shared_ptr<const Dataset> data() const { return data_; }
    std::shared_ptr<const LatentCodes> codes() const { return codes_; }

    // Selects image `index` of the data set, or an image with its code (a dropped file).
    void selectIndex(int index);
    void selectImage(const QImage& original, std::vector<float> code, const QString& name);
    bool hasSelection() const { return !baseCode_.empty(); }
    int selectedIndex() const { return selectedIndex_; }
    QString selectionName() const { return selectionName_; }
    const std::vector<float>& baseCode() const { return baseCode_; }
    QImage original() const { return original_; }

    // The inspector's sliders: latent dimensions, or the top principal components when
    // there are more than kMaxSliders dimensions.
    int sliderCount() const { return int(basis_.size()); }
    QString sliderName(int i) const;
    double sliderOffset(int i) const { return offsets_[std::size_t(i)]; }
    void setSliderOffset(int i, double value);
    void resetEdits();

    // Attribute strengths and orthogonalisation, by vector name.
    double strength(const QString& name) const { return strengths_.value(name, 0.0); }
    void setStrength(const QString& name, double alpha);
    bool isOrthogonalised(const QString& name) const { return orthogonalised_.contains(name); }
    void setOrthogonalised(const QString& name, bool on);
    // The vector as applied: orthogonalised against the model's others when asked.
    std::vector<float> appliedVector(const QString& name) const;

    // Conditional models: the class edits are decoded in (the map's), while the
    // reconstruction keeps the selected image's own label. classesReady then shows the
    // edited code in every class: one style, every class.
    void setConditionClass(int conditionClass);
    int conditionClass() const { return conditionClass_; }
    bool isConditional() const { return model_ && model_->config().conditionClasses > 0; }

    // base + slider offsets + attribute strengths.
    std::vector<float> editedCode() const;

    // Attribute vectors of the model; every change is saved to `savePath` in the background.
    void addAttribute(const QString& name, std::vector<float> direction);
    void removeAttribute(const QString& name);
    void renameAttribute(const QString& from, const QString& to);
    QStringList attributeNames() const;
    void setSavePath(const QString& path) { savePath_ = path; }
    QString savePath() const { return savePath_; }
    // Writes a copy of the model in the background; `saved` or `saveFailed` follows.
    void save(const QString& path);
    // Quality figures of a vector: with the groups it was made from, Cohen's d and the
    // separation accuracy; always its norm and cosines with the others.
    QString qualityText(const QString& name, const AttributeGroups& groups) const;

    CodeDecodeWorker* decoder() const { return decoder_.get(); }

Q_SIGNALS:
    void dataChanged();
    void selectionChanged();
    void reconstructionReady(const QImage& image);
    void editedReady(const QImage& image);
    void classesReady(const QList<QImage>& images); // conditional models: the edited code in each class
    void conditionClassChanged(int conditionClass);
    void slidersChanged();
    void attributesChanged();
    void saved(const QString& path);
    void saveFailed(const QString& message);

private:
    void select(const QImage& original, std::vector<float> code, const QString& name, int index);
    void rebuildSliders();
    void requestEdited();
    void requestReconstruction();

    std::unique_ptr<CodeDecodeWorker> decoder_;
    std::shared_ptr<Model> model_;
    std::shared_ptr<const Dataset> data_;
    std::shared_ptr<const LatentCodes> codes_;
    int selectedIndex_ = -1;
    QString selectionName_;
    QImage original_;
    std::vector<float> baseCode_;
    std::vector<std::vector<float>> basis_;
    QStringList basisNames_;
    std::vector<double> offsets_;
    QMap<QString, double> strengths_;
    QSet<QString> orthogonalised_;
    QString savePath_;
    struct SaveState {
        std::mutex mutex;
        quint64 written = 0;
    };
    std::shared_ptr<SaveState> saveState_ = std::make_shared<SaveState>();
    quint64 saveSequence_ = 0;
    quint64 editedStamp_ = 0;
    quint64 reconstructionStamp_ = 0;
    quint64 classesStamp_ = 0;
    int conditionClass_ = 0;
};

} // namespace latentlab
