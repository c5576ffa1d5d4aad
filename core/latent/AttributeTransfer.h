#pragma once
// How well an attribute vector carries images across: the share of held-out "without"
// images that a nearest-class-mean classifier calls "with", before and after adding the
// vector. Torch-free.
#include <cstddef>
#include <vector>

#include "core/latent/LatentCodes.h"

namespace latentlab {

struct TransferRate {
    std::size_t images = 0; // the held-out "without" images counted
    double before = 0;      // share classified as the target class as they are
    double after = 0;       // share classified as the target class after adding alpha * vector
};

class AttributeTransfer {
public:
    // Class means come from the labelled `reference` codes; the rates count the rows
    // `without` of `heldOut`, moved by alpha * vector. Both rates are 0 when `without` is
    // empty. Throws latentlab::Error when a row or a length does not fit.
    static TransferRate nearestClassMean(const LatentCodes& reference, const LatentCodes& heldOut,
                                         const std::vector<std::size_t>& without, int targetClass,
                                         const std::vector<float>& vector, double alpha);
};

} // namespace latentlab
