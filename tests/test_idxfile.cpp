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
    QTest::addColumn<QString>("form");          // plain, gzip, gzip-flipped (a bit flip inside), gzip-trailing
    QTest::addColumn<QString>("expected");      // part of the error message

    const auto bytes = [](const std::string& s) { return QByteArray::fromStdString(s); };
    const std::string good = header(0x08, {2, 2, 2}) + std::string(8, '\x7f');
    std::string long_ = header(0x08, {64, 28, 28});
    for (int i = 0; i < 64 * 28 * 28; ++i)
        long_ += char((std::int64_t(i) * i * 31 + i / 7) % 251); // varied, so that every bit of the deflate stream counts
    QTest::newRow("missing file") << QByteArray("missing") << "plain" << "cannot open";
    QTest::newRow("empty file") << QByteArray() << "plain" << "empty";
    QTest::newRow("bad magic") << QByteArray("\x12\x34\x08\x01\0\0\0\x01x", 9) << "plain" << "not an IDX file";
    QTest::newRow("float elements") << bytes(header(0x0d, {2})) << "plain" << "type 0x0D (32-bit floats) is not supported";
    QTest::newRow("zero dimensions") << QByteArray("\0\0\x08\0", 4) << "plain" << "dimensions";
    QTest::newRow("truncated header") << bytes(good.substr(0, 9)) << "plain" << "truncated IDX header";
    QTest::newRow("truncated data") << bytes(good.substr(0, good.size() - 3)) << "plain" << "truncated";
    QTest::newRow("truncated gzip data") << bytes(good.substr(0, good.size() - 3)) << "gzip" << "truncated";
    QTest::newRow("trailing bytes") << bytes(good + "xx") << "plain" << "past the end";
    QTest::newRow("zero-sized dimension") << bytes(header(0x08, {0, 28, 28})) << "plain" << "has size 0";
    // Hostile sizes: refused from the header, before anything of that size is allocated.
    QTest::newRow("one 65536x65536 image") << bytes(header(0x08, {1, 65536, 65536}) + std::string(4096, '\0')) << "gzip"
                                           << "over the limit of 1073741824";
    QTest::newRow("2^28 images of 8x8 in 16 bytes") << bytes(header(0x08, {1u << 28, 8, 8})) << "plain" << "over the limit";
    QTest::newRow("more images than the file holds") << bytes(header(0x08, {100000, 28, 28}) + std::string(50, 'x'))
                                                     << "plain" << "truncated: the header declares 78400000 bytes";
    QTest::newRow("more than gzip can hold") << bytes(header(0x08, {1000000, 28, 28}) + std::string(64, '\0')) << "gzip"
                                             << "more than";
    QTest::newRow("bit flip inside the gzip data") << bytes(long_) << "gzip-flipped" << "corrupt gzip data";
    QTest::newRow("garbage after the gzip member") << bytes(good) << "gzip-trailing" << "after the end of its gzip data";
}

void TestIdxFile::rejectsBadFiles()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, form);
    QFETCH(QString, expected);
    const bool gzip = form.startsWith("gzip");
    const std::string path = dir_.filePath(QString("bad-%1%2").arg(QTest::currentDataTag()).arg(gzip ? ".gz" : ""))
                                 .toStdString();
    if (contents != "missing") {
        if (gzip) { // a valid gzip stream of the (already broken) bytes, then damaged as the row says
            QFile f(QString::fromStdString(path));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QProcess gz;
            gz.start("gzip", {"-c"});
            gz.write(contents);
            gz.closeWriteChannel();
            QVERIFY(gz.waitForFinished());
            QByteArray compressed = gz.readAllStandardOutput();
            if (form == "gzip-flipped")
                compressed[compressed.size() / 2] = char(compressed[compressed.size() / 2] ^ 0x10);
            if (form == "gzip-trailing")
                compressed += "garbage";
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
