#include "core/formats/ImageIO.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <gif_lib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/base/Error.h"
#include "core/base/SafeSize.h"

namespace latentlab {

namespace {

// Past libpng's own limit a PNG cannot be written; past 1 GiB no grid is meant.
constexpr std::int64_t kMaxPngSide = 1000000;
constexpr std::size_t kMaxImageBytes = std::size_t(1) << 30;
// What read() decodes at most: a 64-megapixel photo, 192 MiB in colour.
constexpr std::int64_t kMaxReadPixels = std::int64_t(64) << 20;
constexpr std::uintmax_t kMaxReadFileBytes = std::uintmax_t(256) << 20;
// A video frame's side after scaling up (8K).
constexpr std::int64_t kMaxVideoSide = 8192;

std::string sizeText(const Image& image)
{
    return std::to_string(image.width) + "x" + std::to_string(image.height) + "x" + std::to_string(image.channels);
}

// Why an image cannot be used, or "" when it can: positive size, 1 or 3
// channels, and exactly as many bytes as that needs (compose copies rows blindly).
std::string badImage(const Image& image)
{
    if (image.width < 1 || image.height < 1)
        return "is empty (" + std::to_string(image.width) + "x" + std::to_string(image.height) + ")";
    if (image.channels != 1 && image.channels != 3)
        return "has " + std::to_string(image.channels) + " channels, expected 1 or 3";
    const std::size_t expected = std::size_t(image.width) * std::size_t(image.height) * std::size_t(image.channels);
    if (image.pixels.size() != expected)
        return "holds " + std::to_string(image.pixels.size()) + " bytes, " + sizeText(image) + " needs "
               + std::to_string(expected);
    return {};
}

// Why a list of images cannot be laid out or written together, or "".
std::string badSequence(const std::vector<Image>& images, const std::string& noun)
{
    if (images.empty())
        return "no " + noun + "s given";
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::string bad = badImage(images[i]);
        if (!bad.empty())
            return noun + " " + std::to_string(i) + " " + bad;
        if (images[i].width != images[0].width || images[i].height != images[0].height
            || images[i].channels != images[0].channels)
            return noun + " " + std::to_string(i) + " is " + sizeText(images[i]) + " but " + noun + " 0 is "
                   + sizeText(images[0]) + " (width x height x channels); all must match";
    }
    return {};
}

// A view on the image's bytes, no copy; callers only read through it.
cv::Mat asMat(const Image& image)
{
    return cv::Mat(image.height, image.width, CV_8UC(image.channels), const_cast<std::uint8_t*>(image.pixels.data()));
}

std::string lowerExtension(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

std::string gifError(int code)
{
    const char* text = GifErrorString(code);
    return text ? std::string(text) : "giflib error " + std::to_string(code);
}

struct ColorMapDeleter {
    void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};
using ColorMap = std::unique_ptr<ColorMapObject, ColorMapDeleter>;

// An open GIF being written; closes it (and removes the half-written file)
// when an error unwinds past it.
class GifWriter {
public:
    explicit GifWriter(const std::string& path) : path_(path)
    {
        // Opened here rather than by EGifOpenFileName, which creates files 0600: a GIF
        // gets the same permissions (0666 less the umask) as every other file we write.
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0)
            throw Error(path + ": cannot write the GIF (" + std::strerror(errno) + ")");
        int error = 0;
        gif_ = EGifOpenFileHandle(fd, &error); // owns fd from here, closed with the file
        if (!gif_) {
            ::close(fd);
            std::remove(path.c_str());
            throw Error(path + ": cannot write the GIF (" + gifError(error) + ")");
        }
        EGifSetGifVersion(gif_, true); // GIF89a: needed for delays and looping
    }
    ~GifWriter()
    {
        if (gif_) {
            int error = 0;
            EGifCloseFile(gif_, &error);
            std::remove(path_.c_str());
        }
    }
    GifWriter(const GifWriter&) = delete;
    GifWriter& operator=(const GifWriter&) = delete;

    GifFileType* get() const { return gif_; }

    void check(int result, const char* step) const
    {
        if (result == GIF_ERROR)
            throw Error(path_ + ": cannot write the GIF, " + step + " failed (" + gifError(gif_->Error) + ")");
    }

    void close()
    {
        int error = 0;
        GifFileType* gif = gif_;
        gif_ = nullptr; // EGifCloseFile frees it whatever happens
        if (EGifCloseFile(gif, &error) == GIF_ERROR) {
            std::remove(path_.c_str());
            throw Error(path_ + ": cannot write the GIF, closing failed (" + gifError(error) + ")");
        }
    }

private:
    std::string path_;
    GifFileType* gif_ = nullptr;
};

void writeGif(const std::vector<Image>& frames, const std::string& path, double secondsPerFrame)
{
    const int width = frames[0].width, height = frames[0].height;
    if (width > 65535 || height > 65535)
        throw Error(path + ": frames of " + sizeText(frames[0]) + " are too large for a GIF (65535 px at most)");
    const bool grey = frames[0].channels == 1;

    // Grey frames index the palette with their own values, so they need no quantising.
    ColorMap greyMap;
    if (grey) {
        GifColorType levels[256];
        for (int i = 0; i < 256; ++i)
            levels[i] = GifColorType{GifByteType(i), GifByteType(i), GifByteType(i)};
        greyMap.reset(GifMakeMapObject(256, levels));
        if (!greyMap)
            throw Error(path + ": cannot write the GIF (out of memory for the palette)");
    }

    GifWriter gif(path);
    gif.check(EGifPutScreenDesc(gif.get(), width, height, 8, 0, greyMap.get()), "the screen descriptor");

    // NETSCAPE2.0 application extension: loop count 0, i.e. forever.
    static const char kNetscape[] = "NETSCAPE2.0";
    static const GifByteType kLoopForever[] = {1, 0, 0};
    gif.check(EGifPutExtensionLeader(gif.get(), APPLICATION_EXT_FUNC_CODE), "the loop extension");
    gif.check(EGifPutExtensionBlock(gif.get(), 11, kNetscape), "the loop extension");
    gif.check(EGifPutExtensionBlock(gif.get(), 3, kLoopForever), "the loop extension");
    gif.check(EGifPutExtensionTrailer(gif.get()), "the loop extension");

    GraphicsControlBlock control;
    control.DisposalMode = DISPOSE_DO_NOT; // every frame covers the whole screen
    control.UserInputFlag = false;
    control.DelayTime = int(std::clamp(std::lround(secondsPerFrame * 100.0), 1L, 65535L));
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType controlBytes[4];
    const std::size_t controlLength = EGifGCBToExtension(&control, controlBytes);

    const std::size_t pixelCount = std::size_t(width) * std::size_t(height);
    std::vector<GifByteType> indices(pixelCount), red, green, blue;
    if (!grey) {
        red.resize(pixelCount);
        green.resize(pixelCount);
        blue.resize(pixelCount);
    }
    for (const Image& frame : frames) {
        gif.check(EGifPutExtension(gif.get(), GRAPHICS_EXT_FUNC_CODE, int(controlLength), controlBytes),
                  "a graphics control block");
        ColorMap localMap;
        if (grey) {
            std::copy(frame.pixels.begin(), frame.pixels.end(), indices.begin());
        } else {
            for (std::size_t i = 0; i < pixelCount; ++i) {
                red[i] = frame.pixels[3 * i];
                green[i] = frame.pixels[3 * i + 1];
                blue[i] = frame.pixels[3 * i + 2];
            }
            // Each frame gets its own 256 colours: morphs drift in colour.
            int mapSize = 256;
            GifColorType colours[256] = {};
            if (GifQuantizeBuffer(unsigned(width), unsigned(height), &mapSize, red.data(), green.data(), blue.data(),
                                  indices.data(), colours)
                == GIF_ERROR)
                throw Error(path + ": cannot write the GIF (quantising the colours failed)");
            localMap.reset(GifMakeMapObject(256, colours));
            if (!localMap)
                throw Error(path + ": cannot write the GIF (out of memory for a colour map)");
        }
        gif.check(EGifPutImageDesc(gif.get(), 0, 0, width, height, false, localMap.get()), "an image descriptor");
        for (int y = 0; y < height; ++y)
            gif.check(EGifPutLine(gif.get(), indices.data() + std::size_t(y) * std::size_t(width), width),
                      "writing pixels");
    }
    gif.close();
}

// Whole-number upscaling factor that brings the shorter side to kMinVideoSide.
int videoScale(const Image& frame)
{
    const int shorter = std::min(frame.width, frame.height);
    return shorter >= ImageIO::kMinVideoSide ? 1 : (ImageIO::kMinVideoSide + shorter - 1) / shorter;
}

void writeVideo(const std::vector<Image>& frames, const std::string& path, double secondsPerFrame, int fourcc)
{
    const int scale = videoScale(frames[0]);
    if (std::int64_t(frames[0].width) * scale > kMaxVideoSide || std::int64_t(frames[0].height) * scale > kMaxVideoSide)
        throw Error(path + ": frames of " + sizeText(frames[0]) + " are too large for a video once the shorter side is scaled to "
                    + std::to_string(ImageIO::kMinVideoSide) + " px (" + std::to_string(kMaxVideoSide) + " px a side at most)");
    const int scaledWidth = frames[0].width * scale, scaledHeight = frames[0].height * scale;
    // Even sides: the 4:2:0 chroma subsampling of most codecs needs them.
    const cv::Size size(scaledWidth + scaledWidth % 2, scaledHeight + scaledHeight % 2);

    // Checked here because OpenCV, failing, tries every backend and logs each failure.
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
        throw Error(path + ": cannot write the video (the folder " + folder.string() + " does not exist)");

    cv::VideoWriter writer;
    try {
        writer.open(path, fourcc, 1.0 / secondsPerFrame, size, true);
    } catch (const cv::Exception& e) {
        throw Error(path + ": cannot write the video (" + e.what() + ")");
    }
    if (!writer.isOpened())
        throw Error(path + ": cannot write the video (no encoder for it, or the folder is not writable)");

    cv::Mat bgr, scaled, padded;
    for (const Image& frame : frames) {
        cv::cvtColor(asMat(frame), bgr, frame.channels == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_RGB2BGR);
        if (scale > 1)
            cv::resize(bgr, scaled, cv::Size(scaledWidth, scaledHeight), 0, 0, cv::INTER_NEAREST);
        else
            scaled = bgr;
        if (scaled.size() != size)
            cv::copyMakeBorder(scaled, padded, 0, size.height - scaled.rows, 0, size.width - scaled.cols,
                               cv::BORDER_REPLICATE);
        else
            padded = scaled;
        writer.write(padded);
    }
    writer.release();

    if (std::filesystem::file_size(path, ec) == 0 || ec)
        throw Error(path + ": cannot write the video (the encoder wrote nothing)");
}

// Width and height from a PNG's IHDR or a JPEG's start-of-frame segment, read from the
// bytes alone; throws when the file is neither or its header is cut short.
std::pair<std::int64_t, std::int64_t> declaredSize(const std::string& path, const std::vector<std::uint8_t>& b)
{
    const auto be16 = [&](std::size_t at) { return std::int64_t(b[at]) << 8 | b[at + 1]; };
    const auto be32 = [&](std::size_t at) { return be16(at) << 16 | be16(at + 2); };
    static const std::uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() >= 8 && std::memcmp(b.data(), kPng, 8) == 0) {
        if (b.size() < 24 || std::memcmp(b.data() + 12, "IHDR", 4) != 0)
            throw Error(path + ": cannot read the image (a PNG without its IHDR header: truncated or corrupt)");
        return {be32(16), be32(20)};
    }
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8) {
        std::size_t at = 2;
        while (at + 4 <= b.size()) {
            if (b[at] != 0xFF)
                break;
            const std::uint8_t marker = b[at + 1];
            if (marker == 0xFF) { // fill byte
                ++at;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                at += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA)
                break; // end of image or scan data before any frame header
            const std::size_t length = std::size_t(be16(at + 2));
            const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                if (length < 7 || at + 9 > b.size())
                    break;
                return {be16(at + 7), be16(at + 5)};
            }
            if (length < 2)
                break;
            at += 2 + length;
        }
        throw Error(path + ": cannot read the image (a JPEG without a readable frame header: truncated or corrupt)");
    }
    throw Error(path + ": cannot read the image (not a PNG or JPEG file)");
}

} // namespace

