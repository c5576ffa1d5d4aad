#include "ui/InspectorPanel.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/CodeBarChart.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"
#include "ui/ImageConversion.h"

namespace latentlab {

namespace {

constexpr int kPreview = 96;
constexpr int kClassColumns = 5;
constexpr double kSliderScale = 100; // slider steps per unit

QLabel* imageLabel(const QString& caption, QWidget* parent, QVBoxLayout** column, QLabel** captionLabel = nullptr)
{
    auto* image = new QLabel(parent);
    image->setFixedSize(kPreview, kPreview);
    image->setAlignment(Qt::AlignCenter);
    image->setFrameShape(QFrame::StyledPanel);
    *column = new QVBoxLayout;
    (*column)->addWidget(image, 0, Qt::AlignHCenter);
    auto* text = new QLabel(caption, parent);
    text->setAlignment(Qt::AlignHCenter);
    (*column)->addWidget(text);
    if (captionLabel)
        *captionLabel = text;
    return image;
}

QPixmap scaled(const QImage& image, int side)
{
    return QPixmap::fromImage(image.scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation));
}

} // namespace

InspectorPanel::InspectorPanel(EditSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet("QLabel { color: #b00020; }");
    error_->hide();
    notice_ = new QLabel(this);
    notice_->setObjectName("notice");
    notice_->setWordWrap(true);
    notice_->setStyleSheet("QLabel { background: #fff4d6; color: #5c4400; border: 1px solid #e0b84c; padding: 4px; }");
    notice_->hide();
    corruptedToggle_ = new QCheckBox(this);
    corruptedToggle_->setObjectName("corruptedToggle");
    corruptedToggle_->hide();
    connect(corruptedToggle_, &QCheckBox::toggled, this, &InspectorPanel::corruptedViewToggled);
    // Everything below the title waits for a selection: no empty boxes before that.
    details_ = new QWidget(this);
    auto* images = new QHBoxLayout;
    QVBoxLayout* column = nullptr;
    original_ = imageLabel(tr("Original"), this, &column, &originalCaption_);
    images->addLayout(column);
    reconstruction_ = imageLabel(tr("Reconstruction"), this, &column, &reconstructionCaption_);
    images->addLayout(column);
    canonicalColumn_ = new QWidget(this); // a model with a pose only
    canonical_ = imageLabel(tr("Canonical"), canonicalColumn_, &column);
    canonical_->setObjectName("canonical");
    canonical_->setToolTip(tr("The same content at the pose of the map's pose sliders: upright and centred unless "
                              "you moved them"));
    column->setContentsMargins(0, 0, 0, 0);
    canonicalColumn_->setLayout(column);
    canonicalColumn_->hide();
    images->addWidget(canonicalColumn_);
    edited_ = imageLabel(tr("Edited"), this, &column);
    images->addLayout(column);

    bars_ = new CodeBarChart(this);
    bars_->setToolTip(tr("The code: edited bars, the original in outline"));

    sliderBox_ = new QWidget;
    sliderGrid_ = new QGridLayout(sliderBox_);
    sliderGrid_->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(sliderBox_);
    scroll->setWidgetResizable(true);
    scroll->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    scroll->setMinimumHeight(160); // room for several sliders before it scrolls
    scroll->setMaximumHeight(360);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* reset = new QPushButton(tr("&Reset edits"), this);

    classBox_ = new QGroupBox(tr("In every class (click to decode the map and edits in one)"), this);
    classGrid_ = new QGridLayout(classBox_);
    classGrid_->setSpacing(2);
    classBox_->hide(); // conditional models only

    auto* neighbourBox = new QGroupBox(tr("Nearest neighbours"), this);
    neighbourRow_ = new QHBoxLayout(neighbourBox);
    for (int i = 0; i < kNeighbours; ++i) {
        auto* button = new QToolButton(neighbourBox);
        button->setIconSize(QSize(40, 40));
        button->setAutoRaise(true);
        button->setEnabled(false);
        neighbourRow_->addWidget(button);
        neighbourButtons_ << button;
        connect(button, &QToolButton::clicked, this, [this, i] {
            if (i < neighbours_.size())
                session_->selectIndex(neighbours_[i]);
        });
    }
    neighbourRow_->addStretch(1);

    auto* detailsLayout = new QVBoxLayout(details_);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addLayout(images);
    detailsLayout->addWidget(bars_);
    detailsLayout->addWidget(scroll);
    detailsLayout->addWidget(reset);
    detailsLayout->addWidget(classBox_);
    detailsLayout->addWidget(neighbourBox);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(error_);
    layout->addWidget(notice_);
    layout->addWidget(corruptedToggle_);
    layout->addWidget(details_);
    layout->addStretch(1);

    connect(reset, &QPushButton::clicked, session_, &EditSession::resetEdits);
    connect(session_, &EditSession::slidersChanged, this, &InspectorPanel::rebuildSliders);
    connect(session_->document(), &ExplorerDocument::selectionChanged, this, &InspectorPanel::showSelection);
    connect(session_->document(), &ExplorerDocument::modelChanged, this, &InspectorPanel::showSelection);
    connect(session_, &EditSession::decodeFailed, this, [this](const QString& message) {
        error_->setText(message);
        error_->show();
    });
    connect(session_, &EditSession::reconstructionReady, this,
            [this](const QImage& image) {
                error_->hide();
                reconstruction_->setPixmap(scaled(image, kPreview));
            });
    connect(session_, &EditSession::canonicalReady, this, [this](const QImage& image) {
        canonical_->setPixmap(scaled(image, kPreview));
        canonicalColumn_->show();
    });
    connect(session_, &EditSession::editedReady, this, [this](const QImage& image) {
        error_->hide();
        editedImage_ = image;
        edited_->setPixmap(scaled(image, kPreview));
        updateBars();
    });
    connect(session_, &EditSession::classesReady, this, &InspectorPanel::showClasses);
    connect(session_->document(), &ExplorerDocument::conditionClassChanged, this, [this](int conditionClass) {
        for (int k = 0; k < classButtons_.size(); ++k)
            classButtons_[k]->setChecked(k == conditionClass);
    });
    rebuildSliders();
    showSelection();
}

