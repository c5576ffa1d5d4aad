#include "ui/FactorsPanel.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "models/ModelRegistry.h"
#include "ui/BackgroundLoads.h"
#include "ui/ExplorerDocument.h"
#include "ui/ScatterColouring.h"

namespace latentlab {

FactorsPanel::FactorsPanel(ExplorerDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    auto* run = new QPushButton(tr("&Analyse the factors"), this);
    run->setToolTip(tr("Compare the code of the overlay's images with the factors its data set was made from"));
    summary_ = new QLabel(tr("Open a model and a data set with known factors (cards, digits-rotated, synth-faces), "
                             "then analyse."),
                          this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    table_ = new QTableWidget(this);
    table_->setObjectName("factorTable");
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setMinimumHeight(180);
    table_->setToolTip(tr("Each cell: the share of the factor's entropy that the dimension holds (MI / H). "
                          "Click one to put the dimension on the map's x axis, coloured by the factor."));

    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName("factorsCancel");
    connect(cancel_, &QPushButton::clicked, this, &FactorsPanel::cancel);
    auto* controls = new QHBoxLayout;
    controls->addWidget(run);
    controls->addWidget(busy_, 1);
    controls->addWidget(cancel_);
    showRunning(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(table_, 1);
    layout->addWidget(summary_);

    connect(run, &QPushButton::clicked, this, &FactorsPanel::compute);
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        showRunning(false);
        if (cancelled_) {
            summary_->setText(tr("Cancelled."));
            return;
        }
        showResult(watcher_.result());
    });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int column) {
        const QTableWidgetItem* factor = table_->verticalHeaderItem(row);
        if (!factor || column >= table_->columnCount() - 1) // the last column is the MIG
            return;
        const QString name = factor->data(Qt::UserRole).toString();
        Q_EMIT dimensionChosen(column, name == "class" ? ScatterColouring::labelChoice() : name);
    });
}

QString FactorsPanel::summaryText() const
{
    return summary_->text();
}

void FactorsPanel::compute()
{
    const auto model = document_->shownModel();
    const auto data = document_->overlay();
    const auto codes = document_->codes();
    if (!model || !data || !codes || codes->count() != data->size() || watcher_.isRunning()) {
        summary_->setText(watcher_.isRunning() ? tr("Still analysing…") : tr("Open a model and its data set first."));
        return;
    }
    summary_->setText(tr("Analysing %1 codes…").arg(codes->count()));
    cancelled_ = false;
    showRunning(true);
    const ModelConfig config = model->config();
    watcher_.setFuture(QtConcurrent::run(BackgroundLoads::pool(), [config, data, codes] {
        Result r;
        try {
            r.report = FactorReport::fromDataset(codes->mu, codes->dim, *data, ModelRegistry::dimensionNames(config),
                                                 ModelRegistry::find(config.architecture).poseSize);
            for (const std::string& label : ModelRegistry::dimensionLabels(config))
                r.dimensionLabels << QString::fromStdString(label);
            for (const std::string& name : data->classNames())
                r.classNames << QString::fromStdString(name);
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void FactorsPanel::cancel()
{
    if (watcher_.isRunning()) {
        cancelled_ = true;
        summary_->setText(tr("Cancelling… (the analysis ends on its own in a moment)"));
    }
}

void FactorsPanel::showRunning(bool running)
{
    busy_->setVisible(running);
    cancel_->setVisible(running);
}

void FactorsPanel::showResult(const Result& result)
{
    if (!result.error.isEmpty()) {
        summary_->setText(result.error);
        table_->clear();
        table_->setRowCount(0);
        table_->setColumnCount(0);
        Q_EMIT computed();
        return;
    }
    const FactorReport& r = result.report;
    const int dims = int(r.dimensionNames.size());
    table_->clear();
    table_->setRowCount(int(r.factors.size()));
    table_->setColumnCount(dims + 1);
    for (int d = 0; d < dims; ++d)
        table_->setHorizontalHeaderItem(d, new QTableWidgetItem(result.dimensionLabels.value(d)));
    table_->setHorizontalHeaderItem(dims, new QTableWidgetItem(tr("MIG")));
    // A few dimensions share the width; many keep their text and scroll.
    table_->horizontalHeader()->setSectionResizeMode(dims <= 12 ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
    for (int f = 0; f < int(r.factors.size()); ++f) {
        const FactorScores& s = r.factors[std::size_t(f)];
        auto* header = new QTableWidgetItem(s.name == "class" ? tr("class (label)") : QString::fromStdString(s.name));
        header->setData(Qt::UserRole, QString::fromStdString(s.name));
        table_->setVerticalHeaderItem(f, header);
        for (int d = 0; d < dims; ++d) {
            const double share = s.entropy > 0 ? s.mutualInformation[std::size_t(d)] / s.entropy : 0.0;
            auto* cell = new QTableWidgetItem(QString::number(share, 'f', 2));
            cell->setTextAlignment(Qt::AlignCenter);
            // White to dark blue with the share; light text on the dark end.
            const int shade = int(255 * (1 - std::min(1.0, share)));
            cell->setBackground(QColor(shade, shade + (255 - shade) / 3, 255));
            cell->setForeground(share > 0.55 ? Qt::white : Qt::black);
            cell->setToolTip(tr("%1 against %2: MI %3 nats of %4, |correlation| %5")
                                 .arg(header->text(), table_->horizontalHeaderItem(d)->text())
                                 .arg(s.mutualInformation[std::size_t(d)], 0, 'f', 3)
                                 .arg(s.entropy, 0, 'f', 3)
                                 .arg(s.correlation[std::size_t(d)], 0, 'f', 2));
            table_->setItem(f, d, cell);
        }
        auto* mig = new QTableWidgetItem(QString::number(s.mig, 'f', 2));
        mig->setTextAlignment(Qt::AlignCenter);
        table_->setItem(f, dims, mig);
    }
    QStringList lines;
    lines << tr("MIG %1 over %2 factors.").arg(r.mig, 0, 'f', 3).arg(r.factors.size());
    if (r.hasLabels)
        lines << tr("Labels: 5-NN accuracy %1% (content %2%), k-means NMI %3 (content %4).")
                     .arg(100 * r.knnAccuracy, 0, 'f', 1)
                     .arg(100 * r.contentKnnAccuracy, 0, 'f', 1)
                     .arg(r.kmeansNmi, 0, 'f', 2)
                     .arg(r.contentKmeansNmi, 0, 'f', 2);
    if (r.hasAngle) {
        lines << tr("Angle: best circular-linear correlation %1 (%2); the content carries %3 of it.")
                     .arg(r.angle.bestLinearCorrelation, 0, 'f', 2)
                     .arg(table_->horizontalHeaderItem(r.angle.bestLinearDimension)->text())
                     .arg(r.angle.carriedByContent, 0, 'f', 2);
        if (r.angle.hasAngleLatent) {
            QStringList perClass;
            for (std::size_t c = 0; c < r.angle.angleLatentCorrelationPerClass.size(); ++c)
                perClass << QString("%1 %2")
                                .arg(int(c) < result.classNames.size() ? result.classNames[int(c)] : QString::number(c))
                                .arg(r.angle.angleLatentCorrelationPerClass[c], 0, 'f', 2);
            lines << tr("Angle latent against the true angle: circular correlation %1 (%2; a shape that repeats under "
                        "a turn compares its angles times its symmetry).")
                         .arg(r.angle.angleLatentCorrelation, 0, 'f', 2)
                         .arg(perClass.join(", "));
        }
    }
    summary_->setText(lines.join("\n"));
    Q_EMIT computed();
}

} // namespace latentlab