Image ImageIO::compose(const std::vector<Image>& tiles, int columns, int gap, std::uint8_t background)
{
    const std::string bad = badSequence(tiles, "tile");
    if (!bad.empty())
        throw Error("compose: " + bad);
    if (columns < 1)
        throw Error("compose: columns must be at least 1, got " + std::to_string(columns));
    if (gap < 0)
        throw Error("compose: the gap must not be negative, got " + std::to_string(gap));

    const Image& first = tiles.front();
    const int w = first.width, h = first.height, channels = first.channels;
    const std::int64_t rows = (std::int64_t(tiles.size()) + columns - 1) / columns;
    // This runs on every redraw of the latent grid: the words are built only on failure.
    const std::string what = "compose: the grid";
    const std::size_t outWidth = checkedSum({checkedProduct({columns, w}, what), checkedProduct({columns - 1, gap}, what)}, what);
    const std::size_t outHeight = checkedSum({checkedProduct({rows, h}, what), checkedProduct({rows - 1, gap}, what)}, what);
    const std::size_t bytes = checkedProduct({std::int64_t(outWidth), std::int64_t(outHeight), channels}, what);
    if (outWidth > std::size_t(kMaxPngSide) || outHeight > std::size_t(kMaxPngSide) || bytes > kMaxImageBytes)
        throw Error("compose: a grid of " + std::to_string(columns) + " columns, " + std::to_string(rows)
                    + " rows and a gap of " + std::to_string(gap) + " would be " + std::to_string(outWidth) + "x"
                    + std::to_string(outHeight) + " px, too large (at most " + std::to_string(kMaxPngSide)
                    + " px a side and 1 GiB)");

    Image out;
    out.width = int(outWidth);
    out.height = int(outHeight);
    out.channels = channels;
    out.pixels.assign(bytes, background);

    // Row copies only: this runs on every redraw of the latent grid.
    const std::size_t tileRow = std::size_t(w) * std::size_t(channels);
    const std::size_t outRow = std::size_t(out.width) * std::size_t(channels);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const std::size_t column = i % std::size_t(columns), row = i / std::size_t(columns);
        std::uint8_t* dst = out.pixels.data() + row * std::size_t(h + gap) * outRow
                            + column * std::size_t(w + gap) * std::size_t(channels);
        const std::uint8_t* src = tiles[i].pixels.data();
        for (int y = 0; y < h; ++y, dst += outRow, src += tileRow)
            std::memcpy(dst, src, tileRow);
    }
    return out;
}

