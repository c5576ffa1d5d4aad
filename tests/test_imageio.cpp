#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>

#include <gif_lib.h>
#include <zlib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/base/Error.h"
#include "core/formats/ImageIO.h"

using namespace latentlab;

class TestImageIO : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void compose_data();
    void compose();
    void composeIsFast();
    void composeRejects_data();
    void composeRejects();
    void writePng_data();
    void writePng();
    void pngStrip();
    void gif_data();
    void gif();
    void video_data();
    void video();
    void writeErrors_data();
    void writeErrors();
    void read_data();
    void read();
    void readRejectsCorruptFile();
    void readRejectsHostileSizes_data();
    void readRejectsHostileSizes();
    void readsAThinStripWithoutScalingItUp();
    void writePngRejectsTooWide();
    void gifHasTheUsualPermissions();

private:
    std::string path(const QString& name) const { return dir_.filePath(name).toStdString(); }
    QTemporaryDir dir_;
};

namespace {

// Every pixel differs from its neighbours and from the same pixel of other
// tiles, so a tile copied to the wrong place or with rows swapped shows.
Image patterned(int width, int height, int channels, int seed)
{
    Image image{width, height, channels, std::vector<std::uint8_t>(std::size_t(width * height * channels))};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                image.pixels[std::size_t((y * width + x) * channels + c)] =
                    std::uint8_t((seed * 37 + y * 7 + x * 3 + c * 11) % 250);
    return image;
}

Image filled(int width, int height, std::vector<std::uint8_t> colour)
{
    Image image{width, height, int(colour.size()), {}};
    for (int i = 0; i < width * height; ++i)
        image.pixels.insert(image.pixels.end(), colour.begin(), colour.end());
    return image;
}

// A frame of a morph: a smooth gradient that moves with k.
Image morphFrame(int width, int height, int channels, int k)
{
    Image image{width, height, channels, std::vector<std::uint8_t>(std::size_t(width * height * channels))};
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                image.pixels[std::size_t((y * width + x) * channels + c)] =
                    std::uint8_t(std::min(255, 20 * k + 4 * x + (c == 1 ? 3 * y : 0) + 40 * c));
    return image;
}

Image fromMat(const cv::Mat& bgrOrGrey)
{
    cv::Mat rgb = bgrOrGrey;
    if (bgrOrGrey.channels() == 3)
        cv::cvtColor(bgrOrGrey, rgb, cv::COLOR_BGR2RGB);
    rgb = rgb.clone();
    return Image{rgb.cols, rgb.rows, rgb.channels(), std::vector<std::uint8_t>(rgb.datastart, rgb.dataend)};
}

std::uint8_t at(const Image& image, int x, int y, int c = 0)
{
    return image.pixels[std::size_t((y * image.width + x) * image.channels + c)];
}

void expectError(const std::function<void()>& call, const QString& expected, const QString& path)
{
    try {
        call();
        QFAIL("no error was thrown");
    } catch (const Error& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable("the message names " + path + ": " + message));
    }
}

} // namespace

void TestImageIO::compose_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("columns");
    QTest::addColumn<int>("gap");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("background");
    QTest::addColumn<int>("width");          // of the grid
    QTest::addColumn<int>("height");
    // Tiles are 5x4.
    QTest::newRow("1x1") << 1 << 1 << 3 << 1 << 255 << 5 << 4;
    QTest::newRow("3 tiles in 2 columns with a gap") << 3 << 2 << 2 << 1 << 255 << 12 << 10;
    QTest::newRow("rgb tiles") << 6 << 3 << 1 << 3 << 0 << 17 << 9;
    QTest::newRow("no gap") << 4 << 2 << 0 << 1 << 128 << 10 << 8;
    QTest::newRow("more columns than tiles") << 2 << 4 << 1 << 1 << 7 << 23 << 4;
}

