#include "core/latent/ViewMapping.h"

#include <cmath>

#include "core/base/Error.h"
#include "core/latent/NormalDistribution.h"

namespace latentlab {

ViewMapping::ViewMapping(PlaneRange range, GridSpacing spacing, double width, double height)
    : range_(range), spacing_(spacing), width_(width), height_(height)
{
    if (!(width > 0) || !(height > 0))
        throw Error("a view needs a positive size");
    if (!(range.aMax > range.aMin) || !(range.bMax > range.bMin) || !std::isfinite(range.aMax - range.aMin)
        || !std::isfinite(range.bMax - range.bMin))
        throw Error("a plane range needs finite minimums below its maximums");
    aLow_ = forward(range.aMin);
    aHigh_ = forward(range.aMax);
    bLow_ = forward(range.bMin);
    bHigh_ = forward(range.bMax);
    if (!(aHigh_ > aLow_) || !(bHigh_ > bLow_))
        throw Error("the plane range is too far out for inverse-CDF spacing (|z| beyond 8)");
}

double ViewMapping::forward(double value) const
{
    return spacing_ == GridSpacing::Linear ? value : NormalDistribution::cdf(value);
}

double ViewMapping::backward(double value) const
{
    return spacing_ == GridSpacing::Linear ? value : NormalDistribution::inverseCdf(value);
}

std::pair<double, double> ViewMapping::toPlane(double x, double y) const
{
    return {backward(aLow_ + x / width_ * (aHigh_ - aLow_)), backward(bHigh_ - y / height_ * (bHigh_ - bLow_))};
}

std::pair<double, double> ViewMapping::toPixel(double a, double b) const
{
    return {(forward(a) - aLow_) / (aHigh_ - aLow_) * width_, (bHigh_ - forward(b)) / (bHigh_ - bLow_) * height_};
}

std::vector<std::pair<double, double>> ViewMapping::tileCentres(int columns, int rows) const
{
    if (columns < 1 || rows < 1)
        throw Error("a grid needs at least one tile per side");
    std::vector<std::pair<double, double>> centres;
    centres.reserve(std::size_t(columns) * std::size_t(rows));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            centres.push_back(toPlane((c + 0.5) * width_ / columns, (r + 0.5) * height_ / rows));
    return centres;
}

} // namespace latentlab
