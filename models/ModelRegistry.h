#pragma once
// The model families LatentLab builds: one row each, one folder each under models/.
// Torch-free, so that the CLI's --help and the training dock can list the rows; only
// core's sources build networks from them. docs/architecture.md says how to add one.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/ModelConfig.h"

namespace latentlab {

class VaeNetwork; // models/VaeNetwork.h (torch)

// A named stretch of the latent code and its prior, e.g. the rVAE's angle and shift.
struct LatentPart {
    std::string name;
    int size = 0;
    std::string prior; // as shown to the user, e.g. "N(0, I)"
    double sigma = 1.0; // the prior's standard deviation: every part's prior is a centred Gaussian
};

struct ModelFamily {
    std::string name;               // --arch and the model file's architecture.type
    std::string title;              // the training dock's name for it
    std::string autoencoderTitle;   // its deterministic baseline's, empty when it has none
    std::string help;               // one line for --help
    int defaultImageSize = 28;      // side that folder images are resized to for it
    int poseSize = 0;               // code values besides the --latent content (the rVAE's angle and shift)
    // The objective's named terms in the order VaeNetwork::objective returns them; the
    // first two are always the ELBO's reconstruction and KL.
    std::vector<std::string> lossTerms;
    // The layer sizes when ModelConfig::hidden is empty.
    std::vector<int> (*defaultHidden)(const ModelConfig&) = nullptr;
    // The family's own checks (ModelConfig::validate has run), if any; throws latentlab::Error.
    void (*validate)(const ModelConfig&) = nullptr;
    std::vector<LatentPart> (*latentLayout)(const ModelConfig&) = nullptr;
    // How many floats its network's parameters hold, computed without building it,
    // so that a model file or an option cannot make LatentLab allocate a huge network.
    std::uint64_t (*parameterCount)(const ModelConfig&) = nullptr;
    // A network with fresh weights (seed torch's generator first).
    std::shared_ptr<VaeNetwork> (*build)(const ModelConfig&) = nullptr;
    // A network another tool wrote (TorchScript): opened from its file, never built or
    // trained by LatentLab, so it is not offered for training.
    bool imported = false;
    // Its encode(x) -> (mu, logvar) and decode(z) -> mean image as TorchScript source, in
    // terms of its parameters and buffers named as in named_parameters() with '_' for '.'
    // (TorchScriptFile::exportModel); nullptr when it cannot be exported.
    std::string (*torchScript)(const ModelConfig&) = nullptr;
    // > 0 for a family whose decoder draws each pixel on its own, so that it can train on a
    // sample of them (ModelConfig::pixelSample): how many by default. 0 for the rest.
    int defaultPixelSample = 0;
    // Its default ModelConfig::angleConsistency (families with an angle latent).
    double defaultAngleConsistency = 0.0;
    // Its own default batch size and epochs for a new model; 0: the trainer's (128, 10).
    int defaultBatchSize = 0;
    int defaultEpochs = 0;
    // True when ModelConfig::reconWeight weighs its reconstruction term whatever the
    // term (the VAE-GAN's feature error against its GAN loss); else it weighs SSIM only.
    // Its default reconWeight and learning rate for a new model (0: the trainer's 1e-3).
    bool weighsRecon = false;
    double defaultReconWeight = 1.0;
    double defaultLearningRate = 0.0;
    // True when the test ELBO does not rank the family's epochs (the VAE-GAN's decoder trains
    // on D's features, not on pixels): the model file then holds the newest good epoch, not the
    // one of the best test objective. A diverged epoch is never kept either way.
    bool keepsNewestEpoch = false;
};

class ModelRegistry {
public:
    static const std::vector<ModelFamily>& families();
    // Throws latentlab::Error naming the families there are.
    static const ModelFamily& find(const std::string& name);
    // "mlp, conv or rvae": the families LatentLab builds, for messages and --help.
    static std::string names();
    // Every check, shared and the family's, and the size of the network.
    static void validate(const ModelConfig& config);
    // Networks larger than this are refused: 128 Mi floats, 512 MiB of weights
    // (training holds four times that: weights, gradients and Adam's two moments).
    static constexpr std::uint64_t kMaxParameters = std::uint64_t(1) << 27;
    // The prior's standard deviation of each code value, from the latent layout.
    static std::vector<double> priorSigmas(const ModelConfig& config);
    // ModelConfig::hidden, or the family's default when it is empty.
    static std::vector<int> effectiveHidden(const ModelConfig& config);
    // A name per code value, from the family's latent layout: "0", "1", ... for a single
    // Gaussian code (as LatentLab always named them), the parts' names otherwise
    // ("angle", "dx", "dy", "z0", "z1", ...).
    static std::vector<std::string> dimensionNames(const ModelConfig& config);
    // The same as people read them on axes and sliders: z0, z1, ... for a plain code.
    static std::vector<std::string> dimensionLabels(const ModelConfig& config);
};

// The latent layout of a family with one plain Gaussian code (most of them).
std::vector<LatentPart> gaussianLatent(const ModelConfig& config);

} // namespace latentlab
