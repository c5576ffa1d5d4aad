#include "ui/PlaneControls.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>

#include <cmath>

#include "models/ModelRegistry.h"
#include "ui/ExplorerDocument.h"
#include "ui/ScatterColouring.h"

namespace latentlab {

namespace {
constexpr int kAngleAndShift = 3; // a pose of an angle and a shift (dx, dy), as the rVAE's code starts
}

PlaneControls::PlaneControls(ExplorerDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    kind_ = new QComboBox(this);
    kind_->addItem(tr("Two latent dimensions"), int(Kind::Dimensions));
    kind_->addItem(tr("Principal components"), int(Kind::Pca));
    kind_->addItem(tr("Through three picked images"), int(Kind::ThreeImages));
    dimU_ = new QComboBox(this);
    dimV_ = new QComboBox(this);
    dimU_->setObjectName("dimU");
    dimV_->setObjectName("dimV");
    auto* dims = new QHBoxLayout;
    dims->addWidget(dimU_);
    dims->addWidget(new QLabel(tr("against"), this));
    dims->addWidget(dimV_);
    spacing_ = new QComboBox(this);
    spacing_->addItem(tr("Linear"));
    spacing_->addItem(tr("Inverse Gaussian CDF"));
    spacing_->setToolTip(tr("Inverse CDF: equal steps of probability under N(0, 1), as in Kingma & Welling"));
    tiles_ = new QSpinBox(this);
    tiles_->setRange(4, 32);
    tiles_->setSuffix(tr(" per side"));
    class_ = new QComboBox(this);
    class_->setObjectName("classChoice");
    class_->setToolTip(tr("The class the conditional model decodes the map, edits and morphs in"));
    opacity_ = new QSlider(Qt::Horizontal, this);
    opacity_->setRange(0, 100);
    opacity_->setValue(60);
    opacity_->setToolTip(tr("Opacity of the encoded test images drawn over the map; 0 hides them"));
    colourBy_ = new QComboBox(this);
    colourBy_->setObjectName("colourBy");
    colourBy_->setToolTip(tr("What the overlay's points are coloured by: the label, or a factor or attribute the data "
                             "set knows (the angle of cards on a colour wheel)"));
    pose_ = new QWidget(this);
    auto* poseGrid = new QGridLayout(pose_);
    poseGrid->setContentsMargins(0, 0, 0, 0);
    angle_ = new QSlider(Qt::Horizontal, pose_);
    angle_->setObjectName("poseAngle");
    angle_->setRange(-180, 180);
    angle_->setToolTip(tr("The angle the map is decoded at, in degrees (counter-clockwise)"));
    shiftX_ = new QSlider(Qt::Horizontal, pose_);
    shiftY_ = new QSlider(Qt::Horizontal, pose_);
    shiftX_->setObjectName("poseDx");
    shiftY_->setObjectName("poseDy");
    for (QSlider* shift : {shiftX_, shiftY_}) {
        shift->setRange(-300, 300); // hundredths of the shift latent: +-3 prior widths
        shift->setToolTip(tr("The shift the map is decoded at (up to three widths of the shift's prior)"));
    }
    auto* upright = new QPushButton(tr("&Upright"), pose_);
    upright->setToolTip(tr("Back to the canonical pose: no turn, no shift"));
    poseText_ = new QLabel(pose_);
    poseGrid->addWidget(new QLabel(tr("Angle"), pose_), 0, 0);
    poseGrid->addWidget(angle_, 0, 1);
    poseGrid->addWidget(new QLabel(tr("dx"), pose_), 1, 0);
    poseGrid->addWidget(shiftX_, 1, 1);
    poseGrid->addWidget(new QLabel(tr("dy"), pose_), 2, 0);
    poseGrid->addWidget(shiftY_, 2, 1);
    poseGrid->addWidget(poseText_, 3, 0, 1, 2);
    poseGrid->addWidget(upright, 4, 0, 1, 2, Qt::AlignLeft);
    selection_ = new QLabel(this);
    selection_->setWordWrap(true);
    clear_ = new QPushButton(tr("Clear picks"), this);

    form_ = new QFormLayout(this);
    form_->addRow(tr("Plane"), kind_);
    form_->addRow(tr("Dimensions"), dims);
    form_->addRow(tr("Spacing"), spacing_);
    form_->addRow(tr("Tiles"), tiles_);
    form_->addRow(tr("&Class"), class_);
    form_->addRow(tr("Data overlay"), opacity_);
    form_->addRow(tr("Colour by"), colourBy_);
    form_->addRow(tr("Pose"), pose_);
    form_->addRow(selection_);
    form_->addRow(clear_);
    form_->setRowVisible(class_, false);
    form_->setRowVisible(pose_, false);
    form_->setRowVisible(colourBy_, false);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        Q_EMIT planeChanged();
    });
    connect(dimU_, &QComboBox::currentIndexChanged, this, &PlaneControls::planeChanged);
    connect(dimV_, &QComboBox::currentIndexChanged, this, &PlaneControls::planeChanged);
    for (QSlider* slider : {angle_, shiftX_, shiftY_})
        connect(slider, &QSlider::valueChanged, this, &PlaneControls::sendPose);
    connect(upright, &QPushButton::clicked, this, [this] {
        document_->setPose(std::vector<float>(document_->pose().size(), 0.0f));
    });
    connect(document_, &ExplorerDocument::poseChanged, this, &PlaneControls::followPose);
    connect(colourBy_, &QComboBox::currentTextChanged, document_, &ExplorerDocument::setColourBy);
    connect(document_, &ExplorerDocument::colourByChanged, this, [this](const QString& choice) {
        const QSignalBlocker block(colourBy_);
        colourBy_->setCurrentText(choice);
    });
    connect(document_, &ExplorerDocument::overlayChanged, this, &PlaneControls::followOverlay);
    connect(spacing_, &QComboBox::currentIndexChanged, this, [this](int i) { Q_EMIT spacingChanged(i == 1); });
    connect(tiles_, &QSpinBox::valueChanged, this, &PlaneControls::tilesChanged);
    connect(class_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0)
            Q_EMIT conditionClassChanged(i);
    });
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) { Q_EMIT opacityChanged(v / 100.0); });
    connect(clear_, &QPushButton::clicked, document_, &ExplorerDocument::clearPicks);
    connect(this, &PlaneControls::conditionClassChanged, document_, &ExplorerDocument::setConditionClass);
    connect(document_, &ExplorerDocument::conditionClassChanged, this, &PlaneControls::setConditionClass);
    connect(document_, &ExplorerDocument::shownModelChanged, this, &PlaneControls::followShownModel);
    connect(document_, &ExplorerDocument::picksChanged, this, &PlaneControls::followPicks);
    setTiles(16);
    followPicks();
}

