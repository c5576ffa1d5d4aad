#include "models/mlp/MlpVae.h"

#include <torch/nn/modules/activation.h>

#include "models/ModelRegistry.h"
#include "models/detail/ScriptSource.h"

namespace latentlab {

std::vector<int> MlpVae::defaultHidden(const ModelConfig&)
{
    return {400};
}

// Mirrors the constructor: a Linear(in, out) holds in x out weights and out biases.
// Every factor is bounded by ModelConfig::validate, so no sum here can overflow.
std::uint64_t MlpVae::parameterCount(const ModelConfig& config)
{
    const auto linear = [](std::uint64_t in, std::uint64_t out) { return in * out + out; };
    const std::vector<int> hidden = ModelRegistry::effectiveHidden(config);
    std::uint64_t count = 0, width = std::uint64_t(config.inputPixelCount() + config.conditionClasses);
    for (int h : hidden)
        count += linear(width, std::uint64_t(h)), width = std::uint64_t(h);
    count += linear(width, std::uint64_t(config.latentDim)) * (config.variational ? 2 : 1);
    width = std::uint64_t(config.latentDim + config.conditionClasses);
    for (auto it = hidden.rbegin(); it != hidden.rend(); ++it)
        count += linear(width, std::uint64_t(*it)), width = std::uint64_t(*it);
    return count + linear(width, std::uint64_t(config.pixelCount()));
}

// The forward passes below, layer by layer (unconditional networks; Sequential's layers
// are at even indices, their ReLUs between).
std::string MlpVae::torchScript(const ModelConfig& config)
{
    const std::size_t layers = ModelRegistry::effectiveHidden(config).size();
    return ScriptSource::denseEncode(layers, "torch.relu")
           + "def decode(self, z: Tensor) -> Tensor:\n"
             "    h = z\n"
           + ScriptSource::linearStack("decoder", layers + 1, layers, "torch.relu") + "    return torch.sigmoid(h).view(z.size(0), "
           + std::to_string(config.channels) + ", " + std::to_string(config.height) + ", " + std::to_string(config.width) + ")\n";
}

std::shared_ptr<VaeNetwork> MlpVae::build(const ModelConfig& config)
{
    return std::make_shared<MlpVae>(config);
}

MlpVae::MlpVae(const ModelConfig& config) : config_(config)
{
    const std::vector<int> hidden = ModelRegistry::effectiveHidden(config);
    encoderBody_ = torch::nn::Sequential();
    int width = config.inputPixelCount() + config.conditionClasses;
    for (int h : hidden) {
        encoderBody_->push_back(torch::nn::Linear(width, h));
        encoderBody_->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
        width = h;
    }
    muHead_ = torch::nn::Linear(width, config.latentDim);
    if (config.variational)
        logvarHead_ = torch::nn::Linear(width, config.latentDim);

    decoder_ = torch::nn::Sequential();
    width = config.latentDim + config.conditionClasses;
    for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
        decoder_->push_back(torch::nn::Linear(width, *it));
        decoder_->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
        width = *it;
    }
    decoder_->push_back(torch::nn::Linear(width, config.pixelCount()));

    register_module("encoder", encoderBody_);
    register_module("mu", muHead_);
    if (config.variational)
        register_module("logvar", logvarHead_);
    register_module("decoder", decoder_);
}

VaeNetwork::Encoding MlpVae::encode(const torch::Tensor& x, const torch::Tensor& labels)
{
    const torch::Tensor h = encoderBody_->forward(withCondition(x.reshape({x.size(0), -1}), labels, config_.conditionClasses));
    return {muHead_->forward(h), config_.variational ? logvarHead_->forward(h) : torch::Tensor()};
}

torch::Tensor MlpVae::decodeLogits(const torch::Tensor& z, const torch::Tensor& labels)
{
    return decoder_->forward(withCondition(z, labels, config_.conditionClasses)).view({z.size(0), config_.channels, config_.height, config_.width});
}

} // namespace latentlab
