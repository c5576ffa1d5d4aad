#pragma once
// What is needed to rebuild a network: stored in every model file's header.
// Torch-free so that ui/ can show and edit it.
#include <string>
#include <vector>

namespace latentlab {

enum class Architecture { Mlp, Conv };
enum class Likelihood { Bernoulli, Gaussian, Laplace };

struct ModelConfig {
    Architecture architecture = Architecture::Mlp;
    bool variational = true;           // false: plain deterministic autoencoder (baseline)
    int latentDim = 20;
    std::vector<int> hidden;           // MLP: hidden widths; conv: channels per stride-2 layer; empty = default
    int channels = 1;
    int height = 28;
    int width = 28;
    Likelihood likelihood = Likelihood::Bernoulli;
    double beta = 1.0;                 // weight of the KL term
    // > 0: a conditional VAE over that many classes; encoder and decoder also take the
    // label one-hot, so a class can be generated and one style carried across classes.
    int conditionClasses = 0;

    int pixelCount() const { return channels * height * width; }
    // The hidden sizes in effect: the defaults when `hidden` is empty.
    std::vector<int> effectiveHidden() const;
    // Throws latentlab::Error naming the first thing that is wrong.
    void validate() const;
};

std::string toString(Architecture a);
std::string toString(Likelihood l);
Architecture architectureFromString(const std::string& s);
Likelihood likelihoodFromString(const std::string& s);

// Number of stride-2 convolutions the conv VAE uses for an image side (28 -> 2, 32 -> 3, 64 -> 4).
int convLayerCount(int side);

} // namespace latentlab