void ImageIO::writePng(const Image& image, const std::string& path)
{
    const std::string bad = badImage(image);
    if (!bad.empty())
        throw Error(path + ": cannot write the image, it " + bad);
    if (image.width > kMaxPngSide || image.height > kMaxPngSide)
        throw Error(path + ": cannot write an image of " + std::to_string(image.width) + "x" + std::to_string(image.height)
                    + " px: a PNG is at most " + std::to_string(kMaxPngSide) + " px on a side");
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
        throw Error(path + ": cannot write the image (the folder " + folder.string() + " does not exist)");
    // OpenCV stores BGR; convert into a buffer of our own, never in the caller's image.
    cv::Mat bgr;
    if (image.channels == 3)
        cv::cvtColor(asMat(image), bgr, cv::COLOR_RGB2BGR);
    else
        bgr = asMat(image);
    bool written = false;
    try {
        written = cv::imwrite(path, bgr);
    } catch (const cv::Exception& e) {
        throw Error(path + ": cannot write the image (" + e.what() + ")");
    }
    if (!written)
        throw Error(path + ": cannot write the image (the folder is not writable, the disk is full, or '"
                    + lowerExtension(path) + "' is not an image type)");
}

void ImageIO::writeFrames(const std::vector<Image>& frames, const std::string& path, double secondsPerFrame)
{
    const std::string ext = lowerExtension(path);
    if (ext != ".png" && ext != ".gif" && ext != ".mp4" && ext != ".avi")
        throw Error(path + ": cannot write frames as '" + ext + "'; supported are .png (strip), .gif, .mp4 and .avi");
    const std::string bad = badSequence(frames, "frame");
    if (!bad.empty())
        throw Error(path + ": " + bad);
    if (!(secondsPerFrame > 0.0) || !std::isfinite(secondsPerFrame))
        throw Error(path + ": seconds per frame must be positive, got " + std::to_string(secondsPerFrame));

    if (ext == ".png")
        writePng(compose(frames, int(frames.size()), 2), path);
    else if (ext == ".gif")
        writeGif(frames, path, secondsPerFrame);
    else if (ext == ".mp4")
        writeVideo(frames, path, secondsPerFrame, cv::VideoWriter::fourcc('m', 'p', '4', 'v'));
    else
        writeVideo(frames, path, secondsPerFrame, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
}

bool ImageIO::isImageFile(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

Image ImageIO::read(const std::string& path, int size, int channels)
{
    if (size < 1 || size > ImageShape::kMaxSide || (channels != 1 && channels != 3))
        throw Error(path + ": cannot read the image as " + std::to_string(size) + " px with " + std::to_string(channels)
                    + " channels (size 1 to " + std::to_string(ImageShape::kMaxSide) + ", channels 1 or 3)");
    std::error_code ec;
    const std::uintmax_t fileSize = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot read the image (" + ec.message() + ")");
    if (fileSize > kMaxReadFileBytes)
        throw Error(path + ": cannot read the image: the file is " + std::to_string(fileSize) + " bytes, over the limit of "
                    + std::to_string(kMaxReadFileBytes));
    std::vector<std::uint8_t> file(static_cast<std::size_t>(fileSize));
    std::ifstream in(path, std::ios::binary);
    if (!in || !in.read(reinterpret_cast<char*>(file.data()), std::streamsize(file.size())))
        throw Error(path + ": cannot read the image (the file cannot be read)");

    // The header's size decides before anything of that size is decoded.
    const auto [width, height] = declaredSize(path, file);
    // Divided, not multiplied: two 32-bit sides overflow an int64 product.
    if (width < 1 || height < 1 || width > kMaxReadPixels / height)
        throw Error(path + ": the image declares " + std::to_string(width) + "x" + std::to_string(height)
                    + " px; LatentLab reads images of 1 to " + std::to_string(kMaxReadPixels >> 20) + " megapixels");
    cv::Mat image;
    try {
        image = cv::imdecode(file, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    } catch (const cv::Exception&) {
        image.release(); // reported below like any other undecodable file
    }
    if (image.empty())
        throw Error(path + ": cannot read the image (its data is corrupt or truncated)");

    // The centre square first, then to size: a 999999 x 1 strip is never scaled up whole.
    const int side = std::min(image.cols, image.rows);
    const cv::Mat centre = image(cv::Rect((image.cols - side) / 2, (image.rows - side) / 2, side, side));
    cv::Mat square;
    if (side == size)
        square = centre.clone();
    else
        cv::resize(centre, square, cv::Size(size, size), 0, 0, side > size ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (channels == 3)
        cv::cvtColor(square, square, cv::COLOR_BGR2RGB);

    Image out;
    out.width = out.height = size;
    out.channels = channels;
    out.pixels.assign(square.datastart, square.dataend);
    return out;
}

} // namespace latentlab
