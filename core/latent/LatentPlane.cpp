#include "core/latent/LatentPlane.h"

#include <algorithm>

#include <cmath>

#include "core/base/Error.h"
#include "core/latent/PrincipalComponents.h"

namespace latentlab {

namespace {

double dot(const std::vector<float>& x, const std::vector<float>& y)
{
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        s += double(x[i]) * double(y[i]);
    return s;
}

std::vector<float> difference(const std::vector<float>& x, const std::vector<float>& y)
{
    std::vector<float> d(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        d[i] = x[i] - y[i];
    return d;
}

} // namespace

LatentPlane::LatentPlane(std::vector<float> origin, std::vector<float> u, std::vector<float> v, std::string uName,
                         std::string vName)
    : origin_(std::move(origin)), u_(std::move(u)), v_(std::move(v)), uName_(std::move(uName)), vName_(std::move(vName))
{
    if (origin_.empty() || u_.size() != origin_.size() || v_.size() != origin_.size())
        throw Error("a plane needs an origin and two directions of the same, non-zero length (got "
                    + std::to_string(origin_.size()) + ", " + std::to_string(u_.size()) + ", "
                    + std::to_string(v_.size()) + ")");
    uu_ = dot(u_, u_);
    uv_ = dot(u_, v_);
    vv_ = dot(v_, v_);
    if (!(uu_ > 0) || !(vv_ > 0))
        throw Error("a plane's directions must not be zero (are the codes or attributes the same?)");
    if (uu_ * vv_ - uv_ * uv_ <= 1e-9 * uu_ * vv_)
        throw Error("a plane's two directions must not be parallel (three codes on one line?)");
}

LatentPlane LatentPlane::fromDimensions(std::vector<float> base, int dimU, int dimV)
{
    const int n = int(base.size());
    if (dimU < 0 || dimV < 0 || dimU >= n || dimV >= n || dimU == dimV)
        throw Error("latent dimensions " + std::to_string(dimU) + " and " + std::to_string(dimV)
                    + " must differ and lie in 0.." + std::to_string(n - 1));
    std::vector<float> u(base.size()), v(base.size());
    u[std::size_t(dimU)] = 1;
    v[std::size_t(dimV)] = 1;
    return LatentPlane(std::move(base), std::move(u), std::move(v), "z" + std::to_string(dimU),
                       "z" + std::to_string(dimV));
}

LatentPlane LatentPlane::fromPrincipalComponents(const LatentCodes& codes)
{
    if (codes.dim < 2)
        throw Error("principal components need codes of at least 2 dimensions");
    PrincipalComponents pca = PrincipalComponents::compute(codes, 2);
    return LatentPlane(std::move(pca.mean), std::move(pca.axes[0]), std::move(pca.axes[1]), "PC1", "PC2");
}

LatentPlane LatentPlane::pinned(const std::vector<float>& values) const
{
    if (values.size() > origin_.size())
        throw Error("cannot hold " + std::to_string(values.size()) + " values of a " + std::to_string(origin_.size())
                    + "-dimensional plane");
    std::vector<float> origin = origin_, u = u_, v = v_;
    std::copy(values.begin(), values.end(), origin.begin());
    std::fill_n(u.begin(), values.size(), 0.0f);
    std::fill_n(v.begin(), values.size(), 0.0f);
    return LatentPlane(std::move(origin), std::move(u), std::move(v), uName_, vName_);
}

LatentPlane LatentPlane::throughCodes(const std::vector<float>& z1, const std::vector<float>& z2,
                                      const std::vector<float>& z3)
{
    if (z2.size() != z1.size() || z3.size() != z1.size())
        throw Error("the three codes of a plane must have the same length");
    return LatentPlane(z1, difference(z2, z1), difference(z3, z1), "towards B", "towards C");
}

LatentPlane LatentPlane::fromAttributes(std::vector<float> base, const std::vector<float>& first,
                                        const std::vector<float>& second, std::string firstName,
                                        std::string secondName)
{
    return LatentPlane(std::move(base), first, second, std::move(firstName), std::move(secondName));
}

void LatentPlane::point(double a, double b, float* out) const
{
    for (std::size_t i = 0; i < origin_.size(); ++i)
        out[i] = float(double(origin_[i]) + a * double(u_[i]) + b * double(v_[i]));
}

std::vector<float> LatentPlane::point(double a, double b) const
{
    std::vector<float> z(origin_.size());
    point(a, b, z.data());
    return z;
}

std::pair<double, double> LatentPlane::coordinates(const std::vector<float>& z) const
{
    if (z.size() != origin_.size())
        throw Error("a code of length " + std::to_string(z.size()) + " does not fit a " + std::to_string(dim())
                    + "-dimensional latent space");
    const std::vector<float> d = difference(z, origin_);
    const double du = dot(d, u_), dv = dot(d, v_);
    const double det = uu_ * vv_ - uv_ * uv_;
    return {(du * vv_ - dv * uv_) / det, (dv * uu_ - du * uv_) / det};
}

LatentPlane LatentPlane::recentred(double a, double b) const
{
    return LatentPlane(point(a, b), u_, v_, uName_, vName_);
}

} // namespace latentlab
