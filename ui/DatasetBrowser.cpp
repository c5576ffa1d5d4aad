#include "ui/DatasetBrowser.h"

#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QListView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/DatasetListModel.h"
#include "ui/ExplorerDocument.h"

namespace latentlab {

DatasetBrowser::DatasetBrowser(ExplorerDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    model_ = new DatasetListModel(this);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(model_);
    proxy_->setFilterRole(DatasetListModel::LabelRole);
    view_ = new QListView(this);
    view_->setModel(proxy_);
    view_->setViewMode(QListView::IconMode);
    view_->setIconSize(QSize(40, 40));
    view_->setGridSize(QSize(46, 46));
    view_->setUniformItemSizes(true);        // no per-item size queries: fast on 70,000
    view_->setLayoutMode(QListView::Batched);
    view_->setBatchSize(500);
    view_->setResizeMode(QListView::Adjust);
    view_->setMovement(QListView::Static);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    filter_ = new QComboBox(this);

    auto* inspect = new QPushButton(tr("Inspect"), this);
    auto* useA = new QPushButton(tr("A"), this);
    auto* useB = new QPushButton(tr("B"), this);
    auto* useC = new QPushButton(tr("C"), this);
    for (QPushButton* b : {useA, useB, useC})
        b->setToolTip(tr("Use the first selected image as morph endpoint %1").arg(b->text()));
    auto* with = new QPushButton(tr("+ with"), this);
    with->setToolTip(tr("Add the selected images to the 'with' set of a new attribute vector"));
    auto* without = new QPushButton(tr("+ without"), this);
    without->setToolTip(tr("Add the selected images to the 'without' set"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {inspect, useA, useB, useC, with, without})
        buttons->addWidget(b);
    offer_ = new QFrame(this);
    offer_->setFrameShape(QFrame::StyledPanel);
    offerText_ = new QLabel(offer_);
    offerText_->setWordWrap(true);
    offerText_->setTextFormat(Qt::PlainText);
    offerButton_ = new QPushButton(offer_);
    offerButton_->setObjectName("loadOfferedDataset");
    auto* offerLayout = new QVBoxLayout(offer_);
    offerLayout->addWidget(offerText_);
    offerLayout->addWidget(offerButton_, 0, Qt::AlignLeft);
    offer_->hide();
    connect(offerButton_, &QPushButton::clicked, this, [this] {
        const QString spec = offeredSpec_;
        clearOffer();
        Q_EMIT offerAccepted(spec);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(offer_);
    layout->addWidget(filter_);
    layout->addWidget(view_, 1);
    layout->addLayout(buttons);

    connect(filter_, &QComboBox::currentIndexChanged, this, [this] { setLabelFilter(filter_->currentData().toInt()); });
    const auto first = [this] {
        const QList<int> selected = selectedIndices();
        return selected.isEmpty() ? -1 : selected.first();
    };
    connect(view_, &QListView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT inspectRequested(proxy_->mapToSource(index).row());
    });
    connect(inspect, &QPushButton::clicked, this, [this, first] {
        if (first() >= 0)
            Q_EMIT inspectRequested(first());
    });
    int slot = 0;
    for (QPushButton* b : {useA, useB, useC}) {
        connect(b, &QPushButton::clicked, this, [this, first, slot] {
            if (first() >= 0)
                Q_EMIT useAsRequested(slot, first());
        });
        ++slot;
    }
    connect(with, &QPushButton::clicked, this, [this] { Q_EMIT addToWithRequested(selectedIndices()); });
    connect(without, &QPushButton::clicked, this, [this] { Q_EMIT addToWithoutRequested(selectedIndices()); });
    connect(this, &DatasetBrowser::inspectRequested, document_, &ExplorerDocument::selectIndex);
    connect(document_, &ExplorerDocument::overlayChanged, this, [this] { setDataset(document_->overlay()); });
    setDataset(document_->overlay());
}

void DatasetBrowser::setDataset(std::shared_ptr<const Dataset> data)
{
    model_->setDataset(data);
    const QSignalBlocker block(filter_);
    filter_->clear();
    filter_->addItem(tr("All labels (%1 images)").arg(data ? data->size() : 0), -1);
    if (data)
        for (std::size_t i = 0; i < data->classNames().size(); ++i)
            filter_->addItem(QString::fromStdString(data->classNames()[i]), int(i));
    setLabelFilter(-1);
}

void DatasetBrowser::setLabelFilter(int label)
{
    proxy_->setFilterRegularExpression(label < 0 ? QString() : QString("^%1$").arg(label));
    const int row = filter_->findData(label);
    if (row >= 0 && row != filter_->currentIndex()) {
        const QSignalBlocker block(filter_);
        filter_->setCurrentIndex(row);
    }
}

void DatasetBrowser::offerDataset(const QString& spec, const QString& why)
{
    offeredSpec_ = spec;
    offerText_->setText(tr("The model's data set %1 was not loaded by itself: %2").arg(spec, why));
    offerButton_->setText(tr("Load %1").arg(spec.size() > 40 ? spec.left(37) + "…" : spec));
    offerButton_->setToolTip(tr("Load it now (Esc cancels)"));
    offer_->show();
}

void DatasetBrowser::clearOffer()
{
    offeredSpec_.clear();
    offer_->hide();
}

int DatasetBrowser::visibleCount() const
{
    return proxy_->rowCount();
}

QList<int> DatasetBrowser::selectedIndices() const
{
    QList<int> indices;
    for (const QModelIndex& index : view_->selectionModel()->selectedIndexes())
        indices << proxy_->mapToSource(index).row();
    std::sort(indices.begin(), indices.end());
    return indices;
}

void DatasetBrowser::selectIndices(const QList<int>& indices)
{
    QItemSelection selection;
    for (int i : indices) {
        const QModelIndex index = proxy_->mapFromSource(model_->index(i));
        if (index.isValid())
            selection.select(index, index);
    }
    view_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

} // namespace latentlab