void InspectorPanel::showClasses(const QList<QImage>& images)
{
    const auto model = session_->model();
    const std::vector<std::string> names = model ? model->info().classNames : std::vector<std::string>{};
    while (classButtons_.size() < images.size()) {
        const int k = int(classButtons_.size());
        auto* button = new QToolButton(classBox_);
        button->setIconSize(QSize(44, 44));
        button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        button->setAutoRaise(true);
        button->setCheckable(true);
        classGrid_->addWidget(button, k / kClassColumns, k % kClassColumns);
        classButtons_ << button;
        connect(button, &QToolButton::clicked, this, [this, k] {
            session_->setConditionClass(k);
            classButtons_[k]->setChecked(true); // a click on the checked one would uncheck it
        });
    }
    for (int k = 0; k < classButtons_.size(); ++k) {
        QToolButton* button = classButtons_[k];
        button->setVisible(k < images.size());
        if (k >= images.size())
            continue;
        const QString name = std::size_t(k) < names.size() ? QString::fromStdString(names[std::size_t(k)])
                                                              : QString::number(k);
        button->setIcon(QIcon(QPixmap::fromImage(images[k].scaled(44, 44, Qt::KeepAspectRatio, Qt::SmoothTransformation))));
        button->setText(button->fontMetrics().elidedText(name, Qt::ElideRight, 64));
        button->setToolTip(name);
        button->setChecked(k == session_->conditionClass());
    }
    classBox_->setVisible(!images.isEmpty());
}

QString InspectorPanel::titleText() const
{
    return title_->text();
}

QString InspectorPanel::errorText() const
{
    return error_->isHidden() ? QString() : error_->text();
}

QSlider* InspectorPanel::slider(int i) const
{
    return sliders_.value(i);
}

void InspectorPanel::rebuildSliders()
{
    const int count = session_->sliderCount();
    if (count != sliders_.size()) {
        qDeleteAll(sliderBox_->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly));
        sliders_.clear();
        sliderValues_.clear();
        for (int i = 0; i < count; ++i) {
            auto* name = new QLabel(session_->sliderName(i), sliderBox_);
            auto* slider = new QSlider(Qt::Horizontal, sliderBox_);
            slider->setRange(int(-3 * kSliderScale), int(3 * kSliderScale));
            auto* value = new QLabel(sliderBox_);
            value->setMinimumWidth(value->fontMetrics().horizontalAdvance("+0.00"));
            sliderGrid_->addWidget(name, i, 0);
            sliderGrid_->addWidget(slider, i, 1);
            sliderGrid_->addWidget(value, i, 2);
            sliders_ << slider;
            sliderValues_ << value;
            sliderGrid_->setRowStretch(i, 0);
            connect(slider, &QSlider::valueChanged, this, [this, i](int v) {
                sliderValues_[i]->setText(QString::asprintf("%+.2f", v / kSliderScale));
                session_->setSliderOffset(i, v / kSliderScale);
                updateBars();
            });
        }
    }
    sliderGrid_->setRowStretch(count, 1); // rows packed at the top
    for (int i = 0; i < count; ++i) {
        const QSignalBlocker block(sliders_[i]);
        sliders_[i]->setValue(int(std::lround(session_->sliderOffset(i) * kSliderScale)));
        sliders_[i]->setEnabled(session_->hasSelection());
        sliderValues_[i]->setText(QString::asprintf("%+.2f", session_->sliderOffset(i)));
    }
    updateBars();
}

