#include "core/data/faces/detail/FaceLabeller.h"

#include <algorithm>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace latentlab {

namespace {

constexpr int kWorkSide = kFaceWorkSide;
// The smile cascade fires on most mouths, smiling or not (on Megamind.avi at any
// neighbour count up to 70): this label is the noisiest of the two.
constexpr int kSmileNeighbours = 25;
// Glasses: mean vertical-gradient strength in the strip between the eyes (the frame's
// bridge), relative to the whole face. Megamind.avi, eyes found: 0.59 to 1.59 in the 13
// frames with glasses, 0.30 to 0.47 in 11 of the 12 without (one at 1.29).
constexpr double kBridgeRatio = 0.55;

} // namespace

FaceLabeller::FaceLabeller(const FaceOptions& o) : smile_(loadCascade(o.cascadeDir, "haarcascade_smile.xml")) {}

// The automatic labels, from the levelled face (its box only) at kWorkSide and the eyes there.
void FaceLabeller::label(const cv::Mat& faceGrey, const EyePair& eyes, FaceCrop* out)
{
    cv::Mat work;
    cv::resize(faceGrey, work, cv::Size(kWorkSide, kWorkSide), 0, 0,
               faceGrey.cols > kWorkSide ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::equalizeHist(work, work);

    std::vector<cv::Rect> smiles;
    smile_.detectMultiScale(work(cv::Rect(0, kWorkSide / 2, kWorkSide, kWorkSide / 2)), smiles, 1.1, kSmileNeighbours,
                             0, cv::Size(kWorkSide / 4, kWorkSide / 8));
    out->smiling = !smiles.empty();

    // The eyeglasses cascade finds eyes behind glasses, not glasses (on Megamind.avi it
    // fires as often without them), so glasses are told by the frame's bridge between the eyes.
    // Without both eyes the strip's place is a guess (a blurred face scored 1.6): no glasses.
    out->eyeglasses = false;
    if (!eyes.found)
        return;
    const cv::Point2d left = eyes.left, right = eyes.right;
    const double d = right.x - left.x, mid = (left.x + right.x) / 2, y = (left.y + right.y) / 2;
    const cv::Rect strip = cv::Rect(int(mid - 0.15 * d), int(y - 0.35 * d), std::max(1, int(0.3 * d)),
                                    std::max(1, int(0.5 * d)))
                           & cv::Rect(0, 0, kWorkSide, kWorkSide);
    cv::Mat gradient;
    cv::Sobel(work, gradient, CV_32F, 0, 1);
    gradient = cv::abs(gradient);
    const double all = cv::mean(gradient)[0];
    out->eyeglasses = !strip.empty() && all > 0 && cv::mean(gradient(strip))[0] / all > kBridgeRatio;
}

} // namespace latentlab
