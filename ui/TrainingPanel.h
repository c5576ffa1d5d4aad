#pragma once
// The training dock: settings, Start / Pause / Stop, progress with images per
// second and time left, and live loss curves (Qt Charts).
#include <QWidget>

#include "ui/TrainingWorker.h"

class QChart;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QValueAxis;

namespace latentlab {

struct ModelFamily; // models/ModelRegistry.h

class TrainingPanel : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget* parent = nullptr);

    TrainingRequest request() const;
    void setRequest(const TrainingRequest& request);
    void setDatasetSpec(const QString& spec);

    // Button states and the status line follow the worker. A continued model keeps its
    // curves; a new one starts them afresh.
    void trainingStarted(bool continuing = false);
    // Whether there is an open model that "Continue" would train further; if not, why
    // not (shown on the button), when there is a model that cannot be trained.
    void setCanContinue(bool canContinue, const QString& whyNot = {});
    void trainingPaused(bool paused);
    void trainingEnded(const QString& message);

    void showProgress(const TrainingProgress& progress);
    void addEpoch(const EpochRecord& record);
    // The curves of a model opened from a file: train and test loss per epoch.
    void showHistory(const std::vector<EpochRecord>& history);

Q_SIGNALS:
    void startRequested();
    void continueRequested();
    void pauseRequested(bool paused);
    void stopRequested();

private:
    void showFamilySettings();
    void showCorruptionAmount();
    void resetChart();
    void appendPoint(QLineSeries* series, double x, double y);
    // A series on the right axis for each of the family's further terms (the VAE-GAN's
    // discriminator and GAN losses); none for an empty list.
    void showExtraTerms(const std::vector<std::string>& names);
    void showReconWeight();
    const ModelFamily& selectedFamily() const;

    QComboBox* dataset_;
    QComboBox* architecture_;
    QCheckBox* conditional_;
    QSpinBox* latent_;
    QDoubleSpinBox* beta_;
    QSpinBox* klWarmup_;
    QDoubleSpinBox* rotationPrior_;    // the rVAE's angle prior, in degrees
    QDoubleSpinBox* translationPrior_; // and its shift prior, in half-widths
    QSpinBox* pixelSample_;            // pixels per image its decoder trains on, 0 = all
    QDoubleSpinBox* angleConsistency_; // the weight of its angle-consistency term
    QComboBox* corruption_;            // what the input suffers (denoising, colourising)
    QDoubleSpinBox* corruptionAmount_; // its share or sigma
    QDoubleSpinBox* debias_;           // DB-VAE's alpha; its minimum (-0.01) is "off"
    QFormLayout* form_;
    QComboBox* likelihood_;            // the reconstruction term
    QDoubleSpinBox* reconWeight_;      // SSIM's weight, shown for it alone
    QSpinBox* epochs_;
    QSpinBox* batch_;
    QDoubleSpinBox* learningRate_;
    QComboBox* device_;
    QSpinBox* threads_;
    QSpinBox* refresh_;
    QPushButton* start_;
    QString continueTip_;
    QPushButton* continue_;
    bool canContinue_ = false;
    QPushButton* pause_;
    QPushButton* stop_;
    QProgressBar* progress_;
    QLabel* status_;
    QChart* chart_;
    QLineSeries* total_;
    QLineSeries* recon_;
    QLineSeries* kl_;
    QLineSeries* test_;
    std::vector<QLineSeries*> extra_; // owned by chart_
    QValueAxis* xAxis_;
    QValueAxis* yAxis_;
    QValueAxis* klAxis_; // KL is an order of magnitude below the rest: its own scale
    double yMin_ = 0, yMax_ = 0, klMax_ = 0;
    int lastBatchPlotted_ = -1;
};

} // namespace latentlab
