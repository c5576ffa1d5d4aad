#pragma once
// Morphs between codes: linear, spherical (slerp) and barycentric between three.
#include <vector>

namespace latentlab {

enum class InterpolationKind { Linear, Spherical };

class Interpolation {
public:
    static std::vector<float> linear(const std::vector<float>& a, const std::vector<float>& b, double t);
    // Along the great circle between a and b (Shoemake), so that codes of equal norm keep
    // it; vectors pointing the same or opposite way fall back to linear (no NaN).
    static std::vector<float> spherical(const std::vector<float>& a, const std::vector<float>& b, double t);
    // z1 + s (z2 - z1) + t (z3 - z1).
    static std::vector<float> barycentric(const std::vector<float>& z1, const std::vector<float>& z2,
                                          const std::vector<float>& z3, double s, double t);
    // `frames` codes from a to b inclusive, concatenated (frames >= 2).
    static std::vector<float> frames(const std::vector<float>& a, const std::vector<float>& b, int frames,
                                     InterpolationKind kind);
    // Around the triangle z1 -> z2 -> z3 -> z1, `framesPerEdge` frames per edge with the
    // corners shared: 3 * (framesPerEdge - 1) + 1 codes, concatenated.
    static std::vector<float> triangleFrames(const std::vector<float>& z1, const std::vector<float>& z2,
                                             const std::vector<float>& z3, int framesPerEdge);
};

} // namespace latentlab
