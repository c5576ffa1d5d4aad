#pragma once
// A plane in latent space: z(a, b) = origin + a * u + b * v. The explorer's map,
// the grid verb and the attribute plane all stand on one. Torch-free.
#include <string>
#include <utility>
#include <vector>

#include "core/latent/LatentCodes.h"

namespace latentlab {

class LatentPlane {
public:
    LatentPlane() = default;
    // Throws latentlab::Error when the lengths differ or u and v are zero or parallel.
    LatentPlane(std::vector<float> origin, std::vector<float> u, std::vector<float> v,
                std::string uName = "a", std::string vName = "b");

    // Two latent dimensions through `base` (unit steps along each).
    static LatentPlane fromDimensions(std::vector<float> base, int dimU, int dimV);
    // The first two principal components of the codes (through LibTorch's SVD), centred on
    // their mean and scaled by their standard deviations, so a = 1 is one std along PC1.
    static LatentPlane fromPrincipalComponents(const LatentCodes& codes);
    // z = z1 + a (z2 - z1) + b (z3 - z1): (0,0), (1,0), (0,1) are the three codes.
    static LatentPlane throughCodes(const std::vector<float>& z1, const std::vector<float>& z2,
                                    const std::vector<float>& z3);
    // Two attribute directions through `base`: a and b are their strengths.
    static LatentPlane fromAttributes(std::vector<float> base, const std::vector<float>& first,
                                      const std::vector<float>& second, std::string firstName = "attribute 1",
                                      std::string secondName = "attribute 2");

    // The same plane with its first values.size() dimensions held at `values` (an rVAE's
    // pose): the origin takes them and u and v lose their parts there. Throws
    // latentlab::Error when u or v is then zero or parallel (a plane of the pose alone).
    LatentPlane pinned(const std::vector<float>& values) const;

    int dim() const { return int(origin_.size()); }
    const std::vector<float>& origin() const { return origin_; }
    const std::vector<float>& u() const { return u_; }
    const std::vector<float>& v() const { return v_; }
    const std::string& uName() const { return uName_; }
    const std::string& vName() const { return vName_; }

    // The latent point at plane coordinates (a, b), written to out[0..dim).
    void point(double a, double b, float* out) const;
    std::vector<float> point(double a, double b) const;
    // Plane coordinates of the point of the plane closest to z (least squares; exact for
    // points on the plane). Throws when z has the wrong length.
    std::pair<double, double> coordinates(const std::vector<float>& z) const;

    // Moves the origin to the point at (a, b): panning without changing the axes.
    LatentPlane recentred(double a, double b) const;

private:
    std::vector<float> origin_, u_, v_;
    std::string uName_, vName_;
    double uu_ = 0, uv_ = 0, vv_ = 0; // Gram matrix for coordinates()
};

} // namespace latentlab
