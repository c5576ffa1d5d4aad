#include "ui/ComparePanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/latent/Interpolation.h"
#include "core/latent/LatentGrid.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"
#include "ui/ImageConversion.h"
#include "ui/LatentMapView.h"
#include "ui/MorphPanel.h"

namespace latentlab {

namespace {

constexpr int kCaptionWidth = 36;
constexpr int kGap = 2;
constexpr int kEditSide = 96;

QString shapeText(const ModelConfig& c)
{
    return QString("%1x%2 %3").arg(c.width).arg(c.height).arg(c.channels == 3 ? "colour" : "grey");
}

// Rows of images with a caption at the left of each, every image scaled to `tile` px.
QImage composeRows(const QList<QPair<QString, QList<QImage>>>& rows, int tile, const QColor& background,
                   const QColor& text)
{
    int columns = 0;
    for (const auto& row : rows)
        columns = std::max(columns, int(row.second.size()));
    QImage out(kCaptionWidth + columns * (tile + kGap), int(rows.size()) * (tile + kGap) - kGap, QImage::Format_RGB32);
    out.fill(background);
    QPainter painter(&out);
    painter.setPen(text);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    for (int r = 0; r < rows.size(); ++r) {
        const int y = r * (tile + kGap);
        painter.drawText(QRect(0, y, kCaptionWidth - 4, tile), Qt::AlignRight | Qt::AlignVCenter, rows[r].first);
        for (int c = 0; c < rows[r].second.size(); ++c)
            painter.drawImage(QRect(kCaptionWidth + c * (tile + kGap), y, tile, tile), rows[r].second[c]);
    }
    return out;
}

// The images' codes under `model`'s own encoder, one after another (classes: one per image, or none).
std::vector<float> encodeAll(const Model& model, const std::vector<Image>& images, const std::vector<int>& classes)
{
    std::vector<float> codes;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::vector<float> z = model.encodeImage(images[i], classes.empty() ? 0 : classes[std::min(i, classes.size() - 1)]);
        codes.insert(codes.end(), z.begin(), z.end());
    }
    return codes;
}

QList<QImage> toQImages(const std::vector<Image>& images)
{
    QList<QImage> out;
    for (const Image& image : images)
        out << ImageConversion::toQImage(image);
    return out;
}

// Whether a plane is spanned by two single latent dimensions (the View dock's "two
// dimensions"): then the same coordinates name a plane of any latent space of that size.
bool isAxisPlane(const LatentPlane& plane)
{
    const auto single = [](const std::vector<float>& axis) {
        return std::count_if(axis.begin(), axis.end(), [](float x) { return x != 0.0f; }) == 1;
    };
    return single(plane.u()) && single(plane.v());
}

} // namespace

