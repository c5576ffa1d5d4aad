#include "ui/TrainingPanel.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/model/Device.h"
#include "models/ModelRegistry.h"

namespace latentlab {

namespace {

QString formatDuration(double seconds)
{
    const int s = int(std::lround(seconds));
    return s >= 60 ? QString("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0')) : QString("%1 s").arg(s);
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent)
{
    dataset_ = new QComboBox(this);
    dataset_->setEditable(true);
    dataset_->addItems({"fashion-mnist", "digits", "synth-faces", "cards1", "cards4"});
    dataset_->setToolTip(tr("A data set, one of:\n%1").arg(QString::fromStdString(DatasetLoader::specHelp()).trimmed()));
    architecture_ = new QComboBox(this);
    architecture_->setObjectName("architecture");
    for (const ModelFamily& f : ModelRegistry::families())
        if (!f.imported)
            architecture_->addItem(QString::fromStdString(f.title), QString::fromStdString(f.name));
    for (const ModelFamily& f : ModelRegistry::families())
        if (!f.autoencoderTitle.empty())
            architecture_->addItem(QString::fromStdString(f.autoencoderTitle), QString::fromStdString(f.name + "-ae"));
    conditional_ = new QCheckBox(tr("Conditional on the labels (CVAE)"), this);
    conditional_->setToolTip(tr("Encoder and decoder also take the label: generate a chosen class, "
                                "and carry one style across all classes"));
    latent_ = new QSpinBox(this);
    latent_->setRange(1, 512);
    beta_ = new QDoubleSpinBox(this);
    beta_->setRange(0, 100);
    beta_->setSingleStep(0.1);
    klWarmup_ = new QSpinBox(this);
    klWarmup_->setRange(0, 10000);
    klWarmup_->setSuffix(tr(" epochs"));
    klWarmup_->setSpecialValueText(tr("none"));
    klWarmup_->setToolTip(tr("The KL weight rises from 0 to beta over the first epochs, so that the decoder "
                             "learns to use the code before the prior pulls it in"));
    rotationPrior_ = new QDoubleSpinBox(this);
    rotationPrior_->setObjectName("rotationPrior");
    rotationPrior_->setRange(1, 360);
    rotationPrior_->setDecimals(1);
    rotationPrior_->setSuffix(tr("°"));
    rotationPrior_->setToolTip(tr("The width s of the angle's prior N(0, s²): about the data's rotation range"));
    translationPrior_ = new QDoubleSpinBox(this);
    translationPrior_->setObjectName("translationPrior");
    translationPrior_->setRange(0.001, 1);
    translationPrior_->setDecimals(3);
    translationPrior_->setSingleStep(0.05);
    translationPrior_->setToolTip(tr("The width of the shift's prior, in half-widths of the image"));
    pixelSample_ = new QSpinBox(this);
    pixelSample_->setObjectName("pixelSample");
    pixelSample_->setRange(0, ModelConfig::kMaxPixelSample);
    pixelSample_->setSingleStep(64);
    pixelSample_->setSpecialValueText(tr("all"));
    pixelSample_->setSuffix(tr(" per image"));
    pixelSample_->setToolTip(tr("The decoder draws every pixel on its own: training on a random sample of them each "
                                "step is several times faster and estimates the same loss"));
    angleConsistency_ = new QDoubleSpinBox(this);
    angleConsistency_->setObjectName("angleConsistency");
    angleConsistency_->setRange(0, ModelConfig::kMaxAngleConsistency);
    angleConsistency_->setDecimals(1);
    angleConsistency_->setSpecialValueText(tr("off"));
    angleConsistency_->setToolTip(tr("Teaches the angle latent to turn with the image (the input turned by a random "
                                     "angle must give its angle plus that much), so that it does not settle for "
                                     "angles modulo a quarter turn"));
    corruption_ = new QComboBox(this);
    corruption_->setObjectName("corruption");
    corruption_->addItem(tr("None"), "none");
    corruption_->addItem(tr("Masking (pixels dropped)"), "mask");
    corruption_->addItem(tr("Gaussian noise (σ)"), "gaussian");
    corruption_->addItem(tr("Salt and pepper"), "salt-pepper");
    corruption_->addItem(tr("Grey input (colourise)"), "grey");
    corruption_->setToolTip(tr("Denoising and colourising: the encoder sees the corrupted image, drawn afresh for "
                               "every batch, and the decoder is asked for the clean one"));
    corruptionAmount_ = new QDoubleSpinBox(this);
    corruptionAmount_->setObjectName("corruptionAmount");
    corruptionAmount_->setDecimals(2);
    corruptionAmount_->setRange(0.01, 0.99);
    corruptionAmount_->setSingleStep(0.05);
    corruptionAmount_->setValue(0.3);
    auto* corruptionRow = new QHBoxLayout;
    corruptionRow->setContentsMargins(0, 0, 0, 0);
    corruptionRow->addWidget(corruption_, 1);
    corruptionRow->addWidget(corruptionAmount_);
    debias_ = new QDoubleSpinBox(this);
    debias_->setObjectName("debias");
    debias_->setDecimals(3);
    debias_->setRange(-0.01, 1000);
    debias_->setSingleStep(0.01);
    debias_->setSpecialValueText(tr("off"));
    debias_->setPrefix(tr("α = "));
    debias_->setToolTip(tr("Debiased sampling (DB-VAE): each epoch draws the images weighted by 1 / (latent "
                           "density + α), so that rare ones are seen more often; small α favours them most"));
    likelihood_ = new QComboBox(this);
    likelihood_->addItem(tr("Bernoulli (BCE)"), "bernoulli");
    likelihood_->addItem(tr("Gaussian (MSE)"), "gaussian");
    likelihood_->addItem(tr("Laplace (L1)"), "laplace");
    likelihood_->addItem(tr("SSIM (not a likelihood)"), "ssim");
    likelihood_->setObjectName("likelihood");
    reconWeight_ = new QDoubleSpinBox(this);
    reconWeight_->setObjectName("reconWeight");
    reconWeight_->setDecimals(4);
    reconWeight_->setRange(0.0001, 1000);
    reconWeight_->setValue(1);
    reconWeight_->setPrefix(tr("× "));
    auto* reconRow = new QHBoxLayout;
    reconRow->setContentsMargins(0, 0, 0, 0);
    reconRow->addWidget(likelihood_, 1);
    reconRow->addWidget(reconWeight_);
    connect(likelihood_, &QComboBox::currentIndexChanged, this, &TrainingPanel::showReconWeight);
    reconWeight_->setVisible(false);
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 10000);
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 65536);
    learningRate_ = new QDoubleSpinBox(this);
    learningRate_->setDecimals(5);
    learningRate_->setRange(0.00001, 1);
    learningRate_->setSingleStep(0.0001);
    device_ = new QComboBox(this);
    device_->addItem(tr("CPU"), "cpu");
    if (Device::cudaAvailable())
        device_->addItem(tr("CUDA"), "cuda");
    threads_ = new QSpinBox(this);
    threads_->setRange(0, 256);
    threads_->setSpecialValueText(tr("all cores (%1)").arg(Device::coreCount()));
    refresh_ = new QSpinBox(this);
    refresh_->setRange(0, 100000);
    refresh_->setSuffix(tr(" batches"));
    refresh_->setSpecialValueText(tr("each epoch"));
    refresh_->setToolTip(tr("How often the latent map redraws from the weights while training"));

