#include "core/latent/Interpolation.h"

#include <algorithm>
#include <cmath>

#include "core/base/Error.h"

namespace latentlab {

namespace {

void checkSameLength(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size() || a.empty())
        throw Error("codes to interpolate must have the same, non-zero length (got " + std::to_string(a.size())
                    + " and " + std::to_string(b.size()) + ")");
}

} // namespace

std::vector<float> Interpolation::linear(const std::vector<float>& a, const std::vector<float>& b, double t)
{
    checkSameLength(a, b);
    std::vector<float> z(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        z[i] = float((1 - t) * a[i] + t * b[i]);
    return z;
}

std::vector<float> Interpolation::spherical(const std::vector<float>& a, const std::vector<float>& b, double t)
{
    checkSameLength(a, b);
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    const double cosine = aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 1.0;
    const double omega = std::acos(std::clamp(cosine, -1.0, 1.0));
    const double sine = std::sin(omega);
    if (sine < 1e-6) // (anti)parallel or a zero vector: the great circle is undefined
        return linear(a, b, t);
    const double wa = std::sin((1 - t) * omega) / sine, wb = std::sin(t * omega) / sine;
    std::vector<float> z(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        z[i] = float(wa * a[i] + wb * b[i]);
    return z;
}

std::vector<float> Interpolation::barycentric(const std::vector<float>& z1, const std::vector<float>& z2,
                                              const std::vector<float>& z3, double s, double t)
{
    checkSameLength(z1, z2);
    checkSameLength(z1, z3);
    std::vector<float> z(z1.size());
    for (std::size_t i = 0; i < z1.size(); ++i)
        z[i] = float(z1[i] + s * (double(z2[i]) - z1[i]) + t * (double(z3[i]) - z1[i]));
    return z;
}

std::vector<float> Interpolation::frames(const std::vector<float>& a, const std::vector<float>& b, int frames,
                                         InterpolationKind kind)
{
    if (frames < 2)
        throw Error("a morph needs at least 2 frames");
    std::vector<float> out;
    out.reserve(a.size() * std::size_t(frames));
    for (int i = 0; i < frames; ++i) {
        const double t = double(i) / (frames - 1);
        const std::vector<float> z = kind == InterpolationKind::Linear ? linear(a, b, t) : spherical(a, b, t);
        out.insert(out.end(), z.begin(), z.end());
    }
    return out;
}

std::vector<float> Interpolation::triangleFrames(const std::vector<float>& z1, const std::vector<float>& z2,
                                                const std::vector<float>& z3, int framesPerEdge)
{
    if (framesPerEdge < 2)
        throw Error("a morph needs at least 2 frames");
    const double corners[4][2] = {{0, 0}, {1, 0}, {0, 1}, {0, 0}};
    std::vector<float> out;
    for (int edge = 0; edge < 3; ++edge)
        for (int i = 0; i < framesPerEdge - (edge < 2 ? 1 : 0); ++i) {
            const double f = double(i) / (framesPerEdge - 1);
            const std::vector<float> z = barycentric(z1, z2, z3, corners[edge][0] + f * (corners[edge + 1][0] - corners[edge][0]),
                                                     corners[edge][1] + f * (corners[edge + 1][1] - corners[edge][1]));
            out.insert(out.end(), z.begin(), z.end());
        }
    return out;
}

} // namespace latentlab
