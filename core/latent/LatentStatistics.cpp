#include "core/latent/LatentStatistics.h"

#include <cmath>

#include "core/base/Error.h"

namespace latentlab {

LatentStatistics LatentStatistics::compute(const LatentCodes& codes, int bins, double halfRange)
{
    if (codes.count() == 0)
        throw Error("statistics need at least one encoded image");
    if (bins < 1 || !(halfRange > 0))
        throw Error("a histogram needs at least one bin and a positive range");
    LatentStatistics s;
    s.codes = codes.count();
    s.histogramMin = -halfRange;
    s.histogramMax = halfRange;
    const std::size_t n = codes.count(), dim = std::size_t(codes.dim);
    const bool variational = !codes.logvar.empty();
    s.dimensions.resize(dim);
    for (std::size_t d = 0; d < dim; ++d) {
        DimensionStatistics& ds = s.dimensions[d];
        ds.histogram.assign(std::size_t(bins), 0);
        double sum = 0, sumSq = 0, sigma2 = 0, kl = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double mu = codes.mu[i * dim + d];
            sum += mu;
            sumSq += mu * mu;
            if (variational) {
                const double logvar = codes.logvar[i * dim + d];
                sigma2 += std::exp(logvar);
                kl += 0.5 * (mu * mu + std::exp(logvar) - 1 - logvar);
            }
            const int bin = int(std::floor((mu + halfRange) / (2 * halfRange) * bins));
            if (bin >= 0 && bin < bins)
                ++ds.histogram[std::size_t(bin)];
        }
        ds.mean = sum / double(n);
        ds.variance = n > 1 ? (sumSq - sum * ds.mean) / double(n - 1) : 0;
        ds.posteriorVariance = sigma2 / double(n);
        ds.kl = kl / double(n);
        s.totalKl += ds.kl;
        if (ds.kl > kActiveKl)
            ++s.activeUnits;
    }
    return s;
}

} // namespace latentlab
