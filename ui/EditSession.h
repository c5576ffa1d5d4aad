#pragma once
// The editing state of the inspected image, on top of an ExplorerDocument: offsets
// along latent dimensions (or principal components), attribute strengths and which
// vectors are orthogonalised, and the decodes they call for (reconstruction, edited,
// and for conditional models the edited code in every class). The model, data,
// codes, selection, class and attribute vectors stay in the document; the accessors
// below that read them are for the panels that take a session. Decodes go through a
// CodeDecoder; the GUI thread only does vector arithmetic on codes.
#include <QImage>
#include <QMap>
#include <QObject>
#include <QSet>

#include <memory>
#include <vector>

#include "core/data/Dataset.h"
#include "core/latent/AttributeHold.h"
#include "core/latent/AttributeMath.h"
#include "core/latent/LatentCodes.h"
#include "core/model/Model.h"

namespace latentlab {

class CodeDecoder;
class ExplorerDocument;

class EditSession : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxSliders = 16;

    explicit EditSession(ExplorerDocument* document, QObject* parent = nullptr);
    ~EditSession() override;

    ExplorerDocument* document() const { return document_; }
    // Read from the document.
    std::shared_ptr<Model> model() const;
    std::shared_ptr<const Dataset> data() const;        // the overlay
    std::shared_ptr<const LatentCodes> codes() const;   // the overlay's codes under model()
    void selectIndex(int index);
    bool hasSelection() const;
    int selectedIndex() const;
    QString selectionName() const;
    const std::vector<float>& baseCode() const;
    QImage original() const;
    int conditionClass() const;
    void setConditionClass(int conditionClass);
    bool isConditional() const;

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
    // Whether edits with attribute vectors hold the other known attributes as the decoder
    // draws them (AttributeHold). On by default.
    bool holdsOthers() const { return holdsOthers_; }
    void setHoldsOthers(bool on);
    // The vector as applied: orthogonalised against the model's others when asked.
    std::vector<float> appliedVector(const QString& name) const;

    // base + slider offsets + attribute strengths.
    std::vector<float> editedCode() const;
    // The newest decode of editedCode() (what editedReady last gave); null before the first.
    QImage editedImage() const { return editedImage_; }
    // For a model with a pose (the rVAE): the inspected image's inferred pose, "angle 12.3°,
    // shift (1.2, -0.4) px"; empty for other models.
    QString poseText() const;

    // Quality figures of a vector: with the groups it was made from, Cohen's d and the
    // separation accuracy; always its norm and cosines with the others.
    QString qualityText(const QString& name, const AttributeGroups& groups) const;

Q_SIGNALS:
    void reconstructionReady(const QImage& image);
    // A model with a pose: the reconstruction at the document's pose (upright and centred
    // unless the pose sliders moved), the canonical image.
    void canonicalReady(const QImage& image);
    void editedReady(const QImage& image);
    void classesReady(const QList<QImage>& images); // conditional models: the edited code in each class
    void slidersChanged();
    void strengthsChanged();
    // A decode of the inspected image failed; the message says why.
    void decodeFailed(const QString& message);

private:
    void onModelChanged();
    void onSelectionChanged();
    void onAttributesChanged();
    void rebuildSliders();
    void requestEdited();
    void requestReconstruction();
    quint64 decode(const QString& channel, std::vector<float> codes, std::vector<int> classes,
                   void (EditSession::*ready)(const QList<QImage>&), std::vector<HeldAttribute> hold = {});
    // The known attributes for a held edit: empty when nothing is held.
    std::vector<HeldAttribute> heldAttributes() const;
    void emitReconstruction(const QList<QImage>& images);
    void emitEdited(const QList<QImage>& images);
    void emitClasses(const QList<QImage>& images);

    ExplorerDocument* const document_;
    std::unique_ptr<CodeDecoder> decoder_;
    std::vector<std::vector<float>> basis_;
    QStringList basisNames_;
    int basisDim_ = 0;
    std::vector<double> offsets_;
    QMap<QString, double> strengths_;
    QSet<QString> orthogonalised_;
    bool holdsOthers_ = true;
    QImage editedImage_;
    QMap<QString, quint64> latestStamps_; // per channel: older results are dropped
};

} // namespace latentlab
