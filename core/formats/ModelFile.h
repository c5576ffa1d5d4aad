#pragma once
#include <memory>
#include <string>

#include "core/model/Model.h"

namespace latentlab {

// One file per model: a magic line, a JSON header (format version, architecture,
// image shape, likelihood, beta, data set, training history, attribute vectors,
// the list of tensors, the optimiser's step) and the raw little-endian float32 weights
// (then the optimiser's moments, when kept) with a CRC-32. TorchScript files (zip
// archives) open through TorchScriptFile, and models opened from them save through it.
class ModelFile {
public:
    // 2 adds the optimiser's state (Adam's moments and step) after the weights; files of
    // version 1 still load, and continue training from their weights alone.
    static constexpr int kFormatVersion = 2;

    // Writes to PATH.tmp and renames, so a crash never leaves a broken model file.
    static void save(const Model& model, const std::string& path);
    // Checks everything (magic, version, header, sizes, shapes, checksum) and throws
    // latentlab::Error with a clear message instead of loading something wrong.
    static std::unique_ptr<Model> load(const std::string& path);
    // The header alone, as JSON text (for `latentlab-cli info` and the GUI).
    static std::string readHeader(const std::string& path);
};

} // namespace latentlab
