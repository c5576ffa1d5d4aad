#include "core/detail/InputCorruption.h"

#include <torch/torch.h>

namespace latentlab {

torch::Tensor InputCorruption::encoderInput(const torch::Tensor& x, const Corruption& corruption)
{
    if (corruption.kind != Corruption::Kind::Grey || x.size(1) != 3)
        return x;
    return x.select(1, 0).unsqueeze(1) * 0.299 + x.select(1, 1).unsqueeze(1) * 0.587 + x.select(1, 2).unsqueeze(1) * 0.114;
}

torch::Tensor InputCorruption::apply(const torch::Tensor& x, const Corruption& corruption, at::Generator& generator)
{
    if (!corruption.random())
        return encoderInput(x, corruption);
    const auto cpu = torch::TensorOptions().dtype(x.dtype());
    // One draw per pixel, shared by its channels: [N, 1, H, W].
    const auto perPixel = [&] { return torch::rand({x.size(0), 1, x.size(2), x.size(3)}, generator, cpu).to(x.device()); };
    switch (corruption.kind) {
    case Corruption::Kind::Mask:
        return x * (perPixel() >= corruption.amount).to(x.dtype());
    case Corruption::Kind::Gaussian:
        return (x + torch::randn(x.sizes(), generator, cpu).to(x.device()) * corruption.amount).clamp(0, 1);
    case Corruption::Kind::SaltAndPepper: {
        // u < amount / 2: pepper (0); amount / 2 <= u < amount: salt (1); the rest kept.
        const torch::Tensor u = perPixel();
        const torch::Tensor pepper = u < corruption.amount / 2, salt = (u >= corruption.amount / 2) & (u < corruption.amount);
        return x.masked_fill(pepper, 0.0).masked_fill(salt, 1.0);
    }
    case Corruption::Kind::None:
    case Corruption::Kind::Grey: break;
    }
    return x;
}

} // namespace latentlab
