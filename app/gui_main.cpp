// latentlab: the explorer window. `--screenshot FILE` saves the window as PNG
// once it is shown and exits (documentation screenshots, visual checks).
#include <iostream>

#include <QApplication>
#include <QTimer>

#include "app/CommandLine.h"
#include "core/Error.h"
#include "ui/MainWindow.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("LatentLab");
    QApplication::setOrganizationName("LatentLab");
    QApplication::setApplicationVersion(PROJECT_VERSION);

    latentlab::CommandLine cl("Usage: latentlab [options]",
                              {{"screenshot", "FILE", "", "save a PNG of the window once it is ready, then exit"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
    } catch (const latentlab::Error& e) {
        std::cerr << "latentlab: " << e.what() << "\n";
        return 2;
    }

    latentlab::MainWindow window;
    window.show();
    if (cl.has("screenshot")) {
        const QString path = QString::fromStdString(cl.value("screenshot"));
        QTimer::singleShot(200, &window, [&window, path] {
            if (!window.grab().save(path)) {
                std::cerr << "latentlab: cannot save the screenshot to " << path.toStdString() << "\n";
                QApplication::exit(1);
                return;
            }
            QApplication::quit();
        });
    }
    return app.exec();
}