void TestImageIO::compose()
{
    QFETCH(int, count);
    QFETCH(int, columns);
    QFETCH(int, gap);
    QFETCH(int, channels);
    QFETCH(int, background);
    QFETCH(int, width);
    QFETCH(int, height);
    constexpr int w = 5, h = 4;
    std::vector<Image> tiles;
    for (int i = 0; i < count; ++i)
        tiles.push_back(patterned(w, h, channels, i + 1));

    const Image grid = ImageIO::compose(tiles, columns, gap, std::uint8_t(background));
    QCOMPARE(grid.width, width);
    QCOMPARE(grid.height, height);
    QCOMPARE(grid.channels, channels);
    QCOMPARE(grid.pixels.size(), std::size_t(width * height * channels));

    // Pixel by pixel: which tile, if any, covers (x, y)?
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const int column = x / (w + gap), row = y / (h + gap);
            const int tx = x % (w + gap), ty = y % (h + gap);
            const int index = row * columns + column;
            const bool inTile = tx < w && ty < h && index < count;
            for (int c = 0; c < channels; ++c) {
                const int expected = inTile ? at(tiles[std::size_t(index)], tx, ty, c) : background;
                if (at(grid, x, y, c) != expected)
                    QFAIL(qPrintable(QString("pixel (%1, %2) channel %3 is %4, expected %5")
                                         .arg(x).arg(y).arg(c).arg(at(grid, x, y, c)).arg(expected)));
            }
        }
    }
}

void TestImageIO::composeIsFast()
{
    // The latent grid view composes 16x16 decoded tiles on every drag.
    std::vector<Image> tiles;
    for (int i = 0; i < 256; ++i)
        tiles.push_back(patterned(28, 28, 1, i));
    double best = 1e9;
    for (int run = 0; run < 20; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const Image grid = ImageIO::compose(tiles, 16, 2);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        QCOMPARE(grid.width, 16 * 28 + 15 * 2);
        best = std::min(best, ms);
    }
    QVERIFY2(best < 1.0, qPrintable(QString("composing 16x16 tiles took %1 ms").arg(best)));
}

void TestImageIO::composeRejects_data()
{
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no tiles") << "empty" << "no tiles";
    QTest::newRow("different width") << "width" << "tile 2 is 6x4x1 but tile 0 is 5x4x1";
    QTest::newRow("different channels") << "channels" << "tile 2 is 5x4x3";
    QTest::newRow("short pixel buffer") << "bytes" << "tile 1 holds 19 bytes";
    QTest::newRow("zero columns") << "columns" << "columns must be at least 1";
    QTest::newRow("negative gap") << "gap" << "gap must not be negative";
    // grid --tiles 5 --gap 1518500215: 6074001000^2 overflowed the size check, then memcpy wrote past the end.
    QTest::newRow("a gap whose square overflows") << "huge gap" << "too large";
    QTest::newRow("a grid over 1 GiB") << "wide gap" << "too large (at most 1000000 px a side and 1 GiB)";
}

void TestImageIO::composeRejects()
{
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    std::vector<Image> tiles(3, patterned(5, 4, 1, 0));
    int columns = 2, gap = 1;
    if (problem == "empty")
        tiles.clear();
    else if (problem == "width")
        tiles[2] = patterned(6, 4, 1, 0);
    else if (problem == "channels")
        tiles[2] = patterned(5, 4, 3, 0);
    else if (problem == "bytes")
        tiles[1].pixels.pop_back();
    else if (problem == "columns")
        columns = 0;
    else if (problem == "gap")
        gap = -1;
    else if (problem == "huge gap" || problem == "wide gap") {
        tiles.assign(25, patterned(5, 4, 1, 0));
        columns = 5;
        gap = problem == "huge gap" ? 1518500215 : 200000;
    }
    expectError([&] { ImageIO::compose(tiles, columns, gap); }, expected, "compose");
}

void TestImageIO::writePng_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("pureRed");
    QTest::newRow("grey") << 1 << false;
    QTest::newRow("rgb") << 3 << false;
    QTest::newRow("pure red (channel order)") << 3 << true;
}

void TestImageIO::writePng()
{
    QFETCH(int, channels);
    QFETCH(bool, pureRed);
    const Image image = pureRed ? filled(7, 5, {255, 0, 0}) : patterned(7, 5, channels, 3);
    const Image original = image;
    const std::string file = path(QString("%1.png").arg(QTest::currentDataTag()));
    ImageIO::writePng(image, file);
    QVERIFY2(image.pixels == original.pixels, "writePng left the image alone");

    const cv::Mat back = cv::imread(file, cv::IMREAD_UNCHANGED);
    QCOMPARE(back.cols, 7);
    QCOMPARE(back.rows, 5);
    QCOMPARE(back.channels(), channels);
    if (pureRed) { // OpenCV reads BGR: red is the last channel
        const cv::Vec3b pixel = back.at<cv::Vec3b>(2, 3);
        QCOMPARE(int(pixel[0]), 0);
        QCOMPARE(int(pixel[1]), 0);
        QCOMPARE(int(pixel[2]), 255);
    }
    QVERIFY(fromMat(back).pixels == image.pixels);
}

