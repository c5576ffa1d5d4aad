#include "core/base/ModelConfig.h"

#include <cmath>

#include "core/base/Error.h"

namespace latentlab {

void ModelConfig::validate() const
{
    if (latentDim < 1 || latentDim > 4096)
        throw Error("latent size must be between 1 and 4096, got " + std::to_string(latentDim));
    if (channels != 1 && channels != 3)
        throw Error("images must have 1 (grey) or 3 (colour) channels, got " + std::to_string(channels));
    if (height < 1 || width < 1 || height > 1024 || width > 1024)
        throw Error("image size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range");
    if (conditionClasses < 0 || conditionClasses > 1000)
        throw Error("a conditional model takes 1 to 1000 classes, got " + std::to_string(conditionClasses));
    if (!(beta >= 0.0 && beta <= kMaxBeta))
        throw Error("beta must be between 0 and " + std::to_string(int(kMaxBeta)) + ", got " + std::to_string(beta));
    if (!(rotationPrior > 0.0 && rotationPrior <= kMaxRotationPrior))
        throw Error("the angle's prior width must be above 0 and at most " + std::to_string(kMaxRotationPrior)
                    + " radians (360 degrees), got " + std::to_string(rotationPrior));
    if (!(translationPrior > 0.0 && translationPrior <= 1.0))
        throw Error("the shift's prior width must be above 0 and at most 1 (half-widths of the image), got "
                    + std::to_string(translationPrior));
    if (pixelSample < 0 || pixelSample > kMaxPixelSample)
        throw Error("pixels sampled per image must be between 0 (all) and " + std::to_string(kMaxPixelSample)
                    + ", got " + std::to_string(pixelSample));
    if (!(angleConsistency >= 0.0 && angleConsistency <= kMaxAngleConsistency))
        throw Error("the angle-consistency weight must be between 0 and " + std::to_string(int(kMaxAngleConsistency))
                    + ", got " + std::to_string(angleConsistency));
    if (!(reconWeight > 0.0 && reconWeight <= kMaxReconWeight))
        throw Error("the reconstruction weight must be above 0 and at most " + std::to_string(int(kMaxReconWeight))
                    + ", got " + std::to_string(reconWeight));
    if (likelihood == Likelihood::Ssim && pixelSample > 0 && pixelSample < height * width)
        throw Error("the SSIM term compares whole images: it cannot train on " + std::to_string(pixelSample)
                    + " sampled pixels (use --pixel-sample 0)");
    corruption.validate();
    if (corruption.kind == Corruption::Kind::Grey && channels != 3)
        throw Error("the grey corruption (colourisation: grey input, colour target) needs colour images; these are "
                    "grey (1 channel)");
    if (hidden.size() > kMaxHiddenLayers)
        throw Error("at most " + std::to_string(kMaxHiddenLayers) + " hidden layers, got " + std::to_string(hidden.size()));
    for (int h : hidden)
        if (h < 1 || h > 65536)
            throw Error("hidden sizes must be between 1 and 65536, got " + std::to_string(h));
}

std::string toString(Likelihood l)
{
    switch (l) {
    case Likelihood::Bernoulli: return "bernoulli";
    case Likelihood::Gaussian: return "gaussian";
    case Likelihood::Laplace: return "laplace";
    case Likelihood::Ssim: return "ssim";
    }
    return "bernoulli";
}

Likelihood likelihoodFromString(const std::string& s)
{
    if (s == "bernoulli" || s == "bce") return Likelihood::Bernoulli;
    if (s == "gaussian" || s == "mse") return Likelihood::Gaussian;
    if (s == "laplace" || s == "l1") return Likelihood::Laplace;
    if (s == "ssim") return Likelihood::Ssim;
    throw Error("unknown reconstruction term '" + s + "' (expected bernoulli, gaussian, laplace or ssim)");
}

} // namespace latentlab
