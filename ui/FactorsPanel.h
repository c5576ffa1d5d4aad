#pragma once
// The Factors dock: how well the shown model's code recovers the factors the overlay's
// data set was made from (FactorReport), as a heatmap of latent dimensions against factors
// (each cell the share of the factor's entropy the dimension holds), with the MIG, 5-NN and
// k-means agreement with the labels and the angle's circular statistics. Computed in the
// background; clicking a cell puts that dimension on the map's x axis, coloured by that factor.
#include <QFutureWatcher>
#include <QWidget>

#include <memory>

#include "core/latent/FactorReport.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace latentlab {

class ExplorerDocument;

class FactorsPanel : public QWidget {
    Q_OBJECT

public:
    explicit FactorsPanel(ExplorerDocument* document, QWidget* parent = nullptr);
    void compute();
    // Stops waiting for a running analysis: its result is dropped when it comes.
    void cancel();
    QTableWidget* table() const { return table_; }
    QString summaryText() const;

Q_SIGNALS:
    void computed();
    // A cell was clicked: show `dimension` on the map's x axis, coloured by `colourBy`.
    void dimensionChosen(int dimension, const QString& colourBy);

private:
    struct Result {
        FactorReport report;
        QStringList dimensionLabels;
        QStringList classNames;
        QString error;
    };
    void showResult(const Result& result);

    ExplorerDocument* document_;
    QLabel* summary_;
    QTableWidget* table_;
    QFutureWatcher<Result> watcher_;
    QProgressBar* busy_;
    QPushButton* cancel_;
    bool cancelled_ = false;
    void showRunning(bool running);
};

} // namespace latentlab
