#include "models/VaeNetwork.h"

#include "models/ConvVae.h"
#include "models/MlpVae.h"

namespace latentlab {

torch::Tensor VaeNetwork::withCondition(const torch::Tensor& features, const torch::Tensor& labels, int classes)
{
    if (classes == 0)
        return features;
    TORCH_CHECK(labels.defined() && labels.size(0) == features.size(0),
                "a conditional model needs one label per image");
    return torch::cat({features, torch::one_hot(labels.to(torch::kLong), classes).to(features.dtype())}, 1);
}

std::shared_ptr<VaeNetwork> makeNetwork(const ModelConfig& config)
{
    config.validate();
    if (config.architecture == Architecture::Conv)
        return std::make_shared<ConvVae>(config);
    return std::make_shared<MlpVae>(config);
}

} // namespace latentlab
