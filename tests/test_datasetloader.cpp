#include <algorithm>
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include <sys/stat.h>

#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/formats/IdxFile.h"

using namespace latentlab;

class TestDatasetLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fashionMnist();
    void digits();
    void rotatedDigits();
    void idxUsesT10kSibling();
    void idxHoldsOutATenth();
    void folderWithClasses();
    void folderInColour();
    void generatedSets_data();
    void generatedSets();
    void rejects_data();
    void rejects();
    void parseSpec_data();
    void parseSpec();
    void parseSpecRejects_data();
    void parseSpecRejects();
    void safeToLoadUnasked_data();
    void safeToLoadUnasked();
    void folderIsBounded_data();
    void folderIsBounded();
    void folderDoesNotFollowLinkLoops();

private:
    std::string path(const QString& name) const { return dir_.filePath(name).toStdString(); }
    void writeIdxPair(const QString& images, const QString& labels, int count, int labelCount);
    static void savePng(const QString& file, QSize size, QColor colour);
    QTemporaryDir dir_;
};

void TestDatasetLoader::writeIdxPair(const QString& images, const QString& labels, int count, int labelCount)
{
    IdxArray img{{count, 6, 5}, std::vector<std::uint8_t>(std::size_t(count) * 30)};
    for (std::size_t i = 0; i < img.data.size(); ++i)
        img.data[i] = std::uint8_t(i % 251);
    IdxFile::write(path(images), img);
    IdxArray lab{{labelCount}, std::vector<std::uint8_t>(std::size_t(labelCount))};
    for (int i = 0; i < labelCount; ++i)
        lab.data[std::size_t(i)] = std::uint8_t(i % 3);
    IdxFile::write(path(labels), lab);
}

void TestDatasetLoader::savePng(const QString& file, QSize size, QColor colour)
{
    QDir().mkpath(QFileInfo(file).path());
    QImage image(size, QImage::Format_RGB32);
    image.fill(colour);
    QVERIFY(image.save(file));
}

void TestDatasetLoader::fashionMnist()
{
    const DatasetSplit data = DatasetLoader::load("fashion-mnist");
    QCOMPARE(data.train.size(), std::size_t(60000));
    QCOMPARE(data.test.size(), std::size_t(10000));
    QVERIFY(data.train.shape() == (ImageShape{1, 28, 28}));
    QCOMPARE(int(data.train.classNames().size()), 10);
    QCOMPARE(data.train.classNames()[7], std::string("Sneaker"));
    std::vector<int> perClass(10);
    for (int label : data.test.labels())
        ++perClass.at(std::size_t(label));
    for (int count : perClass)
        QCOMPARE(count, 1000);
}

void TestDatasetLoader::rotatedDigits()
{
    const DatasetSplit data = DatasetLoader::load("digits-rotated");
    const DatasetSplit upright = DatasetLoader::load("digits");
    QCOMPARE(data.train.size(), upright.train.size());
    QCOMPARE(data.test.size(), upright.test.size());
    QVERIFY(data.train.shape() == (ImageShape{1, 28, 28}));
    QCOMPARE(data.test.labels(), upright.test.labels());
    QCOMPARE(data.train.factorNames(), std::vector<std::string>{"angle"});
    // Angles uniform in +-60 degrees: every one inside, both ends reached.
    const std::vector<float>& angles = data.train.factors();
    QCOMPARE(angles.size(), data.train.size());
    const auto [lo, hi] = std::minmax_element(angles.begin(), angles.end());
    QVERIFY(*lo >= -60 && *hi <= 60);
    QVERIFY2(*lo < -58 && *hi > 58, qPrintable(QString("%1 to %2").arg(*lo).arg(*hi)));
    // The ink is kept: a digit turned on its canvas loses no corner (within interpolation).
    for (std::size_t i = 0; i < 20; ++i) {
        double ink = 0, turned = 0;
        for (int p = 0; p < 20 * 20; ++p)
            ink += upright.train.image(i)[p];
        for (int p = 0; p < 28 * 28; ++p)
            turned += data.train.image(i)[p];
        QVERIFY2(std::abs(turned - ink) < 0.03 * ink, qPrintable(QString("%1 against %2").arg(turned).arg(ink)));
    }
    // The same images every time.
    const DatasetSplit again = DatasetLoader::load("digits-rotated");
    QCOMPARE(again.test.pixels(), data.test.pixels());
    QCOMPARE(again.test.factors(), data.test.factors());
}

