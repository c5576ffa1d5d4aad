#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "models/ModelRegistry.h"
#include "models/VaeNetwork.h"

namespace latentlab {

// The rotation-invariant VAE (Bepler et al. 2019, spatial-VAE; as AtomAI's rVAE and
// pyroVED's iVAE build it). The code is an angle phi, a shift (dx, dy) and a content
// part z. The decoder is an MLP of one pixel's coordinates and z: the image grid in
// [-1, 1]^2 (x right, y up) is mapped to c = R(-phi) (p - sigma_shift * (dx, dy)), so
// that the decode is the canonical (phi = 0, no shift) image rotated by phi counter-
// clockwise and shifted by sigma_shift * (dx, dy) half-widths, and each pixel's logits
// are MLP(tanh(W c + U z + b)). The encoder is an MLP with tanh, like theirs.
class RotationVae : public VaeNetwork {
public:
    static constexpr int kPoseSize = 3;      // angle (radians), dx, dy: the code's first values
    static constexpr int kMaxSide = 128;     // the decoder runs at every pixel
    // Training defaults, from the cards study (docs/cards-study.md).
    static constexpr int kDefaultPixelSample = 256;
    static constexpr double kDefaultAngleConsistency = 100.0;
    static constexpr int kDefaultBatchSize = 32;
    static constexpr int kDefaultEpochs = 30;
    explicit RotationVae(const ModelConfig& config);
    // For its row of the registry.
    static std::vector<int> defaultHidden(const ModelConfig& config);
    static void validate(const ModelConfig& config);
    static std::vector<LatentPart> latentLayout(const ModelConfig& config);
    static std::uint64_t parameterCount(const ModelConfig& config);
    static std::shared_ptr<VaeNetwork> build(const ModelConfig& config);
    static std::string torchScript(const ModelConfig& config);

    Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) override;
    torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) override;
    // The ELBO (with ModelConfig::pixelSample > 0 its reconstruction term estimated from
    // that many random pixels per image, several times cheaper) plus the angle-
    // consistency term (ModelConfig::angleConsistency).
    Objective objective(const torch::Tensor& input, const torch::Tensor& target, const torch::Tensor& labels,
                        const ModelConfig& config, at::Generator& generator) override;
    // The angle's prior is N(0, rotationPrior^2), the rest N(0, 1).
    torch::Tensor kl(const Encoding& q, bool perImage) override;
    torch::Tensor logPrior(const torch::Tensor& z) override;
    // x [N, C, H, W] turned counter-clockwise by delta [N] radians (bilinear, zeros outside),
    // as the decoder turns its canonical image by the angle latent.
    static torch::Tensor rotated(const torch::Tensor& x, const torch::Tensor& delta);

private:
    // Logits [N, P, C] at `points` ([1 or N, P, 2], image coordinates) of each code.
    torch::Tensor decodeAt(const torch::Tensor& z, const torch::Tensor& labels, const torch::Tensor& points);

    ModelConfig config_;
    torch::Tensor grid_; // [H * W, 2], row-major pixels: (x, y)
    torch::nn::Sequential encoderBody_{nullptr};
    torch::nn::Linear muHead_{nullptr};
    torch::nn::Linear logvarHead_{nullptr};
    torch::nn::Linear coordinates_{nullptr}; // W c + b
    torch::nn::Linear content_{nullptr};     // U z (no bias)
    torch::nn::Sequential decoderBody_{nullptr};
};

} // namespace latentlab
