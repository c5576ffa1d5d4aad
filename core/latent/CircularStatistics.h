#pragma once
// Statistics of angles (radians), where 359 degrees is next to 1: the rVAE's angle latent
// against a data set's true angle. Torch-free.
#include <vector>

namespace latentlab {

class CircularStatistics {
public:
    // The direction of the mean unit vector, in (-pi, pi]; 0 for no angles.
    static double mean(const std::vector<double>& angles);
    // Jammalamadaka and SenGupta's circular correlation coefficient, in [-1, 1]:
    // sum sin(a - mean a) sin(b - mean b) / sqrt(sum sin^2(a - mean a) sum sin^2(b - mean b)).
    // 1 when b = a + c, -1 when b = c - a. Shapes that repeat under a turn of 360/k
    // degrees (a diamond: k = 2) compare k * a with k * b. Throws latentlab::Error when
    // the lengths differ or fewer than two angles are given; 0 when either set is constant.
    static double correlation(const std::vector<double>& a, const std::vector<double>& b);
};

} // namespace latentlab
