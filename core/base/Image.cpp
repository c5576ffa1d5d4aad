#include "core/base/Image.h"

#include <algorithm>
#include <cmath>

namespace latentlab {

namespace {

template <typename T, typename Convert>
Image fromPlanar(const T* chw, ImageShape s, Convert convert)
{
    Image image{s.width, s.height, s.channels, std::vector<std::uint8_t>(std::size_t(s.pixelCount()))};
    const std::size_t plane = std::size_t(s.width) * std::size_t(s.height);
    for (int c = 0; c < s.channels; ++c)
        for (std::size_t i = 0; i < plane; ++i)
            image.pixels[i * std::size_t(s.channels) + std::size_t(c)] = convert(chw[std::size_t(c) * plane + i]);
    return image;
}

} // namespace

Image Image::fromPlanarFloats(const float* chw, ImageShape shape)
{
    return fromPlanar(chw, shape, [](float v) {
        return std::uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
    });
}

Image Image::fromPlanarBytes(const std::uint8_t* chw, ImageShape shape)
{
    return fromPlanar(chw, shape, [](std::uint8_t v) { return v; });
}

void Image::appendPlanarBytes(std::vector<std::uint8_t>& chw) const
{
    const std::size_t plane = std::size_t(width) * std::size_t(height);
    const std::size_t start = chw.size();
    chw.resize(start + plane * std::size_t(channels));
    for (int c = 0; c < channels; ++c)
        for (std::size_t i = 0; i < plane; ++i)
            chw[start + std::size_t(c) * plane + i] = pixels[i * std::size_t(channels) + std::size_t(c)];
}

std::vector<float> Image::toPlanarFloats() const
{
    std::vector<float> out(pixels.size());
    const std::size_t plane = std::size_t(width) * std::size_t(height);
    for (int c = 0; c < channels; ++c)
        for (std::size_t i = 0; i < plane; ++i)
            out[std::size_t(c) * plane + i] = float(pixels[i * std::size_t(channels) + std::size_t(c)]) / 255.0f;
    return out;
}

} // namespace latentlab
