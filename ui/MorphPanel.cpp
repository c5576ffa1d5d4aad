#include "ui/MorphPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/formats/ImageIO.h"
#include "core/latent/Interpolation.h"
#include "ui/BackgroundTask.h"
#include "ui/ExplorerDocument.h"
#include "ui/TriangleControl.h"

namespace latentlab {

namespace {

constexpr int kScrubSteps = 1000;
constexpr int kPreviewSide = 160;

} // namespace

MorphPanel::MorphPanel(ExplorerDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), decoder_(std::make_unique<CodeDecoder>())
{
    auto* endpoints = new QHBoxLayout;
    for (int i = 0; i < 3; ++i) {
        slots_[i] = new QToolButton(this);
        slots_[i]->setIconSize(QSize(48, 48));
        slots_[i]->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        slots_[i]->setText(QString("%1: —").arg(QChar('A' + i)));
        slots_[i]->setToolTip(tr("Click to use the selected image as %1").arg(QChar('A' + i)));
        endpoints->addWidget(slots_[i]);
        connect(slots_[i], &QToolButton::clicked, this, [this, i] {
            if (document_->hasSelection())
                setEndpoint(i, document_->original(), document_->baseCode(), document_->selectionName());
        });
    }
    auto* clearC = new QPushButton(tr("No C"), this);
    clearC->setToolTip(tr("Morph between A and B only"));
    endpoints->addWidget(clearC);
    endpoints->addStretch(1);
    connect(clearC, &QPushButton::clicked, this, [this] { setEndpoint(2, {}, {}, {}); });

    kind_ = new QComboBox(this);
    kind_->addItem(tr("Linear"));
    kind_->addItem(tr("Spherical (slerp)"));
    frames_ = new QSpinBox(this);
    frames_->setRange(2, 120);
    frames_->setValue(8);
    secondsPerFrame_ = new QDoubleSpinBox(this);
    secondsPerFrame_->setRange(0.02, 5);
    secondsPerFrame_->setSingleStep(0.05);
    secondsPerFrame_->setValue(0.1);
    secondsPerFrame_->setSuffix(tr(" s per frame"));

    status_ = new QLabel(this);
    status_->setWordWrap(true);
    strip_ = new QLabel(this);
    strip_->setMinimumHeight(40);
    strip_->setAlignment(Qt::AlignCenter);
    previewLabel_ = new QLabel(this);
    previewLabel_->setFixedSize(kPreviewSide, kPreviewSide);
    previewLabel_->setFrameShape(QFrame::StyledPanel);
    previewLabel_->setAlignment(Qt::AlignCenter);
    scrubber_ = new QSlider(Qt::Horizontal, this);
    scrubber_->setRange(0, kScrubSteps);
    scrubber_->setToolTip(tr("Scrub from A to B"));
    triangle_ = new TriangleControl(this);
    auto* exportButton = new QPushButton(tr("&Export…"), this);
    exportButton->setToolTip(tr("Write the frames as a PNG strip, an animated GIF or an MP4"));

    auto* previewRow = new QHBoxLayout;
    previewRow->addWidget(previewLabel_);
    previewRow->addWidget(triangle_, 1);
    auto* form = new QFormLayout;
    form->addRow(tr("Interpolation"), kind_);
    form->addRow(tr("Frames"), frames_);
    form->addRow(tr("Export timing"), secondsPerFrame_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(endpoints);
    layout->addLayout(form);
    layout->addWidget(status_);
    layout->addWidget(strip_);
    layout->addLayout(previewRow);
    layout->addWidget(scrubber_);
    layout->addWidget(exportButton);
    layout->addStretch(1);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
        requestStrip();
        requestPreview();
    });
    connect(frames_, &QSpinBox::valueChanged, this, &MorphPanel::requestStrip);
    connect(scrubber_, &QSlider::valueChanged, this, &MorphPanel::requestPreview);
    connect(triangle_, &TriangleControl::weightsChanged, this, &MorphPanel::requestPreview);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Morph"), "morph.gif",
                                                          tr("Animated GIF (*.gif);;PNG strip (*.png);;MP4 video (*.mp4)"));
        if (!path.isEmpty())
            exportTo(path);
    });
    connect(document_, &ExplorerDocument::conditionClassChanged, this, [this] {
        requestStrip();
        requestPreview();
    });
    connect(document_, &ExplorerDocument::modelChanged, this, [this] {
        // Codes of another latent space cannot be morphed with this model.
        const int dim = document_->model() ? document_->model()->config().latentDim : 0;
        for (int slot = 0; slot < 3; ++slot)
            if (!codes_[slot].empty() && int(codes_[slot].size()) != dim)
                setEndpoint(slot, {}, {}, {});
        requestStrip();
        requestPreview();
    });
    updateControls();
}

MorphPanel::~MorphPanel() = default;

QString MorphPanel::statusText() const
{
    return status_->text();
}

void MorphPanel::showStrip(const QList<QImage>& images)
{
    // The frames side by side with 2 px gaps.
    const QSize tile = images.first().size();
    QImage strip(int(images.size()) * (tile.width() + 2) - 2, tile.height(), QImage::Format_RGB32);
    strip.fill(palette().color(QPalette::Window));
    QPainter painter(&strip);
    for (int i = 0; i < images.size(); ++i)
        painter.drawImage(i * (tile.width() + 2), 0, images[i]);
    painter.end();
    strip_->setPixmap(QPixmap::fromImage(strip.scaledToHeight(48, Qt::SmoothTransformation)));
}

