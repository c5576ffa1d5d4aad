#include "models/torchscript/ScriptedVae.h"

#include <torch/torch.h>

#include "core/base/Error.h"
#include "core/base/ErrorText.h"

namespace latentlab {

namespace {

// One of the script's methods, called with one tensor; c10::Error becomes latentlab::Error.
c10::IValue call(const torch::jit::Module& module, const char* name, const torch::Tensor& input)
{
    try {
        return module.get_method(name)({input});
    } catch (const c10::Error& e) {
        throw Error(std::string(name) + " failed on an input of shape " + c10::str(input.sizes()) + ": "
                    + ErrorText::firstLine(e.what_without_backtrace()));
    } catch (const std::exception& e) { // the interpreter's JITException: the script's traceback, then the error
        throw Error(std::string(name) + " failed on an input of shape " + c10::str(input.sizes()) + ": "
                    + ErrorText::lastLine(e.what()));
    }
}

bool isTensor(const c10::TypePtr& type)
{
    return type->kind() == c10::TypeKind::TensorType;
}

// "encode(x: Tensor) -> Tensor" as the script declares it, without self.
std::string signatureOf(const torch::jit::Method& method)
{
    const c10::FunctionSchema& schema = method.function().getSchema();
    std::string text = method.name() + "(";
    for (std::size_t i = 1; i < schema.arguments().size(); ++i)
        text += (i > 1 ? ", " : "") + schema.arguments()[i].name() + ": " + schema.arguments()[i].type()->annotation_str();
    text += ") -> ";
    for (std::size_t i = 0; i < schema.returns().size(); ++i)
        text += (i > 0 ? ", " : "") + schema.returns()[i].type()->annotation_str();
    return text;
}

} // namespace

void ScriptedVae::checkMethods(const torch::jit::Module& module)
{
    const auto encode = module.find_method("encode");
    const auto decode = module.find_method("decode");
    if (!encode || !decode)
        throw Error(std::string("the TorchScript module has no ") + (!encode && !decode ? "encode or decode" : !encode ? "encode" : "decode")
                    + " method (LatentLab needs encode(x) -> (mu, logvar) and decode(z) -> image, as in pytorch/examples' VAE)");
    const c10::FunctionSchema& e = encode->function().getSchema();
    const bool encodeFits = e.arguments().size() == 2 && isTensor(e.arguments()[1].type()) && e.returns().size() == 1
                            && e.returns()[0].type()->kind() == c10::TypeKind::TupleType
                            && e.returns()[0].type()->containedTypes().size() == 2
                            && isTensor(e.returns()[0].type()->containedTypes()[0])
                            && isTensor(e.returns()[0].type()->containedTypes()[1]);
    if (!encodeFits)
        throw Error("the TorchScript module's encode is " + signatureOf(*encode)
                    + "; LatentLab needs encode(x: Tensor) -> Tuple[Tensor, Tensor] (mu, logvar)");
    const c10::FunctionSchema& d = decode->function().getSchema();
    const bool decodeFits = d.arguments().size() == 2 && isTensor(d.arguments()[1].type()) && d.returns().size() == 1
                            && isTensor(d.returns()[0].type());
    if (!decodeFits)
        throw Error("the TorchScript module's decode is " + signatureOf(*decode)
                    + "; LatentLab needs decode(z: Tensor) -> Tensor (an image per code)");
}

int ScriptedVae::probeLatent(const torch::jit::Module& module, const ModelConfig& config, bool flatInput)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor x = flatInput ? torch::zeros({1, config.pixelCount()})
                                      : torch::zeros({1, config.channels, config.height, config.width});
    const c10::IValue out = call(module, "encode", x);
    const auto& parts = out.toTupleRef().elements();
    const torch::Tensor mu = parts[0].toTensor(), logvar = parts[1].toTensor();
    if (mu.dim() != 2 || mu.size(0) != 1 || !mu.sizes().equals(logvar.sizes()))
        throw Error("encode of one image of shape " + c10::str(x.sizes()) + " gave mu " + c10::str(mu.sizes()) + " and logvar "
                    + c10::str(logvar.sizes()) + "; LatentLab needs both [1, latent]");
    return int(mu.size(1));
}

