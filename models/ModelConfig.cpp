#include "models/ModelConfig.h"

#include "core/Error.h"

namespace latentlab {

int convLayerCount(int side)
{
    switch (side) {
    case 28: return 2;
    case 32: return 3;
    case 64: return 4;
    default: return 0;
    }
}

std::vector<int> ModelConfig::effectiveHidden() const
{
    if (!hidden.empty())
        return hidden;
    if (architecture == Architecture::Mlp)
        return {400};
    std::vector<int> channelsPerLayer;
    for (int i = 0, c = 32; i < convLayerCount(height); ++i, c *= 2)
        channelsPerLayer.push_back(c);
    return channelsPerLayer;
}

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
    if (!(beta >= 0.0))
        throw Error("beta must be zero or positive");
    for (int h : hidden)
        if (h < 1 || h > 65536)
            throw Error("hidden sizes must be between 1 and 65536, got " + std::to_string(h));
    if (architecture == Architecture::Conv) {
        if (height != width || convLayerCount(height) == 0)
            throw Error("the convolutional VAE takes square images of 28, 32 or 64 px, got "
                        + std::to_string(width) + "x" + std::to_string(height));
        if (!hidden.empty() && int(hidden.size()) != convLayerCount(height))
            throw Error("the convolutional VAE for " + std::to_string(height) + " px needs "
                        + std::to_string(convLayerCount(height)) + " channel counts, got "
                        + std::to_string(hidden.size()));
    }
}

std::string toString(Architecture a)
{
    return a == Architecture::Mlp ? "mlp" : "conv";
}

std::string toString(Likelihood l)
{
    switch (l) {
    case Likelihood::Bernoulli: return "bernoulli";
    case Likelihood::Gaussian: return "gaussian";
    case Likelihood::Laplace: return "laplace";
    }
    return "bernoulli";
}

Architecture architectureFromString(const std::string& s)
{
    if (s == "mlp") return Architecture::Mlp;
    if (s == "conv") return Architecture::Conv;
    throw Error("unknown architecture '" + s + "' (expected mlp or conv)");
}

Likelihood likelihoodFromString(const std::string& s)
{
    if (s == "bernoulli" || s == "bce") return Likelihood::Bernoulli;
    if (s == "gaussian" || s == "mse") return Likelihood::Gaussian;
    if (s == "laplace" || s == "l1") return Likelihood::Laplace;
    throw Error("unknown likelihood '" + s + "' (expected bernoulli, gaussian or laplace)");
}

} // namespace latentlab