void TestImageIO::pngStrip()
{
    std::vector<Image> frames;
    for (int k = 0; k < 5; ++k)
        frames.push_back(patterned(10, 8, 3, k));
    const std::string file = path("strip.PNG"); // the extension's case does not matter
    ImageIO::writeFrames(frames, file);
    const Image strip = fromMat(cv::imread(file, cv::IMREAD_COLOR));
    QCOMPARE(strip.width, 5 * 10 + 4 * 2);
    QCOMPARE(strip.height, 8);
    for (int k = 0; k < 5; ++k) {
        QCOMPARE(at(strip, k * 12 + 9, 7, 2), at(frames[std::size_t(k)], 9, 7, 2));
        QCOMPARE(at(strip, k * 12, 0, 0), at(frames[std::size_t(k)], 0, 0, 0));
        if (k < 4)
            QCOMPARE(int(at(strip, k * 12 + 10, 3, 1)), 255); // the white gap
    }
}

void TestImageIO::gif_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("tolerance"); // per channel, after the palette
    QTest::newRow("grey") << 1 << 0;
    QTest::newRow("rgb") << 3 << 12;
}

void TestImageIO::gif()
{
    QFETCH(int, channels);
    QFETCH(int, tolerance);
    constexpr int frameCount = 7, w = 30, h = 20;
    std::vector<Image> frames;
    for (int k = 0; k < frameCount; ++k)
        frames.push_back(morphFrame(w, h, channels, k));
    const std::string file = path(QString("morph-%1.gif").arg(QTest::currentDataTag()));
    ImageIO::writeFrames(frames, file, 0.25);

    int error = 0;
    GifFileType* gif = DGifOpenFileName(file.c_str(), &error);
    QVERIFY2(gif, GifErrorString(error));
    const auto closeGif = qScopeGuard([gif] {
        int ignored = 0;
        DGifCloseFile(gif, &ignored);
    });
    QVERIFY2(DGifSlurp(gif) == GIF_OK, GifErrorString(gif->Error));
    QCOMPARE(gif->ImageCount, frameCount);
    QCOMPARE(gif->SWidth, w);
    QCOMPARE(gif->SHeight, h);

    // The NETSCAPE2.0 block before the first frame, with loop count 0 (forever).
    bool loops = false;
    const SavedImage& first = gif->SavedImages[0];
    for (int i = 0; i + 1 < first.ExtensionBlockCount; ++i) {
        const ExtensionBlock& block = first.ExtensionBlocks[i];
        if (block.Function == APPLICATION_EXT_FUNC_CODE && block.ByteCount == 11
            && std::memcmp(block.Bytes, "NETSCAPE2.0", 11) == 0) {
            const ExtensionBlock& data = first.ExtensionBlocks[i + 1];
            loops = data.ByteCount == 3 && data.Bytes[0] == 1 && data.Bytes[1] == 0 && data.Bytes[2] == 0;
        }
    }
    QVERIFY2(loops, "the GIF loops forever");

    for (int k = 0; k < frameCount; ++k) {
        const SavedImage& saved = gif->SavedImages[k];
        QCOMPARE(saved.ImageDesc.Width, w);
        QCOMPARE(saved.ImageDesc.Height, h);
        GraphicsControlBlock control;
        QCOMPARE(DGifSavedExtensionToGCB(gif, k, &control), GIF_OK);
        QCOMPARE(control.DelayTime, 25);
        const ColorMapObject* map = saved.ImageDesc.ColorMap ? saved.ImageDesc.ColorMap : gif->SColorMap;
        QVERIFY(map);
        int worst = 0;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const GifColorType colour = map->Colors[saved.RasterBits[y * w + x]];
                const int got[3] = {colour.Red, colour.Green, colour.Blue};
                for (int c = 0; c < 3; ++c)
                    worst = std::max(worst, std::abs(got[c] - at(frames[std::size_t(k)], x, y, channels == 1 ? 0 : c)));
            }
        }
        QVERIFY2(worst <= tolerance, qPrintable(QString("frame %1 is off by up to %2").arg(k).arg(worst)));
    }
}

