#include "models/rvae/RotationVae.h"

#include <cmath>
#include <cstdio>

#include <torch/nn/functional/vision.h>
#include <torch/nn/modules/activation.h>

#include "core/base/Error.h"
#include "models/detail/Losses.h"
#include "models/detail/ScriptSource.h"

namespace latentlab {

namespace F = torch::nn::functional;

std::vector<int> RotationVae::defaultHidden(const ModelConfig&)
{
    return {128, 128};
}

void RotationVae::validate(const ModelConfig& config)
{
    if (config.latentDim <= kPoseSize)
        throw Error("the rotation-invariant VAE's code is an angle, a shift (dx, dy) and a content part: it needs a latent "
                    "size of at least " + std::to_string(kPoseSize + 1) + " (3 + content), not "
                    + std::to_string(config.latentDim));
    if (config.height > kMaxSide || config.width > kMaxSide)
        throw Error("the rotation-invariant VAE evaluates its decoder at every pixel: images of at most "
                    + std::to_string(kMaxSide) + " x " + std::to_string(kMaxSide) + ", not "
                    + std::to_string(config.width) + " x " + std::to_string(config.height));
    if (!config.variational)
        throw Error("the rotation-invariant VAE has no plain-autoencoder baseline: its pose needs the prior");
}

std::vector<LatentPart> RotationVae::latentLayout(const ModelConfig& config)
{
    char angle[64], shift[64];
    std::snprintf(angle, sizeof angle, "N(0, %.3g^2) radians", config.rotationPrior);
    std::snprintf(shift, sizeof shift, "N(0, 1), times %.3g half-widths", config.translationPrior);
    return {{"angle", 1, angle, config.rotationPrior}, {"dx", 1, shift}, {"dy", 1, shift}, {"z", config.latentDim - kPoseSize, "N(0, I)"}};
}

// Mirrors the constructor: a Linear(in, out) holds in x out weights and out biases.
std::uint64_t RotationVae::parameterCount(const ModelConfig& config)
{
    const auto linear = [](std::uint64_t in, std::uint64_t out, bool bias = true) { return in * out + (bias ? out : 0); };
    const std::vector<int> hidden = ModelRegistry::effectiveHidden(config);
    std::uint64_t count = 0, width = std::uint64_t(config.inputPixelCount() + config.conditionClasses);
    for (int h : hidden)
        count += linear(width, std::uint64_t(h)), width = std::uint64_t(h);
    count += 2 * linear(width, std::uint64_t(config.latentDim));
    const auto first = std::uint64_t(hidden.front());
    count += linear(2, first) + linear(std::uint64_t(config.latentDim - kPoseSize + config.conditionClasses), first, false);
    width = first;
    for (int h : hidden)
        count += linear(width, std::uint64_t(h)), width = std::uint64_t(h);
    return count + linear(width, std::uint64_t(config.channels));
}

std::shared_ptr<VaeNetwork> RotationVae::build(const ModelConfig& config)
{
    return std::make_shared<RotationVae>(config);
}

// encode and decodeLogits below (unconditional networks), the decode through a sigmoid.
std::string RotationVae::torchScript(const ModelConfig& config)
{
    const std::size_t layers = ModelRegistry::effectiveHidden(config).size();
    return ScriptSource::denseEncode(layers, "torch.tanh")
           + "def decode(self, z: Tensor) -> Tensor:\n"
             "    n = z.size(0)\n"
             "    phi = z[:, 0]\n"
             "    shift = z[:, 1:3] * " + ScriptSource::number(config.translationPrior) + "\n"
             "    p = self.grid.unsqueeze(0) - shift.unsqueeze(1)\n"
             "    cos_phi = torch.cos(phi).view(n, 1)\n"
             "    sin_phi = torch.sin(phi).view(n, 1)\n"
             "    px = p[:, :, 0]\n"
             "    py = p[:, :, 1]\n"
             "    c = torch.stack([cos_phi * px + sin_phi * py, -sin_phi * px + cos_phi * py], 2)\n"
             "    h = torch.tanh(torch.linear(c, self.coordinates_weight, self.coordinates_bias)"
             " + torch.linear(z[:, 3:], self.content_weight).unsqueeze(1))\n"
             "    h = h.reshape(-1, h.size(2))\n"
           + ScriptSource::linearStack("decoder", layers + 1, layers, "torch.tanh") + "    return torch.sigmoid(h.view(n, "
           + std::to_string(config.height) + ", " + std::to_string(config.width) + ", " + std::to_string(config.channels)
           + ").permute(0, 3, 1, 2))\n";
}

RotationVae::RotationVae(const ModelConfig& config) : config_(config)
{
    const std::vector<int> hidden = ModelRegistry::effectiveHidden(config);
    encoderBody_ = torch::nn::Sequential();
    int width = config.inputPixelCount() + config.conditionClasses;
    for (int h : hidden) {
        encoderBody_->push_back(torch::nn::Linear(width, h));
        encoderBody_->push_back(torch::nn::Tanh());
        width = h;
    }
    muHead_ = torch::nn::Linear(width, config.latentDim);
    logvarHead_ = torch::nn::Linear(width, config.latentDim);

    coordinates_ = torch::nn::Linear(2, hidden.front());
    content_ = torch::nn::Linear(
        torch::nn::LinearOptions(config.latentDim - kPoseSize + config.conditionClasses, hidden.front()).bias(false));
    decoderBody_ = torch::nn::Sequential();
    width = hidden.front();
    for (int h : hidden) {
        decoderBody_->push_back(torch::nn::Linear(width, h));
        decoderBody_->push_back(torch::nn::Tanh());
        width = h;
    }
    decoderBody_->push_back(torch::nn::Linear(width, config.channels));

    register_module("encoder", encoderBody_);
    register_module("mu", muHead_);
    register_module("logvar", logvarHead_);
    register_module("coordinates", coordinates_);
    register_module("content", content_);
    register_module("decoder", decoderBody_);

    // Pixel centres from -1 to 1 across the image, y pointing up (row 0 is y = 1).
    const torch::Tensor xs = torch::linspace(-1, 1, config.width);
    const torch::Tensor ys = torch::linspace(1, -1, config.height);
    const std::vector<torch::Tensor> mesh = torch::meshgrid({ys, xs}, "ij");
    grid_ = register_buffer("grid", torch::stack({mesh[1].reshape(-1), mesh[0].reshape(-1)}, 1));
}

VaeNetwork::Encoding RotationVae::encode(const torch::Tensor& x, const torch::Tensor& labels)
{
    const torch::Tensor h = encoderBody_->forward(withCondition(x.reshape({x.size(0), -1}), labels, config_.conditionClasses));
    return {muHead_->forward(h), logvarHead_->forward(h)};
}

torch::Tensor RotationVae::decodeLogits(const torch::Tensor& z, const torch::Tensor& labels)
{
    const torch::Tensor out = decodeAt(z, labels, grid_.unsqueeze(0)); // [N, H * W, C]
    return out.view({z.size(0), config_.height, config_.width, config_.channels}).permute({0, 3, 1, 2}).contiguous();
}

torch::Tensor RotationVae::decodeAt(const torch::Tensor& z, const torch::Tensor& labels, const torch::Tensor& points)
{
    const std::int64_t n = z.size(0);
    const torch::Tensor phi = z.select(1, 0);
    const torch::Tensor shift = z.slice(1, 1, kPoseSize) * config_.translationPrior;           // [N, 2]
    // c = R(-phi) (p - shift): [N, P, 2].
    const torch::Tensor p = points - shift.unsqueeze(1);
    const torch::Tensor cosPhi = torch::cos(phi).view({n, 1}), sinPhi = torch::sin(phi).view({n, 1});
    const torch::Tensor px = p.select(2, 0), py = p.select(2, 1);
    const torch::Tensor c = torch::stack({cosPhi * px + sinPhi * py, -sinPhi * px + cosPhi * py}, 2);
    const torch::Tensor content = withCondition(z.slice(1, kPoseSize), labels, config_.conditionClasses);
    const torch::Tensor h = torch::tanh(coordinates_->forward(c) + content_->forward(content).unsqueeze(1)); // [N, P, H]
    return decoderBody_->forward(h.reshape({-1, h.size(2)})).view({n, c.size(1), config_.channels});
}

VaeNetwork::Objective RotationVae::objective(const torch::Tensor& input, const torch::Tensor& target,
                                             const torch::Tensor& labels, const ModelConfig& config,
                                             at::Generator& generator)
{
    const Encoding q = encode(input, labels);
    const torch::Tensor z = Losses::sample(q, generator);
    const std::int64_t pixels = std::int64_t(config_.height) * config_.width;
    torch::Tensor recon;
    if (config.pixelSample <= 0 || config.pixelSample >= pixels) {
        recon = Losses::reconstruction(config, decodeLogits(z, labels), target, false);
    } else {
        // Each image's own pixels, drawn without replacement; the sum over them times
        // pixels / sample is an unbiased estimate of the sum over the whole image.
        const std::int64_t n = target.size(0), sample = config.pixelSample;
        const torch::Tensor picked = std::get<1>(torch::rand({n, pixels}, generator).topk(sample, 1, true, false)).to(target.device());
        const torch::Tensor points = grid_.index_select(0, picked.flatten()).view({n, sample, 2});
        const torch::Tensor sampled = target.flatten(2).gather(2, picked.unsqueeze(1).expand({n, target.size(1), sample}));
        const torch::Tensor logits = decodeAt(z, labels, points).permute({0, 2, 1}); // [N, C, sample]
        recon = Losses::reconstruction(config, logits, sampled, false) * (double(pixels) / double(sample));
    }
    const torch::Tensor divergence = kl(q, false);
    torch::Tensor consistency = torch::zeros({}, target.options());
    if (config.angleConsistency > 0) {
        // The same images turned by delta, uniform on a whole turn: their angle latent
        // should be the original's plus delta (any multiple of 2 pi apart).
        const torch::Tensor delta = (torch::rand({input.size(0)}, generator) * 2 - 1).mul(M_PI).to(input.device());
        const torch::Tensor turned = encode(rotated(input, delta), labels).mu.select(1, 0);
        consistency = (1 - torch::cos(turned - q.mu.select(1, 0) - delta)).sum();
    }
    return {recon + config.beta * divergence + config.angleConsistency * consistency, {recon, divergence, consistency}};
}

torch::Tensor RotationVae::rotated(const torch::Tensor& x, const torch::Tensor& delta)
{
    // affine_grid maps each output pixel to where it samples the input, in coordinates
    // with y pointing down: turning the picture by delta counter-clockwise (y up) samples
    // at R(-delta) p, which with y down is [[cos, -sin], [sin, cos]].
    const torch::Tensor c = torch::cos(delta), s = torch::sin(delta), zero = torch::zeros_like(delta);
    const torch::Tensor theta = torch::stack({torch::stack({c, -s, zero}, 1), torch::stack({s, c, zero}, 1)}, 1);
    const torch::Tensor grid = F::affine_grid(theta.to(x.dtype()), x.sizes(), true);
    return F::grid_sample(x, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true));
}

torch::Tensor RotationVae::kl(const Encoding& q, bool perImage)
{
    // KL(N(mu, s^2) || N(0, p^2)) = log(p / s) + (s^2 + mu^2) / (2 p^2) - 1/2, per value.
    const torch::Tensor prior = torch::ones_like(q.mu.slice(1, 0, 1));
    const torch::Tensor p = torch::cat({prior * config_.rotationPrior, torch::ones_like(q.mu.slice(1, 1))}, 1);
    const torch::Tensor terms = torch::log(p) - 0.5 * q.logvar + (q.logvar.exp() + q.mu.square()) / (2 * p.square()) - 0.5;
    return perImage ? terms.sum(1) : terms.sum();
}

torch::Tensor RotationVae::logPrior(const torch::Tensor& z)
{
    const double log2pi = std::log(2.0 * M_PI);
    const torch::Tensor phi = z.narrow(-1, 0, 1) / config_.rotationPrior;
    const torch::Tensor rest = z.narrow(-1, 1, z.size(-1) - 1);
    return -0.5 * ((phi.square() + log2pi).sum(-1) + 2 * std::log(config_.rotationPrior) + (rest.square() + log2pi).sum(-1));
}

} // namespace latentlab
