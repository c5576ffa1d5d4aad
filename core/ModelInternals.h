#pragma once
// Model's insides, for core's own sources only: includes torch.
#include <torch/types.h>

#include "core/Dataset.h"
#include "core/Model.h"
#include "models/VaeNetwork.h"

namespace latentlab {

struct Model::Impl {
    ModelConfig config;
    ModelInfo info;
    std::shared_ptr<VaeNetwork> network;
    torch::Device device = torch::kCPU;
};

// All images of a data set as one uint8 tensor [N, C, H, W] sharing its memory
// (the data set must outlive it).
inline torch::Tensor datasetTensor(const Dataset& data)
{
    const ImageShape s = data.shape();
    return torch::from_blob(const_cast<std::uint8_t*>(data.pixels().data()),
                            {std::int64_t(data.size()), s.channels, s.height, s.width}, torch::kUInt8);
}

// uint8 images to floats in [0, 1] on `device`.
inline torch::Tensor toFloatImages(const torch::Tensor& bytes, torch::Device device)
{
    return bytes.to(device, torch::kFloat).div_(255.0f);
}

} // namespace latentlab
