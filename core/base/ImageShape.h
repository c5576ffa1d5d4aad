#pragma once
// The size of the images a data set holds and a model takes: channels x height x width.
#include <cstddef>

namespace latentlab {

struct ImageShape {
    int channels = 1;
    int height = 28;
    int width = 28;
    // In size_t: a shape read from a file may hold anything until Dataset checks it.
    std::size_t pixelCount() const
    {
        return std::size_t(channels) * std::size_t(height) * std::size_t(width);
    }
    // The largest side a data set's images may have (a 4096 x 4096 colour image is 48 MiB).
    static constexpr int kMaxSide = 4096;
    bool operator==(const ImageShape& o) const
    {
        return channels == o.channels && height == o.height && width == o.width;
    }
    bool operator!=(const ImageShape& o) const { return !(*this == o); }
};

} // namespace latentlab
