#pragma once
// Restoring images with a denoising model: an input (corrupted first, to show what the
// model undoes) encoded to its mean code and decoded; and how typical the input is for
// the model, against its test set, to warn when an image is unlike the training data
// ("it has to be from the same distribution"). Torch-free header.
#include <cstdint>
#include <vector>

#include "core/base/Corruption.h"
#include "core/base/Image.h"
#include "core/data/Dataset.h"
#include "core/model/Model.h"

namespace latentlab {

class Restoration {
public:
    // `image` with `corruption` drawn from `seed`; the image itself when it is none. A
    // grey corruption gives the luminance in each of the image's channels.
    static Image corrupted(const Image& image, const Corruption& corruption, std::uint64_t seed);
    // The model's mean decode of the image's mean code.
    static Image restored(const Model& model, const Image& image, int imageClass = 0);
    // The negative ELBO of each input image as the model sees its inputs (the image as
    // its own target, nothing more corrupted), for `inputs` given as a data set.
    static std::vector<double> inputScores(const Model& model, const Dataset& inputs, std::uint64_t seed);
    // The images of `data` with the model's own corruption drawn (what it was trained to
    // take in), so that their scores are comparable with a real corrupted input's.
    static Dataset asModelInputs(const Model& model, const Dataset& data, std::uint64_t seed);
    // The share in percent of `reference` below `value` (0 to 100).
    static double percentile(const std::vector<double>& reference, double value);
};

} // namespace latentlab
