#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "models/VaeNetwork.h"

namespace latentlab {

// Convolutional VAE for square 28, 32 or 64 px images, grey or RGB: stride-2
// 4x4 convolutions down to a 7x7 or 4x4 map, transposed convolutions back up.
class ConvVae : public VaeNetwork {
public:
    explicit ConvVae(const ModelConfig& config);
    // For its row of the registry.
    static std::vector<int> defaultHidden(const ModelConfig& config);
    static void validate(const ModelConfig& config);
    static std::uint64_t parameterCount(const ModelConfig& config);
    static std::shared_ptr<VaeNetwork> build(const ModelConfig& config);
    static std::string torchScript(const ModelConfig& config);

    Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) override;
    torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) override;

private:
    ModelConfig config_;
    int baseSide_ = 0;      // side of the smallest feature map
    int topChannels_ = 0;   // channels of the smallest feature map
    torch::nn::Sequential encoderBody_{nullptr};
    torch::nn::Linear muHead_{nullptr};
    torch::nn::Linear logvarHead_{nullptr};
    torch::nn::Linear decoderInput_{nullptr};
    torch::nn::Sequential decoderBody_{nullptr};
};

} // namespace latentlab
