#pragma once
// The least likely images of a data set: ranked by the negative ELBO (one z sample) or
// by an IWAE estimate of -log p(x). Torch-free.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/data/Dataset.h"
#include "core/model/Model.h"

namespace latentlab {

struct RankedImage {
    std::size_t index = 0; // into the scored data set
    double nll = 0;        // its score, -log p(x) or its bound
};

class OutlierRanking {
public:
    // -log p(x) per image: the IWAE estimate with `iwaeSamples` samples, or the negative
    // ELBO when it is 0. Seeded (1) so that the same model ranks the same way every time.
    static std::vector<double> scores(const Model& model, const Dataset& data, int iwaeSamples,
                                      const std::function<void(std::size_t, std::size_t)>& progress = {});
    // The `count` highest scores, highest first; ties go to the lower index.
    static std::vector<RankedImage> leastLikely(const std::vector<double>& scores, std::size_t count);
};

} // namespace latentlab
