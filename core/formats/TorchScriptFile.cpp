#include "core/formats/TorchScriptFile.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <torch/script.h>

#include "core/base/AtomicFile.h"
#include "core/base/ErrorText.h"
#include "core/detail/ModelInternals.h"
#include "models/ModelRegistry.h"
#include "models/torchscript/ScriptedVae.h"

namespace latentlab {

namespace {

// The sidecar's text, or nothing when there is none; bounded before it is read.
std::optional<std::string> readSidecar(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::nullopt;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot read the sidecar (" + ec.message() + ")");
    if (size > ScriptDescription::kMaxTextBytes)
        throw Error(path + ": the sidecar is " + std::to_string(size) + " bytes, at most "
                    + std::to_string(ScriptDescription::kMaxTextBytes));
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw Error(path + ": cannot read the sidecar");
    return text.str();
}

const ScriptedVae& scriptOf(const Model& model)
{
    const auto* script = dynamic_cast<const ScriptedVae*>(model.impl().network.get());
    if (!script)
        throw Error("the model was not opened from a TorchScript file");
    return *script;
}

ScriptDescription descriptionOf(const Model& model)
{
    const ModelConfig& c = model.config();
    const ScriptedVae& script = scriptOf(model);
    ScriptDescription d;
    d.image = ImageShape{c.channels, c.height, c.width};
    d.flatInput = script.layout().flatInput;
    d.latent = c.latentDim;
    d.decodesLogits = script.layout().decodesLogits;
    d.likelihood = c.likelihood;
    d.classNames = model.info().classNames;
    d.dataset = model.info().datasetSpec;
    d.attributes = model.info().attributes;
    return d;
}

bool samePath(const std::string& a, const std::string& b)
{
    std::error_code ea, eb;
    const std::filesystem::path ca = std::filesystem::weakly_canonical(a, ea), cb = std::filesystem::weakly_canonical(b, eb);
    return ea || eb ? a == b : ca == cb; // a path that cannot be resolved is compared as written
}

} // namespace

bool TorchScriptFile::looksLikeOne(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

std::string TorchScriptFile::sidecarPath(const std::string& path)
{
    return path + ".latentlab.json";
}

std::unique_ptr<Model> TorchScriptFile::load(const std::string& path, const ScriptDescription& given)
{
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot open the TorchScript file (" + ec.message() + ")");
    if (size > kMaxFileBytes)
        throw Error(path + ": the TorchScript file is " + std::to_string(size) + " bytes, over the limit of "
                    + std::to_string(kMaxFileBytes));
    torch::jit::ExtraFilesMap extra{{kDescriptionName, ""}};
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU, extra);
    } catch (const c10::Error& e) {
        throw Error(path + ": not a TorchScript file, or a damaged one (" + ErrorText::firstLine(e.what_without_backtrace()) + ")");
    } catch (const std::exception& e) {
        throw Error(path + ": not a TorchScript file, or a damaged one (" + ErrorText::firstLine(e.what()) + ")");
    }
    ScriptDescription d;
    if (!extra[kDescriptionName].empty())
        d = ScriptDescription::parse(extra[kDescriptionName], path + " (" + kDescriptionName + ")");
    const std::string sidecar = sidecarPath(path);
    if (const auto text = readSidecar(sidecar))
        d = d.overriddenBy(ScriptDescription::parse(*text, sidecar));
    d = d.overriddenBy(given);

