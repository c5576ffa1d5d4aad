#include "ui/AttributesPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

#include "core/base/Error.h"
#include "ui/BackgroundLoads.h"
#include "ui/EditSession.h"
#include "ui/ExplorerDocument.h"

namespace latentlab {

namespace {

constexpr double kSliderScale = 100;

QString methodLabel(VectorMethod method)
{
    switch (method) {
    case VectorMethod::Mean: return QObject::tr("Mean difference");
    case VectorMethod::Orthogonal: return QObject::tr("Mean difference ⊥ the other attributes");
    case VectorMethod::Stratified: return QObject::tr("Stratified mean difference");
    case VectorMethod::Probe: return QObject::tr("Linear probe (logistic regression)");
    case VectorMethod::ConditionalProbe: return QObject::tr("Conditional linear probe");
    }
    return {};
}

} // namespace

AttributesPanel::AttributesPanel(EditSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    listBox_ = new QWidget;
    list_ = new QVBoxLayout(listBox_);
    list_->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(listBox_);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(230); // three vectors with their quality and cross-talk lines

    auto* create = new QGroupBox(tr("New vector"), this);
    name_ = new QLineEdit(create);
    name_->setPlaceholderText(tr("name, e.g. smile"));
    source_ = new QComboBox(create);
    source_->addItem(tr("Class against class"), int(Source::ClassVsClass));
    source_->addItem(tr("Class against the rest"), int(Source::ClassVsRest));
    source_->addItem(tr("Attribute (of the data set or a file)"), int(Source::AttributeFile));
    source_->addItem(tr("Images picked by hand"), int(Source::HandPicked));
    method_ = new QComboBox(create);
    for (VectorMethod m : AttributeDirections::methods()) {
        method_->addItem(methodLabel(m), int(m));
        method_->setItemData(method_->count() - 1, QString::fromStdString(AttributeDirections::description(m)),
                             Qt::ToolTipRole);
    }
    classWith_ = new QComboBox(create);
    classWithout_ = new QComboBox(create);
    chooseFile_ = new QPushButton(tr("Attribute file…"), create);
    chooseFile_->setToolTip(tr("A CelebA-style list_attr_celeba.txt (1/-1 per attribute, by image file name)"));
    column_ = new QComboBox(create);
    picked_ = new QLabel(create);
    auto* clearPicked = new QPushButton(tr("Clear picks"), create);
    auto* createButton = new QPushButton(tr("&Create"), create);
    auto* form = new QFormLayout(create);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("From"), source_);
    form->addRow(tr("With"), classWith_);
    form->addRow(tr("Without"), classWithout_);
    form->addRow(chooseFile_, column_);
    form->addRow(picked_, clearPicked);
    form->addRow(tr("Method"), method_);
    form->addRow(createButton);

    auto* planeBox = new QGroupBox(tr("Attribute plane on the map"), this);
    planeX_ = new QComboBox(planeBox);
    planeY_ = new QComboBox(planeBox);
    auto* showPlane = new QPushButton(tr("Show"), planeBox);
    auto* planeRow = new QHBoxLayout(planeBox);
    planeRow->addWidget(planeX_, 1);
    planeRow->addWidget(new QLabel("×", planeBox));
    planeRow->addWidget(planeY_, 1);
    planeRow->addWidget(showPlane);

    // The selected image and its edit, so that the sliders' effect shows here too.
    selected_ = new QLabel(this);
    edited_ = new QLabel(this);
    auto* previews = new QHBoxLayout;
    for (QLabel* label : {selected_, edited_}) {
        label->setFixedSize(84, 84);
        label->setAlignment(Qt::AlignCenter);
        label->setStyleSheet("QLabel { background: black; }");
    }
    previews->addWidget(selected_);
    previews->addWidget(new QLabel("→", this));
    previews->addWidget(edited_);
    previews->addStretch(1);
    auto* hold = new QCheckBox(tr("&Hold the other attributes"), this);
    hold->setObjectName("holdOthers");
    hold->setToolTip(tr("Keep every other vector's attribute as it was, as the decoder draws it: the edit is decoded, "
                        "encoded again and corrected along their latent classifiers (stored with each vector LatentLab makes)"));
    hold->setChecked(session_->holdsOthers());
    connect(hold, &QCheckBox::toggled, session_, &EditSession::setHoldsOthers);
    previews->addWidget(hold, 0, Qt::AlignTop);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(previews);
    layout->addWidget(scroll, 1);
    layout->addWidget(create);
    layout->addWidget(planeBox);

