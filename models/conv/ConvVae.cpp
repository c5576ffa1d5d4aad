#include "models/conv/ConvVae.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>

#include "core/base/Error.h"
#include "models/ModelRegistry.h"
#include "models/detail/ScriptSource.h"

namespace latentlab {

namespace {

// Stride-2 convolutions for an image side: 28 -> 2 (7x7), 32 -> 3 and 64 -> 4 (4x4).
int layerCount(int side)
{
    switch (side) {
    case 28: return 2;
    case 32: return 3;
    case 64: return 4;
    default: return 0;
    }
}

} // namespace

std::vector<int> ConvVae::defaultHidden(const ModelConfig& c)
{
    std::vector<int> channels;
    for (int i = 0, n = 32; i < layerCount(c.height); ++i, n *= 2)
        channels.push_back(n);
    return channels;
}

void ConvVae::validate(const ModelConfig& c)
{
    if (c.height != c.width || layerCount(c.height) == 0)
        throw Error("the convolutional VAE takes square images of 28, 32 or 64 px, got " + std::to_string(c.width)
                    + "x" + std::to_string(c.height));
    if (!c.hidden.empty() && int(c.hidden.size()) != layerCount(c.height))
        throw Error("the convolutional VAE for " + std::to_string(c.height) + " px needs "
                    + std::to_string(layerCount(c.height)) + " channel counts, got " + std::to_string(c.hidden.size()));
}

// Mirrors the constructor: 4x4 convolutions (in x out x 16 weights, out biases)
// and the linear heads around the flattened top feature map.
std::uint64_t ConvVae::parameterCount(const ModelConfig& config)
{
    const std::vector<int> channels = ModelRegistry::effectiveHidden(config);
    const std::uint64_t side = std::uint64_t(config.height) >> channels.size();
    const std::uint64_t flat = std::uint64_t(channels.back()) * side * side;
    const std::uint64_t latent = std::uint64_t(config.latentDim), classes = std::uint64_t(config.conditionClasses);
    std::uint64_t count = 0, in = std::uint64_t(config.inputChannels());
    for (int c : channels)
        count += in * std::uint64_t(c) * 16 + std::uint64_t(c), in = std::uint64_t(c);
    count += ((flat + classes) * latent + latent) * (config.variational ? 2 : 1);
    count += (latent + classes) * flat + flat;
    for (std::size_t i = channels.size(); i-- > 0;) {
        const std::uint64_t out = std::uint64_t(i > 0 ? channels[i - 1] : config.channels);
        count += std::uint64_t(channels[i]) * out * 16 + out;
    }
    return count;
}

// The forward passes below (unconditional networks): 4 x 4 convolutions of stride 2 and
// padding 1, each followed by a ReLU but the last transposed one.
std::string ConvVae::torchScript(const ModelConfig& config)
{
    const std::vector<int> channels = ModelRegistry::effectiveHidden(config);
    const int side = config.height >> channels.size();
    std::string s = "def encode(self, x: Tensor) -> Tuple[Tensor, Tensor]:\n"
                    "    h = x\n";
    for (std::size_t i = 0; i < channels.size(); ++i) {
        const std::string l = "encoder_" + std::to_string(2 * i);
        s += "    h = torch.relu(torch.conv2d(h, self." + l + "_weight, self." + l + "_bias, [2, 2], [1, 1]))\n";
    }
    s += "    h = h.flatten(1)\n" + ScriptSource::encodeHeads() + "def decode(self, z: Tensor) -> Tensor:\n"
         "    h = torch.relu(torch.linear(z, self.decoder_input_weight, self.decoder_input_bias)).view(z.size(0), "
         + std::to_string(channels.back()) + ", " + std::to_string(side) + ", " + std::to_string(side) + ")\n";
    for (std::size_t i = channels.size(), index = 0; i-- > 0;) {
        const std::string l = "decoder_" + std::to_string(index);
        const std::string up = "torch.conv_transpose2d(h, self." + l + "_weight, self." + l + "_bias, [2, 2], [1, 1])";
        s += "    h = " + (i > 0 ? "torch.relu(" + up + ")" : up) + "\n";
        index += i > 0 ? 2 : 1;
    }
    return s + "    return torch.sigmoid(h)\n";
}

std::shared_ptr<VaeNetwork> ConvVae::build(const ModelConfig& config)
{
    return std::make_shared<ConvVae>(config);
}

ConvVae::ConvVae(const ModelConfig& config) : config_(config)
{
    const std::vector<int> channels = ModelRegistry::effectiveHidden(config);
    baseSide_ = config.height >> channels.size();
    topChannels_ = channels.back();
    const int flat = topChannels_ * baseSide_ * baseSide_;

    encoderBody_ = torch::nn::Sequential();
    int in = config.inputChannels();
    for (int c : channels) {
        encoderBody_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, c, 4).stride(2).padding(1)));
        encoderBody_->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
        in = c;
    }
    muHead_ = torch::nn::Linear(flat + config.conditionClasses, config.latentDim);
    if (config.variational)
        logvarHead_ = torch::nn::Linear(flat + config.conditionClasses, config.latentDim);

    decoderInput_ = torch::nn::Linear(config.latentDim + config.conditionClasses, flat);
    decoderBody_ = torch::nn::Sequential();
    for (int i = int(channels.size()) - 1; i >= 0; --i) {
        const int out = i > 0 ? channels[i - 1] : config.channels;
        decoderBody_->push_back(torch::nn::ConvTranspose2d(
            torch::nn::ConvTranspose2dOptions(channels[i], out, 4).stride(2).padding(1)));
        if (i > 0)
            decoderBody_->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
    }

    register_module("encoder", encoderBody_);
    register_module("mu", muHead_);
    if (config.variational)
        register_module("logvar", logvarHead_);
    register_module("decoder_input", decoderInput_);
    register_module("decoder", decoderBody_);
}

VaeNetwork::Encoding ConvVae::encode(const torch::Tensor& x, const torch::Tensor& labels)
{
    const torch::Tensor h = withCondition(encoderBody_->forward(x).flatten(1), labels, config_.conditionClasses);
    return {muHead_->forward(h), config_.variational ? logvarHead_->forward(h) : torch::Tensor()};
}

torch::Tensor ConvVae::decodeLogits(const torch::Tensor& z, const torch::Tensor& labels)
{
    const torch::Tensor h = torch::relu(decoderInput_->forward(withCondition(z, labels, config_.conditionClasses)))
                                .view({z.size(0), topChannels_, baseSide_, baseSide_});
    return decoderBody_->forward(h);
}

} // namespace latentlab