void PlaneControls::followShownModel()
{
    const auto model = document_->shownModel();
    if (!model)
        return;
    QStringList dimensions;
    for (const std::string& label : ModelRegistry::dimensionLabels(model->config()))
        dimensions << QString::fromStdString(label);
    setDimensionNames(dimensions);
    // A new kind of model: a code with a pose (the rVAE) opens on its first two content
    // values, not on the angle and shift. Snapshots of the same model keep the user's plane.
    const int pose = ModelRegistry::find(model->config().architecture).poseSize;
    const QString family = QString::fromStdString(model->config().architecture) + "/" + QString::number(model->config().latentDim);
    if (family != shownFamily_) {
        shownFamily_ = family;
        if (pose > 0 && model->config().latentDim >= pose + 2)
            setDims(pose, pose + 1);
    }
    QStringList classes;
    const std::vector<std::string>& names = model->info().classNames;
    for (int k = 0; k < model->config().conditionClasses; ++k)
        classes << (std::size_t(k) < names.size() ? QString::fromStdString(names[std::size_t(k)]) : QString::number(k));
    setClassNames(classes);
    document_->setConditionClass(classes.isEmpty() ? 0 : conditionClass());
    form_->setRowVisible(pose_, pose >= kAngleAndShift);
    followPose();
}

void PlaneControls::followOverlay()
{
    const auto overlay = document_->overlay();
    const QStringList choices = overlay ? ScatterColouring::choices(*overlay) : QStringList();
    const QString kept = document_->colourBy();
    {
        const QSignalBlocker block(colourBy_);
        colourBy_->clear();
        colourBy_->addItems(choices);
        colourBy_->setCurrentIndex(std::max(0, int(choices.indexOf(kept))));
    }
    form_->setRowVisible(colourBy_, choices.size() > 1);
    document_->setColourBy(colourBy_->currentText());
}

