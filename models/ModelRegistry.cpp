#include "models/ModelRegistry.h"

#include "core/base/Error.h"
#include "models/conv/ConvVae.h"
#include "models/mlp/MlpVae.h"
#include "models/rvae/RotationVae.h"
#include "models/vaegan/VaeGan.h"
#include "models/torchscript/ScriptedVae.h"

namespace latentlab {

const std::vector<ModelFamily>& ModelRegistry::families()
{
    // One row per family; the first is the default. Columns: name, title, autoencoder
    // title, help, default image size, pose size, loss terms, default hidden sizes, own checks,
    // latent layout, parameter count, builder, imported, TorchScript source, default pixel
    // sample (0: whole images), default angle consistency, default batch size and epochs,
    // whether reconWeight weighs its term, its default, the default learning rate, and whether the
    // newest epoch is kept rather than the best.
    static const std::vector<ModelFamily> rows = {
        {"mlp", "MLP VAE", "MLP autoencoder (baseline)",
         "fully connected (pytorch/examples' 784-400-20 VAE); --hidden sets the widths (default 400)", 28, 0,
         {"recon", "kl"}, MlpVae::defaultHidden, nullptr, gaussianLatent, MlpVae::parameterCount, MlpVae::build,
         false, MlpVae::torchScript},
        {"conv", "Convolutional VAE", "Convolutional autoencoder",
         "convolutional, square 28, 32 or 64 px; --hidden sets the channels per layer (default 32,64,...)", 64, 0,
         {"recon", "kl"}, ConvVae::defaultHidden, ConvVae::validate, gaussianLatent, ConvVae::parameterCount,
         ConvVae::build, false, ConvVae::torchScript},
        {"rvae", "Rotation-invariant VAE", "",
         "rotation-invariant (spatial-VAE): the code is an angle, a shift and --latent content values, the decoder "
         "an MLP of each pixel's rotated coordinates; --hidden sets the widths (default 128,128)", 48,
         RotationVae::kPoseSize,
         {"recon", "kl", "angle consistency"}, RotationVae::defaultHidden, RotationVae::validate, RotationVae::latentLayout,
         RotationVae::parameterCount, RotationVae::build, false, RotationVae::torchScript,
         RotationVae::kDefaultPixelSample, RotationVae::kDefaultAngleConsistency, RotationVae::kDefaultBatchSize,
         RotationVae::kDefaultEpochs},
        {"vaegan", "VAE-GAN (learned similarity)", "",
         "the convolutional VAE with a discriminator (Larsen et al. 2015): reconstructions are compared on the "
         "discriminator's features, samples and reconstructions judged by it; sharper decodes", 64, 0,
         {"recon", "kl", "discriminator", "gan"}, ConvVae::defaultHidden, VaeGan::validate, gaussianLatent,
         VaeGan::parameterCount, VaeGan::build, false, VaeGan::torchScript, 0, 0.0, 64, 0, true, VaeGan::kDefaultReconWeight,
         VaeGan::kDefaultLearningRate, true},
        {"torchscript", "TorchScript VAE", "",
         "a PyTorch VAE saved as TorchScript with encode(x) -> (mu, logvar) and decode(z): opened, not built", 28, 0,
         {"recon", "kl"}, ScriptedVae::defaultHidden, ScriptedVae::validate, gaussianLatent, ScriptedVae::parameterCount,
         ScriptedVae::build, true},
    };
    return rows;
}

const ModelFamily& ModelRegistry::find(const std::string& name)
{
    for (const ModelFamily& f : families())
        if (f.name == name)
            return f;
    throw Error("unknown architecture '" + name + "' (expected " + names() + ")");
}

std::string ModelRegistry::names()
{
    std::vector<std::string> built;
    for (const ModelFamily& f : families())
        if (!f.imported)
            built.push_back(f.name);
    std::string text;
    for (std::size_t i = 0; i < built.size(); ++i)
        text += (i == 0 ? "" : i + 1 == built.size() ? " or " : ", ") + built[i];
    return text;
}

void ModelRegistry::validate(const ModelConfig& config)
{
    config.validate();
    const ModelFamily& family = find(config.architecture);
    if (family.validate)
        family.validate(config);
    if (config.pixelSample > 0 && family.defaultPixelSample == 0)
        throw Error("the " + family.title + " decodes whole images: training on a sample of pixels (" +
                    std::to_string(config.pixelSample) + " per image) is for the rotation-invariant VAE");
    if (config.angleConsistency > 0 && family.poseSize == 0)
        throw Error("the " + family.title + " has no angle latent: angle consistency is for the rotation-invariant VAE");
    const std::uint64_t parameters = family.parameterCount(config);
    if (parameters > kMaxParameters)
        throw Error("this " + family.title + " would have " + std::to_string(parameters) + " parameters, over the limit of "
                    + std::to_string(kMaxParameters) + " (use fewer or narrower hidden layers, or smaller images)");
}

std::vector<int> ModelRegistry::effectiveHidden(const ModelConfig& config)
{
    return config.hidden.empty() ? find(config.architecture).defaultHidden(config) : config.hidden;
}

std::vector<std::string> ModelRegistry::dimensionNames(const ModelConfig& config)
{
    const std::vector<LatentPart> parts = find(config.architecture).latentLayout(config);
    std::vector<std::string> names;
    for (const LatentPart& part : parts)
        for (int i = 0; i < part.size; ++i)
            names.push_back(parts.size() == 1 ? std::to_string(i)
                            : part.size == 1  ? part.name
                                              : part.name + std::to_string(i));
    return names;
}

std::vector<double> ModelRegistry::priorSigmas(const ModelConfig& config)
{
    std::vector<double> sigmas;
    for (const LatentPart& part : find(config.architecture).latentLayout(config))
        sigmas.insert(sigmas.end(), std::size_t(part.size), part.sigma);
    return sigmas;
}

std::vector<std::string> ModelRegistry::dimensionLabels(const ModelConfig& config)
{
    std::vector<std::string> labels = dimensionNames(config);
    if (find(config.architecture).latentLayout(config).size() == 1)
        for (std::string& label : labels)
            label = "z" + label;
    return labels;
}

std::vector<LatentPart> gaussianLatent(const ModelConfig& config)
{
    return {{"z", config.latentDim, "N(0, I)"}};
}

} // namespace latentlab
