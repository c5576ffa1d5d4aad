#pragma once
// An 8-bit image as core hands it to ui/ and to files: interleaved rows
// (grey, or RGB in that order), no padding. Torch- and OpenCV-free.
#include <cstdint>
#include <vector>

#include "core/base/ImageShape.h"

namespace latentlab {

struct Image {
    int width = 0;
    int height = 0;
    int channels = 1;                 // 1 (grey) or 3 (RGB)
    std::vector<std::uint8_t> pixels; // height * width * channels

    bool empty() const { return pixels.empty(); }

    // A model's output (floats in [0, 1], channel-first C x H x W) as an image.
    static Image fromPlanarFloats(const float* chw, ImageShape shape);
    // An image of a data set (uint8, channel-first) as an image.
    static Image fromPlanarBytes(const std::uint8_t* chw, ImageShape shape);
    // Appends the pixels channel-first (C x H x W), as a data set keeps them.
    void appendPlanarBytes(std::vector<std::uint8_t>& chw) const;
    // Back to channel-first floats in [0, 1], as a model takes them.
    std::vector<float> toPlanarFloats() const;
};

} // namespace latentlab
