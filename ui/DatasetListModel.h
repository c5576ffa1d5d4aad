#pragma once
// A data set as a Qt list model: thumbnails made on demand (and cached), so that a
// view over 70,000 images stays quick.
#include <QAbstractListModel>
#include <QCache>
#include <QPixmap>

#include <memory>

#include "core/data/Dataset.h"

namespace latentlab {

class DatasetListModel : public QAbstractListModel {
    Q_OBJECT

public:
    static constexpr int LabelRole = Qt::UserRole + 1;

    explicit DatasetListModel(QObject* parent = nullptr);
    void setDataset(std::shared_ptr<const Dataset> data);
    std::shared_ptr<const Dataset> dataset() const { return data_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    std::shared_ptr<const Dataset> data_;
    mutable QCache<int, QPixmap> thumbnails_{4000};
};

} // namespace latentlab
