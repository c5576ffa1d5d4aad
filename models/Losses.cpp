#include "models/detail/Losses.h"

#include <cmath>

#include <torch/nn/functional/loss.h>

namespace latentlab {

namespace F = torch::nn::functional;

torch::Tensor Losses::reconstruction(Likelihood likelihood, const torch::Tensor& logits, const torch::Tensor& x,
                                     bool perImage)
{
    const std::int64_t pixels = x[0].numel();
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
