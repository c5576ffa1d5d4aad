#pragma once
// A person's own photos (a folder, or a video file) as a face training set: the
// largest frontal face per photo or per Nth video frame, found with OpenCV's Haar
// cascades (Debian's opencv-data), cropped with a margin, levelled by the eyes when
// both are found, 64 x 64 RGB. OpenCV-free on the outside.
#include <string>
#include <utility>
#include <vector>

#include "core/Dataset.h"

namespace latentlab {

struct FaceOptions {
    int size = 64;                 // output side, RGB
    double margin = 0.25;          // border around the detected box, as a fraction of its side
    int everyNthFrame = 5;         // videos: look at every Nth frame
    bool automaticLabels = true;   // Smiling_auto / Eyeglasses_auto from the smile and eyeglasses cascades
    std::string cacheDir;          // empty: no cache
    std::string cascadeDir = "/usr/share/opencv4/haarcascades";
};

struct FaceReport {
    std::size_t imagesRead = 0;    // photos or video frames looked at
    std::size_t facesFound = 0;
    std::vector<std::pair<std::string, std::string>> skipped; // (photo or "frame N", why)
    bool fromCache = false;
    std::string summary() const;
};

class FacePipeline {
public:
    // The automatic labels are noisy (a cascade's guess, not a person's): their names end
    // in "_auto". Throws latentlab::Error for a missing path or cascade, or when no face at
    // all is found (with the report's summary).
    static Dataset load(const std::string& path, const FaceOptions& options, FaceReport* report);
};

} // namespace latentlab