bool ScriptedVae::probeDecodesLogits(const torch::jit::Module& module, const ModelConfig& config)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor z = torch::cat({torch::zeros({1, config.latentDim}), torch::full({1, config.latentDim}, 3.0),
                                        torch::full({1, config.latentDim}, -3.0)});
    const torch::Tensor images = call(module, "decode", z).toTensor();
    if (images.numel() != z.size(0) * config.pixelCount())
        throw Error("decode of " + std::to_string(z.size(0)) + " codes gave " + c10::str(images.sizes()) + ", not "
                    + std::to_string(z.size(0)) + " images of " + std::to_string(config.channels) + "x"
                    + std::to_string(config.height) + "x" + std::to_string(config.width));
    return images.lt(0).any().item<bool>() || images.gt(1).any().item<bool>();
}

ScriptedVae::ScriptedVae(torch::jit::Module module, const ModelConfig& config, Layout layout)
    : module_(std::move(module)), config_(config), layout_(layout)
{
    module_.eval();
    // The script's tensors, registered as this module's own (the same tensors, not copies),
    // so that parameter counts, snapshots (Model::clone) and devices see them. Their names
    // keep the script's path with '/' for '.', which torch::nn does not allow in a name.
    const auto flat = [](std::string name) {
        std::replace(name.begin(), name.end(), '.', '/');
        return name;
    };
    for (const auto& p : module_.named_parameters())
        register_parameter(flat(p.name), p.value, p.value.requires_grad());
    for (const auto& b : module_.named_buffers())
        register_buffer(flat(b.name), b.value);
}

void ScriptedVae::validate(const ModelConfig&)
{
    throw Error("a TorchScript model is opened from its .pt file (latentlab-cli --model FILE.pt, or Open in the window), "
                "not built by LatentLab");
}

std::shared_ptr<VaeNetwork> ScriptedVae::build(const ModelConfig& config)
{
    validate(config);
    return nullptr;
}

VaeNetwork::Encoding ScriptedVae::encode(const torch::Tensor& x, const torch::Tensor&)
{
    const c10::IValue out = call(module_, "encode", layout_.flatInput ? x.reshape({x.size(0), -1}) : x);
    const auto& parts = out.toTupleRef().elements();
    Encoding q{parts[0].toTensor(), parts[1].toTensor()};
    if (q.mu.dim() != 2 || q.mu.size(0) != x.size(0) || q.mu.size(1) != config_.latentDim || !q.mu.sizes().equals(q.logvar.sizes()))
        throw Error("encode of " + c10::str(x.size(0)) + " images gave mu " + c10::str(q.mu.sizes()) + " and logvar "
                    + c10::str(q.logvar.sizes()) + "; expected [" + std::to_string(x.size(0)) + ", " + std::to_string(config_.latentDim) + "]");
    return q;
}

torch::Tensor ScriptedVae::decodeLogits(const torch::Tensor& z, const torch::Tensor&)
{
    const torch::Tensor images = call(module_, "decode", z).toTensor();
    const std::int64_t n = z.size(0);
    if (images.numel() != n * config_.pixelCount())
        throw Error("decode of " + std::to_string(n) + " codes gave " + c10::str(images.sizes()) + ", not " + std::to_string(n)
                    + " images of the described shape");
    const torch::Tensor shaped = images.reshape({n, config_.channels, config_.height, config_.width});
    // Probabilities become logits (sigmoid gives them back to within 1e-6).
    return layout_.decodesLogits ? shaped : torch::logit(shaped, 1e-6);
}

std::shared_ptr<VaeNetwork> ScriptedVae::copy() const
{
    return std::make_shared<ScriptedVae>(module_.deepcopy(), config_, layout_);
}

void ScriptedVae::to(torch::Device device, bool nonBlocking)
{
    // The registered tensors are the script's own, which this moves in place.
    module_.to(device, nonBlocking);
}

} // namespace latentlab