    form_ = new QFormLayout;
    QFormLayout* form = form_;
    form->addRow(tr("Data set"), dataset_);
    form->addRow(tr("Model"), architecture_);
    form->addRow(QString(), conditional_);
    form->addRow(tr("Latent size"), latent_);
    form->addRow(tr("Beta (KL weight)"), beta_);
    form->addRow(tr("KL warm-up"), klWarmup_);
    form->addRow(tr("Angle prior σφ"), rotationPrior_);
    form->addRow(tr("Shift prior σΔ"), translationPrior_);
    form->addRow(tr("Decoder pixels"), pixelSample_);
    form->addRow(tr("Angle consistency"), angleConsistency_);
    form->addRow(tr("Input corruption"), corruptionRow);
    form->addRow(tr("Debiased sampling"), debias_);
    form->addRow(tr("Reconstruction"), reconRow);
    form->addRow(tr("Epochs"), epochs_);
    form->addRow(tr("Batch size"), batch_);
    form->addRow(tr("Learning rate"), learningRate_);
    form->addRow(tr("Device"), device_);
    form->addRow(tr("Threads"), threads_);
    form->addRow(tr("Refresh map every"), refresh_);

    connect(architecture_, &QComboBox::currentIndexChanged, this, &TrainingPanel::showFamilySettings);

