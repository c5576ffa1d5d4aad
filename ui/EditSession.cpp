#include "ui/EditSession.h"

#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

#include "core/formats/ModelFile.h"
#include "core/latent/PrincipalComponents.h"
#include "ui/CodeDecodeWorker.h"
#include "ui/ImageConversion.h"

namespace latentlab {

EditSession::EditSession(QObject* parent) : QObject(parent), decoder_(std::make_unique<CodeDecodeWorker>())
{
    connect(decoder_.get(), &CodeDecodeWorker::decoded, this,
            [this](const QString& channel, quint64 stamp, const QList<QImage>& images) {
                if (images.isEmpty())
                    return;
                if (channel == "edited" && stamp == editedStamp_)
                    Q_EMIT editedReady(images.first());
                else if (channel == "reconstruction" && stamp == reconstructionStamp_)
                    Q_EMIT reconstructionReady(images.first());
                else if (channel == "classes" && stamp == classesStamp_)
                    Q_EMIT classesReady(images);
            });
}

EditSession::~EditSession() = default;

void EditSession::setModel(std::shared_ptr<Model> model)
{
    const bool sameSpace = model_ && model && model_->config().latentDim == model->config().latentDim;
    model_ = std::move(model);
    if (!sameSpace) {
        baseCode_.clear();
        selectedIndex_ = -1;
        strengths_.clear();
        orthogonalised_.clear();
        Q_EMIT selectionChanged();
    }
    rebuildSliders();
    Q_EMIT attributesChanged();
    if (hasSelection()) {
        requestReconstruction();
        requestEdited();
    }
}

void EditSession::setCodes(std::shared_ptr<const Dataset> data, std::shared_ptr<const LatentCodes> codes)
{
    data_ = std::move(data);
    codes_ = std::move(codes);
    rebuildSliders();
    Q_EMIT dataChanged();
    if (selectedIndex_ >= 0 && codes_ && std::size_t(selectedIndex_) < codes_->count())
        selectIndex(selectedIndex_); // the code under the new weights
}

void EditSession::rebuildSliders()
{
    basis_.clear();
    basisNames_.clear();
    if (!model_)
        return;
    const int dim = model_->config().latentDim;
    if (dim <= kMaxSliders) {
        for (int d = 0; d < dim; ++d) {
            std::vector<float> unit(std::size_t(dim), 0.0f);
            unit[std::size_t(d)] = 1;
            basis_.push_back(std::move(unit));
            basisNames_ << QString("z%1").arg(d);
        }
    } else if (codes_ && codes_->dim == dim && codes_->count() >= 3) {
        PrincipalComponents pca = PrincipalComponents::compute(*codes_, kMaxSliders);
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

void EditSession::selectIndex(int index)
{
    if (!codes_ || !data_ || index < 0 || std::size_t(index) >= codes_->count())
        return;
    QString name = tr("#%1").arg(index);
    if (data_->hasLabels()) {
        const int label = data_->labels()[std::size_t(index)];
        if (label < int(data_->classNames().size()))
            name += " " + QString::fromStdString(data_->classNames()[std::size_t(label)]);
    }
    select(ImageConversion::toQImage(Image::fromPlanarBytes(data_->image(std::size_t(index)), data_->shape())),
           codes_->codeVector(std::size_t(index)), name, index);
}

void EditSession::selectImage(const QImage& original, std::vector<float> code, const QString& name)
{
    select(original, std::move(code), name, -1);
}

void EditSession::select(const QImage& original, std::vector<float> code, const QString& name, int index)
{
    if (!model_ || int(code.size()) != model_->config().latentDim)
        return;
    selectedIndex_ = index;
    original_ = original;
    baseCode_ = std::move(code);
    selectionName_ = name;
    std::fill(offsets_.begin(), offsets_.end(), 0.0);
    requestReconstruction();
    requestEdited();
    Q_EMIT selectionChanged();
    Q_EMIT slidersChanged();
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
    Q_EMIT attributesChanged();
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
    const auto& vectors = model_->info().attributes;
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
    for (auto it = strengths_.cbegin(); it != strengths_.cend(); ++it)
        if (it.value() != 0 && attributeNames().contains(it.key())) {
            vectors.push_back(appliedVector(it.key()));
            strengths.push_back(it.value());
        }
    return AttributeMath::apply(baseCode_, vectors, strengths);
}

void EditSession::setConditionClass(int conditionClass)
{
    if (conditionClass == conditionClass_)
        return;
    conditionClass_ = conditionClass;
    requestEdited();
    Q_EMIT conditionClassChanged(conditionClass);
}

void EditSession::requestReconstruction()
{
    const bool labelled = data_ && selectedIndex_ >= 0 && std::size_t(selectedIndex_) < data_->labels().size();
    int ownClass = labelled ? data_->labels()[std::size_t(selectedIndex_)] : conditionClass_;
    if (ownClass < 0 || ownClass >= model_->config().conditionClasses) // not a class the model knows
        ownClass = conditionClass_;
    reconstructionStamp_ = decoder_->decode("reconstruction", model_, baseCode_, {ownClass});
}

void EditSession::requestEdited()
{
    if (!hasSelection() || !model_)
        return;
    const std::vector<float> code = editedCode();
    editedStamp_ = decoder_->decode("edited", model_, code, {conditionClass_});
    if (!isConditional())
        return;
    const int classes = model_->config().conditionClasses;
    std::vector<float> codes;
    std::vector<int> labels;
    for (int k = 0; k < classes; ++k) {
        codes.insert(codes.end(), code.begin(), code.end());
        labels.push_back(k);
    }
    classesStamp_ = decoder_->decode("classes", model_, std::move(codes), std::move(labels));
}

QStringList EditSession::attributeNames() const
{
    QStringList names;
    if (model_)
        for (const AttributeVector& v : model_->info().attributes)
            names << QString::fromStdString(v.name);
    return names;
}

void EditSession::addAttribute(const QString& name, std::vector<float> direction)
{
    auto& vectors = model_->info().attributes;
    vectors.erase(std::remove_if(vectors.begin(), vectors.end(),
                                 [&](const AttributeVector& v) { return QString::fromStdString(v.name) == name; }),
                  vectors.end());
    vectors.push_back({name.toStdString(), std::move(direction)});
    Q_EMIT attributesChanged();
    save(savePath_);
}

void EditSession::removeAttribute(const QString& name)
{
    auto& vectors = model_->info().attributes;
    vectors.erase(std::remove_if(vectors.begin(), vectors.end(),
                                 [&](const AttributeVector& v) { return QString::fromStdString(v.name) == name; }),
                  vectors.end());
    strengths_.remove(name);
    orthogonalised_.remove(name);
    Q_EMIT attributesChanged();
    requestEdited();
    save(savePath_);
}

void EditSession::renameAttribute(const QString& from, const QString& to)
{
    if (from == to || to.trimmed().isEmpty() || attributeNames().contains(to))
        return;
    for (AttributeVector& v : model_->info().attributes)
        if (QString::fromStdString(v.name) == from)
            v.name = to.toStdString();
    if (strengths_.contains(from))
        strengths_.insert(to, strengths_.take(from));
    if (orthogonalised_.remove(from))
        orthogonalised_.insert(to);
    Q_EMIT attributesChanged();
    save(savePath_);
}

QString EditSession::qualityText(const QString& name, const AttributeGroups& groups) const
{
    const AttributeVector& v = AttributeMath::find(model_->info().attributes, name.toStdString());
    std::vector<AttributeVector> others;
    for (const AttributeVector& o : model_->info().attributes)
        if (o.name != v.name)
            others.push_back(o);
    QString text;
    if (codes_ && !groups.with.empty() && !groups.without.empty()) {
        const AttributeQuality q = AttributeMath::quality(*codes_, groups, v.direction, others);
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

void EditSession::save(const QString& path)
{
    if (path.isEmpty() || !model_)
        return;
    // A copy, so that the GUI thread may change the attributes while it is written;
    // saves run one at a time and an older one never overwrites a newer one.
    std::shared_ptr<const Model> copy(model_->clone());
    const quint64 sequence = ++saveSequence_;
    auto future = QtConcurrent::run([copy, path, sequence, state = saveState_]() -> QString {
        try {
            std::lock_guard<std::mutex> lock(state->mutex);
            if (sequence < state->written)
                return {};
            ModelFile::save(*copy, path.toStdString());
            state->written = sequence;
            return {};
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    });
    future.then(this, [this, path](const QString& error) {
        if (error.isEmpty())
            Q_EMIT saved(path);
        else
            Q_EMIT saveFailed(error);
    });
}

} // namespace latentlab
