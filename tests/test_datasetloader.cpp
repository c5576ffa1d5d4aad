#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/data/DatasetLoader.h"
#include "core/base/Error.h"
#include "core/formats/IdxFile.h"

using namespace latentlab;

class TestDatasetLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fashionMnist();
    void digits();
    void idxUsesT10kSibling();
    void idxHoldsOutATenth();
    void folderWithClasses();
    void folderInColour();
    void generatedSets_data();
    void generatedSets();
    void rejects_data();
    void rejects();

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
    }
    try {
        DatasetLoader::load((spec.contains("%1") ? spec.arg(root) : spec).toStdString());
        QFAIL("bad input was accepted");
    } catch (const Error& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(expected), e.what());
    }
}

QTEST_GUILESS_MAIN(TestDatasetLoader)
#include "test_datasetloader.moc"