void InspectorPanel::setNotice(const QString& text)
{
    notice_->setText(text);
    notice_->setVisible(!text.isEmpty());
}

void InspectorPanel::showSelection()
{
    notice_->hide();
    // A denoising or colourising model shows what it was given and what it made of it.
    const std::shared_ptr<Model> model = session_->model();
    const Corruption corruption = model ? model->config().corruption : Corruption{};
    const bool grey = corruption.kind == Corruption::Kind::Grey;
    corruptedToggle_->setVisible(corruption.active());
    if (!corruption.active() && corruptedToggle_->isChecked())
        corruptedToggle_->setChecked(false);
    corruptedToggle_->setText(grey ? tr("Show test images in grey, next to their colourisation")
                                   : tr("Show test images corrupted (%1), next to their restoration")
                                         .arg(QString::fromStdString(corruption.text())));
    originalCaption_->setText(corruption.active() ? tr("Input") : tr("Original"));
    reconstructionCaption_->setText(!corruption.active() ? tr("Reconstruction") : grey ? tr("Colourised") : tr("Restored"));
    if (!session_->hasSelection()) {
        title_->setText(session_->model()
                            ? tr("<p><b>Click a point on the map or a thumbnail in the Data Set tab to inspect it</b>, "
                                 "or drop an image file on the window.</p>"
                                 "<p>Here you will see the image, its reconstruction and an edited version, its code, "
                                 "a slider per latent dimension and its nearest neighbours.</p>"
                                 "<p>On the map: drag to pan, scroll to zoom, double-click to centre. The points are "
                                 "the test images, coloured by label; the first two you click become the Morph "
                                 "tab's A and B.</p>")
                            : tr("<p><b>Open or train a model</b> (File menu, or drop a .latentlab file on the "
                                 "window), then click a point on the map to inspect it.</p>"));
        details_->hide();
        original_->clear();
        reconstruction_->clear();
        canonical_->clear();
        edited_->clear();
        bars_->setCodes({}, {});
        classBox_->hide();
        updateNeighbours();
        return;
    }
    const QString pose = session_->poseText();
    title_->setText(pose.isEmpty() ? tr("Selected: %1").arg(session_->selectionName())
                                   : tr("Selected: %1<br>%2").arg(session_->selectionName(), pose));
    canonicalColumn_->setVisible(!pose.isEmpty());
    details_->show();
    original_->setPixmap(scaled(session_->original(), kPreview));
    if (!session_->isConditional())
        classBox_->hide();
    for (QSlider* slider : sliders_)
        slider->setEnabled(true);
    updateBars();
    updateNeighbours();
}

void InspectorPanel::updateBars()
{
    if (session_->hasSelection())
        bars_->setCodes(session_->baseCode(), session_->editedCode());
}

void InspectorPanel::updateNeighbours()
{
    neighbours_.clear();
    const auto codes = session_->codes();
    const auto data = session_->data();
    if (session_->hasSelection() && codes && data && codes->dim == int(session_->baseCode().size())) {
        const std::size_t self = session_->selectedIndex() >= 0 ? std::size_t(session_->selectedIndex()) : std::size_t(-1);
        for (const auto& [index, distance] : codes->nearest(session_->baseCode().data(), kNeighbours, self))
            if (index < data->size()) // code i is image i, if the codes are the data set's
                neighbours_ << int(index);
    }
    for (int i = 0; i < neighbourButtons_.size(); ++i) {
        QToolButton* button = neighbourButtons_[i];
        if (i < neighbours_.size()) {
            const QImage image = ImageConversion::toQImage(
                Image::fromPlanarBytes(data->image(std::size_t(neighbours_[i])), data->shape()));
            button->setIcon(QIcon(scaled(image, 40)));
            button->setToolTip(tr("#%1: select it").arg(neighbours_[i]));
            button->setEnabled(true);
        } else {
            button->setIcon(QIcon());
            button->setEnabled(false);
        }
    }
}

} // namespace latentlab