    connect(source_, &QComboBox::currentIndexChanged, this, &AttributesPanel::refreshSourceWidgets);
    connect(chooseFile_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Attribute File"), {}, tr("Text files (*.txt);;All files (*)"));
        if (path.isEmpty())
            return;
        loadAttributeFile(path);
    });
    connect(clearPicked, &QPushButton::clicked, this, [this] {
        with_.clear();
        without_.clear();
        refreshSourceWidgets();
    });
    connect(createButton, &QPushButton::clicked, this, [this] { createVector(name_->text().trimmed()); });
    connect(showPlane, &QPushButton::clicked, this, [this] {
        if (planeX_->currentText() != planeY_->currentText())
            Q_EMIT attributePlaneRequested(planeX_->currentText(), planeY_->currentText());
        else
            Q_EMIT message(tr("Pick two different vectors for the plane"));
    });
    ExplorerDocument* document = session_->document();
    connect(document, &ExplorerDocument::attributesChanged, this, &AttributesPanel::rebuildList);
    connect(document, &ExplorerDocument::modelChanged, this, [this] {
        crossTalk_.clear(); // measured on the old model's codes
        strengths_.clear();
        rebuildList();
    });
    connect(session_, &EditSession::strengthsChanged, this, &AttributesPanel::rebuildList);
    connect(document, &ExplorerDocument::overlayChanged, this, &AttributesPanel::refreshSourceWidgets);
    connect(document, &ExplorerDocument::codesChanged, this, &AttributesPanel::refreshSourceWidgets);
    connect(document, &ExplorerDocument::selectionChanged, this, [this] {
        if (session_->original().isNull())
            selected_->clear();
        else
            selected_->setPixmap(QPixmap::fromImage(session_->original().scaled(84, 84, Qt::KeepAspectRatio)));
    });
    connect(session_, &EditSession::editedReady, this, [this](const QImage& image) {
        edited_->setPixmap(QPixmap::fromImage(image.scaled(84, 84, Qt::KeepAspectRatio)));
    });
    rebuildList();
    refreshSourceWidgets();
}

void AttributesPanel::loadAttributeFile(const QString& path)
{
    // CelebA's file has 202,599 rows: read it off the GUI thread.
    Q_EMIT message(tr("Reading %1…").arg(path));
    QtConcurrent::run(BackgroundLoads::pool(), [path]() -> std::pair<std::shared_ptr<const AttributeTable>, QString> {
        try {
            return {std::make_shared<const AttributeTable>(AttributeTable::read(path.toStdString())), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromUtf8(e.what())};
        }
    }).then(this, [this](const std::pair<std::shared_ptr<const AttributeTable>, QString>& result) {
        if (!result.first) {
            Q_EMIT message(result.second);
            Q_EMIT attributeFileLoaded(false);
            return;
        }
        attributeTable_ = result.first;
        column_->clear();
        for (const std::string& n : attributeTable_->names())
            column_->addItem(QString::fromStdString(n));
        setSource(Source::AttributeFile);
        Q_EMIT message(tr("%1 rows, %2 attributes").arg(attributeTable_->rows()).arg(column_->count()));
        Q_EMIT attributeFileLoaded(true);
    });
}

void AttributesPanel::setColumn(const QString& column)
{
    column_->setCurrentText(column);
}

void AttributesPanel::setMethod(VectorMethod method)
{
    method_->setCurrentIndex(method_->findData(int(method)));
}

void AttributesPanel::setSource(Source source)
{
    source_->setCurrentIndex(source_->findData(int(source)));
}

void AttributesPanel::setClasses(const QString& with, const QString& without)
{
    classWith_->setCurrentText(with);
    classWithout_->setCurrentText(without);
}

QSlider* AttributesPanel::slider(const QString& name) const
{
    return sliders_.value(name);
}

void AttributesPanel::addToWith(const QList<int>& indices)
{
    for (int i : indices)
        if (!with_.contains(i))
            with_ << i;
    setSource(Source::HandPicked);
    refreshSourceWidgets();
}

void AttributesPanel::addToWithout(const QList<int>& indices)
{
    for (int i : indices)
        if (!without_.contains(i))
            without_ << i;
    setSource(Source::HandPicked);
    refreshSourceWidgets();
}

