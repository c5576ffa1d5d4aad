#include "ui/DatasetListModel.h"

#include "ui/ImageConversion.h"

namespace latentlab {

DatasetListModel::DatasetListModel(QObject* parent) : QAbstractListModel(parent) {}

void DatasetListModel::setDataset(std::shared_ptr<const Dataset> data)
{
    beginResetModel();
    data_ = std::move(data);
    thumbnails_.clear();
    endResetModel();
}

int DatasetListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !data_ ? 0 : int(data_->size());
}

QVariant DatasetListModel::data(const QModelIndex& index, int role) const
{
    if (!data_ || !index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const int label = data_->hasLabels() ? data_->labels()[std::size_t(row)] : -1;
    switch (role) {
    case Qt::DecorationRole: {
        if (QPixmap* cached = thumbnails_.object(row))
            return *cached;
        const QImage image = ImageConversion::toQImage(Image::fromPlanarBytes(data_->image(std::size_t(row)), data_->shape()));
        auto* pixmap = new QPixmap(QPixmap::fromImage(image.scaled(40, 40, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        thumbnails_.insert(row, pixmap);
        return *pixmap;
    }
    case Qt::ToolTipRole: {
        QString text = tr("#%1").arg(row);
        if (label >= 0 && label < int(data_->classNames().size()))
            text += " " + QString::fromStdString(data_->classNames()[std::size_t(label)]);
        return text;
    }
    case LabelRole:
        return label;
    default:
        return {};
    }
}

} // namespace latentlab
