#pragma once
// A data set's images and labels as tensors, for the benches' own classifiers.
#include <torch/torch.h>

#include "core/data/Dataset.h"

namespace latentlab::DatasetTensors {

// [N, C, H, W] floats in [0, 1].
torch::Tensor images(const Dataset& data);
// [N, attributes] floats: 1 where the attribute is present, else 0.
torch::Tensor attributes(const Dataset& data);
// Planar floats (count x C x H x W, as Model::decode gives them) as [N, C, H, W].
torch::Tensor fromPlanar(std::vector<float> planar, const ImageShape& shape);

} // namespace latentlab::DatasetTensors