void AttributesPanel::refreshSourceWidgets()
{
    const auto data = session_->data();
    if (data && data.get() != sourceData_) { // a new data set: start from what it has
        sourceData_ = data.get();
        const bool classes = !data->classNames().empty(), attributes = !data->attributeNames().empty();
        const Source current = Source(source_->currentData().toInt());
        if (!classes && attributes && (current == Source::ClassVsClass || current == Source::ClassVsRest))
            setSource(Source::AttributeFile); // re-enters with the data set known
    }
    const Source source = Source(source_->currentData().toInt());
    const QString keepWith = classWith_->currentText(), keepWithout = classWithout_->currentText();
    classWith_->clear();
    classWithout_->clear();
    if (data)
        for (const std::string& c : data->classNames()) {
            classWith_->addItem(QString::fromStdString(c));
            classWithout_->addItem(QString::fromStdString(c));
        }
    classWith_->setCurrentText(keepWith);
    classWithout_->setCurrentText(keepWithout);
    if (keepWithout.isEmpty() && classWithout_->count() > 1)
        classWithout_->setCurrentIndex(1); // two different classes to start with
    const bool byClass = source == Source::ClassVsClass || source == Source::ClassVsRest;
    classWith_->setEnabled(byClass);
    classWithout_->setEnabled(source == Source::ClassVsClass);
    chooseFile_->setEnabled(source == Source::AttributeFile);
    if (!attributeTable_ && data && column_->count() != int(data->attributeNames().size())) {
        column_->clear(); // the data set's own attributes until a file is chosen
        for (const std::string& n : data->attributeNames())
            column_->addItem(QString::fromStdString(n));
    }
    column_->setEnabled(source == Source::AttributeFile);
    // Methods that control for the other attributes need them: an attribute source.
    const bool labelled = source == Source::AttributeFile;
    auto* methods = qobject_cast<QStandardItemModel*>(method_->model());
    for (int i = 0; i < method_->count(); ++i)
        methods->item(i)->setEnabled(labelled || !AttributeDirections::needsOtherAttributes(VectorMethod(method_->itemData(i).toInt())));
    if (labelled != labelledSource_) { // each kind of source starts at its own default
        labelledSource_ = labelled;
        setMethod(labelled ? AttributeDirections::kDefault : VectorMethod::Mean);
    }
    picked_->setText(tr("Picked: %1 with, %2 without").arg(with_.size()).arg(without_.size()));
    picked_->setEnabled(source == Source::HandPicked);
}

AttributeGroups AttributesPanel::groupsFromSource(QString* description) const
{
    const auto data = session_->data();
    const auto codes = session_->codes();
    if (!data || !codes)
        throw Error("open a data set first: vectors are means of its encoded images");
    switch (Source(source_->currentData().toInt())) {
    case Source::ClassVsClass:
        *description = tr("%1 − %2").arg(classWith_->currentText(), classWithout_->currentText());
        return AttributeMath::groupsFromLabels(codes->labels, data->classNames(), classWith_->currentText().toStdString(),
                                               classWithout_->currentText().toStdString());
    case Source::ClassVsRest:
        *description = tr("%1 − rest").arg(classWith_->currentText());
        return AttributeMath::groupsFromLabels(codes->labels, data->classNames(), classWith_->currentText().toStdString(),
                                               "rest");
    case Source::AttributeFile:
        *description = column_->currentText();
        if (attributeTable_)
            return attributeTable_->groups(data->fileNames(), column_->currentText().toStdString());
        if (data->attributeNames().empty())
            throw Error("choose an attribute file first (this data set has no attributes of its own)");
        return AttributeMath::groupsFromAttributes(*data, column_->currentText().toStdString());
    case Source::HandPicked: {
        *description = tr("%1 picked with, %2 without").arg(with_.size()).arg(without_.size());
        AttributeGroups groups;
        for (int i : with_)
            groups.with.push_back(std::size_t(i));
        for (int i : without_)
            groups.without.push_back(std::size_t(i));
        return groups;
    }
    }
    return {};
}

