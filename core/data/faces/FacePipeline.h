#pragma once
// A person's own photos (a folder of photos, or a video file) as a face training set:
// the most plausible frontal face per photo or per Nth video frame, found with OpenCV's
// Haar cascades (Debian's opencv-data), cropped with a margin, levelled by the eyes when
// both are found, size x size RGB. OpenCV-free on the outside.
//
// The automatic labels (Smiling_auto, Eyeglasses_auto) are a cascade's and an edge
// test's guess, not a person's: noisy, hence the "_auto" suffix. Train on them, but do
// not read them as ground truth.
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/data/Dataset.h"
#include "core/base/Image.h"

namespace latentlab {

struct FaceOptions {
    int size = 64;                 // output side, RGB
    double margin = 0.25;          // extra border around the detected box, as a fraction of its side
    int everyNthFrame = 5;         // videos: look at every Nth frame
    bool automaticLabels = true;   // Smiling_auto / Eyeglasses_auto (noisy, see above)
    std::string cacheDir;          // empty: no cache; else faces are cached there keyed by the source's
                                   // path, size and mtime (every photo's, for a folder) and the options
    std::string cascadeDir = "/usr/share/opencv4/haarcascades";
    // Gets (photos or frames looked at, how many there are; 0 when a video does not say).
    std::function<void(std::size_t, std::size_t)> progress;
};

struct FaceReport {
    std::size_t imagesRead = 0;    // photos or video frames looked at
    std::size_t facesFound = 0;
    std::vector<std::pair<std::string, std::string>> skipped; // (photo or "video frame N", why)
    bool fromCache = false;
    std::string summary() const;   // one human-readable paragraph
};

// One photo's face as load() crops it (for tests, and tools that crop a single image).
struct FaceCrop {
    bool found = false;
    Image image;                   // size x size RGB; empty when no face was found
    int box[4] = {};               // the detected face in the photo: x, y, width, height
    bool eyesFound = false;        // both eyes found, so the crop was levelled
    double rollDegrees = 0;        // the eye line's tilt in the photo that was rotated away
    double eyes[4] = {};           // eye centres in the crop after levelling: left x, y, right x, y
    bool smiling = false;          // the automatic labels (noisy)
    bool eyeglasses = false;
};

class FacePipeline {
public:
    // A folder of PNG/JPEG photos (searched recursively) or a video file (.avi .mp4 .mkv .mov
    // .webm): per photo or Nth frame, one face, channel-first uint8 RGB. File names are the
    // photo's path relative to the folder, or "frame-000123". With automaticLabels, the
    // attributes "Smiling_auto" and "Eyeglasses_auto" (1 / -1). Photos without a face and
    // unreadable ones are listed in the report, not fatal. A cache that cannot be written
    // only makes the next run slower; one that cannot be read is ignored (detected again).
    // Throws latentlab::Error when the path does not exist or is neither a folder nor a
    // video, a cascade is missing (naming the file and the opencv-data package), or no face
    // at all is found (with the report's summary). `report` may be null.
    static Dataset load(const std::string& path, const FaceOptions& options, FaceReport* report);

    // The steps load() takes for one photo (grey or RGB), cascades loaded from options.cascadeDir.
    static FaceCrop cropFace(const Image& photo, const FaceOptions& options);

    // One frame of a video as RGB, counted as load() counts them (the face "frame-000123"
    // came from frame 123). Throws Error naming the file when it cannot be opened or is shorter.
    static Image videoFrame(const std::string& path, int index);

    // The tilt of the line through two eye centres in image coordinates (y down), in degrees:
    // positive when the eye on the image's right is lower. The order of the eyes does not matter.
    static double eyeLineAngleDegrees(double x1, double y1, double x2, double y2);
};

} // namespace latentlab
