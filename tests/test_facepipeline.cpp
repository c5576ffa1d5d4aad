#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTransform>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>

#include "core/base/Error.h"
#include "core/data/faces/FacePipeline.h"

using namespace latentlab;

// On what Debian ships: messi5.jpg and Megamind.avi (opencv-doc), the cascades (opencv-data).
class TestFacePipeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onePhoto();
    void mixedFolder();
    void cacheUsedAndInvalidated_data();
    void cacheUsedAndInvalidated();
    void corruptCacheIgnored_data();
    void corruptCacheIgnored();
    void rejects_data();
    void rejects();
    void video();
    void eyeLineAngle_data();
    void eyeLineAngle();
    void levelsTiltedFace_data();
    void levelsTiltedFace();

private:
    // A new folder holding messi5.jpg as messi.jpg.
    QString messiFolder(const QString& name);
    QTemporaryDir dir_;
};

namespace {

const QString kData = "/usr/share/doc/opencv-doc/examples/data/";
const std::string kCascades = "/usr/share/opencv4/haarcascades";

struct Stats {
    double red = 0, blue = 0, deviation = 0;
};

// Colour means and grey spread of the centre half (both ways) of one channel-first RGB face.
Stats centreStats(const std::uint8_t* chw, int size)
{
    const int plane = size * size, from = size / 4, to = size - size / 4;
    double r = 0, b = 0, sum = 0, squares = 0;
    int n = 0;
    for (int y = from; y < to; ++y)
        for (int x = from; x < to; ++x) {
            const int i = y * size + x;
            const double grey = (chw[i] + chw[plane + i] + chw[2 * plane + i]) / 3.0;
            r += chw[i];
            b += chw[2 * plane + i];
            sum += grey;
            squares += grey * grey;
            ++n;
        }
    const double mean = sum / n;
    return {r / n, b / n, std::sqrt(std::max(0.0, squares / n - mean * mean))};
}

Image toImage(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    Image out{rgb.width(), rgb.height(), 3, {}};
    for (int y = 0; y < rgb.height(); ++y) // rows are padded to 4 bytes in a QImage
        out.pixels.insert(out.pixels.end(), rgb.constScanLine(y), rgb.constScanLine(y) + 3 * rgb.width());
    return out;
}

QImage toQImage(const Image& image)
{
    return QImage(image.pixels.data(), image.width, image.height, 3 * image.width, QImage::Format_RGB888).copy();
}

// The single file a cache folder holds.
QString onlyCacheFile(const QString& cacheDir)
{
    const QStringList files = QDir(cacheDir).entryList({"*.faces"}, QDir::Files);
    return files.size() == 1 ? cacheDir + "/" + files.first() : QString();
}

void setModified(const QString& file, int secondsLater)
{
    const std::filesystem::path p = file.toStdString();
    std::filesystem::last_write_time(p, std::filesystem::last_write_time(p) + std::chrono::seconds(secondsLater));
}

} // namespace

void TestFacePipeline::initTestCase()
{
    QVERIFY2(QFile::exists(kData + "messi5.jpg") && QFile::exists(kData + "Megamind.avi"),
             "install Debian's opencv-doc package");
    QVERIFY2(QFile::exists(QString::fromStdString(kCascades) + "/haarcascade_frontalface_alt2.xml"),
             "install Debian's opencv-data package");
    QVERIFY(dir_.isValid());
}

QString TestFacePipeline::messiFolder(const QString& name)
{
    const QString folder = dir_.filePath(name);
    QDir().mkpath(folder);
    QFile::copy(kData + "messi5.jpg", folder + "/messi.jpg");
    return folder;
}