void TestImageIO::video_data()
{
    QTest::addColumn<QString>("extension");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("width");        // of the source frames
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("videoWidth");   // whole-number upscaling, then even sides
    QTest::addColumn<int>("videoHeight");
    QTest::newRow("mp4 grey 28x28") << "mp4" << 1 << 28 << 28 << 140 << 140;
    QTest::newRow("mp4 rgb 27x21 (odd)") << "mp4" << 3 << 27 << 21 << 190 << 148;
    QTest::newRow("mp4 rgb 200x130 (large)") << "MP4" << 3 << 200 << 130 << 200 << 130;
    QTest::newRow("mp4 grey 129x131 (odd, large)") << "mp4" << 1 << 129 << 131 << 130 << 132;
    QTest::newRow("avi grey 28x28") << "avi" << 1 << 28 << 28 << 140 << 140;
    QTest::newRow("avi rgb 27x21") << "avi" << 3 << 27 << 21 << 190 << 148;
}

void TestImageIO::video()
{
    QFETCH(QString, extension);
    QFETCH(int, channels);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, videoWidth);
    QFETCH(int, videoHeight);
    // Flat frames of clearly different brightness, so that order and content
    // survive lossy coding.
    constexpr int frameCount = 7;
    std::vector<Image> frames;
    for (int k = 0; k < frameCount; ++k)
        frames.push_back(channels == 1 ? filled(width, height, {std::uint8_t(30 + 30 * k)})
                                       : filled(width, height, {std::uint8_t(30 + 30 * k), 90, std::uint8_t(220 - 30 * k)}));
    const std::string file = path(QString("video-%1.%2").arg(QTest::currentDataTag()).arg(extension));
    ImageIO::writeFrames(frames, file, 0.2);

    cv::VideoCapture capture(file);
    QVERIFY2(capture.isOpened(), "the video can be opened");
    QCOMPARE(int(capture.get(cv::CAP_PROP_FRAME_WIDTH)), videoWidth);
    QCOMPARE(int(capture.get(cv::CAP_PROP_FRAME_HEIGHT)), videoHeight);
    QVERIFY(std::abs(capture.get(cv::CAP_PROP_FPS) - 5.0) < 0.01);
    int read = 0;
    cv::Mat frame;
    while (capture.read(frame)) {
        QVERIFY(read < frameCount);
        QCOMPARE(frame.cols, videoWidth);
        QCOMPARE(frame.rows, videoHeight);
        const cv::Scalar mean = cv::mean(frame); // BGR
        const Image& source = frames[std::size_t(read)];
        const double expected[3] = {double(at(source, 0, 0, channels == 1 ? 0 : 2)), double(at(source, 0, 0, channels == 1 ? 0 : 1)),
                                    double(at(source, 0, 0, 0))};
        for (int c = 0; c < 3; ++c)
            QVERIFY2(std::abs(mean[c] - expected[c]) < 10,
                     qPrintable(QString("frame %1 channel %2: %3, expected %4").arg(read).arg(c).arg(mean[c]).arg(expected[c])));
        ++read;
    }
    QCOMPARE(read, frameCount);
}

void TestImageIO::writeErrors_data()
{
    QTest::addColumn<QString>("file");     // in the temporary folder
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown extension") << "frames.bmp" << "supported are .png (strip), .gif, .mp4 and .avi";
    QTest::newRow("no extension") << "frames" << "supported are";
    QTest::newRow("png in a missing folder") << "missing/frames.png" << "cannot write the image";
    QTest::newRow("gif in a missing folder") << "missing/frames.gif" << "cannot write the GIF";
    QTest::newRow("mp4 in a missing folder") << "missing/frames.mp4" << "cannot write the video";
    QTest::newRow("avi in a missing folder") << "missing/frames.avi" << "cannot write the video";
    QTest::newRow("video of a thin frame") << "thin.mp4" << "too large for a video";
    QTest::newRow("frames differ") << "mixed.gif" << "frame 1 is 4x4x1 but frame 0 is 4x4x3";
    QTest::newRow("no frames") << "none.gif" << "no frames given";
    QTest::newRow("zero seconds per frame") << "fast.gif" << "seconds per frame must be positive";
}