    try {
        ScriptedVae::checkMethods(module);
        if (!d.image)
            throw ScriptDescriptionMissing(
                "it has no latentlab.json description, so its image size is not known: give it "
                "(latentlab-cli --image-shape C,H,W), or save the description inside the file as the README shows");
        ModelConfig config;
        config.architecture = "torchscript";
        config.channels = d.image->channels;
        config.height = d.image->height;
        config.width = d.image->width;
        config.likelihood = d.likelihood.value_or(Likelihood::Bernoulli);
        config.validate();

        ScriptedVae::Layout layout;
        if (d.flatInput) {
            layout.flatInput = *d.flatInput;
            config.latentDim = ScriptedVae::probeLatent(module, config, layout.flatInput);
        } else { // whichever layout encode takes
            try {
                config.latentDim = ScriptedVae::probeLatent(module, config, true);
            } catch (const Error& flat) {
                try {
                    config.latentDim = ScriptedVae::probeLatent(module, config, false);
                    layout.flatInput = false;
                } catch (const Error& image) {
                    throw Error(std::string(flat.what()) + "; and as images: " + image.what());
                }
            }
        }
        if (d.latent && *d.latent != config.latentDim)
            throw Error("the description declares a latent size of " + std::to_string(*d.latent) + " but encode gives "
                        + std::to_string(config.latentDim) + " values");
        config.validate();
        layout.decodesLogits = d.decodesLogits ? *d.decodesLogits : ScriptedVae::probeDecodesLogits(module, config);

        auto impl = std::make_unique<Model::Impl>();
        impl->config = config;
        impl->info.classNames = d.classNames.value_or(std::vector<std::string>{});
        impl->info.datasetSpec = d.dataset.value_or("");
        impl->info.attributes = d.attributes.value_or(std::vector<AttributeVector>{});
        impl->info.importedFrom = path;
        impl->network = std::make_shared<ScriptedVae>(std::move(module), config, layout);
        return std::make_unique<Model>(std::move(impl));
    } catch (const ScriptDescriptionMissing& e) {
        throw ScriptDescriptionMissing(path + ": " + e.what());
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    } catch (const c10::Error& e) { // anything the probes did not turn into an Error
        throw Error(path + ": " + ErrorText::firstLine(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        throw Error(path + ": " + ErrorText::lastLine(e.what()));
    }
}

void TorchScriptFile::save(const Model& model, const std::string& path)
{
    const ScriptDescription d = descriptionOf(model);
    if (samePath(path, model.info().importedFrom)) {
        const std::string text = d.toJson();
        AtomicFile::write(sidecarPath(path), {text}, "the sidecar");
        return;
    }
    std::ostringstream bytes;
    try {
        scriptOf(model).module().save(bytes, {{kDescriptionName, d.toJson()}});
    } catch (const c10::Error& e) {
        throw Error(path + ": cannot write the TorchScript file (" + ErrorText::firstLine(e.what_without_backtrace()) + ")");
    }
    const std::string data = bytes.str();
    AtomicFile::write(path, {data}, "the TorchScript file");
}

void TorchScriptFile::exportModel(const Model& model, const std::string& path)
{
    if (!model.info().importedFrom.empty())
        return save(model, path);
    const ModelConfig& c = model.config();
    const ModelFamily& family = ModelRegistry::find(c.architecture);
    if (!family.torchScript)
        throw Error("the " + family.title + " cannot be exported to TorchScript");
    if (c.conditionClasses > 0)
        throw Error("a conditional model is not exported to TorchScript: encode(x) and decode(z) have no place for the class");
    if (!c.variational)
        throw Error("an autoencoder has no logvar for encode(x) -> (mu, logvar); export a VAE");
    if (c.inputChannels() != c.channels)
        throw Error("a colourising model is not exported to TorchScript: its encoder takes grey images and its decoder "
                    "gives colour ones, and a TorchScript model describes one image shape");

    torch::jit::Module module("__torch__.latentlab." + family.name);
    module.register_attribute("training", c10::BoolType::get(), false); // what eval() and train() set
    const auto flat = [](std::string name) {
        std::replace(name.begin(), name.end(), '.', '_');
        return name;
    };
    const VaeNetwork& network = *model.impl().network;
    for (const auto& p : network.named_parameters()) {
        const torch::Tensor t = p.value().detach().to(torch::kCPU).clone();
        if (!torch::isfinite(t).all().item<bool>()) // a diverged model is never written
            throw Error(path + ": not exported: the weights in " + p.key() + " are not finite numbers");
        module.register_parameter(flat(p.key()), t, false);
    }
    for (const auto& b : network.named_buffers())
        module.register_buffer(flat(b.key()), b.value().detach().to(torch::kCPU).clone());
    try {
        module.define(family.torchScript(c)
                      + "\ndef forward(self, x: Tensor) -> Tuple[Tensor, Tensor, Tensor]:\n"
                        "    mu, logvar = self.encode(x)\n"
                        "    z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)\n"
                        "    return self.decode(z), mu, logvar\n");
    } catch (const c10::Error& e) { // a family's script that does not compile: LatentLab's bug
        throw Error("the " + family.title + "'s TorchScript does not compile: " + ErrorText::firstLine(e.what_without_backtrace()));
    }
    ScriptDescription d;
    d.image = ImageShape{c.channels, c.height, c.width};
    d.flatInput = false;
    d.latent = c.latentDim;
    d.decodesLogits = false;
    d.likelihood = c.likelihood;
    d.classNames = model.info().classNames;
    d.dataset = model.info().datasetSpec;
    d.attributes = model.info().attributes;
    std::ostringstream bytes;
    module.save(bytes, {{kDescriptionName, d.toJson()}});
    const std::string data = bytes.str();
    AtomicFile::write(path, {data}, "the TorchScript file");
}

std::string TorchScriptFile::describe(const Model& model)
{
    return descriptionOf(model).toJson();
}

} // namespace latentlab
