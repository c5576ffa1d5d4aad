#pragma once
// Finding the one face of a photo with OpenCV's Haar cascades (Debian's opencv-data):
// several detections are ranked by two eyes in plausible places, then a second
// cascade's confirmation, then size. Private to the face pipeline (OpenCV types).
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

#include "core/data/faces/FacePipeline.h"

namespace latentlab {

// Eyes, smiles and glasses are looked for with the face scaled to this width: the
// eye cascade's window is 20 px, so a 40 px face in a crowd would never show its eyes.
constexpr int kFaceWorkSide = 160;

struct EyePair {
    bool found = false;
    cv::Point2d left, right; // on the image's left and right
};

struct DetectedFace {
    bool found = false;
    cv::Rect box; // photo coordinates
    EyePair eyes;
};

inline cv::Point2d centreOf(const cv::Rect& r)
{
    return {r.x + r.width / 2.0, r.y + r.height / 2.0};
}

// Throws latentlab::Error naming the file and the opencv-data package when it is missing.
cv::CascadeClassifier loadCascade(const std::string& dir, const char* file);

class FaceDetector {
public:
    explicit FaceDetector(const FaceOptions& options);
    // The most plausible face in a BGR photo, or found = false.
    DetectedFace find(const cv::Mat& bgr);

private:
    cv::CascadeClassifier face_, faceCheck_, eyes_, glassesEyes_;
};

} // namespace latentlab
