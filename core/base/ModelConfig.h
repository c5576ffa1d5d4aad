#pragma once
// What is needed to rebuild a network: stored in every model file's header.
// Part of core/base: torch- and Qt-free, shared by core, models and ui.
#include <cstddef>
#include <string>
#include <vector>

#include "core/base/Corruption.h"

namespace latentlab {

// The reconstruction term. Ssim is 1 - SSIM (structural similarity), not a likelihood:
// its losses are not nats, and the IWAE estimate is refused for it.
enum class Likelihood { Bernoulli, Gaussian, Laplace, Ssim };

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
    // Ssim: the term is reconWeight * (1 - SSIM) * the image's value count, so that at
    // weight 1 it weighs against the KL like a per-pixel error. A family may give it its
    // own meaning (ModelFamily::weighsRecon: the VAE-GAN's feature error against its GAN loss).
    double reconWeight = 1.0;
    // > 0: a conditional VAE over that many classes; encoder and decoder also take the
    // label one-hot, so a class can be generated and one style carried across classes.
    int conditionClasses = 0;
    // The rotation-invariant VAE's priors: the angle ~ N(0, rotationPrior^2) in radians,
    // the shift ~ N(0, translationPrior^2) in half-widths of the image.
    double rotationPrior = 1.0;
    double translationPrior = 0.1;
    // The rVAE's decoder runs at every pixel: > 0 trains it on that many pixels of each
    // image, drawn afresh every step (an unbiased estimate of the reconstruction term,
    // scaled to the whole image); 0 (or as many as the image has) = all pixels.
    // Evaluation always uses every pixel.
    int pixelSample = 0;
    // The rVAE's angle-consistency weight: > 0 adds, per image, weight * (1 - cos(phi(R x)
    // - phi(x) - delta)) for the input turned by a random delta, so that its angle latent
    // turns with the image (an equivariance the decoder alone does not enforce: a blurry
    // decoder is matched by angles taken modulo a quarter turn). 0 = off.
    double angleConsistency = 0.0;
    // What the input suffers in training and evaluation (the target stays clean): a
    // denoising autoencoder. Drawn afresh for every batch.
    Corruption corruption;

    // Bounded by validate(): at most 3 x 1024 x 1024.
    int pixelCount() const { return channels * height * width; }
    // What the encoder takes: a colourising model (grey corruption) sees 1 channel and
    // gives `channels` (3); every other model takes what it gives.
    int inputChannels() const { return corruption.kind == Corruption::Kind::Grey ? 1 : channels; }
    int inputPixelCount() const { return inputChannels() * height * width; }
    static constexpr std::size_t kMaxHiddenLayers = 16;
    static constexpr double kMaxBeta = 1000.0;
    static constexpr double kMaxReconWeight = 1e6;
    static constexpr double kMaxRotationPrior = 6.283185307179586;
    static constexpr double kMaxAngleConsistency = 10000.0;
    static constexpr int kMaxPixelSample = 1024 * 1024;
    // The checks every family shares; throws latentlab::Error naming the first thing
    // that is wrong. ModelRegistry::validate adds the family's own.
    void validate() const;
    // False for Ssim: the reconstruction term is a negative log-likelihood in nats.
    bool reconIsLikelihood() const { return likelihood != Likelihood::Ssim; }
};

std::string toString(Likelihood l);
Likelihood likelihoodFromString(const std::string& s);

} // namespace latentlab
