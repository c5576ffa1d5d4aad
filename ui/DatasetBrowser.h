#pragma once
// The data set browser dock: thumbnails (a list view that stays fast on 70,000
// images), a label filter, multi-selection, and what to do with the selection.
#include <QWidget>

#include <memory>

#include "core/data/Dataset.h"

class QComboBox;
class QFrame;
class QLabel;
class QListView;
class QPushButton;
class QSortFilterProxyModel;

namespace latentlab {

class DatasetListModel;
class ExplorerDocument;

class DatasetBrowser : public QWidget {
    Q_OBJECT

public:
    // Shows the document's overlay; "Inspect" selects in the document.
    explicit DatasetBrowser(ExplorerDocument* document, QWidget* parent = nullptr);
    // Indices into the data set of the selected thumbnails, in data-set order.
    QList<int> selectedIndices() const;
    void selectIndices(const QList<int>& indices);
    void setLabelFilter(int label); // -1: all
    int visibleCount() const;
    QListView* view() const { return view_; }
    // A data set that was not loaded by itself (a model's recorded one of unbounded
    // size): a note saying why, with a button that loads it.
    void offerDataset(const QString& spec, const QString& why);
    void clearOffer();
    QString offeredSpec() const { return offeredSpec_; }

Q_SIGNALS:
    void inspectRequested(int index);
    void useAsRequested(int slot, int index); // slot 0, 1, 2 = A, B, C
    void addToWithRequested(const QList<int>& indices);
    void addToWithoutRequested(const QList<int>& indices);
    void offerAccepted(const QString& spec);

private:
    void setDataset(std::shared_ptr<const Dataset> data);

    ExplorerDocument* const document_;
    DatasetListModel* model_;
    QSortFilterProxyModel* proxy_;
    QListView* view_;
    QComboBox* filter_;
    QFrame* offer_;
    QLabel* offerText_;
    QPushButton* offerButton_;
    QString offeredSpec_;
};

} // namespace latentlab
