#pragma once

namespace latentlab {

// The standard normal N(0, 1): the VAE's prior, the grid's inverse-CDF spacing
// and the reference curve of the code histograms.
class NormalDistribution {
public:
    static double pdf(double x);
    static double cdf(double x);
    // Inverse of cdf on (0, 1), accurate to about 1e-15 (Acklam's rational
    // approximation refined by one Halley step). Throws latentlab::Error outside (0, 1).
    static double inverseCdf(double p);
};

} // namespace latentlab
