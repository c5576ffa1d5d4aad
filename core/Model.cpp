#include "core/Model.h"

#include <torch/torch.h>

#include "core/Error.h"
#include "core/ModelInternals.h"

namespace latentlab {

namespace {

torch::Device parseDevice(const std::string& device)
{
    if (device == "cpu")
        return torch::kCPU;
    if (device == "cuda") {
        if (!torch::cuda::is_available())
            throw Error("CUDA is not available (this LibTorch has no CUDA support or no GPU is visible)");
        return torch::kCUDA;
    }
    throw Error("unknown device '" + device + "' (expected cpu or cuda)");
}

} // namespace

Model::Model(const ModelConfig& config, unsigned long long seed) : d_(std::make_unique<Impl>())
{
    torch::manual_seed(seed);
    d_->config = config;
    d_->network = makeNetwork(config);
}

Model::Model(std::unique_ptr<Impl> impl) : d_(std::move(impl)) {}
Model::~Model() = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;

const ModelConfig& Model::config() const { return d_->config; }
ModelInfo& Model::info() { return d_->info; }
const ModelInfo& Model::info() const { return d_->info; }

std::string Model::device() const
{
    return d_->device.is_cuda() ? "cuda" : "cpu";
}

void Model::moveTo(const std::string& device)
{
    const torch::Device target = parseDevice(device);
    if (target.type() != d_->device.type()) {
        d_->network->to(target);
        d_->device = target;
    }
}

std::unique_ptr<Model> Model::clone() const
{
    auto copy = std::make_unique<Impl>();
    copy->config = d_->config;
    copy->info = d_->info;
    copy->device = d_->device;
    copy->network = makeNetwork(d_->config);
    copy->network->to(d_->device);
    torch::NoGradGuard noGrad;
    const auto source = d_->network->named_parameters();
    for (auto& param : copy->network->named_parameters())
        param.value().copy_(source[param.key()]);
    return std::make_unique<Model>(std::move(copy));
}

std::vector<float> Model::encodeMeans(const std::vector<float>& images) const
{
    const int pixels = d_->config.pixelCount();
    if (images.size() % std::size_t(pixels) != 0)
        throw Error("encode: " + std::to_string(images.size()) + " values is not a whole number of "
                    + std::to_string(pixels) + "-value images");
    torch::InferenceMode inference;
    const ModelConfig& c = d_->config;
    const torch::Tensor x = torch::from_blob(const_cast<float*>(images.data()),
                                             {std::int64_t(images.size() / pixels), c.channels, c.height, c.width})
                                .to(d_->device);
    const torch::Tensor mu = d_->network->encode(x).mu.to(torch::kCPU).contiguous();
    return std::vector<float>(mu.data_ptr<float>(), mu.data_ptr<float>() + mu.numel());
}

std::vector<float> Model::decode(const std::vector<float>& codes) const
{
    const int latent = d_->config.latentDim;
    if (codes.size() % std::size_t(latent) != 0)
        throw Error("decode: " + std::to_string(codes.size()) + " values is not a whole number of "
                    + std::to_string(latent) + "-dimensional codes");
    torch::InferenceMode inference;
    const torch::Tensor z = torch::from_blob(const_cast<float*>(codes.data()),
                                             {std::int64_t(codes.size() / latent), latent})
                                .to(d_->device);
    const torch::Tensor images = torch::sigmoid(d_->network->decodeLogits(z)).to(torch::kCPU).contiguous();
    return std::vector<float>(images.data_ptr<float>(), images.data_ptr<float>() + images.numel());
}

std::size_t Model::parameterCount() const
{
    std::size_t n = 0;
    for (const auto& p : d_->network->parameters())
        n += std::size_t(p.numel());
    return n;
}

} // namespace latentlab
