#include "core/latent/PrincipalComponents.h"

#include <cmath>

#include <torch/torch.h>

#include "core/base/Error.h"

namespace latentlab {

PrincipalComponents PrincipalComponents::compute(const LatentCodes& codes, int k)
{
    if (codes.count() < 3 || k < 1 || k > codes.dim)
        throw Error("principal components need at least 3 codes and between 1 and " + std::to_string(codes.dim)
                    + " components");
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::from_blob(const_cast<float*>(codes.mu.data()),
                                             {std::int64_t(codes.count()), codes.dim})
                                .to(torch::kDouble);
    const torch::Tensor mean = x.mean(0);
    // Economy SVD of the centred codes: rows of Vh are the principal directions.
    const auto [U, S, Vh] = torch::linalg::svd(x - mean, false, c10::nullopt);
    const double scale = 1.0 / std::sqrt(double(codes.count() - 1));
    PrincipalComponents pca;
    const torch::Tensor m = mean.to(torch::kFloat).contiguous();
    pca.mean.assign(m.data_ptr<float>(), m.data_ptr<float>() + m.numel());
    for (int i = 0; i < k; ++i) {
        const double sd = S[i].item<double>() * scale;
        const torch::Tensor axis = (Vh[i] * sd).to(torch::kFloat).contiguous();
        pca.axes.emplace_back(axis.data_ptr<float>(), axis.data_ptr<float>() + axis.numel());
        pca.standardDeviations.push_back(sd);
    }
    return pca;
}

} // namespace latentlab
