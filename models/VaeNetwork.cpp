#include "models/VaeNetwork.h"

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

VaeNetwork::Objective VaeNetwork::objective(const torch::Tensor& x, const torch::Tensor& labels,
                                            const ModelConfig& config, at::Generator& generator)
{
    const Encoding q = encode(x, labels);
    const torch::Tensor z = Losses::sample(q, generator);
    const torch::Tensor recon = Losses::reconstruction(config.likelihood, decodeLogits(z, labels), x, false);
    const torch::Tensor kl = Losses::kl(q, false);
    return {recon + config.beta * kl, {recon, kl}};
}

std::shared_ptr<VaeNetwork> makeNetwork(const ModelConfig& config)
{
    ModelRegistry::validate(config);
    return ModelRegistry::find(config.architecture).build(config);
}

} // namespace latentlab
