#pragma once
// The statistics dock: each latent dimension's codes against N(0, 1), KL per
// dimension and active units, and the least likely images (negative ELBO or IWAE),
// computed in the background; click an outlier to select it.
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

Q_SIGNALS:
    void computed();

private:
    struct Result {
        QImage histograms;
        QString summary;
        std::vector<std::pair<int, double>> outliers; // index into `data`, -log p(x)
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

    EditSession* session_;
    QLabel* summary_;
    QLabel* histograms_;
    QSpinBox* iwae_;
    QListWidget* outliers_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTimer* poll_;
    std::shared_ptr<Progress> running_;
    QFutureWatcher<Result> watcher_;
};

} // namespace latentlab
