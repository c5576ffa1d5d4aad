#include "ui/StatisticsPanel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/base/AtomicFile.h"
#include "core/formats/HistogramPlot.h"
#include "core/latent/LatentDensity.h"
#include "core/latent/LatentStatistics.h"
#include "core/training/OutlierRanking.h"
#include "ui/BackgroundLoads.h"
#include "ui/EditSession.h"
#include "ui/ImageConversion.h"

namespace latentlab {

namespace {

constexpr int kOutliers = 40;

} // namespace

StatisticsPanel::StatisticsPanel(EditSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    auto* run = new QPushButton(tr("&Compute"), this);
    iwae_ = new QSpinBox(this);
    iwae_->setRange(0, 5000);
    iwae_->setValue(0);
    iwae_->setSpecialValueText(tr("rank by negative ELBO"));
    iwae_->setPrefix(tr("IWAE K = "));
    iwae_->setObjectName("statisticsIwae");
    iwae_->setToolTip(tr("Rank outliers by an importance-weighted estimate of -log p(x) with K samples (slower)"));
    summary_ = new QLabel(tr("Statistics of the encoded test images."), this);
    summary_->setWordWrap(true);
    summary_->setObjectName("statisticsSummary");
    histograms_ = new QLabel(this);
    histograms_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(histograms_);
    scroll->setWidgetResizable(true);
    outliers_ = new QListWidget(this);
    outliers_->setViewMode(QListView::IconMode);
    outliers_->setIconSize(QSize(40, 40));
    outliers_->setGridSize(QSize(64, 64));
    outliers_->setMaximumHeight(150);
    outliers_->setToolTip(tr("The least likely test images, most unusual first: click to select"));
    rare_ = new QListWidget(this);
    rare_->setObjectName("rareList");
    rare_->setViewMode(QListView::IconMode);
    rare_->setIconSize(QSize(40, 40));
    rare_->setGridSize(QSize(64, 64));
    rare_->setMaximumHeight(150);
    rare_->setToolTip(tr("The images whose codes lie where the fewest others do (per-dimension histograms, as "
                         "debiased training weighs them), rarest first, with their weight (1 = average)"));
    exportWeights_ = new QPushButton(tr("Export weights…"), this);
    exportWeights_->setObjectName("exportWeights");
    exportWeights_->setEnabled(false);
    exportWeights_->setToolTip(tr("Save every image's debiasing weight as CSV (index, label, weight)"));

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 0);
    progress_->setObjectName("statisticsProgress");
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName("statisticsCancel");
    cancel_->setToolTip(tr("Stop computing (IWAE with a large K takes a while)"));
    poll_ = new QTimer(this);
    poll_->setInterval(100);
    connect(poll_, &QTimer::timeout, this, [this] {
        if (running_ && running_->permille.load() >= 0) {
            progress_->setRange(0, 1000);
            progress_->setValue(running_->permille.load());
        }
    });
    connect(cancel_, &QPushButton::clicked, this, &StatisticsPanel::cancel);
    showRunning(false);

    auto* controls = new QHBoxLayout;
    controls->addWidget(run);
    controls->addWidget(iwae_, 1);
    controls->addWidget(progress_, 1);
    controls->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(summary_);
    layout->addWidget(scroll, 1);
    layout->addWidget(new QLabel(tr("Most unusual images"), this));
    layout->addWidget(outliers_);
    auto* rareTitle = new QHBoxLayout;
    rareTitle->addWidget(new QLabel(tr("Rarest codes (lowest latent density)"), this), 1);
    rareTitle->addWidget(exportWeights_);
    layout->addLayout(rareTitle);
    layout->addWidget(rare_);