void TestImageIO::writeErrors()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    std::vector<Image> frames(3, patterned(4, 4, 3, 1));
    double seconds = 0.1;
    const QString tag = QTest::currentDataTag();
    if (tag == "frames differ")
        frames[1] = patterned(4, 4, 1, 1);
    else if (tag == "no frames")
        frames.clear();
    else if (tag == "zero seconds per frame")
        seconds = 0;
    else if (tag == "video of a thin frame") // scaled to 128 px wide it would be 128 x 2.56 million
        frames.assign(2, patterned(1, 20000, 3, 1));
    const std::string target = path(file);
    expectError([&] { ImageIO::writeFrames(frames, target, seconds); }, expected, QString::fromStdString(target));
    QVERIFY2(!QFile::exists(QString::fromStdString(target)), "nothing is left behind");
    if (tag == "png in a missing folder")
        expectError([&] { ImageIO::writePng(frames[0], target); }, expected, QString::fromStdString(target));
}

void TestImageIO::read_data()
{
    // The source is 40x30: grey = red = 40 + 4x (a ramp across), green = 30 + 5y,
    // blue = 200. Centred crops sit symmetric around the ramp's middle, 118
    // (the centre square is cropped first, then scaled).
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("left");       // the ramp at the left and right edges of the crop
    QTest::addColumn<int>("right");
    QTest::newRow("30 grey, crop only") << 30 << 1 << 60 << 176;
    QTest::newRow("30 rgb, crop only") << 30 << 3 << 60 << 176;
    QTest::newRow("15 grey, shrink") << 15 << 1 << 62 << 174;
    QTest::newRow("15 rgb, shrink") << 15 << 3 << 62 << 174;
    QTest::newRow("60 rgb, grow") << 60 << 3 << 59 << 177;
}

void TestImageIO::read()
{
    QFETCH(int, size);
    QFETCH(int, channels);
    QFETCH(int, left);
    QFETCH(int, right);
    cv::Mat source(30, 40, channels == 1 ? CV_8UC1 : CV_8UC3);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x) {
            if (channels == 1)
                source.at<std::uint8_t>(y, x) = std::uint8_t(40 + 4 * x);
            else
                source.at<cv::Vec3b>(y, x) = cv::Vec3b(200, std::uint8_t(30 + 5 * y), std::uint8_t(40 + 4 * x)); // BGR
        }
    const std::string file = path(QString("source-%1.png").arg(channels));
    QVERIFY(cv::imwrite(file, source));

    const Image image = ImageIO::read(file, size, channels);
    QCOMPARE(image.width, size);
    QCOMPARE(image.height, size);
    QCOMPARE(image.channels, channels);
    QCOMPARE(image.pixels.size(), std::size_t(size * size * channels));
    const auto near = [](int got, double expected, const char* what) {
        QVERIFY2(std::abs(got - expected) <= 2.0, qPrintable(QString("%1: %2, expected %3").arg(what).arg(got).arg(expected)));
    };
    // The ramp at both edges pins the crop window: one pixel off moves them by 4 or more.
    const int mid = size / 2;
    near(at(image, 0, mid), left, "left edge");
    near(at(image, size - 1, mid), right, "right edge");
    if (channels == 3) {
        near(at(image, mid, 0, 1), size == 15 ? 32.5 : 30, "green at the top"); // nothing cropped vertically
        near(at(image, mid, size - 1, 1), size == 15 ? 172.5 : 175, "green at the bottom");
        QCOMPARE(int(at(image, mid, mid, 2)), 200); // blue stays blue: RGB order
    }
}

void TestImageIO::readRejectsCorruptFile()
{
    const std::string bad = path("bad.png");
    std::ofstream(bad) << "not really a png";
    expectError([&] { ImageIO::read(bad, 28, 1); }, "cannot read the image", QString::fromStdString(bad));
    const std::string missing = path("missing.jpg");
    expectError([&] { ImageIO::read(missing, 28, 3); }, "cannot read the image", QString::fromStdString(missing));
}