    start_ = new QPushButton(tr("&Train"), this);
    start_->setToolTip(tr("Train a new model with these settings (Ctrl+T)"));
    continue_ = new QPushButton(tr("C&ontinue"), this);
    continueTip_ = tr("Train the open model for the epochs set above, picking up where it stopped (Ctrl+Shift+T)");
    continue_->setToolTip(continueTip_);
    continue_->setEnabled(false);
    continue_->setObjectName("continueButton");
    pause_ = new QPushButton(tr("&Pause"), this);
    pause_->setCheckable(true);
    stop_ = new QPushButton(tr("&Stop"), this);
    stop_->setToolTip(tr("Stop and keep the best model so far"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(continue_);
    buttons->addWidget(pause_);
    buttons->addWidget(stop_);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    status_ = new QLabel(tr("Ready"), this);
    status_->setWordWrap(true);

    chart_ = new QChart;
    chart_->setTitle(tr("Loss per image"));
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    total_ = new QLineSeries;
    total_->setName(tr("total"));
    recon_ = new QLineSeries;
    recon_->setName(tr("reconstruction"));
    kl_ = new QLineSeries;
    kl_->setName(tr("KL"));
    test_ = new QLineSeries;
    test_->setName(tr("test"));
    test_->setPointsVisible(true);
    xAxis_ = new QValueAxis;
    xAxis_->setTitleText(tr("epoch"));
    xAxis_->setLabelFormat("%g");
    yAxis_ = new QValueAxis;
    yAxis_->setLabelFormat("%.0f");
    klAxis_ = new QValueAxis;
    klAxis_->setLabelFormat("%.0f");
    klAxis_->setTitleText(tr("KL"));
    chart_->addAxis(xAxis_, Qt::AlignBottom);
    chart_->addAxis(yAxis_, Qt::AlignLeft);
    chart_->addAxis(klAxis_, Qt::AlignRight);
    for (QLineSeries* series : {total_, recon_, kl_, test_}) {
        chart_->addSeries(series);
        series->attachAxis(xAxis_);
        series->attachAxis(series == kl_ ? klAxis_ : yAxis_);
    }
    auto* chartView = new QChartView(chart_, this);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(220);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(chartView, 1);

    connect(corruption_, &QComboBox::currentIndexChanged, this, &TrainingPanel::showCorruptionAmount);
    connect(start_, &QPushButton::clicked, this, &TrainingPanel::startRequested);
    connect(continue_, &QPushButton::clicked, this, &TrainingPanel::continueRequested);
    connect(pause_, &QPushButton::toggled, this, &TrainingPanel::pauseRequested);
    connect(stop_, &QPushButton::clicked, this, &TrainingPanel::stopRequested);
    setRequest(TrainingRequest{});
    trainingEnded(tr("Ready"));
    resetChart();
}

TrainingRequest TrainingPanel::request() const
{
    TrainingRequest r;
    r.datasetSpec = dataset_->currentText().trimmed().toStdString();
    const QString arch = architecture_->currentData().toString();
    r.model.variational = !arch.endsWith("-ae");
    r.model.architecture = (r.model.variational ? arch : arch.chopped(3)).toStdString();
    r.conditional = conditional_->isChecked();
    // The content part: a family with a pose (the rVAE) adds its angle and shift.
    r.model.latentDim = latent_->value() + ModelRegistry::find(r.model.architecture).poseSize;
    r.model.beta = beta_->value();
    r.model.rotationPrior = rotationPrior_->value() * M_PI / 180;
    r.model.translationPrior = translationPrior_->value();
    const ModelFamily& family = ModelRegistry::find(r.model.architecture);
    r.model.pixelSample = family.defaultPixelSample > 0 ? pixelSample_->value() : 0;
    r.model.angleConsistency = family.poseSize > 0 ? angleConsistency_->value() : 0.0;
    r.training.klWarmupEpochs = klWarmup_->value();
    const QString corruption = corruption_->currentData().toString();
    r.model.corruption = Corruption::parse(
        (corruption == "none" || corruption == "grey" ? corruption : corruption + ":" + QString::number(corruptionAmount_->value()))
            .toStdString());
    r.training.debias = debias_->value() < 0 ? -1.0 : debias_->value();
    r.model.likelihood = likelihoodFromString(likelihood_->currentData().toString().toStdString());
    r.model.reconWeight = reconWeight_->value();
    if (r.model.likelihood == Likelihood::Ssim)
        r.model.pixelSample = 0; // SSIM compares whole images
    r.training.epochs = epochs_->value();
    r.training.batchSize = batch_->value();
    r.training.learningRate = learningRate_->value();
    r.training.device = device_->currentData().toString().toStdString();
    r.training.threads = threads_->value();
    r.snapshotEveryBatches = refresh_->value();
    // Folder images are resized to the size the family takes (conv: 28, 32 or 64 px).
    r.datasetOptions.imageSize = ModelRegistry::find(r.model.architecture).defaultImageSize;
    return r;
}

void TrainingPanel::setRequest(const TrainingRequest& r)
{
    setDatasetSpec(QString::fromStdString(r.datasetSpec));
    const QString arch = QString::fromStdString(r.model.architecture) + (r.model.variational ? "" : "-ae");
    architecture_->setCurrentIndex(architecture_->findData(arch));
    conditional_->setChecked(r.conditional);
    latent_->setValue(r.model.latentDim - ModelRegistry::find(r.model.architecture).poseSize);
    beta_->setValue(r.model.beta);
    rotationPrior_->setValue(r.model.rotationPrior * 180 / M_PI);
    translationPrior_->setValue(r.model.translationPrior);
    klWarmup_->setValue(r.training.klWarmupEpochs);
    const std::string corruption = r.model.corruption.text();
    corruption_->setCurrentIndex(std::max(0, corruption_->findData(QString::fromStdString(corruption.substr(0, corruption.find(':'))))));
    if (r.model.corruption.random())
        corruptionAmount_->setValue(r.model.corruption.amount);
    showCorruptionAmount();
    debias_->setValue(r.training.debias < 0 ? debias_->minimum() : r.training.debias);
    showFamilySettings();
    pixelSample_->setValue(r.model.pixelSample);
    angleConsistency_->setValue(r.model.angleConsistency);
    likelihood_->setCurrentIndex(likelihood_->findData(QString::fromStdString(toString(r.model.likelihood))));
    reconWeight_->setValue(r.model.reconWeight);
    epochs_->setValue(r.training.epochs);
    batch_->setValue(r.training.batchSize);
    learningRate_->setValue(r.training.learningRate);
    device_->setCurrentIndex(std::max(0, device_->findData(QString::fromStdString(r.training.device))));
    threads_->setValue(r.training.threads);
    refresh_->setValue(r.snapshotEveryBatches);
}

// The family chosen in the Model box (whose "-ae" entries are a family's autoencoder).
const ModelFamily& TrainingPanel::selectedFamily() const
{
    const QString arch = architecture_->currentData().toString();
    return ModelRegistry::find((arch.endsWith("-ae") ? arch.chopped(3) : arch).toStdString());
}

// The pose priors and the rest below are the rVAE's alone; a family chosen starts
// from its own defaults.
void TrainingPanel::showFamilySettings()
{
    const ModelFamily& family = selectedFamily();
    const bool pose = family.poseSize > 0;
    form_->setRowVisible(rotationPrior_, pose);
    form_->setRowVisible(translationPrior_, pose);
    form_->setRowVisible(pixelSample_, family.defaultPixelSample > 0);
    form_->setRowVisible(angleConsistency_, pose);
    pixelSample_->setValue(family.defaultPixelSample);
    angleConsistency_->setValue(family.defaultAngleConsistency);
    const TrainingConfig trainer;
    batch_->setValue(family.defaultBatchSize > 0 ? family.defaultBatchSize : trainer.batchSize);
    epochs_->setValue(family.defaultEpochs > 0 ? family.defaultEpochs : trainer.epochs);
    learningRate_->setValue(family.defaultLearningRate > 0 ? family.defaultLearningRate : trainer.learningRate);
    reconWeight_->setValue(family.defaultReconWeight);
    showReconWeight();
}

// The weight is SSIM's, or the family's own (the VAE-GAN's feature error against its GAN loss).
void TrainingPanel::showReconWeight()
{
    const ModelFamily& family = selectedFamily();
    reconWeight_->setVisible(family.weighsRecon || likelihood_->currentData() == "ssim");
    reconWeight_->setToolTip(family.weighsRecon
                                 ? tr("The weight of the error on the discriminator's features against the GAN loss, in "
                                      "the decoder's loss (Larsen et al.: 0.01)")
                                 : tr("The SSIM term is this weight × (1 − SSIM) × the pixel count: at 1 it weighs "
                                      "against the KL like a per-pixel error. Its losses are not nats"));
}

// Masking and salt-and-pepper take a share below 1, Gaussian noise a sigma up to 1; no
// corruption and grey input take no amount.
void TrainingPanel::showCorruptionAmount()
{
    const QString kind = corruption_->currentData().toString();
    corruptionAmount_->setVisible(kind != "none" && kind != "grey");
    corruptionAmount_->setMaximum(kind == "gaussian" ? Corruption::kMaxSigma : 0.99);
    corruptionAmount_->setToolTip(kind == "gaussian" ? tr("σ of the noise, on pixel values in [0, 1]")
                                                     : tr("The share of the pixels hit"));
}

void TrainingPanel::setDatasetSpec(const QString& spec)
{
    if (dataset_->findText(spec) < 0)
        dataset_->addItem(spec);
    dataset_->setCurrentText(spec);
}

void TrainingPanel::setCanContinue(bool canContinue, const QString& whyNot)
{
    canContinue_ = canContinue;
    continue_->setEnabled(canContinue && start_->isEnabled());
    continue_->setToolTip(whyNot.isEmpty() ? continueTip_ : whyNot);
    if (!whyNot.isEmpty() && start_->isEnabled())
        status_->setText(whyNot);
}

void TrainingPanel::trainingStarted(bool continuing)
{
    start_->setEnabled(false);
    continue_->setEnabled(false);
    pause_->setEnabled(true);
    pause_->setChecked(false);
    stop_->setEnabled(true);
    progress_->setValue(0);
    status_->setText(continuing ? tr("Continuing the open model…") : tr("Loading the data set…"));
    if (!continuing)
        resetChart();
}

void TrainingPanel::trainingPaused(bool paused)
{
    pause_->setText(paused ? tr("&Resume") : tr("&Pause"));
    if (paused)
        status_->setText(tr("Paused: %1").arg(status_->text()));
}

void TrainingPanel::trainingEnded(const QString& message)
{
    start_->setEnabled(true);
    continue_->setEnabled(canContinue_);
    pause_->setEnabled(false);
    pause_->setChecked(false);
    pause_->setText(tr("&Pause"));
    stop_->setEnabled(false);
    status_->setText(message);
}

void TrainingPanel::showProgress(const TrainingProgress& p)
{
    const double done = (p.epoch - 1 + double(p.batch) / std::max(1, p.batches));
    const int firstEpoch = p.epochs - epochs_->value() + 1; // training may continue a model's history
    const double fraction = (done - (firstEpoch - 1)) / std::max(1, p.epochs - firstEpoch + 1);
    progress_->setValue(int(std::lround(1000 * std::clamp(fraction, 0.0, 1.0))));
    if (p.epochDone)
        return;
    const double imagesLeft = (1 - fraction) * (p.epochs - firstEpoch + 1) * p.batches * batch_->value();
    status_->setText(tr("Epoch %1 of %2, batch %3 of %4 · %5 images/s · %6 left · loss %7")
                         .arg(p.epoch)
                         .arg(p.epochs)
                         .arg(p.batch)
                         .arg(p.batches)
                         .arg(int(std::lround(p.imagesPerSecond)))
                         .arg(formatDuration(imagesLeft / std::max(1.0, p.imagesPerSecond)))
                         .arg(p.loss, 0, 'f', 1));
    // The running epoch means, a point every tenth of an epoch.
    const int tenth = int(10 * double(p.batch) / std::max(1, p.batches));
    const int key = p.epoch * 10 + tenth;
    if (key != lastBatchPlotted_ && p.batch > p.batches / 20) {
        lastBatchPlotted_ = key;
        appendPoint(total_, done, p.loss);
        appendPoint(recon_, done, p.recon);
        appendPoint(kl_, done, p.kl);
        showExtraTerms(p.extraTermNames);
        for (std::size_t i = 0; i < p.extraTerms.size() && i < extra_.size(); ++i)
            appendPoint(extra_[i], done, p.extraTerms[i]);
    }
}

void TrainingPanel::showExtraTerms(const std::vector<std::string>& names)
{
    const bool same = extra_.size() == names.size()
                      && std::equal(names.begin(), names.end(), extra_.begin(), [](const std::string& n, QLineSeries* s) {
                             return s->name() == QString::fromStdString(n);
                         });
    if (same)
        return;
    for (QLineSeries* series : extra_) {
        chart_->removeSeries(series);
        delete series;
    }
    extra_.clear();
    for (const std::string& name : names) {
        auto* series = new QLineSeries;
        series->setName(QString::fromStdString(name));
        chart_->addSeries(series);
        series->attachAxis(xAxis_);
        series->attachAxis(klAxis_);
        extra_.push_back(series);
    }
    klAxis_->setTitleText(names.empty() ? tr("KL") : tr("KL and the other terms"));
}

void TrainingPanel::addEpoch(const EpochRecord& record)
{
    appendPoint(test_, record.epoch, record.testLoss);
}

void TrainingPanel::showHistory(const std::vector<EpochRecord>& history)
{
    resetChart();
    for (const EpochRecord& r : history) {
        appendPoint(total_, r.epoch, r.trainLoss);
        appendPoint(recon_, r.epoch, r.trainRecon);
        appendPoint(kl_, r.epoch, r.trainKl);
        appendPoint(test_, r.epoch, r.testLoss);
    }
}

void TrainingPanel::resetChart()
{
    for (QLineSeries* series : {total_, recon_, kl_, test_})
        series->clear();
    showExtraTerms({});
    yMin_ = yMax_ = klMax_ = 0;
    lastBatchPlotted_ = -1;
    xAxis_->setRange(0, std::max(1, epochs_->value()));
    yAxis_->setRange(0, 300);
    klAxis_->setRange(0, 30);
}

void TrainingPanel::appendPoint(QLineSeries* series, double x, double y)
{
    series->append(x, y);
    if (series == kl_ || std::find(extra_.begin(), extra_.end(), series) != extra_.end()) {
        klMax_ = std::max(klMax_, y);
        klAxis_->setRange(0, klMax_ * 1.1 + 1e-9);
        klAxis_->applyNiceNumbers();
    } else {
        const bool first = total_->count() + recon_->count() + test_->count() == 1;
        yMin_ = first ? y : std::min(yMin_, y);
        yMax_ = first ? y : std::max(yMax_, y);
        const double margin = 0.1 * (yMax_ - yMin_) + 1;
        yAxis_->setRange(std::max(0.0, yMin_ - margin), yMax_ + margin);
        yAxis_->applyNiceNumbers();
    }
    xAxis_->setRange(std::floor(std::min(xAxis_->min(), x)), std::max(xAxis_->max(), std::ceil(x)));
}

} // namespace latentlab
