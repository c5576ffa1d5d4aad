#pragma once
// One photo's face as the pipeline keeps it: found, rotated about the eyes so that
// they are level, cut square with a margin, scaled, and labelled when a labeller is
// given. Private to the face pipeline.
#include <opencv2/core.hpp>

#include "core/data/faces/detail/FaceDetector.h"
#include "core/data/faces/detail/FaceLabeller.h"

namespace latentlab {

// `bgr` is the whole photo; `labeller` may be null (no automatic labels).
FaceCrop cropAndLevel(FaceDetector& detector, FaceLabeller* labeller, const cv::Mat& bgr, const FaceOptions& options);

} // namespace latentlab
