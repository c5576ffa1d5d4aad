#include "core/training/OutlierRanking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/Error.h"
#include "core/training/Evaluator.h"

namespace latentlab {

std::vector<double> OutlierRanking::scores(const Model& model, const Dataset& data, int iwaeSamples,
                                           const std::function<void(std::size_t, std::size_t)>& progress)
{
    if (iwaeSamples < 0)
        throw Error("IWAE samples must be 0 (negative ELBO) or more, not " + std::to_string(iwaeSamples));
    Evaluator evaluator;
    evaluator.setSeed(1);
    return iwaeSamples > 0 ? evaluator.iwaeNllPerImage(model, data, iwaeSamples, progress)
                           : evaluator.negativeElboPerImage(model, data);
}

std::vector<RankedImage> OutlierRanking::leastLikely(const std::vector<double>& scores, std::size_t count)
{
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t n = std::min(count, order.size());
    // Index as the tie-break, so that the same scores always rank the same way; NaN (a
    // diverged model) ranks last, since it says nothing about the image.
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(), [&](std::size_t a, std::size_t b) {
        const bool aNan = std::isnan(scores[a]), bNan = std::isnan(scores[b]);
        if (aNan != bNan)
            return bNan;
        if (!aNan && scores[a] != scores[b])
            return scores[a] > scores[b];
        return a < b;
    });
    std::vector<RankedImage> ranked;
    ranked.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        ranked.push_back({order[i], scores[order[i]]});
    return ranked;
}

} // namespace latentlab
