#include "models/VaeNetwork.h"

#include <cmath>

#include <torch/csrc/autograd/autograd.h>

#include "models/ModelRegistry.h"
#include "models/detail/Losses.h"

namespace latentlab {

torch::Tensor VaeNetwork::withCondition(const torch::Tensor& features, const torch::Tensor& labels, int classes)
{
    if (classes == 0)
        return features;
    TORCH_CHECK(labels.defined() && labels.size(0) == features.size(0),
                "a conditional model needs one label per image");
    return torch::cat({features, torch::one_hot(labels.to(torch::kLong), classes).to(features.dtype())}, 1);
}

VaeNetwork::Objective VaeNetwork::objective(const torch::Tensor& input, const torch::Tensor& target,
                                            const torch::Tensor& labels, const ModelConfig& config,
                                            at::Generator& generator)
{
    const Encoding q = encode(input, labels);
    const torch::Tensor z = Losses::sample(q, generator);
    const torch::Tensor recon = Losses::reconstruction(config, decodeLogits(z, labels), target, false);
    const torch::Tensor divergence = kl(q, false);
    return {recon + config.beta * divergence, {recon, divergence}};
}

void VaeNetwork::setPartGradients(const std::vector<Objective::Part>& parts, const std::vector<torch::Tensor>& all)
{
    for (const torch::Tensor& p : all)
        p.mutable_grad() = torch::Tensor();
    for (const Objective::Part& part : parts) {
        if (!part.step)
            continue;
        const std::vector<torch::Tensor> grads =
            torch::autograd::grad({part.loss}, part.parameters, {}, /*retain_graph=*/true, false, /*allow_unused=*/true);
        for (std::size_t i = 0; i < grads.size(); ++i)
            part.parameters[i].mutable_grad() = grads[i];
    }
}

torch::Tensor VaeNetwork::kl(const Encoding& q, bool perImage)
{
    return Losses::kl(q, perImage);
}

torch::Tensor VaeNetwork::logPrior(const torch::Tensor& z)
{
    return -0.5 * (z.square() + std::log(2.0 * M_PI)).sum(-1);
}

std::shared_ptr<VaeNetwork> makeNetwork(const ModelConfig& config)
{
    ModelRegistry::validate(config);
    return ModelRegistry::find(config.architecture).build(config);
}

} // namespace latentlab
