#include <QMenuBar>
#include <QProcess>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/MainWindow.h"

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void opensWithMenusAndStatus();
};

void TestMainWindow::opensWithMenusAndStatus()
{
    latentlab::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QString("LatentLab"));
    QStringList menus;
    for (QAction* action : window.menuBar()->actions())
        menus << action->text();
    QCOMPARE(menus, (QStringList{"&File", "&Help"}));
    QVERIFY(window.statusBar()->currentMessage().contains("CPU threads"));
    const QImage shot = window.grab().toImage();
    QVERIFY(shot.width() >= 800 && shot.height() >= 500);
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
