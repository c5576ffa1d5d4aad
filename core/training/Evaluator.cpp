#include "core/training/Evaluator.h"

#include <cmath>
#include <numeric>
#include <random>

#include <torch/torch.h>

#include "core/base/Error.h"
#include "models/detail/Losses.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"

namespace latentlab {

namespace {

void checkFits(const Model& model, const Dataset& data)
{
    const ModelConfig& c = model.config();
    const ImageShape s = data.shape();
    if (s.channels != c.channels || s.height != c.height || s.width != c.width)
        throw Error(data.name() + ": images are " + std::to_string(s.width) + "x" + std::to_string(s.height) + "x"
                    + std::to_string(s.channels) + " but the model takes " + std::to_string(c.width) + "x"
                    + std::to_string(c.height) + "x" + std::to_string(c.channels));
    if (data.empty())
        throw Error(data.name() + ": no images to evaluate");
}

// Rows per forward pass: bounded memory whatever the data set.
constexpr std::int64_t kRowsPerPass = 8192;

} // namespace

std::uint64_t Evaluator::estimateSeed() const
{
    return hasSeed_ ? seed_ : std::random_device{}();
}

std::pair<std::vector<double>, std::vector<double>> Evaluator::reconAndKl(const Model& model, const Dataset& data) const
{
    checkFits(model, data);
    at::Generator generator = makeGenerator(estimateSeed());
    torch::InferenceMode inference;
    const Model::Impl& m = model.impl();
    const torch::Tensor all = datasetTensor(data);
    const torch::Tensor labels = conditionLabels(m.config, data, m.device);
    std::vector<double> recon, kl;
    recon.reserve(data.size());
    kl.reserve(data.size());
    const auto append = [](std::vector<double>& out, const torch::Tensor& t) {
        const torch::Tensor d = t.to(torch::kCPU, torch::kDouble).contiguous();
        out.insert(out.end(), d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
    };
    constexpr std::int64_t kBatch = 1000;
    for (std::int64_t start = 0; start < all.size(0); start += kBatch) {
        const torch::Tensor x = toFloatImages(all.slice(0, start, start + kBatch), m.device);
        const torch::Tensor y = sliceLabels(labels, start, start + kBatch);
        // A denoising model is measured as it trains: on corrupted inputs, against clean images.
        const VaeNetwork::Encoding q = m.network->encode(InputCorruption::apply(x, m.config.corruption, generator), y);
        const torch::Tensor logits = m.network->decodeLogits(Losses::sample(q, generator), y);
        append(recon, Losses::reconstruction(m.config, logits, x, true));
        append(kl, m.network->kl(q, true));
    }
    return {recon, kl};
}

LossSummary Evaluator::negativeElbo(const Model& model, const Dataset& data) const
{
    const auto [recon, kl] = reconAndKl(model, data);
    const double n = double(data.size());
    const double r = std::accumulate(recon.begin(), recon.end(), 0.0) / n;
    const double k = std::accumulate(kl.begin(), kl.end(), 0.0) / n;
    return {r + k, r, k, data.size()};
}

std::vector<double> Evaluator::negativeElboPerImage(const Model& model, const Dataset& data) const
{
    auto [recon, kl] = reconAndKl(model, data);
    for (std::size_t i = 0; i < recon.size(); ++i)
        recon[i] += kl[i];
    return recon;
}

double Evaluator::iwaeNll(const Model& model, const Dataset& data, int samples,
                          const std::function<void(std::size_t, std::size_t)>& progress) const
{
    const std::vector<double> perImage = iwaeNllPerImage(model, data, samples, progress);
    return std::accumulate(perImage.begin(), perImage.end(), 0.0) / double(perImage.size());
}

std::vector<double> Evaluator::iwaeNllPerImage(const Model& model, const Dataset& data, int samples,
                                               const std::function<void(std::size_t, std::size_t)>& progress) const
{
    checkFits(model, data);
    if (!model.config().variational)
        throw Error("the IWAE estimate needs a variational model, not a plain autoencoder");
    if (!model.config().reconIsLikelihood())
        throw Error("the IWAE estimate needs a likelihood; this model's reconstruction term is "
                    + toString(model.config().likelihood) + ", which is not one");
    if (samples < 1)
        throw Error("the IWAE estimate needs at least one sample");
    at::Generator generator = makeGenerator(estimateSeed());
    torch::InferenceMode inference;
    const Model::Impl& m = model.impl();
    const torch::Tensor all = datasetTensor(data);
    const torch::Tensor labels = conditionLabels(m.config, data, m.device);
    const std::int64_t k = samples;
    const std::int64_t chunk = std::min<std::int64_t>(k, kRowsPerPass);   // samples per pass
    const std::int64_t images = std::max<std::int64_t>(1, kRowsPerPass / chunk); // images per pass
    const double log2pi = std::log(2.0 * M_PI);
    std::vector<double> nll;
    nll.reserve(data.size());
    for (std::int64_t start = 0; start < all.size(0); start += images) {
        const torch::Tensor x = toFloatImages(all.slice(0, start, start + images), m.device);
        const std::int64_t b = x.size(0);
        const torch::Tensor y = sliceLabels(labels, start, start + images);
        const VaeNetwork::Encoding q = m.network->encode(InputCorruption::apply(x, m.config.corruption, generator), y);
        const torch::Tensor sigma = torch::exp(0.5 * q.logvar);
        // Running log-sum-exp of the importance weights log p(x,z) - log q(z|x), per image.
        torch::Tensor logSum = torch::full({b}, -INFINITY, q.mu.options());
        for (std::int64_t done = 0; done < k; done += chunk) {
            const std::int64_t n = std::min(chunk, k - done);
            const torch::Tensor eps = Losses::normal({n, b, q.mu.size(1)}, generator, q.mu);
            const torch::Tensor z = q.mu.unsqueeze(0) + eps * sigma.unsqueeze(0); // [n, b, L]
            // Rows are sample-major (k * b + image): the labels repeat per sample.
            const torch::Tensor logits = m.network->decodeLogits(z.reshape({n * b, -1}), y.defined() ? y.repeat({n}) : y);
            const torch::Tensor xs = x.unsqueeze(0).expand({n, b, x.size(1), x.size(2), x.size(3)})
                                         .reshape({n * b, x.size(1), x.size(2), x.size(3)});
            const torch::Tensor logPxz = -Losses::reconstruction(m.config, logits, xs, true).view({n, b});
            const torch::Tensor logPz = m.network->logPrior(z);
            const torch::Tensor logQz = -0.5 * (eps.square() + q.logvar.unsqueeze(0) + log2pi).sum(2);
            logSum = torch::logsumexp(torch::cat({logSum.unsqueeze(0), logPxz + logPz - logQz}, 0), 0);
        }
        const torch::Tensor perImage = (std::log(double(k)) - logSum).to(torch::kCPU, torch::kDouble).contiguous();
        nll.insert(nll.end(), perImage.data_ptr<double>(), perImage.data_ptr<double>() + b);
        if (progress)
            progress(std::size_t(start + b), data.size());
    }
    return nll;
}

} // namespace latentlab
