#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "models/conv/ConvVae.h"
#include "models/vaegan/GanBalance.h"

namespace latentlab {

// VAE-GAN (Larsen et al. 2015): the convolutional VAE and a discriminator D beside it.
// The reconstruction is measured on D's last convolutional features (a Gaussian, the
// "learned similarity") instead of pixels; D tells data from reconstructions and from
// prior samples. Three parts train on losses of their own (Objective::parts; one Adam,
// whose per-parameter state makes it three in effect): the encoder on beta * KL + the feature error, the decoder on reconWeight x the
// feature error + the GAN loss (non-saturating), D on the GAN loss; the encoder gets no
// GAN gradient. Larsen's balancing skips D's update when it is too good and the
// decoder's when D is too bad. With classes, D also takes the one-hot (a CVAE-GAN).
class VaeGan : public VaeNetwork {
public:
    explicit VaeGan(const ModelConfig& config);
    static void validate(const ModelConfig& config);
    static std::uint64_t parameterCount(const ModelConfig& config);
    static std::shared_ptr<VaeNetwork> build(const ModelConfig& config);
    // The conv VAE's encode and decode over this family's parameter names (its VAE is the
    // submodule "vae"): the export holds the discriminator too, unused by the script.
    static std::string torchScript(const ModelConfig& config);

    Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) override;
    torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) override;
    // Terms (ModelFamily::lossTerms): feature error, KL, discriminator, GAN (the decoder's).
    Objective objective(const torch::Tensor& input, const torch::Tensor& target, const torch::Tensor& labels,
                        const ModelConfig& config, at::Generator& generator) override;
    double adamBeta1() const override { return 0.5; } // as DCGAN: momentum destabilises the game

    // D's layer-l features [N, F] and its logit [N] for images [N, C, H, W].
    std::pair<torch::Tensor, torch::Tensor> discriminate(const torch::Tensor& x, const torch::Tensor& labels);
    std::vector<torch::Tensor> encoderParameters() const;
    std::vector<torch::Tensor> decoderParameters() const;
    std::vector<torch::Tensor> discriminatorParameters() const;

    static constexpr double kDefaultReconWeight = 0.01; // Larsen's recon_vs_gan_weight
    static constexpr double kDefaultLearningRate = 3e-4;  // Larsen's

private:
    ModelConfig config_;
    std::shared_ptr<ConvVae> vae_;
    torch::nn::Sequential discriminatorBody_{nullptr};
    torch::nn::Linear discriminatorHead_{nullptr};
    GanBalance balance_;
};

} // namespace latentlab
