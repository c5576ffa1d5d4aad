#pragma once
// A VAE from PyTorch, saved with torch.jit.script(model).save(path) (pytorch/examples'
// vae/main.py convention: encode(x) -> (mu, logvar), decode(z) -> image), described by an
// extra file latentlab.json inside it (ScriptDescription). Torch-free header.
#include <memory>
#include <string>

#include "core/base/Error.h"
#include "core/formats/ScriptDescription.h"
#include "core/model/Model.h"

namespace latentlab {

// Thrown when a TorchScript file says too little (no image shape) for LatentLab to open
// it: the window asks, the CLI names its options.
class ScriptDescriptionMissing : public Error {
public:
    using Error::Error;
};

class TorchScriptFile {
public:
    static constexpr const char* kDescriptionName = "latentlab.json";
    // The most bytes a TorchScript file may have (LatentLab's own networks are at most
    // 512 MiB of weights).
    static constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 31;

    // Whether the file starts as a zip archive does, as TorchScript files do.
    static bool looksLikeOne(const std::string& path);
    // PATH.latentlab.json: where LatentLab keeps what it adds to a .pt file (attribute
    // vectors, the answers to its questions), since the .pt is not its to rewrite.
    static std::string sidecarPath(const std::string& path);

    // Opens it: the description inside, then the sidecar's, then `given` (each overriding
    // the one before); the latent size and, where not given, the input layout and the
    // decode's output are found by probing the methods. Throws latentlab::Error naming
    // the file and what is wrong, ScriptDescriptionMissing when the image shape is unknown.
    static std::unique_ptr<Model> load(const std::string& path, const ScriptDescription& given = {});
    // A model opened from a TorchScript file: to that file, only its sidecar is written;
    // to any other path, a new TorchScript file with the description inside.
    static void save(const Model& model, const std::string& path);
    // LatentLab's own model as a TorchScript module that Python's torch.jit.load runs:
    // its family's encode and decode (ModelFamily::torchScript) over a copy of its
    // weights, forward(x) -> (decode(z), mu, logvar) with z sampled as in pytorch/examples,
    // the description inside. A model opened from TorchScript is saved as a copy.
    static void exportModel(const Model& model, const std::string& path);
    // The description the model is explored with (after probing), as JSON text.
    static std::string describe(const Model& model);
};

} // namespace latentlab
