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
    static torch::Tensor reconstruction(Likelihood likelihood, const torch::Tensor& logits, const torch::Tensor& x,
                                        bool perImage);
    // KL(q(z|x) || N(0, I)), per image [N] or summed over the batch.
    static torch::Tensor kl(const VaeNetwork::Encoding& q, bool perImage);
    // z = mu + sigma * eps (the reparameterisation trick); mu for a plain autoencoder.
    // eps comes from `generator` (a CPU one, so that runs repeat on any device).
    static torch::Tensor sample(const VaeNetwork::Encoding& q, at::Generator& generator);
    // Standard normal noise of `sizes` from `generator`, on `like`'s device and dtype.
    static torch::Tensor normal(at::IntArrayRef sizes, at::Generator& generator, const torch::Tensor& like);
};

} // namespace latentlab