void MorphPanel::showDecodeError(const QString& message)
{
    const QString text = tr("Cannot decode the morph: %1").arg(message);
    status_->setText(text);
    Q_EMIT decodeFailed(text);
}

void MorphPanel::setEndpoint(int slot, const QImage& image, std::vector<float> code, const QString& name)
{
    if (slot < 0 || slot > 2)
        return;
    codes_[slot] = std::move(code);
    images_[slot] = codes_[slot].empty() ? QImage() : image;
    const QString letter(QChar('A' + slot));
    if (codes_[slot].empty() || image.isNull()) {
        slots_[slot]->setIcon(QIcon());
        slots_[slot]->setText(letter + (codes_[slot].empty() ? QString(": —") : ": " + name));
    } else {
        slots_[slot]->setIcon(QIcon(QPixmap::fromImage(image.scaled(48, 48, Qt::KeepAspectRatio, Qt::FastTransformation))));
        slots_[slot]->setText(letter + ": " + name);
    }
    updateControls();
    requestStrip();
    requestPreview();
}

int MorphPanel::frameCount() const
{
    return frames_->value();
}

bool MorphPanel::isSpherical() const
{
    return kind_->currentIndex() == 1;
}

void MorphPanel::setFrameCount(int frames)
{
    frames_->setValue(frames);
}

void MorphPanel::setSpherical(bool on)
{
    kind_->setCurrentIndex(on ? 1 : 0);
}

void MorphPanel::updateControls()
{
    status_->setText(ready() ? QString()
                             : tr("Pick images A and B: click points on the map (the first two picks), or select "
                                  "an image and click a slot above."));
    triangle_->setVisible(threeImages());
    scrubber_->setVisible(!threeImages());
    kind_->setEnabled(!threeImages()); // three images mix barycentrically
}

std::vector<float> MorphPanel::codeAt(double s, double t) const
{
    if (threeImages())
        return Interpolation::barycentric(codes_[0], codes_[1], codes_[2], s, t);
    return kind_->currentIndex() == 1 ? Interpolation::spherical(codes_[0], codes_[1], s)
                                      : Interpolation::linear(codes_[0], codes_[1], s);
}

std::vector<float> MorphPanel::frameCodes(int frames) const
{
    if (!ready())
        return {};
    if (!threeImages())
        return Interpolation::frames(codes_[0], codes_[1], frames,
                                     kind_->currentIndex() == 1 ? InterpolationKind::Spherical : InterpolationKind::Linear);
    return Interpolation::triangleFrames(codes_[0], codes_[1], codes_[2], frames);
}

void MorphPanel::requestStrip()
{
    Q_EMIT stripChanged();
    if (!ready() || !document_->model())
        return;
    stripStamp_ = decoder_->submit(
        "morph-strip", CodeBatch{document_->model(), frameCodes(frames_->value()), {document_->conditionClass()}, {}, {}}, this,
        [this](quint64 stamp, const QList<QImage>& images) {
            if (stamp == stripStamp_ && !images.isEmpty())
                showStrip(images);
        },
        [this](quint64 stamp, const QString& message) {
            if (stamp == stripStamp_)
                showDecodeError(message);
        });
}

void MorphPanel::requestPreview()
{
    if (!ready() || !document_->model())
        return;
    const std::vector<float> z = threeImages() ? codeAt(triangle_->weights().x(), triangle_->weights().y())
                                               : codeAt(double(scrubber_->value()) / kScrubSteps, 0);
    previewStamp_ = decoder_->submit(
        "morph-preview", CodeBatch{document_->model(), z, {document_->conditionClass()}, {}, {}}, this,
        [this](quint64 stamp, const QList<QImage>& images) {
            if (stamp != previewStamp_ || images.isEmpty())
                return;
            if (ready())
                status_->clear();
            preview_ = images.first();
            previewLabel_->setPixmap(QPixmap::fromImage(
                preview_.scaled(kPreviewSide, kPreviewSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            Q_EMIT previewReady(preview_);
        },
        [this](quint64 stamp, const QString& message) {
            if (stamp == previewStamp_)
                showDecodeError(message);
        });
}

void MorphPanel::exportTo(const QString& path)
{
    if (!ready() || !document_->model()) {
        Q_EMIT exportFailed(tr("Pick images A and B first"));
        return;
    }
    // Never waits for an export still running: each runs on its own and reports its own outcome.
    const std::vector<float> codes = frameCodes(frames_->value());
    const int frames = int(codes.size() / codes_[0].size());
    runInBackground(this, [model = std::shared_ptr<const Model>(document_->model()), codes, path,
                           seconds = secondsPerFrame_->value(), conditionClass = document_->conditionClass()] {
        try {
            ImageIO::writeFrames(model->decodeImages(codes, {conditionClass}), path.toStdString(), seconds);
            return QString();
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }, [this, path, frames](const QString& error) {
        if (error.isEmpty())
            Q_EMIT exported(path, frames);
        else
            Q_EMIT exportFailed(error);
    });
}

} // namespace latentlab
