// latentlab: the explorer window. With --screenshot FILE it saves the window as a
// PNG once the first frame of the map is complete, then exits (documentation
// screenshots, visual checks).
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <QApplication>
#include <QIcon>
#include <QTimer>

#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "ui/BackgroundLoads.h"
#include "ui/ComparePanel.h"
#include "ui/LatentMapView.h"
#include "ui/ExplorerDocument.h"
#include "ui/FactorsPanel.h"
#include "ui/MainWindow.h"
#include "ui/PlaneControls.h"
#include "ui/StatisticsPanel.h"

namespace {

int runWindow(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("LatentLab");
    QApplication::setOrganizationName("LatentLab");
    QApplication::setApplicationVersion(PROJECT_VERSION);
    // The desktop file and the installed icon (hicolor theme) name the window.
    QApplication::setDesktopFileName("io.github.latentlab.LatentLab");
    QApplication::setWindowIcon(QIcon::fromTheme("io.github.latentlab.LatentLab"));

    latentlab::CommandLine cl(
        "Usage: latentlab [MODEL] [options]\n\nOpens MODEL (a .latentlab or TorchScript .pt file); without one it opens the last model,\n"
        "or on the first run trains one. --version prints the version.",
        {{"model", "FILE", "", "model file to open"},
         {"dataset", "SPEC", "", "data set for the overlay and for training"},
         {"plane", "dims|pca", "dims", "plane of the latent map"},
         {"dims", "I,J", "0,1", "latent dimensions of a dims plane"},
         {"spacing", "linear|cdf", "linear", "tile spacing"},
         {"tiles", "N", "16", "tiles per side (4 to 32)"},
         {"no-overlay", "", "", "hide the encoded data set"},
         {"colour-by", "NAME", "", "colour the overlay by this factor or attribute (or Label)"},
         {"pose", "DEG,DX,DY", "", "a model with a pose (rvae): decode the map at this angle and shift"},
         {"class", "K", "", "conditional models: decode in class K (its number)"},
         {"select", "INDEX", "", "select this test image (inspector, morph A)"},
         {"corrupted", "", "", "a denoising or colourising model: show the selected image corrupted, next to its restoration"},
         {"morph", "A,B", "", "morph between these test images"},
         {"compare", "FILE", "", "open this second model in the Compare dock, beside MODEL"},
         {"dock", "NAME", "", "bring a dock to the front: inspector, morph, attributes, browser, statistics, factors, compare, training"},
         {"size", "WxH", "", "window size in pixels, e.g. 1600x1000"},
         {"screenshot", "FILE", "", "save a PNG of the window once the map is drawn, then exit"},
         {"timeout", "S", "300", "give up on --screenshot after S seconds"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        latentlab::MainWindow window;
        latentlab::PlaneControls* controls = window.planeControls();
        // Numbers are checked before anything opens (the latent size is checked by the window).
        const std::vector<int> dims = cl.intListValue("dims", 0, 65535);
        if (dims.size() != 2)
            throw latentlab::Error("--dims expects two dimensions, as I,J");
        const std::vector<int> morph = cl.intListValue("morph", 0, std::numeric_limits<int>::max());
        if (morph.size() > 3)
            throw latentlab::Error("--morph takes two or three test images, as A,B[,C]");
        const int conditionClass = cl.has("class") ? cl.intValue("class", 0, 65535) : 0;
        const int select = cl.has("select") ? cl.intValue("select", 0, std::numeric_limits<int>::max()) : 0;
        const int timeoutSeconds = cl.intValue("timeout", 1, 86400);
        std::vector<float> pose;
        if (cl.has("pose")) {
            const QStringList parts = QString::fromStdString(cl.value("pose")).split(',');
            bool ok = parts.size() == 3;
            for (const QString& part : parts) {
                bool number = false;
                const double v = part.toDouble(&number);
                ok = ok && number && std::abs(v) <= 360;
                pose.push_back(float(pose.empty() ? v * M_PI / 180.0 : v));
            }
            if (!ok)
                throw latentlab::Error("--pose expects an angle in degrees and a shift, as DEG,DX,DY (each within 360)");
        }
        controls->setDims(dims[0], dims[1]);
        controls->setTiles(cl.intValue("tiles", 4, 32));
        controls->setInverseCdf(cl.value("spacing") == "cdf");
        if (cl.value("plane") == "pca")
            controls->setKind(latentlab::PlaneControls::Kind::Pca);
        if (cl.has("no-overlay"))
            window.mapView()->setScatterOpacity(0);
        if (cl.has("size")) {
            const QStringList size = QString::fromStdString(cl.value("size")).split('x');
            const int width = size.size() == 2 ? size[0].toInt() : 0, height = size.size() == 2 ? size[1].toInt() : 0;
            if (width < 320 || height < 240)
                throw latentlab::Error("--size: give WIDTHxHEIGHT, at least 320x240, e.g. 1600x1000");
            window.resize(width, height);
        }
        window.show();

        if (cl.has("dock"))
            window.raiseDock(QString::fromStdString(cl.value("dock")) + "Dock");
        // Picks wait for the overlay's codes: the first time the view is complete.
        bool picked = false;
        QObject::connect(&window, &latentlab::MainWindow::viewReady, &window, [&] {
            if (picked)
                return;
            picked = true;
            if (cl.has("class"))
                controls->setConditionClass(conditionClass);
            if (cl.has("colour-by"))
                window.document()->setColourBy(QString::fromStdString(cl.value("colour-by")));
            if (!pose.empty())
                window.document()->setPose(pose);
            if (cl.has("select"))
                window.pickImage(select);
            if (cl.has("corrupted"))
                window.showCorruptedInputs(true);
            for (std::size_t slot = 0; slot < morph.size(); ++slot)
                window.useAsEndpoint(int(slot), morph[slot]);
            if (cl.has("compare")) // once the explored model is open, so that the two can be checked
                window.openCompareModel(QString::fromStdString(cl.value("compare")));
            if (cl.value("dock") == "statistics")
                window.findChild<latentlab::StatisticsPanel*>()->compute();
            if (cl.value("dock") == "factors")
                window.findChild<latentlab::FactorsPanel*>()->compute();
        });

        if (cl.has("screenshot")) {
            const QString path = QString::fromStdString(cl.value("screenshot"));
            const int settle = cl.value("dock") == "statistics" || cl.value("dock") == "factors" ? 2000
                               : cl.has("select") || cl.has("morph") || cl.has("class") || cl.has("pose") || cl.has("compare") ? 600
                                                                                                                   : 100;
            // With --compare, once B's reconstructions and its map (where there is one) are in; its morph
            // and edit follow within the settle time.
            const auto ready = [&window, path, settle] {
                // A little longer so that docks, charts and the docks' decodes have painted too.
                QTimer::singleShot(settle, &window, [&window, path] {
                    if (!window.grab().save(path)) {
                        std::cerr << "latentlab: cannot save the screenshot to " << path.toStdString() << "\n";
                        QApplication::exit(1);
                        return;
                    }
                    QApplication::exit(0);
                });
            };
            if (cl.has("compare")) {
                const auto compared = [&window, ready, done = std::make_shared<bool>(false)] {
                    const latentlab::ComparePanel* panel = window.comparePanel();
                    const bool mapDue = panel->mapText().startsWith('z') && panel->secondMap().isNull();
                    if (*done || panel->reconstructions().isEmpty() || mapDue)
                        return;
                    *done = true;
                    ready();
                };
                QObject::connect(window.comparePanel(), &latentlab::ComparePanel::reconstructionsReady, &window, compared);
                QObject::connect(window.comparePanel(), &latentlab::ComparePanel::mapReady, &window, compared);
            } else {
                QObject::connect(&window, &latentlab::MainWindow::viewReady, &window, ready);
            }
            // Nobody is there to read a message box: an error ends the run, naming what failed.
            QObject::connect(&window, &latentlab::MainWindow::errorShown, &window, [](const QString& message) {
                std::cerr << "latentlab: " << message.toStdString() << "\n";
                QApplication::exit(1);
            });
            QTimer::singleShot(timeoutSeconds * 1000, &window, [] {
                std::cerr << "latentlab: the map was not ready in time for --screenshot\n";
                QApplication::exit(3);
            });
        }
        window.start({QString::fromStdString(cl.value("model")), QString::fromStdString(cl.value("dataset")), true});
        return app.exec();
    } catch (const latentlab::Error& e) {
        std::cerr << "latentlab: " << e.what() << "\n";
        return 2;
    }
}

} // namespace

int main(int argc, char** argv)
{
    // Before any display is needed (help2man and packagers ask for it).
    if (argc == 2 && std::string(argv[1]) == "--version") {
        std::cout << "latentlab " PROJECT_VERSION "\n";
        return 0;
    }
    // `latentlab FILE [options]`, as a file manager or the desktop file (Exec=latentlab %f)
    // starts it.
    std::vector<char*> args(argv, argv + argc);
    char modelOption[] = "--model";
    if (argc >= 2 && argv[1][0] != '-')
        args.insert(args.begin() + 1, modelOption);
    argc = int(args.size());
    args.push_back(nullptr);
    argv = args.data();
    // The window and the application are gone here; Qt waited for its global pool
    // (saves and exports, which must finish). A load still running (a hostile file
    // that takes minutes; its result has nowhere to go) is not waited for: end the
    // process without running static destructors under its feet.
    const int code = runWindow(argc, argv);
    if (latentlab::BackgroundLoads::running() > 0) {
        std::cout.flush();
        std::cerr.flush();
        std::_Exit(code);
    }
    return code;
}
