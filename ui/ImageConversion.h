#pragma once
#include <QImage>

#include "core/base/Image.h"

namespace latentlab {

// core's images as QImages that own their pixels (safe to send across threads).
class ImageConversion {
public:
    static QImage toQImage(const Image& image);
};

} // namespace latentlab