namespace {

// A small real PNG or JPEG whose header is rewritten to declare width x height
// (the PNG's IHDR checksum fixed up, so that only the size is hostile).
std::string withDeclaredSize(const std::string& extension, int width, int height)
{
    std::vector<std::uint8_t> bytes;
    cv::imencode(extension, cv::Mat(8, 8, CV_8UC1, cv::Scalar(99)), bytes);
    const auto put16 = [&](std::size_t at, int v) {
        bytes[at] = std::uint8_t(v >> 8);
        bytes[at + 1] = std::uint8_t(v);
    };
    if (extension == ".png") {
        put16(16, width >> 16), put16(18, width), put16(20, height >> 16), put16(22, height);
        const uLong crc = crc32(0, bytes.data() + 12, 17); // "IHDR" and its 13 bytes
        for (int i = 0; i < 4; ++i)
            bytes[29 + std::size_t(i)] = std::uint8_t(crc >> (24 - 8 * i));
    } else {
        for (std::size_t at = 2; at + 9 < bytes.size(); at += 2 + (std::size_t(bytes[at + 2]) << 8 | bytes[at + 3])) {
            if (bytes[at + 1] == 0xC0) { // baseline frame header: length, precision, height, width
                put16(at + 5, height);
                put16(at + 7, width);
                break;
            }
        }
    }
    return std::string(bytes.begin(), bytes.end());
}

} // namespace

void TestImageIO::readRejectsHostileSizes_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("expected");
    QTest::newRow("png declaring 30000x30000") << QByteArray::fromStdString(withDeclaredSize(".png", 30000, 30000))
                                               << "declares 30000x30000 px";
    QTest::newRow("jpeg declaring 60000x60000") << QByteArray::fromStdString(withDeclaredSize(".jpg", 60000, 60000))
                                                << "declares 60000x60000 px";
    QTest::newRow("png declaring 0x8") << QByteArray::fromStdString(withDeclaredSize(".png", 0, 8)) << "declares 0x8 px";
    QTest::newRow("png cut inside its header") << QByteArray::fromStdString(withDeclaredSize(".png", 8, 8).substr(0, 20))
                                               << "without its IHDR header";
    QTest::newRow("png cut inside its data") << QByteArray::fromStdString(withDeclaredSize(".png", 8, 8).substr(0, 40))
                                             << "corrupt or truncated";
    QTest::newRow("jpeg with no frame header") << QByteArray("\xff\xd8\xff\xd9", 4) << "frame header";
    QTest::newRow("a bmp") << QByteArray("BM\0\0\0\0", 6) << "not a PNG or JPEG";
}

void TestImageIO::readRejectsHostileSizes()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, expected);
    const std::string file = path(QString("hostile-%1.png").arg(QTest::currentDataTag()));
    std::ofstream(file, std::ios::binary) << contents.toStdString();
    expectError([&] { ImageIO::read(file, 28, 1); }, expected, QString::fromStdString(file));
}

void TestImageIO::readsAThinStripWithoutScalingItUp()
{
    // A 1 KB PNG of 999999 x 1 was scaled to 28 px high before the crop: 28 million x 28 pixels.
    cv::Mat strip(1, 999999, CV_8UC3, cv::Scalar(10, 20, 30));
    strip.at<cv::Vec3b>(0, 499999) = cv::Vec3b(1, 2, 3); // the centre pixel: BGR
    const std::string file = path("strip.png");
    QVERIFY(cv::imwrite(file, strip));
    const Image image = ImageIO::read(file, 28, 3);
    QCOMPARE(image.width, 28);
    QCOMPARE(image.height, 28);
    QCOMPARE(int(at(image, 14, 14, 0)), 3); // the centre pixel, scaled up, in RGB
    QCOMPARE(int(at(image, 0, 27, 2)), 1);
}

void TestImageIO::writePngRejectsTooWide()
{
    // OpenCV failed without saying why, and the message blamed the folder.
    const Image wide{1000001, 1, 1, std::vector<std::uint8_t>(1000001, 7)};
    const std::string file = path("wide.png");
    expectError([&] { ImageIO::writePng(wide, file); }, "a PNG is at most 1000000 px on a side", QString::fromStdString(file));
}

void TestImageIO::gifHasTheUsualPermissions()
{
    // giflib's EGifOpenFileName created GIFs readable by their owner only (0600).
    const std::vector<Image> frames(2, patterned(4, 4, 1, 1));
    const std::string gif = path("shared.gif"), png = path("shared.png");
    ImageIO::writeFrames(frames, gif);
    ImageIO::writeFrames(frames, png);
    QCOMPARE(QFile::permissions(QString::fromStdString(gif)), QFile::permissions(QString::fromStdString(png)));
}

QTEST_GUILESS_MAIN(TestImageIO)
#include "test_imageio.moc"