ComparePanel::ComparePanel(ExplorerDocument* document, EditSession* session, MorphPanel* morph, LatentMapView* map,
                           QWidget* parent)
    : QWidget(parent), document_(document), session_(session), morph_(morph), mapA_(map),
      worker_(std::make_unique<Worker>([](const Work& work) { return work(); }))
{
    header_ = new QLabel(this);
    header_->setWordWrap(true);
    header_->setTextFormat(Qt::PlainText);
    auto* open = new QPushButton(tr("Open &B…"), this);
    open->setToolTip(tr("Open a second model to compare with the one explored (Ctrl+Shift+B)"));
    close_ = new QPushButton(tr("Close B"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open);
    buttons->addWidget(close_);
    buttons->addStretch(1);
    connect(open, &QPushButton::clicked, this, &ComparePanel::openRequested);
    connect(close_, &QPushButton::clicked, this, [this] { setSecondModel(nullptr, {}); });

    // Everything below the buttons shows only while there is a B to compare.
    content_ = new QWidget(this);
    const auto section = [this](const QString& title) { return new QLabel(QString("<b>%1</b>").arg(title), content_); };
    const auto note = [this] {
        auto* label = new QLabel(content_);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        return label;
    };
    rows_ = new QLabel(content_);
    morphStrips_ = new QLabel(content_);
    morphNote_ = note();
    edit_ = new QLabel(content_);
    editNote_ = note();
    auto* maps = new QHBoxLayout;
    for (QLabel*& map : mapLabels_) {
        map = new QLabel(content_);
        map->setFrameShape(QFrame::StyledPanel);
        map->setAlignment(Qt::AlignCenter);
        maps->addWidget(map);
    }
    maps->addStretch(1);
    mapNote_ = note();

    auto* layout = new QVBoxLayout(content_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(section(tr("Reconstructions")));
    layout->addWidget(rows_);
    layout->addWidget(section(tr("Morph")));
    layout->addWidget(morphNote_);
    layout->addWidget(morphStrips_);
    layout->addWidget(section(tr("Attribute edit")));
    layout->addWidget(editNote_);
    layout->addWidget(edit_);
    layout->addWidget(section(tr("Latent maps (A left, B right)")));
    layout->addWidget(mapNote_);
    layout->addLayout(maps);
    auto* outer = new QVBoxLayout(this);
    outer->addWidget(header_);
    outer->addLayout(buttons);
    outer->addWidget(content_);
    outer->addStretch(1);

    connect(document_, &ExplorerDocument::modelChanged, this, [this] {
        const auto a = document_->model();
        if (second_ && a && !refusal(*a, *second_).isEmpty()) {
            const QString why = refusal(*a, *second_);
            setSecondModel(nullptr, {});
            header_->setText(tr("Closed B: %1").arg(why));
            return;
        }
        updateHeader();
        requestRows();
        requestMorph();
        followMap();
    });
    connect(document_, &ExplorerDocument::overlayChanged, this, &ComparePanel::requestRows);
    connect(document_, &ExplorerDocument::selectionChanged, this, &ComparePanel::requestRows);
    connect(document_, &ExplorerDocument::conditionClassChanged, this, [this] {
        requestMorph();
        followMap();
    });
    connect(morph_, &MorphPanel::stripChanged, this, &ComparePanel::requestMorph);
    // The edit follows what the Attributes dock shows: its newest decode of A's edit.
    connect(session_, &EditSession::editedReady, this, &ComparePanel::requestEdit);
    connect(mapA_, &LatentMapView::viewChanged, this, &ComparePanel::followMap);
    connect(mapA_, &LatentMapView::framePainted, this, &ComparePanel::showFirstMap);
    setSecondModel(nullptr, {});
}

ComparePanel::~ComparePanel() = default;

QString ComparePanel::refusal(const Model& first, const Model& second)
{
    const ModelConfig& a = first.config();
    const ModelConfig& b = second.config();
    if (a.width == b.width && a.height == b.height && a.channels == b.channels)
        return {};
    return tr("its images are %1 and the explored model's are %2: both models must take images of the same size "
              "and channels to be shown the same images")
        .arg(shapeText(b), shapeText(a));
}

void ComparePanel::setSecondModel(std::shared_ptr<const Model> model, const QString& name)
{
    second_ = std::move(model);
    secondName_ = second_ ? name : QString();
    stamps_.clear(); // results on their way belong to the previous B (stamps start at 1)
    close_->setEnabled(second_ != nullptr);
    content_->setVisible(second_ != nullptr);
    rowImages_.clear();
    morphImages_.clear();
    editImages_.clear();
    for (QLabel* label : {rows_, morphStrips_, edit_})
        label->clear();
    morphNote_->clear();
    editNote_->clear();
    mapImages_[0] = mapImages_[1] = QImage();
    updateHeader();
    requestRows();
    requestMorph();
    requestEdit();
    followMap();
}

void ComparePanel::updateHeader()
{
    const auto a = document_->model();
    if (!second_) {
        header_->setText(tr("Open a second model (B) to see it beside the explored one (A): the same test images, "
                            "morph and attribute edit by both, each encoding with its own encoder, and both latent "
                            "maps. File > Compare With… or the button below."));
        return;
    }
    const QString nameA = !a                                ? tr("no model")
                          : document_->modelPath().isEmpty() ? tr("the explored model (not saved yet)")
                                                             : document_->modelPath().section('/', -1);
    header_->setText(tr("A: %1\nB: %2").arg(nameA, secondName_.section('/', -1)));
}

std::vector<int> ComparePanel::classesFor(const Model& model, const std::vector<int>& labels) const
{
    if (model.config().conditionClasses == 0)
        return {};
    std::vector<int> classes;
    for (int label : labels)
        classes.push_back(std::clamp(label, 0, model.config().conditionClasses - 1));
    return classes;
}

quint64 ComparePanel::submit(const QString& channel, Work work, void (ComparePanel::*shown)(const QList<QImage>&))
{
    const quint64 stamp = worker_->submit(
        channel, std::move(work), this,
        [this, channel, shown](quint64 stamp, const QList<QImage>& images) {
            if (stamp == stamps_.value(channel))
                (this->*shown)(images);
        },
        [this, channel](quint64 stamp, const QString& message) {
            if (stamp == stamps_.value(channel))
                Q_EMIT decodeFailed(tr("Compare: %1").arg(message));
        });
    stamps_[channel] = stamp;
    return stamp;
}

void ComparePanel::requestRows()
{
    const auto a = document_->model();
    const auto overlay = document_->overlay();
    if (!second_ || !a || !overlay || overlay->size() == 0 || overlay->shape().pixelCount() != std::size_t(a->config().pixelCount()))
        return;
    // The selected image and the ones after it, so that clicking through the data set compares.
    const std::size_t first = document_->selectedIndex() >= 0 ? std::size_t(document_->selectedIndex()) : 0;
    std::vector<Image> images;
    std::vector<int> labels;
    for (std::size_t k = 0; k < std::min<std::size_t>(kImages, overlay->size()); ++k) {
        const std::size_t index = (first + k) % overlay->size();
        images.push_back(Image::fromPlanarBytes(overlay->image(index), overlay->shape()));
        labels.push_back(overlay->hasLabels() ? overlay->labels()[index] : 0);
    }
    submit("rows", [a, b = second_, images, labelsA = classesFor(*a, labels), labelsB = classesFor(*second_, labels)] {
        QList<QImage> out = toQImages(images);
        out << toQImages(a->decodeImages(encodeAll(*a, images, labelsA), labelsA));
        out << toQImages(b->decodeImages(encodeAll(*b, images, labelsB), labelsB));
        return out;
    }, &ComparePanel::showRows);
}

int ComparePanel::tileFor(int columns) const
{
    // As wide as the dock allows, within reason: the dock's column is 380 to 680 px.
    return std::clamp((width() - 24 - kCaptionWidth) / std::max(1, columns) - kGap, 12, 72);
}

void ComparePanel::showRows(const QList<QImage>& images)
{
    rowImages_ = images;
    const int n = int(images.size() / 3);
    rows_->setPixmap(QPixmap::fromImage(
        composeRows({{tr("data"), images.mid(0, n)}, {"A", images.mid(n, n)}, {"B", images.mid(2 * n, n)}}, tileFor(n),
                    palette().color(QPalette::Window), palette().color(QPalette::WindowText))));
    Q_EMIT reconstructionsReady();
}

void ComparePanel::requestMorph()
{
    const auto a = document_->model();
    if (!second_ || !a)
        return;
    if (!morph_->hasEndpoints()) {
        morphStrips_->clear();
        morphNote_->setText(tr("Pick images A and B in the Morph dock: both models morph between them."));
        return;
    }
    std::vector<Image> endpoints;
    for (int slot = 0; slot < (morph_->hasThirdImage() ? 3 : 2); ++slot) {
        const QImage image = morph_->endpointImage(slot);
        if (image.isNull()) {
            morphNote_->setText(tr("B cannot morph: endpoint %1 has no image for B to encode.").arg(QChar('A' + slot)));
            return;
        }
        endpoints.push_back(ImageConversion::toImage(image, second_->config().channels));
    }
    morphNote_->setText(tr("Each model encodes the endpoints with its own encoder and morphs its own codes."));
    const int frames = morph_->frameCount();
    const InterpolationKind kind = morph_->isSpherical() ? InterpolationKind::Spherical : InterpolationKind::Linear;
    const std::vector<float> codesA = morph_->frameCodes(frames);
    const int conditionClass = document_->conditionClass();
    const std::vector<int> classB = classesFor(*second_, {conditionClass});
    submit("morph", [a, b = second_, codesA, endpoints, frames, kind, conditionClass, classB] {
        const std::vector<float> z = encodeAll(*b, endpoints, classB);
        const std::size_t dim = std::size_t(b->config().latentDim);
        const auto code = [&](std::size_t k) { return std::vector<float>(z.begin() + std::ptrdiff_t(k * dim), z.begin() + std::ptrdiff_t((k + 1) * dim)); };
        const std::vector<float> codesB = endpoints.size() == 3 ? Interpolation::triangleFrames(code(0), code(1), code(2), frames)
                                                                : Interpolation::frames(code(0), code(1), frames, kind);
        QList<QImage> out = toQImages(a->decodeImages(codesA, {conditionClass}));
        out << toQImages(b->decodeImages(codesB, classB));
        return out;
    }, &ComparePanel::showMorph);
}

void ComparePanel::showMorph(const QList<QImage>& images)
{
    morphImages_ = images;
    const int n = int(images.size() / 2);
    morphStrips_->setPixmap(QPixmap::fromImage(composeRows({{"A", images.mid(0, n)}, {"B", images.mid(n, n)}}, tileFor(n),
                                                           palette().color(QPalette::Window),
                                                           palette().color(QPalette::WindowText))));
    Q_EMIT morphsReady();
}

void ComparePanel::requestEdit()
{
    const auto a = document_->model();
    const QImage editedA = session_->editedImage();
    if (!second_ || !a || !document_->hasSelection() || editedA.isNull()) {
        if (second_)
            editNote_->setText(tr("Select an image (and move the Attributes dock's sliders): both models edit it."));
        return;
    }
    // B adds its own vectors of the names A's edit uses, to its own code of the image.
    const ModelInfo& infoB = second_->info();
    std::vector<float> shift(std::size_t(second_->config().latentDim), 0.0f);
    QStringList used, missing;
    for (const QString& name : document_->attributeNames()) {
        const double alpha = session_->strength(name);
        if (alpha == 0)
            continue;
        const auto found = std::find_if(infoB.attributes.begin(), infoB.attributes.end(),
                                        [&](const AttributeVector& v) { return v.name == name.toStdString(); });
        if (found == infoB.attributes.end() || found->direction.size() != shift.size()) {
            missing << name;
            continue;
        }
        used << QString("%1 %2").arg(name).arg(alpha, 0, 'f', 2);
        for (std::size_t k = 0; k < shift.size(); ++k)
            shift[k] += float(alpha) * found->direction[k];
    }
    QString note = used.isEmpty() ? tr("No attribute strengths set: both show their reconstruction of the image.")
                                  : tr("B adds its own vectors of the same names: %1.").arg(used.join(", "));
    if (!missing.isEmpty())
        note += " " + tr("B has no vector named %1 (open B itself to add it in the Attributes dock).").arg(missing.join(", "));
    for (int i = 0; i < session_->sliderCount(); ++i)
        if (session_->sliderOffset(i) != 0) {
            note += " " + tr("The Inspector's offsets are along A's own dimensions and apply to A alone.");
            break;
        }
    editNote_->setText(note);
    const Image original = ImageConversion::toImage(document_->original(), second_->config().channels);
    const std::vector<int> classB = classesFor(*second_, {document_->conditionClass()});
    submit("edit", [b = second_, original, shift, classB, editedA, originalShown = document_->original()] {
        std::vector<float> z = b->encodeImage(original, classB.empty() ? 0 : classB.front());
        for (std::size_t k = 0; k < z.size(); ++k)
            z[k] += shift[k];
        QList<QImage> out{originalShown, editedA};
        out << toQImages(b->decodeImages(z, classB));
        return out;
    }, &ComparePanel::showEdit);
}

void ComparePanel::showEdit(const QList<QImage>& images)
{
    editImages_ = images;
    const QImage row = composeRows({{"", images}}, kEditSide, palette().color(QPalette::Window),
                                   palette().color(QPalette::WindowText));
    // Captions under the three: what each one is.
    QImage captioned(row.width(), row.height() + 18, QImage::Format_RGB32);
    captioned.fill(palette().color(QPalette::Window));
    QPainter painter(&captioned);
    painter.drawImage(0, 0, row);
    painter.setPen(palette().color(QPalette::WindowText));
    const QStringList captions{tr("original"), tr("A's edit"), tr("B's edit")};
    for (int i = 0; i < captions.size(); ++i)
        painter.drawText(QRect(kCaptionWidth + i * (kEditSide + kGap), row.height(), kEditSide, 18), Qt::AlignCenter,
                         captions[i]);
    painter.end();
    edit_->setPixmap(QPixmap::fromImage(captioned));
    Q_EMIT editsReady();
}

void ComparePanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    followMap(); // what the main map did while the dock was hidden
}

void ComparePanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    // Two square maps side by side in the dock's width; the rows' tiles follow it too.
    const int side = std::clamp((width() - 30) / 2, 120, 320);
    for (QLabel* map : mapLabels_)
        map->setFixedSize(side, side);
    if (!rowImages_.isEmpty())
        showRows(rowImages_);
    if (!morphImages_.isEmpty())
        showMorph(morphImages_);
    showMapImages();
}