void TestDatasetLoader::digits()
{
    const DatasetSplit data = DatasetLoader::load("digits");
    QCOMPARE(data.train.size(), std::size_t(4500));
    QCOMPARE(data.test.size(), std::size_t(500));
    QVERIFY(data.train.shape() == (ImageShape{1, 20, 20}));
    std::vector<int> perClass(10);
    for (int label : data.test.labels())
        ++perClass.at(std::size_t(label));
    for (int count : perClass)
        QCOMPARE(count, 50);
    // Digits are white on black: the centre of a cell is inked more than its border.
    double centre = 0, border = 0;
    for (std::size_t i = 0; i < data.train.size(); ++i) {
        const std::uint8_t* img = data.train.image(i);
        centre += img[10 * 20 + 10];
        border += img[0];
    }
    QVERIFY(centre > 10 * border);
}

void TestDatasetLoader::idxUsesT10kSibling()
{
    writeIdxPair("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 20, 20);
    writeIdxPair("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 7, 7);
    const DatasetSplit data = DatasetLoader::load("idx:" + path("train-images-idx3-ubyte.gz") + ","
                                                  + path("train-labels-idx1-ubyte.gz"));
    QCOMPARE(data.train.size(), std::size_t(20));
    QCOMPARE(data.test.size(), std::size_t(7));
    QVERIFY(data.train.shape() == (ImageShape{1, 6, 5}));
    QCOMPARE(data.train.labels()[4], 1);
    QCOMPARE(data.train.image(1)[0], std::uint8_t(30));
}

void TestDatasetLoader::idxHoldsOutATenth()
{
    writeIdxPair("mine-images", "mine-labels", 30, 30);
    const DatasetSplit data = DatasetLoader::load("idx:" + path("mine-images"));
    QCOMPARE(data.train.size(), std::size_t(27));
    QCOMPARE(data.test.size(), std::size_t(3));
    QVERIFY(!data.train.hasLabels());
    QCOMPARE(data.test.image(0)[0], std::uint8_t(9 * 30 % 251)); // image 9 is the first held out
}

void TestDatasetLoader::folderWithClasses()
{
    const QString root = dir_.filePath("shapes");
    for (int i = 0; i < 10; ++i) {
        savePng(root + QString("/dark/%1.png").arg(i), QSize(40, 30), QColor(20, 20, 20));
        savePng(root + QString("/light/%1.jpg").arg(i), QSize(16, 64), QColor(230, 230, 230));
    }
    const DatasetSplit data = DatasetLoader::load("folder:" + root.toStdString(), {16, 1});
    QCOMPARE(data.train.size() + data.test.size(), std::size_t(20));
    QVERIFY(data.train.shape() == (ImageShape{1, 16, 16}));
    QCOMPARE(data.train.classNames(), (std::vector<std::string>{"dark", "light"}));
    // File names come along (sorted; every tenth held out), for matching attribute files.
    QCOMPARE(data.train.fileNames().size(), data.train.size());
    QCOMPARE(data.train.fileNames().front(), std::string("dark/0.png"));
    QCOMPARE(data.test.fileNames(), (std::vector<std::string>{"dark/9.png", "light/9.jpg"}));
    for (std::size_t i = 0; i < data.train.size(); ++i) {
        const int value = data.train.image(i)[8 * 16 + 8];
        QVERIFY(data.train.labels()[i] == 0 ? value < 40 : value > 210);
    }
}

void TestDatasetLoader::folderInColour()
{
    const QString root = dir_.filePath("colour");
    for (int i = 0; i < 10; ++i)
        savePng(root + QString("/%1.png").arg(i), QSize(50, 50), QColor(255, 0, 0));
    const DatasetSplit data = DatasetLoader::load("folder:" + root.toStdString(), {32, 3});
    QVERIFY(data.train.shape() == (ImageShape{3, 32, 32}));
    QVERIFY(!data.train.hasLabels());
    const std::uint8_t* img = data.train.image(0);
    QCOMPARE(int(img[0]), 255);             // red plane first (RGB, channel-first)
    QCOMPARE(int(img[32 * 32]), 0);         // green
    QCOMPARE(int(img[2 * 32 * 32]), 0);     // blue
}

void TestDatasetLoader::generatedSets_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("train");
    QTest::addColumn<int>("test");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("attributes");
    QTest::addColumn<int>("factors");
    QTest::newRow("synth-faces:100") << "synth-faces:100" << 100 << 10 << 64 << 3 << 5 << 6;
    QTest::newRow("cards:cards3") << "cards:cards3" << 20000 << 2000 << 48 << 1 << 0 << 2;
    QTest::newRow("cards4 alias") << "cards4" << 20000 << 2000 << 48 << 1 << 0 << 2;
    QTest::newRow("cards3:100") << "cards3:100" << 100 << 10 << 48 << 1 << 0 << 2;
    QTest::newRow("cards:cards1:50") << "cards:cards1:50" << 50 << 5 << 48 << 1 << 0 << 2;
}

void TestDatasetLoader::generatedSets()
{
    QFETCH(QString, spec);
    QFETCH(int, train);
    QFETCH(int, test);
    QFETCH(int, side);
    QFETCH(int, channels);
    QFETCH(int, attributes);
    QFETCH(int, factors);
    const DatasetSplit data = DatasetLoader::load(spec.toStdString());
    QCOMPARE(int(data.train.size()), train);
    QCOMPARE(int(data.test.size()), test);
    QVERIFY(data.train.shape() == (ImageShape{channels, side, side}));
    QCOMPARE(int(data.train.attributeNames().size()), attributes);
    QCOMPARE(int(data.test.factorNames().size()), factors);
    QCOMPARE(data.test.factors().size(), std::size_t(test * factors));
    // The test images are new ones, not copies of training images.
    QVERIFY(std::vector<std::uint8_t>(data.test.image(0), data.test.image(0) + side * side * channels)
            != std::vector<std::uint8_t>(data.train.image(0), data.train.image(0) + side * side * channels));
}

void TestDatasetLoader::rejects_data()
{
    QTest::addColumn<QString>("setup");     // what to create first
    QTest::addColumn<QString>("spec");      // %1 stands for the temporary folder
    QTest::addColumn<QString>("expected");  // part of the message

    QTest::newRow("unknown spec") << "" << "mnist-please" << "unknown data set";
    QTest::newRow("empty folder") << "empty" << "folder:%1/empty" << "no PNG or JPEG images";
    QTest::newRow("not a folder") << "" << "folder:%1/nowhere" << "not a folder";
    QTest::newRow("corrupt image") << "corrupt" << "folder:%1/corrupt" << "bad.png: cannot read the image";
    QTest::newRow("loose file beside classes") << "loose" << "folder:%1/loose" << "lies beside class sub-folders";
    QTest::newRow("label count mismatch") << "mismatch" << "idx:%1/m-images,%1/m-labels" << "has 9 labels but";
    QTest::newRow("labels file of images") << "mismatch" << "idx:%1/m-images,%1/m-images" << "1 dimension";
    QTest::newRow("missing idx file") << "" << "idx:%1/none" << "cannot open";
    QTest::newRow("too few to hold out") << "tiny" << "idx:%1/tiny-images" << "at least 10 images";
    QTest::newRow("synthetic count not a number") << "" << "synth-faces:many" << "whole number";
    QTest::newRow("unknown cards preset") << "" << "cards:cards9" << "cards4";
    QTest::newRow("synthetic count too large") << "" << "synth-faces:1000000" << "from 10 to 100,000";
    // A FIFO would block the loader for ever (and /dev/zero never end).
    QTest::newRow("idx of a FIFO") << "fifo" << "idx:%1/fifo" << "fifo: not a regular file";
    QTest::newRow("idx of a device") << "" << "idx:/dev/zero" << "/dev/zero: not a regular file";
}

void TestDatasetLoader::rejects()
{
    QFETCH(QString, setup);
    QFETCH(QString, spec);
    QFETCH(QString, expected);
    const QString root = dir_.path();
    if (setup == "empty") {
        QDir().mkpath(root + "/empty/sub");
    } else if (setup == "corrupt") {
        savePng(root + "/corrupt/good.png", QSize(8, 8), Qt::white);
        std::ofstream((root + "/corrupt/bad.png").toStdString()) << "not really a png";
    } else if (setup == "loose") {
        savePng(root + "/loose/a/1.png", QSize(8, 8), Qt::white);
        savePng(root + "/loose/2.png", QSize(8, 8), Qt::white);
    } else if (setup == "mismatch") {
        writeIdxPair("m-images", "m-labels", 10, 9);
    } else if (setup == "tiny") {
        writeIdxPair("tiny-images", "tiny-labels", 5, 5);
    } else if (setup == "fifo") {
        QVERIFY(QFile::exists(root + "/fifo") || mkfifo((root + "/fifo").toUtf8().constData(), 0600) == 0);
    }
    try {
        DatasetLoader::load((spec.contains("%1") ? spec.arg(root) : spec).toStdString());
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

void TestDatasetLoader::parseSpec_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("argument");
    QTest::newRow("fashion-mnist") << "fashion-mnist" << "fashion-mnist" << "";
    QTest::newRow("digits") << "digits" << "digits" << "";
    QTest::newRow("idx pair") << "idx:/a/b,/a/c" << "idx" << "/a/b,/a/c";
    QTest::newRow("idx images only") << "idx:/a/b" << "idx" << "/a/b";
    QTest::newRow("folder") << "folder:/x/y" << "folder" << "/x/y";
    QTest::newRow("folder with colons") << "folder:/x:y" << "folder" << "/x:y";
    QTest::newRow("faces") << "faces:v.mp4" << "faces" << "v.mp4";
    QTest::newRow("synth-faces default") << "synth-faces" << "synth-faces" << "";
    QTest::newRow("synth-faces least") << "synth-faces:10" << "synth-faces" << "10";
    QTest::newRow("synth-faces most") << "synth-faces:100000" << "synth-faces" << "100000";
    QTest::newRow("cards default") << "cards" << "cards" << "";
    QTest::newRow("cards preset") << "cards:cards3" << "cards" << "cards3";
    QTest::newRow("cards alias") << "cards2" << "cards" << "cards2";
    QTest::newRow("cards alias with count") << "cards3:500" << "cards" << "cards3:500";
    QTest::newRow("cards preset and count") << "cards:cards3:500" << "cards" << "cards3:500";
    QTest::newRow("digits-rotated") << "digits-rotated" << "digits-rotated" << "";
}

void TestDatasetLoader::parseSpec()
{
    QFETCH(QString, spec);
    QFETCH(QString, kind);
    QFETCH(QString, argument);
    const DatasetSpec parsed = DatasetLoader::parseSpec(spec.toStdString());
    QCOMPARE(QString::fromStdString(parsed.kind), kind);
    QCOMPARE(QString::fromStdString(parsed.argument), argument);
}

void TestDatasetLoader::parseSpecRejects_data()
{
    QTest::addColumn<QByteArray>("spec");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "no data set given";
    QTest::newRow("unknown kind") << QByteArray("cifar:10") << "unknown data set 'cifar:10'";
    QTest::newRow("argument to a kind without one") << QByteArray("digits:5") << "'digits:5': digits takes nothing after it";
    QTest::newRow("trailing colon") << QByteArray("fashion-mnist:") << "takes nothing after it";
    QTest::newRow("folder without path") << QByteArray("folder") << "'folder': give its argument, as folder:PATH";
    QTest::newRow("folder empty path") << QByteArray("folder:") << "nothing after the colon";
    QTest::newRow("idx without images") << QByteArray("idx:,labels") << "give the images file, as idx:IMAGES[,LABELS]";
    QTest::newRow("idx empty labels") << QByteArray("idx:images,") << "give the images file";
    QTest::newRow("synth-faces empty count") << QByteArray("synth-faces:") << "nothing after the colon";
    QTest::newRow("count too small") << QByteArray("synth-faces:9") << "from 10 to 100,000";
    QTest::newRow("count too large") << QByteArray("synth-faces:100001") << "from 10 to 100,000";
    QTest::newRow("count past 64 bits") << QByteArray("synth-faces:99999999999999999999999") << "from 10 to 100,000";
    QTest::newRow("count negative") << QByteArray("synth-faces:-20") << "from 10 to 100,000";
    QTest::newRow("count with exponent") << QByteArray("synth-faces:1e3") << "whole number";
    QTest::newRow("count with space") << QByteArray("synth-faces: 100") << "whole number";
    QTest::newRow("count hex") << QByteArray("synth-faces:0x100") << "whole number";
    QTest::newRow("count with suffix") << QByteArray("synth-faces:100x") << "whole number";
    QTest::newRow("unknown preset") << QByteArray("cards9") << "'cards9': unknown cards preset 'cards9'";
    QTest::newRow("cards count too small") << QByteArray("cards3:5") << "'cards3:5': the count must be a whole number from 10";
    QTest::newRow("cards count not a number") << QByteArray("cards:cards3:many") << "whole number";
    QTest::newRow("cards empty count") << QByteArray("cards3:") << "nothing after the colon";
    QTest::newRow("cards unknown preset with count") << QByteArray("cards7:100") << "unknown cards preset 'cards7'";
    QTest::newRow("control character") << QByteArray("folder:/tmp\nx") << "contains a control character";
    QTest::newRow("NUL byte") << QByteArray("folder:/tmp\0x", 13) << "contains a control character";
    QTest::newRow("too long") << QByteArray("folder:") + QByteArray(5000, 'a') << "more than the 4,096 allowed";
}

void TestDatasetLoader::parseSpecRejects()
{
    QFETCH(QByteArray, spec);
    QFETCH(QString, expected);
    try {
        DatasetLoader::parseSpec(spec.toStdString());
        QFAIL("bad spec was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
        QVERIFY2(std::string(e.what()).size() < 1500, "the message quotes a long spec in full");
    }
    // load() parses with the same parser: the same message, before touching anything.
    try {
        DatasetLoader::load(spec.toStdString());
        QFAIL("bad spec was loaded");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

void TestDatasetLoader::safeToLoadUnasked_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("spec"); // %1 stands for the temporary folder
    QTest::addColumn<bool>("safe");
    QTest::addColumn<QString>("why");
    QTest::newRow("fashion-mnist") << "" << "fashion-mnist" << true << "";
    QTest::newRow("digits") << "" << "digits" << true << "";
    QTest::newRow("cards") << "" << "cards4" << true << "";
    QTest::newRow("synth-faces default") << "" << "synth-faces" << true << "";
    QTest::newRow("synth-faces at the bound") << "" << "synth-faces:20000" << true << "";
    QTest::newRow("synth-faces past it") << "" << "synth-faces:20001" << false << "only up to 20,000 faces";
    QTest::newRow("synth-faces huge") << "" << "synth-faces:1000000" << false << "from 10 to 100,000";
    QTest::newRow("folder of everything") << "" << "folder:/" << false << "walk the whole file system";
    QTest::newRow("faces") << "" << "faces:%1" << false << "face detection on every photo";
    QTest::newRow("small idx pair") << "small" << "idx:%1/s-images,%1/s-labels" << true << "";
    // 16 bytes of header declaring 2^28 x 8 x 8: never loaded without asking.
    QTest::newRow("idx declaring 16 GB") << "huge" << "idx:%1/huge-images" << false << "huge-images: the IDX header declares 2147483648+ bytes of data, over the limit";
    QTest::newRow("idx with a huge t10k sibling") << "sibling" << "idx:%1/train-x" << false << "t10k-x: the IDX header declares 2147483648+ bytes";
    QTest::newRow("idx missing") << "" << "idx:%1/none" << false << "none: cannot open the file (no such file)";
    QTest::newRow("idx of a device") << "" << "idx:/dev/zero" << false << "/dev/zero: not a regular file";
    QTest::newRow("idx not IDX") << "text" << "idx:%1/text" << false << "text: not an IDX file";
    QTest::newRow("bad spec") << "" << "cifar" << false << "unknown data set 'cifar'";
}

void TestDatasetLoader::safeToLoadUnasked()
{
    QFETCH(QString, setup);
    QFETCH(QString, spec);
    QFETCH(bool, safe);
    QFETCH(QString, why);
    const auto writeHeader = [this](const QString& name, std::vector<unsigned char> header) {
        std::ofstream(path(name), std::ios::binary).write(reinterpret_cast<const char*>(header.data()),
                                                         std::streamsize(header.size()));
    };
    const std::vector<unsigned char> huge = {0, 0, 8, 3, 0x10, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8};
    if (setup == "small") {
        writeIdxPair("s-images", "s-labels", 20, 20);
    } else if (setup == "huge") {
        writeHeader("huge-images", huge);
    } else if (setup == "sibling") {
        writeIdxPair("train-x", "train-x-labels", 20, 20);
        writeHeader("t10k-x", huge);
    } else if (setup == "text") {
        std::ofstream(path("text")) << "hello, world";
    }
    if (spec.contains("%1"))
        spec = spec.arg(dir_.path());
    std::string reason = "unset";
    const bool answer = DatasetLoader::isSafeToLoadUnasked(spec.toStdString(), &reason);
    QVERIFY2(answer == safe, reason.c_str());
    if (safe)
        QVERIFY2(reason.empty(), reason.c_str());
    else
        QVERIFY2(QString::fromStdString(reason).contains(why), reason.c_str());
    QCOMPARE(DatasetLoader::isSafeToLoadUnasked(spec.toStdString(), nullptr), safe);
}

void TestDatasetLoader::folderIsBounded_data()
{
    QTest::addColumn<int>("maxEntries");
    QTest::addColumn<int>("maxImages");
    QTest::addColumn<QString>("expected");
    QTest::newRow("entries") << 15 << 1000 << "has more than 15 files and folders, the most folder: scans";
    QTest::newRow("images") << 1000 << 11 << "has more than 11 images of 8x8x1, the most folder: loads";
    QTest::newRow("within both") << 22 << 20 << "";
}

void TestDatasetLoader::folderIsBounded()
{
    QFETCH(int, maxEntries);
    QFETCH(int, maxImages);
    QFETCH(QString, expected);
    const QString root = dir_.filePath("bounded");
    for (int i = 0; i < 10; ++i) { // 2 folders and 20 images: 22 entries
        savePng(root + QString("/a/%1.png").arg(i), QSize(8, 8), Qt::white);
        savePng(root + QString("/b/%1.png").arg(i), QSize(8, 8), Qt::black);
    }
    DatasetOptions options{8, 1};
    options.maxFolderEntries = std::size_t(maxEntries);
    options.maxFolderImages = std::size_t(maxImages);
    try {
        const DatasetSplit data = DatasetLoader::load("folder:" + root.toStdString(), options);
        QVERIFY2(expected.isEmpty(), "a folder past the bound was loaded");
        QCOMPARE(data.train.size() + data.test.size(), std::size_t(20));
    } catch (const Error& e) {
        QVERIFY2(!expected.isEmpty() && QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

void TestDatasetLoader::folderDoesNotFollowLinkLoops()
{
    const QString root = dir_.filePath("loop");
    for (int i = 0; i < 10; ++i)
        savePng(root + QString("/c/%1.png").arg(i), QSize(8, 8), Qt::white);
    QVERIFY(QFile::link(root, root + "/c/again"));      // c/again/c/again/... for ever if followed
    QVERIFY(QFile::link(root + "/c", root + "/c/self"));
    const DatasetSplit data = DatasetLoader::load("folder:" + root.toStdString(), {8, 1});
    QCOMPARE(data.train.size() + data.test.size(), std::size_t(10));

    // Folders nested past the bound are refused, naming the bound.
    QString deep = dir_.filePath("deep");
    for (int level = 0; level <= DatasetLoader::kMaxFolderDepth + 1; ++level)
        deep += "/d";
    QVERIFY(QDir().mkpath(deep));
    savePng(deep + "/x.png", QSize(8, 8), Qt::white);
    try {
        DatasetLoader::load("folder:" + dir_.filePath("deep").toStdString(), {8, 1});
        QFAIL("a folder nested past the bound was read");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("nested deeper than 32 levels"), e.what());
    }
}

QTEST_GUILESS_MAIN(TestDatasetLoader)
#include "test_datasetloader.moc"
