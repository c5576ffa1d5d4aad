#include "core/latent/CircularStatistics.h"

#include <cmath>
#include <string>

#include "core/base/Error.h"

namespace latentlab {

double CircularStatistics::mean(const std::vector<double>& angles)
{
    double s = 0, c = 0;
    for (double a : angles) {
        s += std::sin(a);
        c += std::cos(a);
    }
    return angles.empty() ? 0.0 : std::atan2(s, c);
}

double CircularStatistics::correlation(const std::vector<double>& a, const std::vector<double>& b)
{
    if (a.size() != b.size())
        throw Error("circular correlation: " + std::to_string(a.size()) + " angles against " + std::to_string(b.size()));
    if (a.size() < 2)
        throw Error("circular correlation needs at least two angles");
    const double ma = mean(a), mb = mean(b);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double x = std::sin(a[i] - ma), y = std::sin(b[i] - mb);
        sab += x * y;
        saa += x * x;
        sbb += y * y;
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

} // namespace latentlab
