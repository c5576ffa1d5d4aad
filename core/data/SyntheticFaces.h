#pragma once
// Generated cartoon faces whose generating factors are known (like dSprites),
// so that attribute editing ("add a smile", "add glasses") can be shown and
// measured without downloading a face data set. OpenCV- and torch-free.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/Dataset.h"

namespace latentlab {

class SyntheticFaces {
public:
    // CelebA-style names of the binary attributes, in column order.
    static const std::vector<std::string>& attributeNames(); // {"Smiling", "Eyeglasses", "Wearing_Hat", "Beard", "Mouth_Open"}
    // Continuous factors in column order, each in [0, 1].
    static const std::vector<std::string>& factorNames();    // {"skin_tone", "hair_colour", "face_width", "eye_size", "head_tilt", "background"}

    // `count` 64 x 64 RGB faces (channel-first uint8, as Dataset stores them), image i drawn
    // from seed and i alone (so any subset is reproducible and generation can run on all cores),
    // with dataset.setAttributes(attributeNames(), values 1/-1) and dataset.setFactors(factorNames(), values).
    // Each attribute is drawn independently with probability 0.4 (a hat with `hatShare`: a
    // rare group, for debiasing), each factor uniformly; the same draws for any hatShare,
    // so face i differs between shares in its hat only.
    static Dataset generate(std::size_t count, std::uint64_t seed, const std::string& name = "synth-faces",
                            double hatShare = kAttributeProbability);

    static constexpr int kSize = 64;
    static constexpr double kAttributeProbability = 0.4;
    static constexpr double kRareHatShare = 0.05; // synth-faces-rare
};

} // namespace latentlab
