#include "core/latent/LatentCodes.h"

#include <algorithm>
#include <cstring>

#include <torch/torch.h>

#include "core/base/Error.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"

namespace latentlab {

std::vector<float> LatentCodes::codeVector(std::size_t index) const
{
    if (index >= count())
        throw Error("code index " + std::to_string(index) + " is out of range (" + std::to_string(count()) + " codes)");
    return std::vector<float>(code(index), code(index) + dim);
}

std::vector<std::pair<std::size_t, double>> LatentCodes::nearest(const float* z, std::size_t k,
                                                                 std::size_t exclude) const
{
    std::vector<std::pair<std::size_t, double>> all;
    all.reserve(count());
    for (std::size_t i = 0; i < count(); ++i) {
        if (i == exclude)
            continue;
        const float* c = code(i);
        double d2 = 0;
        for (int j = 0; j < dim; ++j)
            d2 += double(c[j] - z[j]) * double(c[j] - z[j]);
        all.emplace_back(i, d2);
    }
    k = std::min(k, all.size());
    std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(k), all.end(),
                      [](const auto& a, const auto& b) { return a.second < b.second; });
    all.resize(k);
    for (auto& entry : all)
        entry.second = std::sqrt(entry.second);
    return all;
}

LatentCodes LatentCodes::encode(const Model& model, const Dataset& data,
                                const std::function<void(std::size_t, std::size_t)>& progress)
{
    const ModelConfig& c = model.config();
    if (data.shape() != ImageShape{c.channels, c.height, c.width})
        throw Error(data.name() + ": images are " + std::to_string(data.shape().width) + "x"
                    + std::to_string(data.shape().height) + "x" + std::to_string(data.shape().channels)
                    + " but the model takes " + std::to_string(c.width) + "x" + std::to_string(c.height) + "x"
                    + std::to_string(c.channels));
    LatentCodes codes;
    codes.dim = c.latentDim;
    codes.labels = data.labels();
    codes.classNames = data.classNames();
    codes.mu.resize(data.size() * std::size_t(c.latentDim));
    if (c.variational)
        codes.logvar.resize(codes.mu.size());

    torch::InferenceMode inference;
    const Model::Impl& m = model.impl();
    const torch::Tensor all = datasetTensor(data);
    const torch::Tensor labels = conditionLabels(c, data, m.device);
    constexpr std::int64_t kBatch = 2048; // large enough for BLAS, small enough for cache
    for (std::int64_t start = 0; start < all.size(0); start += kBatch) {
        const VaeNetwork::Encoding q = m.network->encode(
            InputCorruption::encoderInput(toFloatImages(all.slice(0, start, start + kBatch), m.device), c.corruption),
            sliceLabels(labels, start, start + kBatch));
        const std::size_t offset = std::size_t(start) * std::size_t(c.latentDim);
        const torch::Tensor mu = q.mu.to(torch::kCPU).contiguous();
        std::memcpy(codes.mu.data() + offset, mu.data_ptr<float>(), std::size_t(mu.numel()) * sizeof(float));
        if (c.variational) {
            const torch::Tensor logvar = q.logvar.to(torch::kCPU).contiguous();
            std::memcpy(codes.logvar.data() + offset, logvar.data_ptr<float>(),
                        std::size_t(logvar.numel()) * sizeof(float));
        }
        if (progress)
            progress(std::size_t(std::min(start + kBatch, all.size(0))), data.size());
    }
    return codes;
}

} // namespace latentlab