void ComparePanel::followMap()
{
    if (!isVisible()) // B's map decodes only while it can be seen; showEvent catches up
        return;
    const auto a = document_->shownModel();
    const bool fits = second_ && a && a->config().latentDim == second_->config().latentDim
                      && mapA_->plane().dim() == second_->config().latentDim && isAxisPlane(mapA_->plane());
    for (QLabel* map : mapLabels_)
        map->setVisible(fits);
    if (!second_) {
        mapNote_->clear();
        return;
    }
    if (!fits) {
        mapImages_[1] = QImage();
        mapNote_->setText(a && a->config().latentDim != second_->config().latentDim
                              ? tr("No map for B: its latent space has %1 dimensions and A's %2, so A's plane has no "
                                   "counterpart in it.")
                                    .arg(second_->config().latentDim)
                                    .arg(a->config().latentDim)
                              : tr("No map for B: the map shows a plane made from A's own codes (principal "
                                   "components, picked images or attribute vectors), which has no counterpart in B. "
                                   "Pick two latent dimensions in the View dock to see both maps."));
        return;
    }
    const LatentPlane& plane = mapA_->plane();
    const PlaneRange range = mapA_->range();
    const auto axis = [](const std::vector<float>& v) {
        return int(std::find_if(v.begin(), v.end(), [](float x) { return x != 0.0f; }) - v.begin());
    };
    mapNote_->setText(tr("z%1 from %2 to %3 against z%4 from %5 to %6, each in its own model's latent space (A: the "
                         "main map)")
                          .arg(axis(plane.u()))
                          .arg(range.aMin, 0, 'f', 2)
                          .arg(range.aMax, 0, 'f', 2)
                          .arg(axis(plane.v()))
                          .arg(range.bMin, 0, 'f', 2)
                          .arg(range.bMax, 0, 'f', 2));
    showFirstMap();
    // B's tiles where the main map's are: the same plane, range, spacing and tile count.
    submit("map", [b = second_, plane, range, spacing = mapA_->spacing(), tiles = mapA_->tiles(),
                   conditionClass = std::clamp(mapA_->conditionClass(), 0, std::max(0, second_->config().conditionClasses - 1))] {
        const Image grid = LatentGrid::render(*b, plane, ViewMapping(range, spacing, 1, 1), tiles, tiles, 0, conditionClass);
        return QList<QImage>{ImageConversion::toQImage(grid)};
    }, &ComparePanel::showSecondMap);
}

void ComparePanel::showFirstMap()
{
    if (second_ && mapLabels_[0]->isVisible() && !mapA_->frame().isNull()) {
        mapImages_[0] = mapA_->frame();
        showMapImages();
    }
}

void ComparePanel::showSecondMap(const QList<QImage>& images)
{
    mapImages_[1] = images.first();
    showMapImages();
    Q_EMIT mapReady();
}

void ComparePanel::showMapImages()
{
    for (int i = 0; i < 2; ++i)
        if (!mapImages_[i].isNull())
            mapLabels_[i]->setPixmap(QPixmap::fromImage(mapImages_[i].scaled(
                mapLabels_[i]->size() - QSize(4, 4), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        else
            mapLabels_[i]->clear();
}

QString ComparePanel::morphText() const
{
    return morphNote_->text();
}

QString ComparePanel::editText() const
{
    return editNote_->text();
}

QString ComparePanel::mapText() const
{
    return mapNote_->text();
}

} // namespace latentlab
