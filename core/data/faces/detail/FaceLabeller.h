#pragma once
// The automatic labels of a levelled face: Smiling_auto from the smile cascade,
// Eyeglasses_auto from the frame's edge across the bridge of the nose. A guess, not a
// person's judgement: noisy (see FacePipeline.h). Private to the face pipeline.
#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

#include "core/data/faces/detail/FaceDetector.h"

namespace latentlab {

class FaceLabeller {
public:
    explicit FaceLabeller(const FaceOptions& options);
    // `faceGrey` is the levelled face's box; `eyes` are in it at kFaceWorkSide.
    void label(const cv::Mat& faceGrey, const EyePair& eyes, FaceCrop* out);

private:
    cv::CascadeClassifier smile_;
};

} // namespace latentlab
