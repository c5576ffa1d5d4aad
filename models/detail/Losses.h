#pragma once
// The VAE objective's parts, shared by the networks, training and evaluation. Torch:
// private to models/ and core/ sources (never a public header).
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include "core/base/ModelConfig.h"
#include "models/VaeNetwork.h"

namespace latentlab {

class Losses {
public:
    // -log p(x|z) summed over pixels: per image [N] or, when `perImage` is false, summed
    // over the batch (one scalar; the fast path used in training). Includes the
    // likelihood's normalising constant (zero for Bernoulli), so that it is a true NLL:
    // Gaussian with variance 1/2 (squared error), Laplace with scale 1 (absolute error).
    // Ssim (not a likelihood): reconWeight * (1 - SSIM) * the image's value count.
    static torch::Tensor reconstruction(const ModelConfig& config, const torch::Tensor& logits, const torch::Tensor& x,
                                        bool perImage);
    // The mean structural similarity (Wang et al. 2004) of each pair of images [N, C, H, W]
    // with values in [0, 1], per image [N]: an 11 x 11 Gaussian window of sigma 1.5 (as
    // wide as the image allows on smaller ones) over the positions where it fits whole,
    // C1 = 0.01^2 and C2 = 0.03^2, the channels averaged. Differentiable.
    static torch::Tensor ssim(const torch::Tensor& a, const torch::Tensor& b);
    // KL(q(z|x) || N(0, I)), per image [N] or summed over the batch.
    static torch::Tensor kl(const VaeNetwork::Encoding& q, bool perImage);
    // z = mu + sigma * eps (the reparameterisation trick); mu for a plain autoencoder.
    // eps comes from `generator` (a CPU one, so that runs repeat on any device).
    static torch::Tensor sample(const VaeNetwork::Encoding& q, at::Generator& generator);
    // Standard normal noise of `sizes` from `generator`, on `like`'s device and dtype.
    static torch::Tensor normal(at::IntArrayRef sizes, at::Generator& generator, const torch::Tensor& like);
};

} // namespace latentlab
