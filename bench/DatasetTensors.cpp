#include "bench/DatasetTensors.h"

namespace latentlab::DatasetTensors {

torch::Tensor images(const Dataset& data)
{
    const ImageShape s = data.shape();
    return torch::from_blob(const_cast<std::uint8_t*>(data.pixels().data()),
                            {std::int64_t(data.size()), s.channels, s.height, s.width}, torch::kUInt8)
        .to(torch::kFloat)
        .div(255);
}

torch::Tensor attributes(const Dataset& data)
{
    std::vector<float> t(data.attributes().begin(), data.attributes().end());
    for (float& v : t)
        v = v > 0 ? 1.0f : 0.0f;
    return torch::from_blob(t.data(), {std::int64_t(data.size()), std::int64_t(data.attributeNames().size())})
        .clone();
}

torch::Tensor fromPlanar(std::vector<float> planar, const ImageShape& s)
{
    const auto n = std::int64_t(planar.size() / s.pixelCount());
    return torch::from_blob(planar.data(), {n, s.channels, s.height, s.width}).clone();
}

} // namespace latentlab::DatasetTensors
