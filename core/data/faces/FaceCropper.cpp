#include "core/data/faces/detail/FaceCropper.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace latentlab {

namespace {

constexpr int kWorkSide = kFaceWorkSide;

cv::Point2d apply(const cv::Mat& m, const cv::Point2d& p)
{
    return {m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2),
            m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2)};
}

} // namespace

// The face in a BGR photo, levelled, cropped and scaled as the options say.
FaceCrop cropAndLevel(FaceDetector& detector, FaceLabeller* labeller, const cv::Mat& bgr, const FaceOptions& o)
{
    FaceCrop out;
    const DetectedFace face = detector.find(bgr);
    if (!face.found)
        return out;
    const cv::Rect& box = face.box;

    // Rotate about the eyes' midpoint so that their line is level, then cut a square
    // centred where the box's centre went; outside the photo, its edge pixels repeat.
    const cv::Point2d boxCentre = centreOf(box);
    cv::Point2d pivot = boxCentre;
    if (face.eyes.found) {
        out.eyesFound = true;
        out.rollDegrees = FacePipeline::eyeLineAngleDegrees(face.eyes.left.x, face.eyes.left.y, face.eyes.right.x,
                                                            face.eyes.right.y);
        pivot = (face.eyes.left + face.eyes.right) * 0.5;
    }
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(pivot), out.rollDegrees, 1.0); // positive: anticlockwise
    const cv::Point2d centre = apply(m, boxCentre);
    const int side = std::max(1, int(std::lround(box.width * (1 + 2 * o.margin))));
    m.at<double>(0, 2) -= centre.x - side / 2.0;
    m.at<double>(1, 2) -= centre.y - side / 2.0;
    cv::Mat levelled;
    cv::warpAffine(bgr, levelled, m, cv::Size(side, side), cv::INTER_LINEAR, cv::BORDER_REPLICATE);

    cv::Mat small;
    cv::resize(levelled, small, cv::Size(o.size, o.size), 0, 0, side > o.size ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::cvtColor(small, small, cv::COLOR_BGR2RGB);
    out.found = true;
    out.image = Image{o.size, o.size, 3, std::vector<std::uint8_t>(small.data, small.data + small.total() * 3)};
    out.box[0] = box.x;
    out.box[1] = box.y;
    out.box[2] = box.width;
    out.box[3] = box.height;
    const double toOut = double(o.size) / side;
    if (face.eyes.found) {
        const cv::Point2d l = apply(m, face.eyes.left) * toOut, r = apply(m, face.eyes.right) * toOut;
        out.eyes[0] = l.x;
        out.eyes[1] = l.y;
        out.eyes[2] = r.x;
        out.eyes[3] = r.y;
    }

    if (labeller) {
        const int offset = int(std::lround((side - box.width) / 2.0));
        const cv::Rect inner = cv::Rect(offset, offset, box.width, box.width) & cv::Rect(0, 0, side, side);
        cv::Mat faceGrey;
        cv::cvtColor(levelled(inner), faceGrey, cv::COLOR_BGR2GRAY);
        EyePair eyes;
        if (face.eyes.found) { // where the eyes are in that face at kWorkSide
            const double k = double(kWorkSide) / inner.width;
            const cv::Point2d origin(inner.x, inner.y);
            eyes = {true, (apply(m, face.eyes.left) - origin) * k, (apply(m, face.eyes.right) - origin) * k};
        }
        labeller->label(faceGrey, eyes, &out);
    }
    return out;
}

} // namespace latentlab
