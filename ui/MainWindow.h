#pragma once
#include <QMainWindow>

class QLabel;

namespace latentlab {

// The explorer's window. This first version is the shell that the latent map,
// training panel and docks (later issues) are added to.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    void createMenus();
};

} // namespace latentlab
