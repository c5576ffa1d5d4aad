#include "core/detail/DebiasSampler.h"

#include <torch/torch.h>

namespace latentlab {

torch::Tensor DebiasSampler::draw(const std::vector<double>& weights, std::int64_t count, at::Generator& generator)
{
    const torch::Tensor w = torch::tensor(weights, torch::kDouble);
    return torch::multinomial(w, count, /*replacement=*/true, generator);
}

} // namespace latentlab
