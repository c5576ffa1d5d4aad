#include "core/data/faces/detail/FaceDetector.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

// alt2 finds the faces in Megamind.avi's dim frames (26 of 27 at N = 10, the miss
// being a black frame) where the default cascade finds 21 and more hair; the default
// cascade only confirms alt2's candidates when there are several (see chooseFace).
constexpr const char* kFaceCascade = "haarcascade_frontalface_alt2.xml";
constexpr const char* kCheckCascade = "haarcascade_frontalface_default.xml";
constexpr const char* kEyeCascade = "haarcascade_eye.xml";
constexpr const char* kGlassesEyeCascade = "haarcascade_eye_tree_eyeglasses.xml";

// Photos are detected on a copy whose longer side is at most this: a 12-megapixel
// phone photo takes seconds in a cascade and its faces are large anyway.
constexpr int kDetectSide = 960;
constexpr int kWorkSide = kFaceWorkSide;
// Where the eyes of a Haar face box sit (fractions of its side; measured on Megamind.avi).
constexpr double kEyeX = 0.30, kEyeY = 0.40;
struct Cascades {
    cv::CascadeClassifier &face, &faceCheck, &eyes, &glassesEyes;
};

// The pair of detections most like two eyes of a face `side` wide whose box starts
// at `top` (band coordinates): one each side of the middle, a plausible distance
// apart, similar in size, nearly level, nearest to where eyes usually are.
EyePair bestPair(const std::vector<cv::Rect>& found, double side, double top)
{
    const cv::Point2d expectLeft(kEyeX * side, kEyeY * side - top), expectRight((1 - kEyeX) * side, kEyeY * side - top);
    EyePair best;
    double bestCost = 0;
    for (const cv::Rect& a : found) {
        for (const cv::Rect& b : found) {
            const cv::Point2d l = centreOf(a), r = centreOf(b);
            if (!(l.x < side / 2 && r.x > side / 2))
                continue;
            const double dx = r.x - l.x, dy = r.y - l.y;
            const double ratio = double(std::max(a.width, b.width)) / std::min(a.width, b.width);
            if (dx < 0.25 * side || dx > 0.7 * side || std::abs(dy) > 0.5 * dx || ratio > 1.8)
                continue;
            const double cost = cv::norm(l - expectLeft) + cv::norm(r - expectRight);
            if (!best.found || cost < bestCost) {
                best = {true, l, r};
                bestCost = cost;
            }
        }
    }
    return best;
}

