#include "ui/EditSession.h"

#include "core/latent/ClassSweep.h"
#include "core/latent/PrincipalComponents.h"
#include "models/ModelRegistry.h"
#include "ui/CodeDecoder.h"
#include "ui/ExplorerDocument.h"

namespace latentlab {

EditSession::EditSession(ExplorerDocument* document, QObject* parent)
    : QObject(parent), document_(document), decoder_(std::make_unique<CodeDecoder>())
{
    connect(document_, &ExplorerDocument::modelChanged, this, &EditSession::onModelChanged);
    connect(document_, &ExplorerDocument::codesChanged, this, [this] {
        // Principal-component sliders come from the codes; latent-dimension ones do not.
        if (model() && model()->config().latentDim > kMaxSliders)
            rebuildSliders();
    });
    connect(document_, &ExplorerDocument::selectionChanged, this, &EditSession::onSelectionChanged);
    connect(document_, &ExplorerDocument::conditionClassChanged, this, &EditSession::requestEdited);
    connect(document_, &ExplorerDocument::poseChanged, this, [this] {
        if (!document_->pose().empty())
            requestReconstruction();
    });
    connect(document_, &ExplorerDocument::attributesChanged, this, &EditSession::onAttributesChanged);
    connect(document_, &ExplorerDocument::attributeRenamed, this, [this](const QString& from, const QString& to) {
        if (strengths_.contains(from))
            strengths_.insert(to, strengths_.take(from));
        if (orthogonalised_.remove(from))
            orthogonalised_.insert(to);
    });
    rebuildSliders();
}

EditSession::~EditSession() = default;

std::shared_ptr<Model> EditSession::model() const { return document_->model(); }
std::shared_ptr<const Dataset> EditSession::data() const { return document_->overlay(); }
std::shared_ptr<const LatentCodes> EditSession::codes() const { return document_->modelCodes(); }
void EditSession::selectIndex(int index) { document_->selectIndex(index); }
bool EditSession::hasSelection() const { return document_->hasSelection(); }
int EditSession::selectedIndex() const { return document_->selectedIndex(); }
QString EditSession::selectionName() const { return document_->selectionName(); }
const std::vector<float>& EditSession::baseCode() const { return document_->baseCode(); }
QImage EditSession::original() const { return document_->original(); }
int EditSession::conditionClass() const { return document_->conditionClass(); }
void EditSession::setConditionClass(int conditionClass) { document_->setConditionClass(conditionClass); }
bool EditSession::isConditional() const { return document_->isConditional(); }

void EditSession::onModelChanged()
{
    const int dim = model() ? model()->config().latentDim : 0;
    if (dim != basisDim_) { // another latent space: the strengths mean nothing there
        strengths_.clear();
        orthogonalised_.clear();
    }
    rebuildSliders();
    if (hasSelection()) {
        requestReconstruction();
        requestEdited();
    }
}

void EditSession::onSelectionChanged()
{
    std::fill(offsets_.begin(), offsets_.end(), 0.0);
    Q_EMIT slidersChanged();
    if (hasSelection()) {
        requestReconstruction();
        requestEdited();
    }
}

void EditSession::onAttributesChanged()
{
    // Strengths of removed vectors go with them.
    const QStringList names = document_->attributeNames();
    for (auto it = strengths_.begin(); it != strengths_.end();)
        it = names.contains(it.key()) ? std::next(it) : strengths_.erase(it);
    for (auto it = orthogonalised_.begin(); it != orthogonalised_.end();)
        it = names.contains(*it) ? std::next(it) : orthogonalised_.erase(it);
    requestEdited();
}

void EditSession::rebuildSliders()
{
    basis_.clear();
    basisNames_.clear();
    const auto m = model();
    basisDim_ = m ? m->config().latentDim : 0;
    const auto c = codes();
    if (basisDim_ > 0 && basisDim_ <= kMaxSliders) {
        // z0, z1, ...; a code of named parts by their names (an rVAE's angle, dx, dy, z0, ...).
        const std::vector<std::string> names = ModelRegistry::dimensionLabels(m->config());
        for (int d = 0; d < basisDim_; ++d) {
            std::vector<float> unit(std::size_t(basisDim_), 0.0f);
            unit[std::size_t(d)] = 1;
            basis_.push_back(std::move(unit));
            basisNames_ << QString::fromStdString(names[std::size_t(d)]);
        }
    } else if (basisDim_ > 0 && c && c->dim == basisDim_ && c->count() >= 3) {
        PrincipalComponents pca = PrincipalComponents::compute(*c, kMaxSliders);
        basis_ = std::move(pca.axes);
        for (int i = 0; i < kMaxSliders; ++i)
            basisNames_ << QString("PC%1").arg(i + 1);
    }
    offsets_.assign(basis_.size(), 0.0);
    Q_EMIT slidersChanged();
}

QString EditSession::sliderName(int i) const
{
    return basisNames_.value(i);
}

void EditSession::setSliderOffset(int i, double value)
{
    if (i < 0 || i >= sliderCount())
        return;
    offsets_[std::size_t(i)] = value;
    requestEdited();
}

void EditSession::resetEdits()
{
    std::fill(offsets_.begin(), offsets_.end(), 0.0);
    strengths_.clear();
    Q_EMIT slidersChanged();
    Q_EMIT strengthsChanged();
    requestEdited();
}

void EditSession::setStrength(const QString& name, double alpha)
{
    strengths_[name] = alpha;
    requestEdited();
}

void EditSession::setOrthogonalised(const QString& name, bool on)
{
    if (on)
        orthogonalised_.insert(name);
    else
        orthogonalised_.remove(name);
    requestEdited();
}

std::vector<float> EditSession::appliedVector(const QString& name) const
{
    const auto& vectors = model()->info().attributes;
    const std::vector<float>& v = AttributeMath::find(vectors, name.toStdString()).direction;
    if (!orthogonalised_.contains(name))
        return v;
    std::vector<std::vector<float>> others;
    for (const AttributeVector& o : vectors)
        if (QString::fromStdString(o.name) != name)
            others.push_back(o.direction);
    return AttributeMath::orthogonalised(v, others);
}

std::vector<float> EditSession::editedCode() const
{
    std::vector<std::vector<float>> vectors;
    std::vector<double> strengths;
    for (std::size_t i = 0; i < basis_.size(); ++i)
        if (offsets_[i] != 0) {
            vectors.push_back(basis_[i]);
            strengths.push_back(offsets_[i]);
        }
    const QStringList names = document_->attributeNames();
    for (auto it = strengths_.cbegin(); it != strengths_.cend(); ++it)
        if (it.value() != 0 && names.contains(it.key())) {
            vectors.push_back(appliedVector(it.key()));
            strengths.push_back(it.value());
        }
    return AttributeMath::apply(baseCode(), vectors, strengths);
}

void EditSession::setHoldsOthers(bool on)
{
    if (on == holdsOthers_)
        return;
    holdsOthers_ = on;
    requestEdited();
}

std::vector<HeldAttribute> EditSession::heldAttributes() const
{
    if (!holdsOthers_)
        return {};
    std::vector<std::string> edited;
    const QStringList names = document_->attributeNames();
    for (auto it = strengths_.cbegin(); it != strengths_.cend(); ++it)
        if (it.value() != 0 && names.contains(it.key()))
            edited.push_back(it.key().toStdString());
    if (edited.empty()) // moving along dimensions alone holds nothing
        return {};
    return AttributeHold::known(model()->info().attributes, edited);
}

quint64 EditSession::decode(const QString& channel, std::vector<float> codes, std::vector<int> classes,
                            void (EditSession::*ready)(const QList<QImage>&), std::vector<HeldAttribute> hold)
{
    CodeBatch batch{model(), std::move(codes), std::move(classes), std::move(hold), {}};
    if (!batch.hold.empty())
        batch.holdFrom = baseCode();
    const quint64 stamp = decoder_->submit(
        channel, std::move(batch), this,
        [this, channel, ready](quint64 stamp, const QList<QImage>& images) {
            if (stamp == latestStamps_.value(channel) && !images.isEmpty())
                (this->*ready)(images);
        },
        [this, channel](quint64 stamp, const QString& message) {
            if (stamp == latestStamps_.value(channel))
                Q_EMIT decodeFailed(tr("Cannot decode the %1 image: %2").arg(channel, message));
        });
    latestStamps_.insert(channel, stamp);
    return stamp;
}

void EditSession::emitReconstruction(const QList<QImage>& images)
{
    Q_EMIT reconstructionReady(images.first());
    if (images.size() > 1)
        Q_EMIT canonicalReady(images[1]);
}
void EditSession::emitEdited(const QList<QImage>& images)
{
    editedImage_ = images.first();
    Q_EMIT editedReady(editedImage_);
}
void EditSession::emitClasses(const QList<QImage>& images) { Q_EMIT classesReady(images); }

void EditSession::requestReconstruction()
{
    const auto m = model();
    if (!hasSelection() || !m)
        return;
    const auto overlay = data();
    const int index = selectedIndex();
    const bool labelled = overlay && index >= 0 && std::size_t(index) < overlay->labels().size();
    int ownClass = labelled ? overlay->labels()[std::size_t(index)] : conditionClass();
    if (ownClass < 0 || ownClass >= m->config().conditionClasses) // not a class the model knows
        ownClass = conditionClass();
    std::vector<float> codes = baseCode();
    if (!document_->pose().empty() && codes.size() == std::size_t(m->config().latentDim)) {
        const std::vector<float> canonical = document_->atPose(codes); // the same content, at the chosen pose
        codes.insert(codes.end(), canonical.begin(), canonical.end());
    }
    decode("reconstruction", std::move(codes), {ownClass}, &EditSession::emitReconstruction);
}

QString EditSession::poseText() const
{
    const QString pose = hasSelection() ? document_->describePose(baseCode()) : QString();
    return pose.isEmpty() ? pose : tr("Pose: %1").arg(pose);
}

void EditSession::requestEdited()
{
    const auto m = model();
    if (!hasSelection() || !m)
        return;
    const std::vector<float> code = editedCode();
    const std::vector<HeldAttribute> hold = heldAttributes();
    decode("edited", code, {conditionClass()}, &EditSession::emitEdited, hold);
    if (!isConditional())
        return;
    ClassSweep sweep = ClassSweep::everyClass(code, m->config().conditionClasses);
    decode("classes", std::move(sweep.codes), std::move(sweep.classes), &EditSession::emitClasses, hold);
}

QString EditSession::qualityText(const QString& name, const AttributeGroups& groups) const
{
    const auto m = model();
    const AttributeVector& v = AttributeMath::find(m->info().attributes, name.toStdString());
    std::vector<AttributeVector> others;
    for (const AttributeVector& o : m->info().attributes)
        if (o.name != v.name)
            others.push_back(o);
    QString text;
    const auto c = codes();
    if (c && !groups.with.empty() && !groups.without.empty()) {
        const AttributeQuality q = AttributeMath::quality(*c, groups, v.direction, others);
        text = tr("|v| %1 · Cohen's d %2 · separates %3%")
                   .arg(q.norm, 0, 'f', 2)
                   .arg(q.cohensD, 0, 'f', 2)
                   .arg(100 * q.separationAccuracy, 0, 'f', 1);
    } else {
        double norm = 0;
        for (float x : v.direction)
            norm += double(x) * x;
        text = tr("|v| %1").arg(std::sqrt(norm), 0, 'f', 2);
    }
    for (const AttributeVector& o : others)
        text += tr(" · cos(%1) %2").arg(QString::fromStdString(o.name)).arg(AttributeMath::cosine(v.direction, o.direction), 0, 'f', 2);
    return text;
}

} // namespace latentlab
