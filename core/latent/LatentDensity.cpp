#include "core/latent/LatentDensity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/base/Error.h"

namespace latentlab {

void LatentDensity::validateAlpha(double alpha)
{
    if (!(alpha >= 0 && alpha <= kMaxAlpha))
        throw Error("the debiasing alpha must be between 0 and " + std::to_string(int(kMaxAlpha)) + ", got "
                    + std::to_string(alpha));
}

std::vector<double> LatentDensity::debiasWeights(const std::vector<float>& mu, std::size_t dim, double alpha, int bins)
{
    validateAlpha(alpha);
    if (bins < 1 || bins > kMaxBins)
        throw Error("density bins must be between 1 and " + std::to_string(kMaxBins) + ", got " + std::to_string(bins));
    if (dim == 0 || mu.size() % dim != 0)
        throw Error("latent density: " + std::to_string(mu.size()) + " values are not whole codes of "
                    + std::to_string(dim));
    const std::size_t n = mu.size() / dim;
    std::vector<double> weight(n, 0.0);
    if (n == 0)
        return weight;
    if (!std::all_of(mu.begin(), mu.end(), [](float v) { return std::isfinite(v); }))
        throw Error("latent density: a code is not a finite number (has the encoder diverged?)");
    std::vector<std::size_t> bin(n), count(static_cast<std::size_t>(bins));
    std::vector<double> w(n);
    for (std::size_t d = 0; d < dim; ++d) {
        float lo = mu[d], hi = mu[d];
        for (std::size_t i = 0; i < n; ++i)
            lo = std::min(lo, mu[i * dim + d]), hi = std::max(hi, mu[i * dim + d]);
        const double width = (double(hi) - double(lo)) / bins;
        std::fill(count.begin(), count.end(), 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double at = width > 0 ? (double(mu[i * dim + d]) - lo) / width : 0.0;
            bin[i] = std::min(std::size_t(bins - 1), std::size_t(at)); // the maximum falls in the last bin
            ++count[bin[i]];
        }
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i)
            sum += w[i] = 1.0 / (double(count[bin[i]]) / double(n) + alpha);
        for (std::size_t i = 0; i < n; ++i)
            weight[i] = std::max(weight[i], w[i] / sum);
    }
    const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
    for (double& v : weight)
        v /= total;
    return weight;
}

std::vector<double> LatentDensity::relativeWeights(const std::vector<float>& mu, std::size_t dim, double alpha)
{
    std::vector<double> weights = debiasWeights(mu, dim, alpha);
    for (double& w : weights)
        w *= double(weights.size());
    return weights;
}

std::string LatentDensity::csv(const std::vector<double>& weights, const std::vector<int>& labels)
{
    std::string text = "index,label,weight\n";
    for (std::size_t i = 0; i < weights.size(); ++i)
        text += std::to_string(i) + "," + (i < labels.size() ? std::to_string(labels[i]) : std::string()) + ","
                + std::to_string(weights[i]) + "\n";
    return text;
}

std::vector<std::size_t> LatentDensity::rarest(const std::vector<double>& weights, std::size_t count)
{
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    count = std::min(count, order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(count), order.end(),
                      [&](std::size_t a, std::size_t b) { return weights[a] > weights[b] || (weights[a] == weights[b] && a < b); });
    order.resize(count);
    return order;
}

} // namespace latentlab