// Both eyes of the face `box` in `grey` (photo coordinates), or found = false.
EyePair findEyes(Cascades& c, const cv::Mat& grey, const cv::Rect& box)
{
    const cv::Rect band = cv::Rect(box.x, box.y + int(0.15 * box.height), box.width, int(0.5 * box.height))
                          & cv::Rect(0, 0, grey.cols, grey.rows);
    if (band.width < 8 || band.height < 4)
        return {};
    const double k = double(kWorkSide) / box.width;
    cv::Mat work;
    cv::resize(grey(band), work, cv::Size(), k, k, k < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::equalizeHist(work, work); // locally: a dim face in a bright photo still shows its eyes
    const double top = (band.y - box.y) * k;
    const cv::Size minEye(20, 20), maxEye(kWorkSide / 2, kWorkSide / 2);
    std::vector<cv::Rect> found;
    c.eyes.detectMultiScale(work, found, 1.1, 3, 0, minEye, maxEye);
    EyePair pair = bestPair(found, kWorkSide, top);
    if (!pair.found) { // eyes behind glasses: what the eyeglasses cascade was trained for
        c.glassesEyes.detectMultiScale(work, found, 1.1, 3, 0, minEye, maxEye);
        pair = bestPair(found, kWorkSide, top);
    }
    if (pair.found) {
        const cv::Point2d origin(band.x, band.y);
        pair.left = origin + pair.left * (1 / k);
        pair.right = origin + pair.right * (1 / k);
    }
    return pair;
}

struct Candidate {
    cv::Rect box; // photo coordinates
    EyePair eyes;
    bool confirmed = false; // found by both face cascades
};

double overlap(const cv::Rect& a, const cv::Rect& b)
{
    const double both = (a & b).area();
    return both / (a.area() + b.area() - both);
}

// Whether the default cascade finds a face of about the size of `r` around it (detectGrey).
bool confirmed(Cascades& c, const cv::Mat& detectGrey, const cv::Rect& r)
{
    const int grow = int(0.3 * r.width);
    const cv::Rect around = cv::Rect(r.x - grow, r.y - grow, r.width + 2 * grow, r.height + 2 * grow)
                            & cv::Rect(0, 0, detectGrey.cols, detectGrey.rows);
    std::vector<cv::Rect> found;
    c.faceCheck.detectMultiScale(detectGrey(around), found, 1.1, 3, 0, cv::Size(r.width * 6 / 10, r.width * 6 / 10),
                                 cv::Size(r.width * 16 / 10, r.width * 16 / 10));
    return !found.empty();
}

// The face to keep, from alt2's detections (in detectGrey, `scale` times the photo's size).
// Two eyes in place count most, then the default cascade finding it too, then size:
// messi5.jpg's largest detection is the crest on his shirt (no eyes, not confirmed), and
// alt2's only box in some Megamind.avi frames is the hair above the face. So when alt2's
// best shows no eyes, the default cascade's own detections are candidates too.
Candidate chooseFace(Cascades& c, const cv::Mat& photoGrey, const cv::Mat& detectGrey, double scale,
                     const std::vector<cv::Rect>& found, int minSide)
{
    const auto candidate = [&](const cv::Rect& r, bool check) {
        Candidate k;
        k.box = cv::Rect(int(std::lround(r.x / scale)), int(std::lround(r.y / scale)), int(std::lround(r.width / scale)),
                         int(std::lround(r.height / scale)))
                & cv::Rect(0, 0, photoGrey.cols, photoGrey.rows);
        k.eyes = findEyes(c, photoGrey, k.box);
        k.confirmed = check && confirmed(c, detectGrey, r);
        return k;
    };
    const auto rank = [](const Candidate& k) { return std::make_tuple(k.eyes.found, k.confirmed, k.box.area()); };
    const auto best = [&](const std::vector<Candidate>& all) {
        return *std::max_element(all.begin(), all.end(),
                                 [&](const Candidate& a, const Candidate& b) { return rank(a) < rank(b); });
    };
    std::vector<Candidate> candidates;
    for (const cv::Rect& r : found)
        candidates.push_back(candidate(r, found.size() > 1));
    if (best(candidates).eyes.found)
        return best(candidates);

    std::vector<cv::Rect> others;
    c.faceCheck.detectMultiScale(detectGrey, others, 1.1, 5, 0, cv::Size(minSide, minSide));
    for (const cv::Rect& r : others) {
        const bool known = std::any_of(found.begin(), found.end(), [&](const cv::Rect& f) { return overlap(r, f) > 0.3; });
        if (!known)
            candidates.push_back(candidate(r, false));
    }
    return best(candidates);
}

} // namespace

cv::CascadeClassifier loadCascade(const std::string& dir, const char* file)
{
    const std::string path = (fs::path(dir) / file).string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(path + ": Haar cascade not found (install Debian's opencv-data package, or set the cascade "
                    "folder to one holding " + file + ")");
    cv::CascadeClassifier cascade;
    if (!cascade.load(path))
        throw Error(path + ": cannot load this Haar cascade (corrupt? reinstall Debian's opencv-data package)");
    return cascade;
}

FaceDetector::FaceDetector(const FaceOptions& o)
    : face_(loadCascade(o.cascadeDir, kFaceCascade)),
      faceCheck_(loadCascade(o.cascadeDir, kCheckCascade)),
      eyes_(loadCascade(o.cascadeDir, kEyeCascade)),
      glassesEyes_(loadCascade(o.cascadeDir, kGlassesEyeCascade))
{
}

DetectedFace FaceDetector::find(const cv::Mat& bgr)
{
    Cascades c{face_, faceCheck_, eyes_, glassesEyes_};
    cv::Mat photoGrey, detectGrey;
    cv::cvtColor(bgr, photoGrey, cv::COLOR_BGR2GRAY);
    const double scale = std::min(1.0, double(kDetectSide) / std::max(bgr.cols, bgr.rows));
    if (scale < 1)
        cv::resize(photoGrey, detectGrey, cv::Size(), scale, scale, cv::INTER_AREA);
    else
        detectGrey = photoGrey.clone();
    cv::equalizeHist(detectGrey, detectGrey);
    const int minSide = std::max(24, std::min(detectGrey.cols, detectGrey.rows) / 10);
    std::vector<cv::Rect> found;
    c.face.detectMultiScale(detectGrey, found, 1.1, 5, 0, cv::Size(minSide, minSide));
    if (found.empty())
        return {};
    const Candidate face = chooseFace(c, photoGrey, detectGrey, scale, found, minSide);
    return {true, face.box, face.eyes};
}

} // namespace latentlab
