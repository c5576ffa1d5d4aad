#include "ui/MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

#include "core/Device.h"

namespace latentlab {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("LatentLab"));
    resize(1100, 720);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addStretch(1);
    auto* title = new QLabel(tr("LatentLab"), central);
    QFont titleFont = title->font();
    titleFont.setPointSize(titleFont.pointSize() * 2);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    auto* subtitle = new QLabel(tr("Explore what a variational autoencoder has learned.\n"
                                   "Train models headless today with latentlab-cli train; "
                                   "the latent map arrives in this window next."),
                                central);
    subtitle->setAlignment(Qt::AlignCenter);
    subtitle->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addStretch(1);
    setCentralWidget(central);

    createMenus();
    statusBar()->showMessage(tr("Device: %1, %2 CPU threads")
                                 .arg(Device::cudaAvailable() ? tr("CUDA") : tr("CPU"))
                                 .arg(Device::coreCount()));
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About LatentLab"), this, [this] {
        QMessageBox::about(this, tr("About LatentLab"),
                           tr("<b>LatentLab</b> %1<br>Explore the latent space of variational autoencoders.")
                               .arg(QApplication::applicationVersion()));
    });
}

} // namespace latentlab