void PlaneControls::sendPose()
{
    if (document_->pose().size() < std::size_t(kAngleAndShift))
        return;
    document_->setPose({float(angle_->value() * M_PI / 180.0), float(shiftX_->value() / 100.0),
                        float(shiftY_->value() / 100.0)});
}

void PlaneControls::followPose()
{
    const std::vector<float>& pose = document_->pose();
    if (pose.size() < std::size_t(kAngleAndShift))
        return;
    const QSignalBlocker a(angle_), x(shiftX_), y(shiftY_);
    angle_->setValue(int(std::lround(pose[0] * 180.0 / M_PI)));
    shiftX_->setValue(int(std::lround(pose[1] * 100.0)));
    shiftY_->setValue(int(std::lround(pose[2] * 100.0)));
    poseText_->setText(document_->describePose(pose));
}

void PlaneControls::followPicks()
{
    const QList<int> picks = document_->picks();
    QStringList parts;
    for (int k = 0; k < picks.size(); ++k)
        parts << QString("%1: %2").arg(QChar('A' + k)).arg(document_->imageName(picks[k]));
    setSelectionText(parts.join(", "), picks.size() == 3);
}

PlaneControls::Kind PlaneControls::kind() const
{
    return Kind(kind_->currentData().toInt());
}

void PlaneControls::setKind(Kind kind)
{
    kind_->setCurrentIndex(kind_->findData(int(kind)));
}

int PlaneControls::dimU() const { return std::max(0, dimU_->currentIndex()); }
int PlaneControls::dimV() const { return std::max(0, dimV_->currentIndex()); }

void PlaneControls::setDims(int u, int v)
{
    const QSignalBlocker blockU(dimU_), blockV(dimV_);
    dimU_->setCurrentIndex(std::clamp(u, 0, dimU_->count() - 1));
    dimV_->setCurrentIndex(std::clamp(v, 0, dimV_->count() - 1));
    Q_EMIT planeChanged();
}

QString PlaneControls::dimName(int d) const
{
    return dimU_->itemText(d);
}

int PlaneControls::dimCount() const
{
    return dimU_->count();
}

void PlaneControls::setDimensionNames(const QStringList& names)
{
    const QSignalBlocker blockU(dimU_), blockV(dimV_);
    const int u = dimU(), v = dimV();
    for (QComboBox* box : {dimU_, dimV_}) {
        box->clear();
        box->addItems(names);
    }
    const int last = std::max(0, int(names.size()) - 1);
    dimU_->setCurrentIndex(std::min(u, last));
    dimV_->setCurrentIndex(std::min(v, last));
    if (dimU() == dimV())
        dimV_->setCurrentIndex(std::min(last, dimU() == 0 ? 1 : 0));
    updateEnabled();
}

bool PlaneControls::inverseCdf() const { return spacing_->currentIndex() == 1; }
void PlaneControls::setInverseCdf(bool on) { spacing_->setCurrentIndex(on ? 1 : 0); }
int PlaneControls::tiles() const { return tiles_->value(); }
void PlaneControls::setTiles(int tiles) { tiles_->setValue(tiles); }
double PlaneControls::opacity() const { return opacity_->value() / 100.0; }

void PlaneControls::setClassNames(const QStringList& names)
{
    const QSignalBlocker block(class_);
    const int kept = class_->currentIndex();
    class_->clear();
    class_->addItems(names);
    class_->setCurrentIndex(kept >= 0 && kept < names.size() ? kept : 0);
    form_->setRowVisible(class_, !names.isEmpty());
}

int PlaneControls::conditionClass() const { return std::max(0, class_->currentIndex()); }

void PlaneControls::setConditionClass(int conditionClass)
{
    class_->setCurrentIndex(conditionClass);
}

void PlaneControls::setSelectionText(const QString& text, bool threePicked)
{
    selection_->setText(text.isEmpty() ? tr("Picks: click overlay points (A, B, C)") : tr("Picks: %1").arg(text));
    threePicked_ = threePicked;
    updateEnabled();
}

void PlaneControls::updateEnabled()
{
    const bool dims = kind() == Kind::Dimensions;
    dimU_->setEnabled(dims);
    dimV_->setEnabled(dims);
    // The three-image plane needs three picks; leave the choice visible but greyed out.
    auto* items = qobject_cast<QStandardItemModel*>(kind_->model());
    if (QStandardItem* three = items ? items->item(kind_->findData(int(Kind::ThreeImages))) : nullptr)
        three->setEnabled(threePicked_);
}

} // namespace latentlab
