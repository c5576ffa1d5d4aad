#include "models/vaegan/VaeGan.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>

#include "core/base/Error.h"
#include "models/ModelRegistry.h"
#include "models/detail/Losses.h"

namespace latentlab {

void VaeGan::validate(const ModelConfig& config)
{
    ConvVae::validate(config);
    if (!config.variational)
        throw Error("the VAE-GAN is variational: it has no plain autoencoder (use --arch conv --autoencoder)");
    if (config.corruption.kind != Corruption::Kind::None)
        throw Error("the VAE-GAN trains on clean images: its discriminator compares the input with the output");
}

// The convolutional VAE's count plus D: the same 4x4 stride-2 convolutions as the
// encoder (on the output's channels) and a linear head on the flattened top map.
std::uint64_t VaeGan::parameterCount(const ModelConfig& config)
{
    const std::vector<int> channels = ModelRegistry::effectiveHidden(config);
    const std::uint64_t side = std::uint64_t(config.height) >> channels.size();
    std::uint64_t count = ConvVae::parameterCount(config), in = std::uint64_t(config.channels);
    for (int c : channels)
        count += in * std::uint64_t(c) * 16 + std::uint64_t(c), in = std::uint64_t(c);
    return count + std::uint64_t(channels.back()) * side * side + std::uint64_t(config.conditionClasses) + 1;
}

std::string VaeGan::torchScript(const ModelConfig& config)
{
    std::string script = ConvVae::torchScript(config);
    const std::string from = "self.", to = "self.vae_";
    for (std::size_t at = script.find(from); at != std::string::npos; at = script.find(from, at + to.size()))
        script.replace(at, from.size(), to);
    return script;
}

std::shared_ptr<VaeNetwork> VaeGan::build(const ModelConfig& config)
{
    return std::make_shared<VaeGan>(config);
}

VaeGan::VaeGan(const ModelConfig& config) : config_(config), vae_(std::make_shared<ConvVae>(config))
{
    const std::vector<int> channels = ModelRegistry::effectiveHidden(config);
    const int side = config.height >> channels.size();
    discriminatorBody_ = torch::nn::Sequential();
    int in = config.channels;
    for (int c : channels) {
        discriminatorBody_->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, c, 4).stride(2).padding(1)));
        discriminatorBody_->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2)));
        in = c;
    }
    discriminatorHead_ = torch::nn::Linear(channels.back() * side * side + config.conditionClasses, 1);
    register_module("vae", vae_);
    register_module("discriminator", discriminatorBody_);
    register_module("discriminator_head", discriminatorHead_);
}

VaeNetwork::Encoding VaeGan::encode(const torch::Tensor& x, const torch::Tensor& labels)
{
    return vae_->encode(x, labels);
}

torch::Tensor VaeGan::decodeLogits(const torch::Tensor& z, const torch::Tensor& labels)
{
    return vae_->decodeLogits(z, labels);
}

std::pair<torch::Tensor, torch::Tensor> VaeGan::discriminate(const torch::Tensor& x, const torch::Tensor& labels)
{
    const torch::Tensor features = discriminatorBody_->forward(x).flatten(1);
    const torch::Tensor logit = discriminatorHead_->forward(withCondition(features, labels, config_.conditionClasses));
    return {features, logit.squeeze(1)};
}

std::vector<torch::Tensor> VaeGan::encoderParameters() const
{
    std::vector<torch::Tensor> out;
    for (const auto& p : vae_->named_parameters())
        if (p.key().rfind("decoder", 0) != 0)
            out.push_back(p.value());
    return out;
}

std::vector<torch::Tensor> VaeGan::decoderParameters() const
{
    std::vector<torch::Tensor> out;
    for (const auto& p : vae_->named_parameters())
        if (p.key().rfind("decoder", 0) == 0)
            out.push_back(p.value());
    return out;
}

std::vector<torch::Tensor> VaeGan::discriminatorParameters() const
{
    std::vector<torch::Tensor> out = discriminatorBody_->parameters();
    for (const torch::Tensor& p : discriminatorHead_->parameters())
        out.push_back(p);
    return out;
}

VaeNetwork::Objective VaeGan::objective(const torch::Tensor& input, const torch::Tensor& target,
                                        const torch::Tensor& labels, const ModelConfig& config,
                                        at::Generator& generator)
{
    const std::int64_t n = target.size(0);
    const Encoding q = encode(input, labels);
    const torch::Tensor recon = torch::sigmoid(decodeLogits(Losses::sample(q, generator), labels));
    // Prior samples, of the same classes as the batch.
    const torch::Tensor prior = torch::sigmoid(decodeLogits(Losses::normal(q.mu.sizes(), generator, q.mu), labels));
    const torch::Tensor y = labels.defined() ? labels.repeat({3}) : labels;
    const auto [features, logits] = discriminate(torch::cat({target, recon, prior}, 0), y);
    const std::vector<torch::Tensor> f = features.split(n, 0), l = logits.split(n, 0);

    // The learned similarity: a unit Gaussian on D's features of the data (constant here).
    const torch::Tensor similarity = 0.5 * (f[1] - f[0].detach()).square().sum();
    const torch::Tensor divergence = kl(q, false);
    // D: data is real (1), reconstructions and samples fake (0), the two halves weighted
    // equally (Larsen's real_vs_gen_weight 0.5). softplus(-l) = -log sigmoid(l).
    const torch::Tensor realCost = torch::softplus(-l[0]);
    const torch::Tensor fakeCost = torch::cat({torch::softplus(l[1]), torch::softplus(l[2])});
    const torch::Tensor discriminatorLoss = realCost.sum() + 0.5 * fakeCost.sum();
    // The decoder's (non-saturating) GAN loss: its fakes called real.
    const torch::Tensor ganLoss = torch::softplus(-l[1]).sum() + torch::softplus(-l[2]).sum();

    const GanBalance::Steps steps = balance_.update(realCost.mean().item<double>(), fakeCost.mean().item<double>());
    Objective o;
    const torch::Tensor encoderLoss = config.beta * divergence + similarity;
    const torch::Tensor decoderLoss = config.reconWeight * similarity + ganLoss;
    o.loss = encoderLoss + decoderLoss + discriminatorLoss;
    o.terms = {similarity, divergence, discriminatorLoss, ganLoss};
    o.parts = {{encoderLoss, encoderParameters(), true},
               {decoderLoss, decoderParameters(), steps.decoder},
               {discriminatorLoss, discriminatorParameters(), steps.discriminator}};
    o.failure = balance_.failure();
    return o;
}

} // namespace latentlab
