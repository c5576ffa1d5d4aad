#pragma once
// Images to and from files: grids of tiles, PNG files, and frame sequences
// (morphs, walks through the latent space) as PNG strip, GIF or video.
// OpenCV- and giflib-free on the outside so that ui/ can include it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/Image.h"

namespace latentlab {

class ImageIO {
public:
    // Lays equally sized tiles out row-major in `columns` columns (rows =
    // ceil(n / columns)), `gap` pixels of `background` between tiles and no
    // outer border. The grid is always `columns` wide, even with fewer tiles;
    // cells without a tile are background. Throws Error when there are no
    // tiles, they differ in size or channels, columns < 1 or gap < 0.
    static Image compose(const std::vector<Image>& tiles, int columns, int gap, std::uint8_t background = 255);

    // Writes one image with OpenCV (the format follows the extension; meant
    // for .png). Throws Error naming the path when it cannot be written.
    static void writePng(const Image& image, const std::string& path);

    // Writes equally sized frames; the path's extension (any case) chooses:
    //   .png   one horizontal strip, 2 px white gaps between frames
    //   .gif   an animated GIF that loops forever, secondsPerFrame per frame
    //          (in hundredths of a second); grey frames share a 256-level
    //          grey palette, colour frames get a 256-colour map each
    //   .mp4   MPEG-4 video ('mp4v'), fps = 1 / secondsPerFrame
    //   .avi   Motion-JPEG video ('MJPG'), fps = 1 / secondsPerFrame
    // Videos are scaled up by a whole factor (nearest neighbour, pixels stay
    // sharp) until the shorter side is at least 128 px, then padded to even
    // sides by repeating the last row / column, as most codecs need.
    // Throws Error naming the path when it cannot be written.
    static void writeFrames(const std::vector<Image>& frames, const std::string& path,
                            double secondsPerFrame = 0.1);

    // Reads a PNG or JPEG as grey (channels 1) or RGB (channels 3), scales its
    // shorter side to `size` and crops the centre square: size x size.
    // Throws Error naming the file when it cannot be read.
    static Image read(const std::string& path, int size, int channels);

    // Whether the file name ends in .png, .jpg or .jpeg (any case): what read() takes.
    static bool isImageFile(const std::string& path);

    // The smallest side length of a video frame (see writeFrames).
    static constexpr int kMinVideoSide = 128;
};

} // namespace latentlab
