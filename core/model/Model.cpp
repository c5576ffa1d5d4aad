#include "core/model/Model.h"

#include <mutex>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/base/Error.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"

namespace latentlab {

namespace {

// Labels for `count` inputs of a conditional model (undefined for others).
torch::Tensor classTensor(const Model::Impl& m, std::size_t count, const std::vector<int>& classes)
{
    const int n = m.config.conditionClasses;
    if (n == 0)
        return {};
    if (!classes.empty() && classes.size() != 1 && classes.size() != count)
        throw Error("give one class for all images or one per image (" + std::to_string(classes.size()) + " for "
                    + std::to_string(count) + ")");
    std::vector<std::int64_t> labels(count, classes.empty() ? 0 : classes.front());
    if (classes.size() == count)
        labels.assign(classes.begin(), classes.end());
    for (std::int64_t label : labels)
        if (label < 0 || label >= n)
            throw Error("class " + std::to_string(label) + " is outside the model's " + std::to_string(n) + " classes");
    return torch::tensor(labels, torch::kLong).to(m.device);
}

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

// Torch's modules initialise from the process-wide generator. Building one seeds it and
// then puts its state back, under a lock, so that a new model (or a clone) neither
// depends on nor disturbs whatever else draws from it.
std::shared_ptr<VaeNetwork> buildNetwork(const ModelConfig& config, std::uint64_t seed)
{
    static std::mutex mutex;
    const std::lock_guard<std::mutex> lock(mutex);
    at::Generator global = at::detail::getDefaultCPUGenerator();
    const at::Tensor saved = global.get_state();
    global.set_current_seed(seed);
    struct Restore {
        at::Generator& generator;
        const at::Tensor& state;
        ~Restore() { generator.set_state(state); }
    } restore{global, saved};
    return makeNetwork(config);
}

} // namespace

at::Generator makeGenerator(std::uint64_t seed)
{
    return at::detail::createCPUGenerator(seed);
}

Model::Model(const ModelConfig& config, unsigned long long seed) : d_(std::make_unique<Impl>())
{
    d_->config = config;
    d_->network = buildNetwork(config, seed);
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
    copy->network = d_->network->copy();
    if (!copy->network)
        copy->network = buildNetwork(d_->config, 0); // its initial weights are overwritten below
    copy->network->to(d_->device);
    torch::NoGradGuard noGrad;
    const auto source = d_->network->named_parameters();
    for (auto& param : copy->network->named_parameters())
        param.value().copy_(source[param.key()]);
    const auto sourceBuffers = d_->network->named_buffers();
    for (auto& buffer : copy->network->named_buffers())
        buffer.value().copy_(sourceBuffers[buffer.key()]);
    if (d_->optimizer) {
        OptimizerState state{d_->optimizer->step, {}, {}};
        for (const torch::Tensor& t : d_->optimizer->expAvg)
            state.expAvg.push_back(t.clone());
        for (const torch::Tensor& t : d_->optimizer->expAvgSq)
            state.expAvgSq.push_back(t.clone());
        copy->optimizer = std::move(state);
    }
    return std::make_unique<Model>(std::move(copy));
}

std::vector<float> Model::encodeImage(const Image& image, int imageClass) const
{
    const ModelConfig& c = d_->config;
    if (image.width != c.width || image.height != c.height || image.channels != c.channels)
        throw Error("the image is " + std::to_string(image.width) + "x" + std::to_string(image.height) + "x"
                    + std::to_string(image.channels) + " but the model takes " + std::to_string(c.width) + "x"
                    + std::to_string(c.height) + "x" + std::to_string(c.channels));
    return encodeMeans(image.toPlanarFloats(), {imageClass});
}

std::vector<float> Model::encodeMeans(const std::vector<float>& images, const std::vector<int>& classes) const
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
    const torch::Tensor mu = d_->network->encode(InputCorruption::encoderInput(x, c.corruption), classTensor(*d_, std::size_t(x.size(0)), classes)).mu
                                 .to(torch::kCPU).contiguous();
    return std::vector<float>(mu.data_ptr<float>(), mu.data_ptr<float>() + mu.numel());
}

namespace {

// Mean images [N, C, H, W] for codes; call under inference mode.
torch::Tensor decodeMeans(const Model::Impl& m, const std::vector<float>& codes, const std::vector<int>& classes)
{
    const int latent = m.config.latentDim;
    if (codes.size() % std::size_t(latent) != 0)
        throw Error("decode: " + std::to_string(codes.size()) + " values is not a whole number of "
                    + std::to_string(latent) + "-dimensional codes");
    const torch::Tensor z = torch::from_blob(const_cast<float*>(codes.data()),
                                             {std::int64_t(codes.size() / latent), latent})
                                .to(m.device);
    return torch::sigmoid(m.network->decodeLogits(z, classTensor(m, std::size_t(z.size(0)), classes)));
}

} // namespace

std::vector<float> Model::decode(const std::vector<float>& codes, const std::vector<int>& classes) const
{
    torch::InferenceMode inference;
    const torch::Tensor images = decodeMeans(*d_, codes, classes).to(torch::kCPU).contiguous();
    return std::vector<float>(images.data_ptr<float>(), images.data_ptr<float>() + images.numel());
}

std::vector<Image> Model::decodeImages(const std::vector<float>& codes, const std::vector<int>& classes) const
{
    torch::InferenceMode inference;
    // [N, H, W, C] bytes, as Image keeps them.
    const torch::Tensor bytes = decodeMeans(*d_, codes, classes).mul(255.0f).round_().clamp_(0, 255)
                                    .permute({0, 2, 3, 1}).to(torch::kCPU, torch::kUInt8).contiguous();
    const ModelConfig& c = d_->config;
    const std::size_t perImage = std::size_t(c.pixelCount());
    std::vector<Image> images(std::size_t(bytes.size(0)));
    const std::uint8_t* data = bytes.data_ptr<std::uint8_t>();
    for (std::size_t i = 0; i < images.size(); ++i)
        images[i] = Image{c.width, c.height, c.channels,
                          std::vector<std::uint8_t>(data + i * perImage, data + (i + 1) * perImage)};
    return images;
}

bool Model::hasOptimizerState() const
{
    return d_->optimizer.has_value();
}

std::size_t Model::parameterCount() const
{
    std::size_t n = 0;
    for (const auto& p : d_->network->parameters())
        n += std::size_t(p.numel());
    return n;
}

} // namespace latentlab
