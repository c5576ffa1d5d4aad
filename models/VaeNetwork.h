#pragma once
// The one interface every model family's network implements (pytorch/examples style
// modules). Includes torch: include only from .cpp files in core/ and models/.
#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>

#include "core/base/ModelConfig.h"

namespace latentlab {

class VaeNetwork : public torch::nn::Module {
public:
    struct Encoding {
        torch::Tensor mu;
        torch::Tensor logvar; // undefined for a deterministic autoencoder
    };

    // x: [N, C, H, W] floats in [0, 1]; labels: [N] int64 class indices, used (and
    // required) by conditional networks only.
    virtual Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) = 0;
    // z: [N, latent]. Returns logits [N, C, H, W]; sigmoid gives the mean image.
    virtual torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) = 0;

    // What training minimises for one batch, with the family's named terms
    // (ModelFamily::lossTerms), each summed over the batch.
    struct Objective {
        torch::Tensor loss;
        std::vector<torch::Tensor> terms;
        // A family whose parts train on losses of their own (the VAE-GAN's encoder, decoder
        // and discriminator) lists them: each part's parameters follow the gradient of its
        // own loss only, and a part with step = false stays as it is this batch. Empty:
        // every parameter follows the gradient of `loss`.
        struct Part {
            torch::Tensor loss;
            std::vector<torch::Tensor> parameters;
            bool step = true;
        };
        std::vector<Part> parts;
        // Set when the family sees training fail in a way no NaN shows (its discriminator
        // has won outright): training stops and keeps the last good epoch, as on a NaN.
        std::string failure;
    };
    // The default: reconstruction + beta * KL against N(0, I), z sampled once. `input`
    // is what the encoder sees, `target` what the decoder should give (the same tensor
    // unless the input was corrupted: a denoising autoencoder). Random draws come from
    // `generator` only.
    virtual Objective objective(const torch::Tensor& input, const torch::Tensor& target, const torch::Tensor& labels,
                                const ModelConfig& config, at::Generator& generator);
    // KL(q(z|x) || p(z)), per image [N] or summed over the batch; p(z) = N(0, I) unless
    // the family has its own prior.
    virtual torch::Tensor kl(const Encoding& q, bool perImage);
    // log p(z) summed over the last dimension of z ([..., latent] -> [...]).
    virtual torch::Tensor logPrior(const torch::Tensor& z);
    // A copy with weights of its own, for a network that its config cannot rebuild (one
    // opened from a TorchScript file); nullptr for the rest, which Model::clone rebuilds
    // from the config and copies the weights into.
    virtual std::shared_ptr<VaeNetwork> copy() const { return nullptr; }
    // Each part's parameters get the gradient of its own loss; the parameters of a part
    // that does not step keep none (nor do any others of `all`), so that Adam leaves them
    // and their moments as they are.
    static void setPartGradients(const std::vector<Objective::Part>& parts, const std::vector<torch::Tensor>& all);
    // Adam's first-moment decay for this family (0.9 unless a game needs less momentum).
    virtual double adamBeta1() const { return 0.9; }

protected:
    // `features` with the labels' one-hot appended when the network is conditional.
    static torch::Tensor withCondition(const torch::Tensor& features, const torch::Tensor& labels, int classes);
};

// Builds the network a config describes (its family's row), with freshly initialised
// weights (seed torch's generator first for reproducible weights).
std::shared_ptr<VaeNetwork> makeNetwork(const ModelConfig& config);

} // namespace latentlab
