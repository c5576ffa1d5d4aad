#pragma once
#include <QImage>

#include "core/base/Image.h"

namespace latentlab {

// core's images as QImages that own their pixels (safe to send across threads).
class ImageConversion {
public:
    static QImage toQImage(const Image& image);
    // Back into core's image with `channels` (1 grey, 3 RGB), e.g. to encode a shown image.
    static Image toImage(const QImage& image, int channels);
};

} // namespace latentlab
