#pragma once
// The size of the images a data set holds and a model takes: channels x height x width.

namespace latentlab {

struct ImageShape {
    int channels = 1;
    int height = 28;
    int width = 28;
    int pixelCount() const { return channels * height * width; }
    bool operator==(const ImageShape& o) const
    {
        return channels == o.channels && height == o.height && width == o.width;
    }
    bool operator!=(const ImageShape& o) const { return !(*this == o); }
};

} // namespace latentlab
