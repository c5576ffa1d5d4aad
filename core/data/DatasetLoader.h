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

// Loads a data set from a spec:
//   fashion-mnist          Debian's dataset-fashion-mnist (the default; 60,000 + 10,000)
//   idx:IMAGES[,LABELS]    any MNIST-style file pair, gzipped or not
//   digits                 OpenCV's sheet of 5,000 handwritten 20x20 digits
//   folder:PATH            PNG/JPEG files; sub-folder names become labels
//   synth-faces[:COUNT]    generated 64 x 64 faces with known attributes (20,000 + 2,000)
//   cards[:PRESET]         generated card suits, rotated and sheared (cards1 to cards4)
//   faces:PATH             faces found in a folder of photos or a video (Haar cascades)
// Sets without their own test split hold out every tenth image (a t10k sibling of an
// idx train file is used as its test set). Throws latentlab::Error naming the file.
class DatasetLoader {
public:
    static DatasetSplit load(const std::string& spec, const DatasetOptions& options = {});
    static std::string defaultSpec() { return "fashion-mnist"; }
    // Human-readable list of the spec forms, for --help texts.
    static std::string specHelp();
};

} // namespace latentlab