void TestFacePipeline::onePhoto()
{
    const QString folder = messiFolder("one");
    FaceReport report;
    QElapsedTimer timer;
    timer.start();
    const Dataset faces = FacePipeline::load(folder.toStdString(), FaceOptions{}, &report);
    qInfo("messi5.jpg: %lld ms (cascades loaded, detected, cropped)", timer.elapsed());
    QCOMPARE(faces.size(), std::size_t(1));
    QVERIFY(faces.shape() == (ImageShape{3, 64, 64}));
    QCOMPARE(faces.fileNames(), std::vector<std::string>{"messi.jpg"});
    QCOMPARE(faces.attributeNames(), (std::vector<std::string>{"Smiling_auto", "Eyeglasses_auto"}));
    QCOMPARE(faces.attributes().size(), std::size_t(2));
    QCOMPARE(report.imagesRead, std::size_t(1));
    QCOMPARE(report.facesFound, std::size_t(1));
    QVERIFY(report.skipped.empty());
    QVERIFY(!report.fromCache);

    // A face: skin in the middle (more red than blue), not a flat patch.
    const Stats centre = centreStats(faces.image(0), 64);
    QVERIFY2(centre.red > centre.blue + 15, qPrintable(QString("red %1, blue %2").arg(centre.red).arg(centre.blue)));
    QVERIFY2(centre.deviation > 8, qPrintable(QString("spread %1").arg(centre.deviation)));

    // And the right one: his face is centred near (246, 113) in messi5.jpg; the largest
    // detection, the crest on his shirt, is centred near (283, 104).
    const FaceCrop crop = FacePipeline::cropFace(toImage(QImage(kData + "messi5.jpg")), FaceOptions{});
    QVERIFY(crop.found);
    const double cx = crop.box[0] + crop.box[2] / 2.0, cy = crop.box[1] + crop.box[3] / 2.0;
    QVERIFY2(std::abs(cx - 246) < 12 && std::abs(cy - 113) < 12, qPrintable(QString("centre %1, %2").arg(cx).arg(cy)));
    QCOMPARE(crop.image.pixels.size(), std::size_t(64 * 64 * 3));
    // The data set's automatic labels are this crop's guesses, in order; and he wears no glasses.
    const auto label = [](bool on) { return static_cast<signed char>(on ? 1 : -1); };
    QCOMPARE(faces.attributes(), (std::vector<signed char>{label(crop.smiling), label(crop.eyeglasses)}));
    QCOMPARE(int(faces.attributes()[1]), -1);
}

void TestFacePipeline::mixedFolder()
{
    const QString folder = messiFolder("mixed");
    QDir().mkpath(folder + "/sub");
    QVERIFY(QFile::copy(kData + "messi5.jpg", folder + "/sub/messi-copy.JPG"));
    QImage gradient(120, 90, QImage::Format_RGB32), noise(160, 120, QImage::Format_RGB32);
    for (int y = 0; y < gradient.height(); ++y)
        for (int x = 0; x < gradient.width(); ++x)
            gradient.setPixel(x, y, qRgb(x * 2, y * 2, 128));
    std::mt19937 rng(7);
    for (int y = 0; y < noise.height(); ++y)
        for (int x = 0; x < noise.width(); ++x)
            noise.setPixel(x, y, qRgb(int(rng() % 256), int(rng() % 256), int(rng() % 256)));
    QVERIFY(gradient.save(folder + "/gradient.png"));
    QVERIFY(noise.save(folder + "/noise.png"));
    QFile broken(folder + "/broken.jpg");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("\xff\xd8\xff\xe0 not a jpeg after all");
    broken.close();
    QFile notes(folder + "/notes.txt"); // not a photo: not looked at
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("holiday 2024");
    notes.close();

    FaceReport report;
    const Dataset faces = FacePipeline::load(folder.toStdString(), FaceOptions{}, &report);
    QCOMPARE(faces.fileNames(), (std::vector<std::string>{"messi.jpg", "sub/messi-copy.JPG"}));
    QCOMPARE(report.imagesRead, std::size_t(5));
    QCOMPARE(report.facesFound, std::size_t(2));
    using Skip = std::pair<std::string, std::string>;
    QCOMPARE(report.skipped, (std::vector<Skip>{{"broken.jpg", "cannot read the image"},
                                                {"gradient.png", "no face found"},
                                                {"noise.png", "no face found"}}));
    QCOMPARE(std::vector<std::uint8_t>(faces.image(0), faces.image(1)),
             std::vector<std::uint8_t>(faces.image(1), faces.image(1) + 3 * 64 * 64)); // same photo, same crop
    const QString summary = QString::fromStdString(report.summary());
    QVERIFY2(summary.contains("Looked at 5 photos") && summary.contains("found a face in 2 (40%)")
                 && summary.contains("no face found (2): gradient.png, noise.png")
                 && summary.contains("cannot read the image (1): broken.jpg"),
             qPrintable(summary));
}

