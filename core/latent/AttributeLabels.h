#pragma once
// Several binary attributes of the same images (CelebA style: 1 has it, -1 lacks it,
// 0 unknown), so that a vector for one attribute can control for the others. Torch-free.
#include <cstddef>
#include <string>
#include <vector>

#include "core/latent/AttributeMath.h"

namespace latentlab {

struct AttributeLabels {
    std::vector<std::string> names;
    std::vector<signed char> values; // row per image, a column per name

    std::size_t count() const { return names.empty() ? 0 : values.size() / names.size(); }
    int value(std::size_t row, std::size_t column) const { return values[row * names.size() + column]; }
    // The column of `name`; throws latentlab::Error naming the known ones.
    std::size_t column(const std::string& name) const;
    AttributeGroups groups(std::size_t column) const;

    // The data set's own attributes (synth-faces, faces: folders), in its image order.
    static AttributeLabels ofDataset(const Dataset& data);
};

} // namespace latentlab
