#pragma once
// Draws a debiased epoch: image indices with replacement, each with its weight (DB-VAE).
// Torch: for core's sources and the tests only.
#include <vector>

#include <ATen/core/Generator.h>
#include <torch/types.h>

namespace latentlab {

class DebiasSampler {
public:
    // `count` indices into `weights` (non-negative, not all 0), int64 on the CPU, drawn
    // with replacement from `generator`: index i with probability weights[i] / sum.
    static torch::Tensor draw(const std::vector<double>& weights, std::int64_t count, at::Generator& generator);
};

} // namespace latentlab