bool AttributesPanel::createVector(const QString& name)
{
    lastError_.clear();
    try {
        if (name.isEmpty())
            throw Error("give the vector a name");
        const std::shared_ptr<Model> model = session_->model();
        if (!model)
            throw Error("open or train a model first");
        QString description;
        const AttributeGroups groups = groupsFromSource(&description);
        for (const auto& [group, label] : {std::pair{&groups.with, "with"}, std::pair{&groups.without, "without"}})
            if (group->empty())
                throw Error(std::string("the '") + label + "' group is empty: an attribute needs images with and without it");
        const VectorMethod method = VectorMethod(method_->currentData().toInt());
        const std::shared_ptr<const LatentCodes> codes = session_->codes();
        // Every attribute of the images, where the source has them, so that the method can
        // control for the others and the cross-talk with each is known (read in the job:
        // CelebA's table matches 202,599 file names).
        const bool labelled = Source(source_->currentData().toInt()) == Source::AttributeFile;
        const std::shared_ptr<const Dataset> data = session_->data();
        const std::shared_ptr<const AttributeTable> table = attributeTable_;
        const std::string column = column_->currentText().toStdString();
        struct Made {
            std::vector<float> vector;
            std::vector<CrossTalk> crossTalk;
            LinearProbe classifier; // stored with the vector: edits with the others hold it
            double strength = -1; // where the latent classifier calls 90% of "without" "with"
            QString error;
        };
        // Probes fit Newton's method on up to 20,000 codes per attribute: off the GUI thread.
        Q_EMIT message(tr("Making '%1' (%2)…").arg(name, methodLabel(method).toLower()));
        QtConcurrent::run(BackgroundLoads::pool(), [codes, groups, labelled, data, table, column, method]() {
            Made made;
            try {
                if (labelled) {
                    const AttributeLabels labels = table ? table->labels(data->fileNames()) : AttributeLabels::ofDataset(*data);
                    const std::size_t target = labels.column(column);
                    made.vector = AttributeDirections::make(method, *codes, labels, target);
                    made.crossTalk = AttributeDirections::crossTalk(made.vector, *codes, labels, target, groups.without);
                } else {
                    made.vector = AttributeDirections::make(method, *codes, groups);
                }
                made.classifier = LinearProbe::fit(*codes, groups);
                made.strength = AttributeDirections::strengthToReach(made.vector, *codes, made.classifier, groups.without, 0.9);
            } catch (const std::exception& e) {
                made.error = QString::fromUtf8(e.what());
            }
            return made;
        }).then(this, [this, name, groups, description, method, model](const Made& made) {
            if (made.error.isEmpty() && session_->model() != model)
                lastError_ = tr("'%1' was not kept: another model was opened meanwhile").arg(name);
            else
                lastError_ = made.error;
            if (!lastError_.isEmpty()) {
                Q_EMIT message(lastError_);
                Q_EMIT vectorCreated(name, false);
                return;
            }
            groups_[name] = groups;
            crossTalk_.remove(name);
            if (!made.crossTalk.empty())
                crossTalk_[name] = made.crossTalk;
            strengths_[name] = made.strength;
            session_->document()->addAttribute(
                {name.toStdString(), made.vector, made.classifier.normal(), made.classifier.bias()});
            Q_EMIT message(tr("Created '%1' from %2 (%3)").arg(name, description, methodLabel(method).toLower()));
            Q_EMIT vectorCreated(name, true);
        });
        name_->clear();
        return true;
    } catch (const std::exception& e) {
        lastError_ = QString::fromUtf8(e.what());
        Q_EMIT message(lastError_);
        return false;
    }
}

QString AttributesPanel::crossTalkText(const QString& name) const
{
    const auto m = session_->model();
    if (!m)
        return {};
    std::vector<CrossTalk> talk = crossTalk_.value(name);
    if (talk.empty()) { // a stored vector: against the model's other vectors
        const std::vector<AttributeVector>& vectors = m->info().attributes;
        std::vector<AttributeVector> others;
        for (const AttributeVector& o : vectors)
            if (o.name != name.toStdString())
                others.push_back(o);
        talk = AttributeDirections::crossTalk(AttributeMath::find(vectors, name.toStdString()).direction, others);
    }
    const double strength = strengths_.value(name, -2);
    const QString reach = strength >= 0 ? tr("Reaches 90% of 'without' at strength %1. ").arg(strength, 0, 'f', 2)
                          : strength == -1 ? tr("Never reaches 90% of 'without' (points away). ")
                                           : QString();
    if (talk.empty())
        return reach;
    // Large drags stand out: a shift of a quarter of the other's "with − without", or
    // one face in twenty whose latent classifier of it flips.
    QStringList parts;
    for (const CrossTalk& c : talk) {
        QString part = QString::fromStdString(c.name).toHtmlEscaped() + QString::asprintf(" %+.2f", c.shift);
        if (c.flipped >= 0)
            part += tr(" (flips %1%)").arg(100 * c.flipped, 0, 'f', 0);
        if (std::abs(c.shift) >= 0.25 || c.flipped >= 0.05)
            part = "<span style='color:#c0392b'><b>" + part + "</b></span>";
        parts << part;
    }
    return reach + tr("Strength 1 also moves: ") + parts.join(", ");
}

