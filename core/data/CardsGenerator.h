#pragma once
// The "cards" data sets of the rotation-invariant VAE literature (Bepler et
// al. 2019): the four card suits as clean white shapes on black, 48 x 48 grey,
// each turned by a random rotation and shear. OpenCV- and torch-free outside.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Dataset.h"

namespace latentlab {

struct CardsPreset {
    std::string name;
    double maxRotationDegrees; // angles uniform in [-max, max]
    double maxShearDegrees;    // shear angles uniform in [-max, max]
};

class CardsGenerator {
public:
    // cards1: rotation +-12, shear +-1; cards2: 12 and 20; cards3: 120 and 1; cards4: 120 and 20.
    static const std::vector<CardsPreset>& presets();
    // Throws Error listing the known names when `name` is none of them.
    static CardsPreset preset(const std::string& name);

    // `count` 48 x 48 grey images, the shape about 60% of the frame high and
    // centred. Image i shows suit i % 4 (labels index the class names
    // {"diamonds", "clubs", "spades", "hearts"}), and its factors {"angle",
    // "shear"} in degrees are exact: the shape's outline p (about the image
    // centre c, y down) is drawn at c + R(angle) * [[1, tan(shear)], [0, 1]] * p,
    // R as cv::getRotationMatrix2D (positive angles turn counter-clockwise on
    // screen). Image i depends only on (seed, i), whatever the thread count.
    // Throws Error when a limit is negative, the rotation is over 180 degrees
    // or the shear over 60 degrees.
    static Dataset generate(const CardsPreset& preset, std::size_t count, std::uint64_t seed,
                            const std::string& name = "cards");

    // How many turns of 360 / k degrees leave a suit looking the same: 2 for diamonds, 1 for
    // the other suits (and any other class name).
    static int rotationalSymmetry(const std::string& className);

    static constexpr int kSize = 48;
};

} // namespace latentlab
