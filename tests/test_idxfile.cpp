#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/base/Error.h"
#include "core/formats/IdxFile.h"

using namespace latentlab;

class TestIdxFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void rejectsBadFiles_data();
    void rejectsBadFiles();

private:
    QTemporaryDir dir_;
};

namespace {

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string header(unsigned char type, std::vector<std::uint32_t> dims)
{
    std::string h = {'\0', '\0', char(type), char(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            h += char((d >> shift) & 0xff);
    return h;
}

} // namespace

void TestIdxFile::roundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << "images-idx3-ubyte";
    QTest::newRow("gzipped") << "images-idx3-ubyte.gz";
}

void TestIdxFile::roundTrip()
{
    QFETCH(QString, name);
    IdxArray array;
    array.dims = {3, 4, 5};
    for (int i = 0; i < 60; ++i)
        array.data.push_back(std::uint8_t(i * 4));
    const std::string path = dir_.filePath(name).toStdString();
    IdxFile::write(path, array);
    const IdxArray back = IdxFile::read(path);
    QCOMPARE(back.dims, array.dims);
    QCOMPARE(back.data, array.data);
}

void TestIdxFile::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("contents");   // written as is; "missing" writes nothing
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<QString>("expected");      // part of the error message

    const std::string good = header(0x08, {2, 2, 2}) + std::string(8, '\x7f');
    QTest::newRow("missing file") << QByteArray("missing") << false << "cannot open";
    QTest::newRow("empty file") << QByteArray() << false << "empty";
    QTest::newRow("bad magic") << QByteArray("\x12\x34\x08\x01\0\0\0\x01x", 9) << false << "bad magic";
    QTest::newRow("float elements") << QByteArray::fromStdString(header(0x0d, {2})) << false << "not supported";
    QTest::newRow("zero dimensions") << QByteArray("\0\0\x08\0", 4) << false << "dimensions";
    QTest::newRow("truncated header") << QByteArray::fromStdString(good.substr(0, 9)) << false << "truncated IDX header";
    QTest::newRow("truncated data") << QByteArray::fromStdString(good.substr(0, good.size() - 3)) << false << "truncated";
    QTest::newRow("truncated gzip data") << QByteArray::fromStdString(good.substr(0, good.size() - 3)) << true << "truncated";
    QTest::newRow("trailing bytes") << QByteArray::fromStdString(good + "xx") << false << "past the end";
    QTest::newRow("zero-sized dimension") << QByteArray::fromStdString(header(0x08, {0, 28, 28})) << false << "has size 0";
}

void TestIdxFile::rejectsBadFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(bool, gzip);
    QFETCH(QString, expected);
    const std::string path = dir_.filePath(QString("bad-%1%2").arg(QTest::currentDataTag()).arg(gzip ? ".gz" : ""))
                                 .toStdString();
    if (contents != "missing") {
        if (gzip) { // a valid gzip stream of the (already broken) bytes
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QProcess gz;
            gz.start("gzip", {"-c"});
            gz.write(contents);
            gz.closeWriteChannel();
            QVERIFY(gz.waitForFinished());
            const QByteArray compressed = gz.readAllStandardOutput();
            f.write(compressed);
        } else {
            writeBytes(path, contents.toStdString());
        }
    }
    try {
        IdxFile::read(path);
        QFAIL("a bad file was accepted");
    } catch (const Error& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(path)), "the message names the file");
    }
}

QTEST_GUILESS_MAIN(TestIdxFile)
#include "test_idxfile.moc"
