#include "ui/PlaneControls.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardItemModel>

#include "models/ModelRegistry.h"
#include "ui/ExplorerDocument.h"

namespace latentlab {

PlaneControls::PlaneControls(ExplorerDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    kind_ = new QComboBox(this);
    kind_->addItem(tr("Two latent dimensions"), int(Kind::Dimensions));
    kind_->addItem(tr("Principal components"), int(Kind::Pca));
    kind_->addItem(tr("Through three picked images"), int(Kind::ThreeImages));
    dimU_ = new QSpinBox(this);
    dimV_ = new QSpinBox(this);
    for (QSpinBox* box : {dimU_, dimV_})
        box->setPrefix("z");
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
    form_->addRow(selection_);
    form_->addRow(clear_);
    form_->setRowVisible(class_, false);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        Q_EMIT planeChanged();
    });
    connect(dimU_, &QSpinBox::valueChanged, this, &PlaneControls::planeChanged);
    connect(dimV_, &QSpinBox::valueChanged, this, &PlaneControls::planeChanged);
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
    setLatentDim(model->config().latentDim);
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

int PlaneControls::dimU() const { return dimU_->value(); }
int PlaneControls::dimV() const { return dimV_->value(); }

void PlaneControls::setDims(int u, int v)
{
    const QSignalBlocker blockU(dimU_), blockV(dimV_);
    dimU_->setValue(u);
    dimV_->setValue(v);
    Q_EMIT planeChanged();
}

void PlaneControls::setLatentDim(int dim)
{
    const QSignalBlocker blockU(dimU_), blockV(dimV_);
    dimU_->setRange(0, std::max(0, dim - 1));
    dimV_->setRange(0, std::max(0, dim - 1));
    if (dimU_->value() == dimV_->value())
        dimV_->setValue(dimU_->value() == 0 ? 1 : 0);
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