void AttributesPanel::rebuildList()
{
    qDeleteAll(listBox_->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly));
    while (QLayoutItem* item = list_->takeAt(0))
        delete item;
    sliders_.clear();
    const QStringList names = session_->document()->attributeNames();
    for (const QString& name : names) {
        auto* row = new QWidget(listBox_);
        auto* grid = new QGridLayout(row);
        grid->setContentsMargins(2, 2, 2, 2);
        auto* label = new QLabel("<b>" + name.toHtmlEscaped() + "</b>", row);
        auto* slider = new QSlider(Qt::Horizontal, row);
        slider->setRange(int(-3 * kSliderScale), int(3 * kSliderScale));
        slider->setValue(int(std::lround(session_->strength(name) * kSliderScale)));
        auto* value = new QLabel(QString::asprintf("%+.2f", session_->strength(name)), row);
        value->setMinimumWidth(value->fontMetrics().horizontalAdvance("+0.00"));
        auto* orthogonal = new QCheckBox(tr("⊥"), row);
        orthogonal->setToolTip(tr("Orthogonalise against the other vectors, so that this one does not change them"));
        orthogonal->setChecked(session_->isOrthogonalised(name));
        auto* rename = new QToolButton(row);
        rename->setText(tr("Rename"));
        auto* remove = new QToolButton(row);
        remove->setText("✕");
        remove->setToolTip(tr("Delete this vector"));
        auto* quality = new QLabel(session_->qualityText(name, groups_.value(name)), row);
        quality->setWordWrap(true);
        QFont small = quality->font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        quality->setFont(small);
        grid->addWidget(label, 0, 0);
        grid->addWidget(slider, 0, 1);
        grid->addWidget(value, 0, 2);
        grid->addWidget(orthogonal, 0, 3);
        grid->addWidget(rename, 0, 4);
        grid->addWidget(remove, 0, 5);
        grid->addWidget(quality, 1, 0, 1, 6);
        const QString talk = crossTalkText(name);
        if (!talk.isEmpty()) {
            auto* crossTalk = new QLabel(talk, row);
            crossTalk->setWordWrap(true);
            crossTalk->setFont(small);
            crossTalk->setToolTip(tr("How far an edit of strength 1 moves each other attribute along its own "
                                     "mean difference (1 = from 'without' to 'with'), and the share of the "
                                     "'without' images whose latent classifier of it flips"));
            grid->addWidget(crossTalk, 2, 0, 1, 6);
        }
        grid->setColumnStretch(1, 1);
        list_->addWidget(row);
        sliders_.insert(name, slider);
        connect(slider, &QSlider::valueChanged, this, [this, name, value](int v) {
            value->setText(QString::asprintf("%+.2f", v / kSliderScale));
            session_->setStrength(name, v / kSliderScale);
        });
        connect(orthogonal, &QCheckBox::toggled, this, [this, name](bool on) { session_->setOrthogonalised(name, on); });
        connect(rename, &QToolButton::clicked, this, [this, name] {
            bool ok = false;
            const QString to = QInputDialog::getText(this, tr("Rename Vector"), tr("New name"), QLineEdit::Normal, name, &ok);
            if (ok) {
                if (groups_.contains(name))
                    groups_.insert(to.trimmed(), groups_.take(name));
                if (crossTalk_.contains(name))
                    crossTalk_.insert(to.trimmed(), crossTalk_.take(name));
                if (strengths_.contains(name))
                    strengths_.insert(to.trimmed(), strengths_.take(name));
                session_->document()->renameAttribute(name, to.trimmed());
            }
        });
        connect(remove, &QToolButton::clicked, this, [this, name] {
            groups_.remove(name);
            crossTalk_.remove(name);
            strengths_.remove(name);
            session_->document()->removeAttribute(name);
        });
    }
    if (names.isEmpty()) {
        auto* empty = new QLabel(tr("No attribute vectors yet: create one below."), listBox_);
        list_->addWidget(empty);
    }
    list_->addStretch(1);
    for (QComboBox* box : {planeX_, planeY_}) {
        const QString keep = box->currentText();
        box->clear();
        box->addItems(names);
        box->setCurrentText(keep);
    }
    if (names.size() >= 2 && planeX_->currentText() == planeY_->currentText())
        planeY_->setCurrentIndex(1);
    refreshSourceWidgets();
}

} // namespace latentlab
