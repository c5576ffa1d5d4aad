#pragma once
// The principal directions of a set of codes (through LibTorch's SVD): the PCA plane
// of the map and the inspector's sliders for large latent spaces.
#include <vector>

#include "core/latent/LatentCodes.h"

namespace latentlab {

struct PrincipalComponents {
    std::vector<float> mean;
    // The first k principal directions, each scaled by its standard deviation, so that
    // a step of 1 along one is one standard deviation of the codes.
    std::vector<std::vector<float>> axes;
    std::vector<double> standardDeviations;

    // Throws latentlab::Error for fewer than 3 codes or k outside 1..dim.
    static PrincipalComponents compute(const LatentCodes& codes, int k);
};

} // namespace latentlab
