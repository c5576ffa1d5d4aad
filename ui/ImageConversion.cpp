#include "ui/ImageConversion.h"

#include <algorithm>

namespace latentlab {

QImage ImageConversion::toQImage(const Image& image)
{
    const QImage::Format format = image.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    // Wraps core's buffer, then copy() so the QImage owns its memory.
    return QImage(image.pixels.data(), image.width, image.height, image.width * image.channels, format).copy();
}

Image ImageConversion::toImage(const QImage& image, int channels)
{
    const QImage converted = image.convertToFormat(channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    Image out;
    out.width = converted.width();
    out.height = converted.height();
    out.channels = channels == 3 ? 3 : 1;
    const std::size_t rowBytes = std::size_t(out.width) * std::size_t(out.channels);
    out.pixels.resize(rowBytes * std::size_t(out.height));
    for (int y = 0; y < out.height; ++y) // QImage rows are padded to 4 bytes
        std::copy_n(converted.constScanLine(y), rowBytes, out.pixels.data() + std::size_t(y) * rowBytes);
    return out;
}

} // namespace latentlab
