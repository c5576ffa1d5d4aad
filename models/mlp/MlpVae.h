#pragma once
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

#include "models/VaeNetwork.h"

namespace latentlab {

// The fully connected VAE of pytorch/examples (784-400-20 by default),
// with any number of hidden layers of any width.
class MlpVae : public VaeNetwork {
public:
    explicit MlpVae(const ModelConfig& config);
    // For its row of the registry.
    static std::vector<int> defaultHidden(const ModelConfig& config);
    static std::uint64_t parameterCount(const ModelConfig& config);
    static std::shared_ptr<VaeNetwork> build(const ModelConfig& config);
    static std::string torchScript(const ModelConfig& config);

    Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) override;
    torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) override;

private:
    ModelConfig config_;
    torch::nn::Sequential encoderBody_{nullptr};
    torch::nn::Linear muHead_{nullptr};
    torch::nn::Linear logvarHead_{nullptr};
    torch::nn::Sequential decoder_{nullptr};
};

} // namespace latentlab