void TestFacePipeline::cacheUsedAndInvalidated_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<bool>("samePixels"); // after the change, compared with the first load
    QTest::newRow("photo touched") << "touch" << true;
    QTest::newRow("photo replaced by its mirror image") << "mirror" << false;
    QTest::newRow("photo added") << "add" << true;
    QTest::newRow("margin changed") << "margin" << false;
}

void TestFacePipeline::cacheUsedAndInvalidated()
{
    QFETCH(QString, change);
    QFETCH(bool, samePixels);
    const QString folder = messiFolder("cache-" + change);
    FaceOptions options;
    options.cacheDir = (folder + "-cache").toStdString();

    FaceReport first, second, third, fourth;
    const Dataset a = FacePipeline::load(folder.toStdString(), options, &first);
    QVERIFY(!first.fromCache);
    QVERIFY(!onlyCacheFile(folder + "-cache").isEmpty());
    QElapsedTimer timer;
    timer.start();
    const Dataset b = FacePipeline::load(folder.toStdString(), options, &second);
    qInfo("from the cache: %lld ms", timer.elapsed());
    QVERIFY(second.fromCache);
    QCOMPARE(b.pixels(), a.pixels());
    QCOMPARE(b.fileNames(), a.fileNames());
    QCOMPARE(b.attributeNames(), a.attributeNames());
    QCOMPARE(b.attributes(), a.attributes());
    QCOMPARE(second.imagesRead, first.imagesRead);
    QCOMPARE(second.facesFound, first.facesFound);
    QVERIFY(QString::fromStdString(second.summary()).contains("from the cache"));

    const QString photo = folder + "/messi.jpg";
    if (change == "touch") {
        setModified(photo, 60);
    } else if (change == "mirror") {
        const QImage mirrored = QImage(photo).mirrored(true, false);
        QVERIFY(!mirrored.isNull() && mirrored.save(photo, "JPG", 95));
    } else if (change == "add") {
        QImage grey(50, 50, QImage::Format_RGB32);
        grey.fill(qRgb(90, 90, 90));
        QVERIFY(grey.save(folder + "/grey.png"));
    } else if (change == "margin") {
        options.margin = 0.4;
    }
    const Dataset c = FacePipeline::load(folder.toStdString(), options, &third);
    QVERIFY2(!third.fromCache, "a stale cache was used");
    QCOMPARE(c.pixels() == a.pixels(), samePixels);
    const Dataset d = FacePipeline::load(folder.toStdString(), options, &fourth);
    QVERIFY(fourth.fromCache);
    QCOMPARE(d.pixels(), c.pixels());
    QCOMPARE(fourth.skipped, third.skipped);
}

void TestFacePipeline::corruptCacheIgnored_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("truncated to half") << "half";
    QTest::newRow("truncated to 10 bytes") << "ten";
    QTest::newRow("emptied") << "empty";
    QTest::newRow("one pixel byte flipped") << "flip";
    QTest::newRow("random bytes") << "random";
}

void TestFacePipeline::corruptCacheIgnored()
{
    QFETCH(QString, damage);
    const QString folder = messiFolder("corrupt-" + damage);
    FaceOptions options;
    options.cacheDir = (folder + "-cache").toStdString();
    FaceReport first, second, third;
    const Dataset a = FacePipeline::load(folder.toStdString(), options, &first);
    const QString cache = onlyCacheFile(folder + "-cache");
    QVERIFY(!cache.isEmpty());

    QFile file(cache);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    if (damage == "half") {
        bytes.truncate(bytes.size() / 2);
    } else if (damage == "ten") {
        bytes.truncate(10);
    } else if (damage == "empty") {
        bytes.clear();
    } else if (damage == "flip") {
        bytes[bytes.size() - 100] = char(bytes[bytes.size() - 100] ^ 0x40);
    } else if (damage == "random") {
        std::mt19937 rng(1);
        for (char& ch : bytes)
            ch = char(rng());
    }
    QVERIFY(file.resize(0));
    file.seek(0);
    file.write(bytes);
    file.close();

    const Dataset b = FacePipeline::load(folder.toStdString(), options, &second);
    QVERIFY2(!second.fromCache, "a damaged cache was used");
    QCOMPARE(b.pixels(), a.pixels());
    QCOMPARE(b.attributes(), a.attributes());
    FacePipeline::load(folder.toStdString(), options, &third); // written afresh
    QVERIFY(third.fromCache);
}

