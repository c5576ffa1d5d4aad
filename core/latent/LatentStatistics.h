#pragma once
// What the encoder does with the data: per-dimension distributions of the codes
// against the N(0, 1) prior, KL per dimension and active units, the aggregate posterior.
#include <vector>

#include "core/latent/LatentCodes.h"

namespace latentlab {

struct DimensionStatistics {
    double mean = 0;              // of mu
    double variance = 0;          // of mu across the data
    double posteriorVariance = 0; // mean of sigma^2
    double kl = 0;                // mean KL(q(z_d|x) || N(0, 1)), nats
    // The aggregate posterior q(z_d) = mean over x of q(z_d|x): its variance is
    // variance + posteriorVariance; close to 1 when it matches the prior.
    double aggregateVariance() const { return variance + posteriorVariance; }
    std::vector<int> histogram;   // counts of mu over the bins
};

struct LatentStatistics {
    static constexpr double kActiveKl = 0.01; // nats: a dimension the model uses

    std::vector<DimensionStatistics> dimensions;
    int activeUnits = 0;
    double totalKl = 0;
    double histogramMin = -4, histogramMax = 4;
    std::size_t codes = 0;

    // Throws latentlab::Error for no codes or fewer than 1 bin.
    static LatentStatistics compute(const LatentCodes& codes, int bins = 40, double halfRange = 4);
};

} // namespace latentlab
