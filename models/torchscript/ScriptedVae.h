#pragma once
// A VAE written in PyTorch and saved as TorchScript, with pytorch/examples' vae/main.py
// convention: encode(x) -> (mu, logvar) and decode(z) -> image. LatentLab explores it
// through the same interface as its own networks; it is opened from its file, never built.
#include <torch/csrc/jit/api/module.h>

#include "models/ModelRegistry.h"
#include "models/VaeNetwork.h"

namespace latentlab {

class ScriptedVae : public VaeNetwork {
public:
    // How the script's methods take and give their tensors.
    struct Layout {
        bool flatInput = true;      // encode takes [N, C*H*W]; otherwise [N, C, H, W]
        bool decodesLogits = false; // decode gives logits; otherwise probabilities in [0, 1]
    };

    // Throws latentlab::Error when encode or decode is missing or has another signature.
    static void checkMethods(const torch::jit::Module& module);
    // The latent size, from encoding one blank image of the config's shape; throws naming
    // what the methods did instead (a wrong shape, an exception in the script).
    static int probeLatent(const torch::jit::Module& module, const ModelConfig& config, bool flatInput);
    // Whether decode gives logits: some output of a few codes lies outside [0, 1].
    static bool probeDecodesLogits(const torch::jit::Module& module, const ModelConfig& config);

    // The module must have passed checkMethods and fit the config (probe it first).
    ScriptedVae(torch::jit::Module module, const ModelConfig& config, Layout layout);

    // For its row of the registry: a TorchScript model is opened, not built.
    static std::vector<int> defaultHidden(const ModelConfig&) { return {}; }
    static void validate(const ModelConfig& config);
    static std::uint64_t parameterCount(const ModelConfig&) { return 0; }
    static std::shared_ptr<VaeNetwork> build(const ModelConfig& config);

    Encoding encode(const torch::Tensor& x, const torch::Tensor& labels = {}) override;
    torch::Tensor decodeLogits(const torch::Tensor& z, const torch::Tensor& labels = {}) override;
    std::shared_ptr<VaeNetwork> copy() const override;
    using VaeNetwork::to;
    void to(torch::Device device, bool nonBlocking = false) override;

    const torch::jit::Module& module() const { return module_; }
    const Layout& layout() const { return layout_; }

private:
    torch::jit::Module module_;
    ModelConfig config_;
    Layout layout_;
};

} // namespace latentlab
