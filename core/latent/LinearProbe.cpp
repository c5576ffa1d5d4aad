#include "core/latent/LinearProbe.h"

#include <algorithm>
#include <cmath>

#include "core/base/Error.h"

namespace latentlab {

namespace {

constexpr double kPenalty = 1.0;
constexpr int kMaxIterations = 50;

// log(1 + exp(-m)), without overflow for either sign of m.
double logisticLoss(double m)
{
    return m > 0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m));
}

// Every step-th index of `from`, at most `limit` of them.
void takeEvenly(const std::vector<std::size_t>& from, std::size_t limit, std::vector<std::size_t>& to)
{
    const double step = from.size() > limit ? double(from.size()) / double(limit) : 1.0;
    std::size_t taken = 0;
    for (double at = 0; std::size_t(at) < from.size() && taken < limit; at += step, ++taken)
        to.push_back(from[std::size_t(at)]);
}

} // namespace

LinearProbe LinearProbe::fit(const LatentCodes& codes, const AttributeGroups& groups)
{
    if (groups.with.empty() || groups.without.empty())
        throw Error("a linear probe needs images with and without the attribute: one group is empty");
    const std::size_t total = groups.with.size() + groups.without.size();
    const double share = std::min(1.0, double(kMaxRows) / double(total));
    std::vector<std::size_t> rows;
    const std::size_t withRows = std::max<std::size_t>(1, std::size_t(double(groups.with.size()) * share));
    takeEvenly(groups.with, withRows, rows);
    const std::size_t withTaken = rows.size();
    takeEvenly(groups.without, std::max<std::size_t>(1, std::size_t(double(groups.without.size()) * share)), rows);
    for (std::size_t r : rows)
        if (r >= codes.count())
            throw Error("image index " + std::to_string(r) + " is out of range (" + std::to_string(codes.count())
                        + " images)");

    const std::size_t d = std::size_t(codes.dim), n = d + 1; // the bias is the last parameter
    const auto margin = [&](const std::vector<double>& theta, std::size_t k) {
        const float* z = codes.code(rows[k]);
        double s = theta[d];
        for (std::size_t j = 0; j < d; ++j)
            s += theta[j] * z[j];
        return k < withTaken ? s : -s; // y * (w.z + b) with y = +-1
    };
    const auto objective = [&](const std::vector<double>& theta) {
        double f = 0;
        for (std::size_t k = 0; k < rows.size(); ++k)
            f += logisticLoss(margin(theta, k));
        for (std::size_t j = 0; j < d; ++j)
            f += 0.5 * kPenalty * theta[j] * theta[j];
        return f;
    };
    std::vector<double> theta(n, 0.0);
    double f = objective(theta);
    for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
        std::vector<double> gradient(n, 0.0), hessian(n * n, 0.0);
        std::vector<double> x(n, 1.0);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const float* z = codes.code(rows[k]);
            std::copy(z, z + d, x.begin());
            const double y = k < withTaken ? 1 : -1;
            const double p = 1 / (1 + std::exp(margin(theta, k))); // sigma(-m): the loss's slope
            const double weight = p * (1 - p);
            for (std::size_t i = 0; i < n; ++i) {
                gradient[i] -= y * p * x[i];
                for (std::size_t j = 0; j <= i; ++j)
                    hessian[i * n + j] += weight * x[i] * x[j];
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < i; ++j)
                hessian[j * n + i] = hessian[i * n + j];
            if (i < d) {
                gradient[i] += kPenalty * theta[i];
                hessian[i * n + i] += kPenalty;
            } else {
                hessian[i * n + i] += 1e-9; // the bias is not penalised
            }
        }
        const std::vector<double> step = AttributeMath::solvePositiveDefinite(hessian, gradient, n);
        // Newton's step, halved until the objective does not grow.
        double scale = 1;
        std::vector<double> next(n);
        double fNext = f;
        for (int halving = 0; halving < 30; ++halving, scale /= 2) {
            for (std::size_t i = 0; i < n; ++i)
                next[i] = theta[i] - scale * step[i];
            fNext = objective(next);
            if (fNext <= f)
                break;
        }
        if (!(fNext <= f))
            break;
        theta = next;
        const bool settled = f - fNext <= 1e-10 * std::max(1.0, f);
        f = fNext;
        if (settled)
            break;
    }
    LinearProbe probe;
    probe.w_.assign(theta.begin(), theta.begin() + std::ptrdiff_t(d));
    probe.b_ = theta[d];
    std::size_t right = 0;
    for (std::size_t k = 0; k < rows.size(); ++k)
        right += margin(theta, k) > 0;
    probe.accuracy_ = double(right) / double(rows.size());
    return probe;
}

double LinearProbe::decision(const float* z) const
{
    double s = b_;
    for (std::size_t j = 0; j < w_.size(); ++j)
        s += w_[j] * z[j];
    return s;
}

} // namespace latentlab
