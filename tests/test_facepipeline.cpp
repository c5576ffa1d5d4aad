#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "core/Error.h"
#include "core/FacePipeline.h"

using namespace latentlab;

// On the photos Debian ships in opencv-doc: messi5.jpg and the frames of Megamind.avi.
class TestFacePipeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void photoFolderWithReport();
    void cacheIsUsedAndSurvivesCorruption();
    void video();
    void rejects_data();
    void rejects();

private:
    QString data(const QString& name) const { return "/usr/share/doc/opencv-doc/examples/data/" + name; }
    QTemporaryDir dir_;
    QString photos_;
};

void TestFacePipeline::initTestCase()
{
    photos_ = dir_.filePath("photos");
    QDir().mkpath(photos_);
    QVERIFY(QFile::copy(data("messi5.jpg"), photos_ + "/messi.jpg"));
    QImage gradient(120, 90, QImage::Format_RGB32); // no face in it
    for (int y = 0; y < gradient.height(); ++y)
        for (int x = 0; x < gradient.width(); ++x)
            gradient.setPixel(x, y, qRgb(x * 2, y * 2, 128));
    QVERIFY(gradient.save(photos_ + "/gradient.png"));
    QFile broken(photos_ + "/broken.jpg");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not a jpeg at all");
}

void TestFacePipeline::photoFolderWithReport()
{
    FaceReport report;
    const Dataset faces = FacePipeline::load(photos_.toStdString(), FaceOptions{}, &report);
    QCOMPARE(faces.size(), std::size_t(1));
    QVERIFY(faces.shape() == (ImageShape{3, 64, 64}));
    QCOMPARE(faces.fileNames(), std::vector<std::string>{"messi.jpg"});
    QCOMPARE(faces.attributeNames(), (std::vector<std::string>{"Smiling_auto", "Eyeglasses_auto"}));
    QCOMPARE(report.imagesRead, std::size_t(3));
    QCOMPARE(report.facesFound, std::size_t(1));
    QCOMPARE(report.skipped.size(), std::size_t(2));
    QCOMPARE(report.skipped[0], (std::pair<std::string, std::string>{"broken.jpg", "cannot read the image"}));
    QCOMPARE(report.skipped[1], (std::pair<std::string, std::string>{"gradient.png", "no face found"}));
    QVERIFY(QString::fromStdString(report.summary()).contains("3 images read, 1 faces found"));
    // Not a flat patch (the crop of messi5.jpg holds his face, off centre: see the note).
    const std::uint8_t* image = faces.image(0);
    int lo = 255, hi = 0;
    for (int p = 0; p < 64 * 64; ++p) {
        lo = std::min<int>(lo, image[p]);
        hi = std::max<int>(hi, image[p]);
    }
    QVERIFY(hi - lo > 60);
}

void TestFacePipeline::cacheIsUsedAndSurvivesCorruption()
{
    FaceOptions options;
    options.cacheDir = dir_.filePath("cache").toStdString();
    FaceReport first, second, third;
    const Dataset a = FacePipeline::load(photos_.toStdString(), options, &first);
    QVERIFY(!first.fromCache);
    const Dataset b = FacePipeline::load(photos_.toStdString(), options, &second);
    QVERIFY(second.fromCache);
    QCOMPARE(b.pixels(), a.pixels());
    QCOMPARE(b.fileNames(), a.fileNames());
    QCOMPARE(b.attributes(), a.attributes());
    // A truncated cache is ignored: the faces are found again.
    const QStringList files = QDir(dir_.filePath("cache")).entryList({"faces-*.bin"});
    QCOMPARE(files.size(), 1);
    QFile cache(dir_.filePath("cache") + "/" + files.first());
    QVERIFY(cache.resize(cache.size() / 2));
    const Dataset c = FacePipeline::load(photos_.toStdString(), options, &third);
    QVERIFY(!third.fromCache);
    QCOMPARE(c.pixels(), a.pixels());
}

void TestFacePipeline::video()
{
    FaceOptions options;
    options.everyNthFrame = 20;
    FaceReport report;
    QElapsedTimer timer;
    timer.start();
    const Dataset faces = FacePipeline::load(data("Megamind.avi").toStdString(), options, &report);
    qInfo("Megamind.avi, every 20th frame: %zu frames looked at, %zu faces, %lld ms", report.imagesRead,
          report.facesFound, timer.elapsed());
    QVERIFY(report.imagesRead >= 10);
    QVERIFY2(report.facesFound * 2 > report.imagesRead, "a face in most frames looked at");
    QCOMPARE(faces.size(), report.facesFound);
    QVERIFY(faces.fileNames().front().rfind("frame-", 0) == 0);
    QVERIFY(faces.shape() == (ImageShape{3, 64, 64}));
}

void TestFacePipeline::rejects_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing path") << "missing" << "no such folder";
    QTest::newRow("folder without faces") << "noface" << "no face found";
    QTest::newRow("missing cascades") << "cascades" << "opencv-data";
    QTest::newRow("not a video or folder") << "text" << "expected a folder of photos or a video";
}

void TestFacePipeline::rejects()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    FaceOptions options;
    std::string path = photos_.toStdString();
    if (what == "missing") {
        path = "/nonexistent/photos";
    } else if (what == "noface") {
        const QString folder = dir_.filePath("noface");
        QDir().mkpath(folder);
        QImage plain(64, 64, QImage::Format_RGB32);
        plain.fill(Qt::darkGreen);
        QVERIFY(plain.save(folder + "/plain.png"));
        path = folder.toStdString();
    } else if (what == "cascades") {
        options.cascadeDir = "/nonexistent/haarcascades";
    } else if (what == "text") {
        path = "/etc/hostname";
    }
    try {
        FaceReport report;
        FacePipeline::load(path, options, &report);
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestFacePipeline)
#include "test_facepipeline.moc"
