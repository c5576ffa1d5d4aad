#include "ui/ExplorerDocument.h"

#include <algorithm>
#include <cmath>

#include "core/formats/ModelFile.h"
#include "core/latent/AttributeMath.h"
#include "models/ModelRegistry.h"
#include "ui/BackgroundTask.h"
#include "ui/ImageConversion.h"

namespace latentlab {

ExplorerDocument::ExplorerDocument(QObject* parent) : QObject(parent) {}

ExplorerDocument::~ExplorerDocument() = default;

void ExplorerDocument::setModel(std::shared_ptr<Model> model, const QString& path)
{
    const bool sameSpace = model_ && model && model_->config().latentDim == model->config().latentDim;
    model_ = std::move(model);
    modelPath_ = path;
    if (!sameSpace) {
        clearSelection();
        clearPicks();
    }
    Q_EMIT modelChanged();
    Q_EMIT attributesChanged();
    showSnapshot(model_);
}

void ExplorerDocument::setModelPath(const QString& path)
{
    modelPath_ = path;
}

void ExplorerDocument::showSnapshot(std::shared_ptr<const Model> snapshot)
{
    shownModel_ = std::move(snapshot);
    const std::size_t poseSize =
        shownModel_ ? std::size_t(ModelRegistry::find(shownModel_->config().architecture).poseSize) : 0;
    const bool newPose = poseSize != pose_.size();
    if (newPose)
        pose_.assign(poseSize, 0.0f);
    Q_EMIT shownModelChanged();
    if (newPose)
        Q_EMIT poseChanged();
}

void ExplorerDocument::setPose(std::vector<float> pose)
{
    if (pose.size() != pose_.size() || pose == pose_)
        return;
    pose_ = std::move(pose);
    Q_EMIT poseChanged();
}

void ExplorerDocument::setColourBy(const QString& choice)
{
    if (choice == colourBy_)
        return;
    colourBy_ = choice;
    Q_EMIT colourByChanged(choice);
}

QString ExplorerDocument::describePose(const std::vector<float>& code) const
{
    constexpr std::size_t kAngleAndShift = 3;
    if (!shownModel_ || pose_.size() < kAngleAndShift || code.size() < kAngleAndShift)
        return QString();
    // The shift latent times the prior's width is in half-widths of the image.
    const double pixels = shownModel_->config().translationPrior * shownModel_->config().width / 2.0;
    return tr("angle %1°, shift (%2, %3) px")
        .arg(code[0] * 180.0 / M_PI, 0, 'f', 1)
        .arg(code[1] * pixels, 0, 'f', 1)
        .arg(code[2] * pixels, 0, 'f', 1);
}

std::vector<float> ExplorerDocument::atPose(std::vector<float> code) const
{
    std::copy_n(pose_.begin(), std::min(pose_.size(), code.size()), code.begin());
    return code;
}

void ExplorerDocument::setData(std::shared_ptr<const DatasetSplit> data)
{
    data_ = std::move(data);
    Q_EMIT dataChanged();
    setOverlay(data_ ? std::shared_ptr<const Dataset>(data_, &data_->test) : nullptr);
}

void ExplorerDocument::setOverlay(std::shared_ptr<const Dataset> overlay)
{
    overlay_ = std::move(overlay);
    // Old codes and picks index the old images.
    codes_.reset();
    pcaPlane_.reset();
    codesModel_.reset();
    clearPicks();
    if (selectedIndex_ >= 0)
        clearSelection();
    Q_EMIT overlayChanged();
    Q_EMIT codesChanged();
}

void ExplorerDocument::setCodes(std::shared_ptr<const LatentCodes> codes, std::shared_ptr<const LatentPlane> pca,
                                std::shared_ptr<const Model> encodedBy)
{
    // Code i belongs to overlay image i: codes of other images (a data set that was
    // replaced while they were computed) would index past it.
    if (codes && (!overlay_ || codes->count() != overlay_->size())) {
        codes.reset();
        pca.reset();
    }
    codes_ = std::move(codes);
    pcaPlane_ = std::move(pca);
    codesModel_ = encodedBy ? std::move(encodedBy) : std::shared_ptr<const Model>(model_);
    Q_EMIT codesChanged();
    if (selectedIndex_ >= 0 && modelCodes() && std::size_t(selectedIndex_) < codes_->count())
        selectIndex(selectedIndex_); // the code under the new weights
}

std::shared_ptr<const LatentCodes> ExplorerDocument::modelCodes() const
{
    return codes_ && model_ && codesModel_ == model_ ? codes_ : nullptr;
}

QString ExplorerDocument::imageName(int index) const
{
    QString name = tr("#%1").arg(index);
    if (overlay_ && overlay_->hasLabels() && index >= 0 && std::size_t(index) < overlay_->labels().size()) {
        const int label = overlay_->labels()[std::size_t(index)];
        if (label >= 0 && label < int(overlay_->classNames().size()))
            name += " " + QString::fromStdString(overlay_->classNames()[std::size_t(label)]);
    }
    return name;
}

void ExplorerDocument::selectIndex(int index)
{
    const auto codes = modelCodes();
    if (!codes || !overlay_ || index < 0 || std::size_t(index) >= codes->count() || std::size_t(index) >= overlay_->size())
        return;
    select(ImageConversion::toQImage(Image::fromPlanarBytes(overlay_->image(std::size_t(index)), overlay_->shape())),
           codes->codeVector(std::size_t(index)), imageName(index), index);
}

void ExplorerDocument::selectImage(const QImage& original, std::vector<float> code, const QString& name)
{
    select(original, std::move(code), name, -1);
}

void ExplorerDocument::select(const QImage& original, std::vector<float> code, const QString& name, int index)
{
    if (!model_ || int(code.size()) != model_->config().latentDim)
        return;
    selectedIndex_ = index;
    original_ = original;
    baseCode_ = std::move(code);
    selectionName_ = name;
    Q_EMIT selectionChanged();
}

void ExplorerDocument::clearSelection()
{
    if (!hasSelection() && selectedIndex_ < 0)
        return;
    selectedIndex_ = -1;
    original_ = {};
    baseCode_.clear();
    selectionName_.clear();
    Q_EMIT selectionChanged();
}

void ExplorerDocument::pick(int index)
{
    if (!overlay_ || index < 0 || std::size_t(index) >= overlay_->size())
        return; // picks index the overlay's images
    picks_.removeAll(index);
    picks_.append(index);
    while (picks_.size() > kMaxPicks)
        picks_.removeFirst();
    Q_EMIT picksChanged();
    selectIndex(index);
}

void ExplorerDocument::clearPicks()
{
    if (picks_.isEmpty())
        return;
    picks_.clear();
    Q_EMIT picksChanged();
}

void ExplorerDocument::setConditionClass(int conditionClass)
{
    if (conditionClass == conditionClass_)
        return;
    conditionClass_ = conditionClass;
    Q_EMIT conditionClassChanged(conditionClass);
}

QStringList ExplorerDocument::attributeNames() const
{
    QStringList names;
    if (model_)
        for (const AttributeVector& v : model_->info().attributes)
            names << QString::fromStdString(v.name);
    return names;
}

void ExplorerDocument::addAttribute(AttributeVector vector)
{
    if (!model_)
        return;
    AttributeMath::addOrReplace(model_->info().attributes, std::move(vector));
    Q_EMIT attributesChanged();
    save(modelPath_);
}

void ExplorerDocument::removeAttribute(const QString& name)
{
    if (!model_)
        return;
    auto& vectors = model_->info().attributes;
    vectors.erase(std::remove_if(vectors.begin(), vectors.end(),
                                 [&](const AttributeVector& v) { return QString::fromStdString(v.name) == name; }),
                  vectors.end());
    Q_EMIT attributesChanged();
    save(modelPath_);
}

void ExplorerDocument::renameAttribute(const QString& from, const QString& to)
{
    if (!model_ || from == to || to.trimmed().isEmpty() || attributeNames().contains(to))
        return;
    for (AttributeVector& v : model_->info().attributes)
        if (QString::fromStdString(v.name) == from)
            v.name = to.toStdString();
    Q_EMIT attributeRenamed(from, to);
    Q_EMIT attributesChanged();
    save(modelPath_);
}

void ExplorerDocument::save(const QString& path)
{
    if (path.isEmpty() || !model_)
        return;
    // A copy, so that the GUI thread may change the attributes while it is written;
    // saves run one at a time and an older one never overwrites a newer one.
    std::shared_ptr<const Model> copy(model_->clone());
    const quint64 sequence = ++saveSequence_;
    runInBackground(this, [copy, path, sequence, state = saveState_]() -> QString {
        try {
            std::lock_guard<std::mutex> lock(state->mutex);
            quint64& written = state->written[path];
            if (sequence < written)
                return {}; // a newer copy is in the file already
            ModelFile::save(*copy, path.toStdString());
            written = sequence;
            return {};
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }, [this, path](const QString& error) {
        if (error.isEmpty())
            Q_EMIT saved(path);
        else
            Q_EMIT saveFailed(path, error);
    });
}

} // namespace latentlab
