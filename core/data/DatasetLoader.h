#pragma once
#include <string>

#include "core/data/Dataset.h"

namespace latentlab {

struct DatasetOptions {
    // Size and colour that folder images are resized, centre-cropped and converted to.
    int imageSize = 28;
    int channels = 1;
    // Where faces:PATH keeps detected faces, so the second run does not detect again
    // (default ~/.cache/latentlab/faces).
    std::string faceCacheDir;
};

// Loads a data set from a spec, `kind[:argument]`: the kinds are one table in
// DatasetLoader.cpp, listed by specHelp() (fashion-mnist, the default; idx:, digits,
// folder:, synth-faces, cards, faces:). Sets without their own test split hold out every tenth image (a t10k sibling of an
// idx train file is used as its test set). Throws latentlab::Error naming the file.
class DatasetLoader {
public:
    static DatasetSplit load(const std::string& spec, const DatasetOptions& options = {});
    static std::string defaultSpec() { return "fashion-mnist"; }
    // Human-readable list of the spec forms, for --help texts.
    static std::string specHelp();
};

} // namespace latentlab
