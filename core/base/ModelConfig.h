#pragma once
// What is needed to rebuild a network: stored in every model file's header.
// Part of core/base: torch- and Qt-free, shared by core, models and ui.
#include <cstddef>
#include <string>
#include <vector>

namespace latentlab {

enum class Likelihood { Bernoulli, Gaussian, Laplace };

struct ModelConfig {
    std::string architecture = "mlp";  // a model family's name: a row of models/ModelRegistry
    bool variational = true;           // false: plain deterministic autoencoder (baseline)
    int latentDim = 20;
    std::vector<int> hidden;           // the family's layer sizes (MLP: widths; conv: channels); empty = its default
    int channels = 1;
    int height = 28;
    int width = 28;
    Likelihood likelihood = Likelihood::Bernoulli;
    double beta = 1.0;                 // weight of the KL term
    // > 0: a conditional VAE over that many classes; encoder and decoder also take the
    // label one-hot, so a class can be generated and one style carried across classes.
    int conditionClasses = 0;
    // The rotation-invariant VAE's priors: the angle ~ N(0, rotationPrior^2) in radians,
    // the shift ~ N(0, translationPrior^2) in half-widths of the image.
    double rotationPrior = 1.0;
    double translationPrior = 0.1;

    // Bounded by validate(): at most 3 x 1024 x 1024.
    int pixelCount() const { return channels * height * width; }
    static constexpr std::size_t kMaxHiddenLayers = 16;
    static constexpr double kMaxBeta = 1000.0;
    static constexpr double kMaxRotationPrior = 6.283185307179586;
    // The checks every family shares; throws latentlab::Error naming the first thing
    // that is wrong. ModelRegistry::validate adds the family's own.
    void validate() const;
};

std::string toString(Likelihood l);
Likelihood likelihoodFromString(const std::string& s);

} // namespace latentlab