void TestFacePipeline::rejects_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QStringList>("expected"); // all of these in the message
    QTest::newRow("missing path") << "missing" << QStringList{"/nonexistent/photos", "no such folder"};
    QTest::newRow("folder without faces") << "noface" << QStringList{"no face found", "plain.png"};
    QTest::newRow("empty folder") << "empty" << QStringList{"no PNG or JPEG photos"};
    QTest::newRow("missing cascades") << "cascades"
                                      << QStringList{"haarcascade_frontalface_alt2.xml", "opencv-data"};
    QTest::newRow("missing smile cascade") << "smile" << QStringList{"haarcascade_smile.xml", "opencv-data"};
    QTest::newRow("neither folder nor video") << "text" << QStringList{"notes.txt", "expected a folder of photos"};
    QTest::newRow("unreadable video") << "video" << QStringList{"broken.avi", "cannot open the video"};
    QTest::newRow("bad size") << "size" << QStringList{"size must be 16 to 512"};
}

void TestFacePipeline::rejects()
{
    QFETCH(QString, what);
    QFETCH(QStringList, expected);
    FaceOptions options;
    const QString folder = dir_.filePath("rejects-" + what);
    QDir().mkpath(folder);
    std::string path = messiFolder("rejects-messi").toStdString();
    if (what == "missing") {
        path = "/nonexistent/photos";
    } else if (what == "noface") {
        QImage plain(64, 64, QImage::Format_RGB32);
        plain.fill(qRgb(40, 120, 40));
        QVERIFY(plain.save(folder + "/plain.png"));
        path = folder.toStdString();
    } else if (what == "empty") {
        path = folder.toStdString();
    } else if (what == "cascades") {
        options.cascadeDir = "/nonexistent/haarcascades";
    } else if (what == "smile") { // every cascade but the smile one
        for (const char* name : {"haarcascade_frontalface_alt2.xml", "haarcascade_frontalface_default.xml",
                                 "haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml"})
            QVERIFY(QFile::link(QString::fromStdString(kCascades) + "/" + name, folder + "/" + name));
        options.cascadeDir = folder.toStdString();
    } else if (what == "text" || what == "video") {
        QFile file(folder + (what == "text" ? "/notes.txt" : "/broken.avi"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("RIFF and nothing more");
        path = file.fileName().toStdString();
    } else if (what == "size") {
        options.size = 0;
    }
    try {
        FaceReport report;
        FacePipeline::load(path, options, &report);
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        for (const QString& part : expected)
            QVERIFY2(QString(e.what()).contains(part), e.what());
    }
}

void TestFacePipeline::video()
{
    FaceOptions options;
    options.everyNthFrame = 10; // 27 of the 270 frames
    FaceReport report;
    QElapsedTimer timer;
    timer.start();
    const Dataset faces = FacePipeline::load((kData + "Megamind.avi").toStdString(), options, &report);
    const double fraction = double(report.facesFound) / double(report.imagesRead);
    qInfo("Megamind.avi, every 10th frame: a face in %zu of %zu frames (%.0f%%), %lld ms", report.facesFound,
          report.imagesRead, 100 * fraction, timer.elapsed());
    QCOMPARE(report.imagesRead, std::size_t(27));
    QVERIFY2(fraction >= 0.8, qPrintable(QString::fromStdString(report.summary())));
    QCOMPARE(faces.size(), report.facesFound);
    QCOMPARE(report.facesFound + report.skipped.size(), report.imagesRead);
    QVERIFY(faces.shape() == (ImageShape{3, 64, 64}));

    int previous = -1, skinColoured = 0;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const std::string& name = faces.fileNames()[i];
        QVERIFY2(name.size() == 12 && name.rfind("frame-", 0) == 0, name.c_str());
        const int index = std::stoi(name.substr(6));
        QVERIFY(index % 10 == 0 && index > previous);
        previous = index;
        const Stats centre = centreStats(faces.image(i), 64);
        skinColoured += centre.red > centre.blue && centre.deviation > 5;
    }
    QVERIFY2(skinColoured * 10 >= int(faces.size()) * 9, qPrintable(QString("%1 skin-coloured").arg(skinColoured)));
    for (const auto& [what, why] : report.skipped)
        QVERIFY(what.rfind("video frame ", 0) == 0 && why == "no face found");
}

void TestFacePipeline::eyeLineAngle_data()
{
    QTest::addColumn<double>("x1");
    QTest::addColumn<double>("y1");
    QTest::addColumn<double>("x2");
    QTest::addColumn<double>("y2");
    QTest::addColumn<double>("degrees");
    QTest::newRow("level") << 10.0 << 20.0 << 40.0 << 20.0 << 0.0;
    QTest::newRow("right eye lower") << 10.0 << 20.0 << 40.0 << 50.0 << 45.0;
    QTest::newRow("right eye higher") << 10.0 << 20.0 << 40.0 << 20.0 - 30.0 * std::tan(10 * M_PI / 180) << -10.0;
    QTest::newRow("given right to left") << 40.0 << 50.0 << 10.0 << 20.0 << 45.0;
}

void TestFacePipeline::eyeLineAngle()
{
    QFETCH(double, x1);
    QFETCH(double, y1);
    QFETCH(double, x2);
    QFETCH(double, y2);
    QFETCH(double, degrees);
    QVERIFY(std::abs(FacePipeline::eyeLineAngleDegrees(x1, y1, x2, y2) - degrees) < 1e-9);
}

void TestFacePipeline::levelsTiltedFace_data()
{
    QTest::addColumn<double>("tilt"); // the frame rotated anticlockwise by this, in degrees
    QTest::newRow("as filmed") << 0.0;
    QTest::newRow("8 degrees anticlockwise") << 8.0;
    QTest::newRow("8 degrees clockwise") << -8.0;
    QTest::newRow("12 degrees anticlockwise") << 12.0;
    QTest::newRow("12 degrees clockwise") << -12.0;
    // Not more: the frontal cascade loses this face beyond about 13 degrees of roll.
}

// A large frontal face (Megamind.avi, frame 200), tilted: its eyes are found, the tilt is
// measured and rotated away, and on the crop the eyes, found again, are level.
void TestFacePipeline::levelsTiltedFace()
{
    QFETCH(double, tilt);
    const QImage frame = toQImage(FacePipeline::videoFrame((kData + "Megamind.avi").toStdString(), 200));
    QCOMPARE(frame.size(), QSize(720, 528));
    // QTransform turns clockwise on screen (y runs down): minus for anticlockwise.
    const QImage tilted = frame.transformed(QTransform().rotate(-tilt), Qt::SmoothTransformation);
    FaceOptions options;
    options.size = 256; // large enough to find the eyes again
    const FaceCrop upright = FacePipeline::cropFace(toImage(frame), options);
    const FaceCrop crop = FacePipeline::cropFace(toImage(tilted), options);
    QVERIFY(upright.found && upright.eyesFound);
    QVERIFY(crop.found && crop.eyesFound);
    // Turning the frame anticlockwise raises the eye on the right: the angle drops by the tilt.
    QVERIFY2(std::abs(crop.rollDegrees - (upright.rollDegrees - tilt)) < 3,
             qPrintable(QString("roll %1, as filmed %2").arg(crop.rollDegrees).arg(upright.rollDegrees)));
    QVERIFY(std::abs(crop.eyes[1] - crop.eyes[3]) < 0.5); // by the transform
    QVERIFY(crop.eyes[0] < 128 && crop.eyes[2] > 128);

    // Found again on the levelled crop: level within 2 degrees (2 px over the eyes' ~70 px).
    const FaceCrop again = FacePipeline::cropFace(crop.image, options);
    QVERIFY2(again.found && again.eyesFound, "the eyes were not found again on the crop");
    QVERIFY2(std::abs(again.rollDegrees) < 2, qPrintable(QString("still tilted by %1 degrees").arg(again.rollDegrees)));
}

QTEST_GUILESS_MAIN(TestFacePipeline)
#include "test_facepipeline.moc"
