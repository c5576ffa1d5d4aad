#pragma once
// The statistics dock: each latent dimension's codes against N(0, 1), KL per
// dimension and active units, the least likely images (negative ELBO or IWAE) and the
// rarest codes (lowest latent density, as debiased training weighs them), computed in
// the background; click one to select it, export the density weights as CSV.
#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

#include <atomic>
#include <memory>
#include <vector>

#include "core/data/Dataset.h"

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace latentlab {

class EditSession;

class StatisticsPanel : public QWidget {
    Q_OBJECT

public:
    explicit StatisticsPanel(EditSession* session, QWidget* parent = nullptr);
    void compute();
    // Stops a running computation at its next batch; nothing of it is shown.
    void cancel();
    QListWidget* outliers() const { return outliers_; }
    // Writes the last computed debiasing weights (index,label,weight; 1 = average) as CSV;
    // false with `error` set when there are none or the file cannot be written.
    bool exportWeights(const QString& path, QString* error) const;

Q_SIGNALS:
    void computed();

private:
    struct Result {
        QImage histograms;
        QString summary;
        std::vector<std::pair<int, double>> outliers; // index into `data`, -log p(x)
        std::vector<double> weights;                  // per image of `data`, 1 = average
        std::vector<std::pair<int, double>> rare;     // index into `data`, its weight
        std::shared_ptr<const Dataset> data;          // what was ranked
        QString error;
        bool cancelled = false;
    };
    // What a running computation reports: thousandths of the scoring done (-1 before
    // it starts), and whether it was asked to stop.
    struct Progress {
        std::atomic<int> permille{-1};
        std::atomic<bool> cancelled{false};
    };
    void showRunning(bool running);
    void fill(QListWidget* list, const std::vector<std::pair<int, double>>& ranked, const Dataset& data,
              const QString& tip, int decimals);

    EditSession* session_;
    QLabel* summary_;
    QLabel* histograms_;
    QSpinBox* iwae_;
    QListWidget* outliers_;
    QListWidget* rare_;
    QPushButton* exportWeights_;
    std::vector<double> weights_;        // of the last result
    std::vector<int> weightLabels_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTimer* poll_;
    std::shared_ptr<Progress> running_;
    QFutureWatcher<Result> watcher_;
};

} // namespace latentlab