    connect(run, &QPushButton::clicked, this, &StatisticsPanel::compute);
    for (QListWidget* list : {outliers_, rare_})
        connect(list, &QListWidget::itemClicked, this,
                [this](QListWidgetItem* item) { session_->selectIndex(item->data(Qt::UserRole).toInt()); });
    connect(exportWeights_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Weights"), "weights.csv", tr("CSV (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportWeights(path, &error))
            QMessageBox::warning(this, tr("Cannot export the weights"), error);
    });
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        const Result r = watcher_.result();
        showRunning(false);
        if (r.cancelled) {
            summary_->setText(tr("Cancelled."));
            return;
        }
        if (!r.error.isEmpty()) {
            summary_->setText(r.error);
            return;
        }
        summary_->setText(r.summary);
        histograms_->setPixmap(QPixmap::fromImage(r.histograms));
        outliers_->clear();
        rare_->clear();
        // Indices into the data set that was ranked: none if another one came meanwhile.
        const auto data = session_->data();
        if (data != r.data) {
            summary_->setText(tr("The data set changed while computing: compute again."));
            Q_EMIT computed();
            return;
        }
        const auto model = session_->model();
        const bool nats = !model || model->config().reconIsLikelihood();
        fill(outliers_, r.outliers, *data, nats ? tr("#%1: -log p(x) %2 nats") : tr("#%1: loss %2 (SSIM term + KL)"), 0);
        fill(rare_, r.rare, *data, tr("#%1: weight %2 (1 = average)"), 1);
        weights_ = r.weights;
        weightLabels_ = data->labels();
        exportWeights_->setEnabled(!weights_.empty());
        Q_EMIT computed();
    });
}

void StatisticsPanel::fill(QListWidget* list, const std::vector<std::pair<int, double>>& ranked, const Dataset& data,
                           const QString& tip, int decimals)
{
    for (const auto& [index, value] : ranked) {
        if (index < 0 || std::size_t(index) >= data.size())
            continue;
        const QImage image = ImageConversion::toQImage(Image::fromPlanarBytes(data.image(std::size_t(index)), data.shape()));
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(40, 40, Qt::KeepAspectRatio))),
                                         QString::number(value, 'f', decimals), list);
        item->setData(Qt::UserRole, index);
        item->setToolTip(tip.arg(index).arg(value, 0, 'f', 2));
    }
}

bool StatisticsPanel::exportWeights(const QString& path, QString* error) const
{
    if (weights_.empty()) {
        *error = tr("Compute the statistics first.");
        return false;
    }
    try {
        AtomicFile::write(path.toStdString(), {LatentDensity::csv(weights_, weightLabels_)}, "the weights file");
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return true;
}

void StatisticsPanel::compute()
{
    const auto model = session_->model();
    const auto data = session_->data();
    const auto codes = session_->codes();
    if (!model || !data || !codes || watcher_.isRunning()) {
        summary_->setText(tr("Open a model and its data set first."));
        return;
    }
    summary_->setText(tr("Computing…"));
    const int k = iwae_->value();
    running_ = std::make_shared<Progress>();
    showRunning(true);
    watcher_.setFuture(QtConcurrent::run(BackgroundLoads::pool(), [model = std::shared_ptr<const Model>(model), data, codes, k,
                                                                   progress = running_] {
        Result r;
        r.data = data;
        struct Cancelled {};
        const auto report = [&](std::size_t done, std::size_t total) {
            if (progress->cancelled.load())
                throw Cancelled{}; // out of the scoring, between two batches
            progress->permille.store(int(1000 * done / std::max<std::size_t>(total, 1)));
        };
        try {
            const LatentStatistics s = LatentStatistics::compute(*codes);
            r.histograms = ImageConversion::toQImage(HistogramPlot::render(s, 2, 190, 120));
            r.summary = QObject::tr("%1 images, %2 of %3 dimensions active (KL above %4 nats), total KL %5 nats")
                            .arg(codes->count())
                            .arg(s.activeUnits)
                            .arg(codes->dim)
                            .arg(LatentStatistics::kActiveKl)
                            .arg(s.totalKl, 0, 'f', 2);
            r.weights = LatentDensity::relativeWeights(codes->mu, std::size_t(codes->dim));
            for (const std::size_t i : LatentDensity::rarest(r.weights, kOutliers))
                r.rare.emplace_back(int(i), r.weights[i]);
            if (model->config().variational) {
                for (const RankedImage& ranked :
                     OutlierRanking::leastLikely(OutlierRanking::scores(*model, *data, k, report), kOutliers))
                    r.outliers.emplace_back(int(ranked.index), ranked.nll);
            }
        } catch (const Cancelled&) {
            r.cancelled = true;
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void StatisticsPanel::cancel()
{
    if (!running_ || !watcher_.isRunning())
        return;
    running_->cancelled.store(true);
    summary_->setText(tr("Cancelling…"));
}

void StatisticsPanel::showRunning(bool running)
{
    progress_->setRange(0, 0);
    progress_->setVisible(running);
    cancel_->setVisible(running);
    iwae_->setVisible(!running);
    if (running)
        poll_->start();
    else
        poll_->stop();
}

} // namespace latentlab
