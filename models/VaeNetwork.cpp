#include "models/VaeNetwork.h"

#include "models/ConvVae.h"
#include "models/MlpVae.h"

namespace latentlab {

std::shared_ptr<VaeNetwork> makeNetwork(const ModelConfig& config)
{
    config.validate();
    if (config.architecture == Architecture::Conv)
        return std::make_shared<ConvVae>(config);
    return std::make_shared<MlpVae>(config);
}

} // namespace latentlab
