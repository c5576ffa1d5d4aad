#pragma once
// Model's insides, for core's own sources only: includes torch.
#include <optional>

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include "core/data/Dataset.h"
#include "core/base/Error.h"
#include "core/model/Model.h"
#include "models/VaeNetwork.h"

namespace latentlab {

// Adam's moments per parameter (in network->parameters() order) and its step count:
// what continued training needs to pick up where it stopped. Kept on the CPU.
struct OptimizerState {
    std::int64_t step = 0;
    std::vector<torch::Tensor> expAvg;
    std::vector<torch::Tensor> expAvgSq;
};

struct Model::Impl {
    ModelConfig config;
    ModelInfo info;
    std::shared_ptr<VaeNetwork> network;
    torch::Device device = torch::kCPU;
    std::optional<OptimizerState> optimizer; // after training; saved in the model file
};

// A CPU generator of one's own: training and evaluation draw from these, never from
// torch's process-wide one, so that nothing else in the process disturbs their numbers.
at::Generator makeGenerator(std::uint64_t seed);

// All images of a data set as one uint8 tensor [N, C, H, W] sharing its memory
// (the data set must outlive it).
inline torch::Tensor datasetTensor(const Dataset& data)
{
    const ImageShape s = data.shape();
    return torch::from_blob(const_cast<std::uint8_t*>(data.pixels().data()),
                            {std::int64_t(data.size()), s.channels, s.height, s.width}, torch::kUInt8);
}

// A data set's labels as int64 on `device` for a conditional model; undefined otherwise.
inline torch::Tensor conditionLabels(const ModelConfig& config, const Dataset& data, torch::Device device)
{
    if (config.conditionClasses == 0)
        return {};
    if (!data.hasLabels())
        throw Error(data.name() + ": a conditional model needs labelled images");
    std::vector<std::int64_t> labels(data.labels().begin(), data.labels().end());
    for (std::int64_t label : labels)
        if (label < 0 || label >= config.conditionClasses)
            throw Error(data.name() + ": label " + std::to_string(label) + " is outside the model's "
                        + std::to_string(config.conditionClasses) + " classes");
    return torch::tensor(labels, torch::kLong).to(device);
}

// Rows [start, end) of labels, or undefined for an unconditional model.
inline torch::Tensor sliceLabels(const torch::Tensor& labels, std::int64_t start, std::int64_t end)
{
    return labels.defined() ? labels.slice(0, start, end) : torch::Tensor();
}

// uint8 images to floats in [0, 1] on `device`.
inline torch::Tensor toFloatImages(const torch::Tensor& bytes, torch::Device device)
{
    return bytes.to(device, torch::kFloat).div_(255.0f);
}

} // namespace latentlab
