#pragma once
// What LatentLab needs to know of a TorchScript VAE besides its two methods, in the words
// of the model file's header where they overlap:
//   {"image": {"channels": 1, "height": 28, "width": 28}, "input": "flat" or "image",
//    "latent": 20, "decode_output": "probabilities" or "logits", "likelihood": "bernoulli",
//    "class_names": [...], "dataset": "fashion-mnist", "attributes": [...]}
// It travels inside the .pt file as the extra file latentlab.json, beside it in the
// sidecar, or from the user (the CLI's options, the window's question). Every field may
// be missing; the sources are merged, the user's first.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ImageShape.h"
#include "core/base/ModelConfig.h"
#include "core/model/Model.h"

namespace latentlab {

struct ScriptDescription {
    // The most JSON text a description (inside the file or beside it) may have.
    static constexpr std::size_t kMaxTextBytes = 16u << 20;

    std::optional<ImageShape> image;
    std::optional<bool> flatInput;     // "input": "flat" ([N, C*H*W]) or "image" ([N, C, H, W])
    std::optional<int> latent;         // checked against a probe encode
    std::optional<bool> decodesLogits; // "decode_output": "logits" or "probabilities"
    std::optional<Likelihood> likelihood;
    std::optional<std::vector<std::string>> classNames;
    std::optional<std::string> dataset;
    // Attribute vectors LatentLab made for it (kept in the sidecar, or inside a copy that
    // LatentLab saved); "attributes" needs "latent", which their lengths must match.
    std::optional<std::vector<AttributeVector>> attributes;

    // From JSON text; throws latentlab::Error naming the field that is wrong and `where`
    // the text came from. Unknown fields are ignored (the sidecar adds its own).
    static ScriptDescription parse(const std::string& text, const std::string& where);
    // As JSON text, the fields that are set.
    std::string toJson() const;
    // This one with the fields that `over` sets replaced by its values.
    ScriptDescription overriddenBy(const ScriptDescription& over) const;
};

} // namespace latentlab
