#include "ui/ImageConversion.h"

namespace latentlab {

QImage ImageConversion::toQImage(const Image& image)
{
    const QImage::Format format = image.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    // Wraps core's buffer, then copy() so the QImage owns its memory.
    return QImage(image.pixels.data(), image.width, image.height, image.width * image.channels, format).copy();
}

} // namespace latentlab
