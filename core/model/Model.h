#pragma once
// A trained (or freshly built) network with everything its model file records.
// Torch-free on purpose: ui/ and the tests use it without torch's headers.
#include <memory>
#include <string>
#include <vector>

#include "core/base/Image.h"
#include "core/base/ModelConfig.h"

namespace latentlab {

// One epoch of training, as printed by the CLI and kept in the model file.
struct EpochRecord {
    int epoch = 0;
    double seconds = 0;        // training time of the epoch, evaluation excluded
    double trainLoss = 0;      // objective per image: recon + beta * KL
    double trainRecon = 0;
    double trainKl = 0;
    double testLoss = 0;       // negative ELBO per image: recon + KL, z sampled
    double testRecon = 0;
    double testKl = 0;
    std::vector<double> trainExtra; // the family's further terms per image (not kept in the file)
};

// A named direction in latent space ("smile", "Sneaker minus Ankle boot").
struct AttributeVector {
    std::string name;
    std::vector<float> direction;
    // The attribute's latent classifier, w.z + b > 0 meaning "has it" (empty w when not
    // known): edits hold the attributes they do not move with it (AttributeHold).
    std::vector<double> classifierNormal;
    double classifierBias = 0;
};

struct ModelInfo {
    std::string datasetSpec;              // what it was trained on
    std::vector<std::string> classNames;
    std::size_t trainImages = 0;
    int batchSize = 0;
    double learningRate = 0;
    unsigned long long seed = 0;
    std::vector<EpochRecord> history;
    std::vector<AttributeVector> attributes;
    // The TorchScript file an imported model was opened from (not LatentLab's to rewrite:
    // what LatentLab adds is saved beside it); empty for LatentLab's own models.
    std::string importedFrom;
};

class Model {
public:
    struct Impl; // defined in core/ModelInternals.h (torch)

    // A network as the config describes, initialised from `seed`.
    explicit Model(const ModelConfig& config, unsigned long long seed = 1);
    explicit Model(std::unique_ptr<Impl> impl);
    ~Model();
    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;

    const ModelConfig& config() const;
    ModelInfo& info();
    const ModelInfo& info() const;

    // "cpu" or "cuda"; moving is cheap when already there.
    std::string device() const;
    void moveTo(const std::string& device);

    // A deep copy of the weights (a snapshot others may read while this one trains).
    std::unique_ptr<Model> clone() const;

    // `classes` matter to conditional models only: one class per image or code, or one
    // class for all; empty means class 0.
    // Mean of q(z|x) for one image; throws naming both sizes when it does not fit.
    std::vector<float> encodeImage(const Image& image, int imageClass = 0) const;
    // Means of q(z|x) for `count` images of floats in [0, 1] (C*H*W each).
    std::vector<float> encodeMeans(const std::vector<float>& images, const std::vector<int>& classes = {}) const;
    // Mean images (floats in [0, 1], C*H*W each) for latent codes (latentDim each).
    std::vector<float> decode(const std::vector<float>& codes, const std::vector<int>& classes = {}) const;
    // The same as 8-bit images, converted in one vectorised pass (the map's hot path).
    std::vector<Image> decodeImages(const std::vector<float>& codes, const std::vector<int>& classes = {}) const;

    std::size_t parameterCount() const;
    // Whether the optimiser's state is kept (a model trained by this version): continued
    // training then picks up exactly where it stopped.
    bool hasOptimizerState() const;

    Impl& impl() { return *d_; }
    const Impl& impl() const { return *d_; }

private:
    std::unique_ptr<Impl> d_;
};

} // namespace latentlab
