#include "models/detail/Losses.h"

#include <algorithm>
#include <cmath>

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/loss.h>

namespace latentlab {

namespace F = torch::nn::functional;

torch::Tensor Losses::reconstruction(const ModelConfig& config, const torch::Tensor& logits, const torch::Tensor& x,
                                     bool perImage)
{
    const Likelihood likelihood = config.likelihood;
    const std::int64_t pixels = x[0].numel();
    if (likelihood == Likelihood::Ssim) {
        const torch::Tensor dissimilarity = (1 - ssim(torch::sigmoid(logits), x)) * (config.reconWeight * double(pixels));
        return perImage ? dissimilarity : dissimilarity.sum();
    }
    if (likelihood == Likelihood::Bernoulli) {
        if (!perImage) // fused and stable: no sigmoid then log
            return F::binary_cross_entropy_with_logits(logits, x,
                                                       F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum));
        return F::binary_cross_entropy_with_logits(logits, x,
                                                   F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone))
            .flatten(1)
            .sum(1);
    }
    const torch::Tensor diff = torch::sigmoid(logits) - x;
    const bool gaussian = likelihood == Likelihood::Gaussian;
    const double constant = gaussian ? 0.5 * std::log(M_PI) : std::log(2.0);
    const torch::Tensor error = gaussian ? diff.square() : diff.abs();
    if (!perImage)
        return error.sum() + constant * double(pixels * x.size(0));
    return error.flatten(1).sum(1) + constant * double(pixels);
}

torch::Tensor Losses::ssim(const torch::Tensor& a, const torch::Tensor& b)
{
    constexpr double kSigma = 1.5, kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;
    const std::int64_t channels = a.size(1);
    std::int64_t size = std::min<std::int64_t>({11, a.size(2), a.size(3)});
    size -= 1 - size % 2; // odd, so that the window has a centre
    torch::Tensor g = torch::arange(size, a.options()) - double(size - 1) / 2;
    g = torch::exp(-g.square() / (2 * kSigma * kSigma));
    g = g / g.sum();
    // Separable: a row pass then a column pass, grouped per channel, over the five maps at once.
    const std::int64_t groups = 5 * channels;
    const torch::Tensor rows = g.view({1, 1, 1, size}).repeat({groups, 1, 1, 1});
    const torch::Tensor columns = g.view({1, 1, size, 1}).repeat({groups, 1, 1, 1});
    const torch::Tensor stacked = torch::cat({a, b, a * a, b * b, a * b}, 1);
    const auto grouped = F::Conv2dFuncOptions().groups(groups);
    const torch::Tensor blurred = F::conv2d(F::conv2d(stacked, rows, grouped), columns, grouped);
    const std::vector<torch::Tensor> m = blurred.chunk(5, 1);
    const torch::Tensor muA2 = m[0].square(), muB2 = m[1].square(), muAB = m[0] * m[1];
    const torch::Tensor varA = m[2] - muA2, varB = m[3] - muB2, cov = m[4] - muAB;
    const torch::Tensor map = ((2 * muAB + kC1) * (2 * cov + kC2)) / ((muA2 + muB2 + kC1) * (varA + varB + kC2));
    return map.flatten(1).mean(1);
}

torch::Tensor Losses::kl(const VaeNetwork::Encoding& q, bool perImage)
{
    if (!q.logvar.defined())
        return perImage ? torch::zeros({q.mu.size(0)}, q.mu.options()) : torch::zeros({}, q.mu.options());
    const torch::Tensor terms = 1 + q.logvar - q.mu.square() - q.logvar.exp();
    return -0.5 * (perImage ? terms.sum(1) : terms.sum());
}

torch::Tensor Losses::normal(at::IntArrayRef sizes, at::Generator& generator, const torch::Tensor& like)
{
    const torch::Tensor eps = torch::randn(sizes, generator, torch::TensorOptions().dtype(like.dtype()));
    return like.is_cpu() ? eps : eps.to(like.device());
}

torch::Tensor Losses::sample(const VaeNetwork::Encoding& q, at::Generator& generator)
{
    if (!q.logvar.defined())
        return q.mu;
    return q.mu + normal(q.mu.sizes(), generator, q.mu) * torch::exp(0.5 * q.logvar);
}

} // namespace latentlab
