#include "core/data/faces/FacePipeline.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <tuple>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include "core/base/Error.h"
#include "core/formats/ImageIO.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

constexpr double kPi = 3.14159265358979323846;

// alt2 finds the faces in Megamind.avi's dim frames (26 of 27 at N = 10, the miss
// being a black frame) where the default cascade finds 21 and more hair; the default
// cascade only confirms alt2's candidates when there are several (see chooseFace).
constexpr const char* kFaceCascade = "haarcascade_frontalface_alt2.xml";
constexpr const char* kCheckCascade = "haarcascade_frontalface_default.xml";
constexpr const char* kEyeCascade = "haarcascade_eye.xml";
constexpr const char* kGlassesEyeCascade = "haarcascade_eye_tree_eyeglasses.xml";
constexpr const char* kSmileCascade = "haarcascade_smile.xml";

// Photos are detected on a copy whose longer side is at most this: a 12-megapixel
// phone photo takes seconds in a cascade and its faces are large anyway.
constexpr int kDetectSide = 960;
// Eyes, smiles and glasses are looked for with the face scaled to this width: the
// eye cascade's window is 20 px, so a 40 px face in a crowd would never show its eyes.
constexpr int kWorkSide = 160;
// Where the eyes of a Haar face box sit (fractions of its side; measured on Megamind.avi).
constexpr double kEyeX = 0.30, kEyeY = 0.40;
// The smile cascade fires on most mouths, smiling or not (on Megamind.avi at any
// neighbour count up to 70): this label is the noisiest of the two.
constexpr int kSmileNeighbours = 25;
// Glasses: mean vertical-gradient strength in the strip between the eyes (the frame's
// bridge), relative to the whole face. Megamind.avi, eyes found: 0.59 to 1.59 in the 13
// frames with glasses, 0.30 to 0.47 in 11 of the 12 without (one at 1.29).
constexpr double kBridgeRatio = 0.55;

std::string lowerExtension(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return e;
}

bool isPhoto(const fs::path& p)
{
    return ImageIO::isImageFile(p.string());
}

bool isVideo(const fs::path& p)
{
    const std::string e = lowerExtension(p);
    return e == ".avi" || e == ".mp4" || e == ".mkv" || e == ".mov" || e == ".webm";
}

// ---------------------------------------------------------------- cascades

struct Cascades {
    cv::CascadeClassifier face, faceCheck, eyes, glassesEyes, smile;
};

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

Cascades loadCascades(const FaceOptions& o)
{
    Cascades c;
    c.face = loadCascade(o.cascadeDir, kFaceCascade);
    c.faceCheck = loadCascade(o.cascadeDir, kCheckCascade);
    c.eyes = loadCascade(o.cascadeDir, kEyeCascade);
    c.glassesEyes = loadCascade(o.cascadeDir, kGlassesEyeCascade);
    if (o.automaticLabels)
        c.smile = loadCascade(o.cascadeDir, kSmileCascade);
    return c;
}

// FFmpeg when OpenCV has it: the other backends it would try print errors of their own
// (GStreamer, image sequences) for every file FFmpeg cannot read either.
cv::VideoCapture openVideo(const std::string& path)
{
    const bool ffmpeg = cv::videoio_registry::hasBackend(cv::CAP_FFMPEG);
    return cv::VideoCapture(path, ffmpeg ? cv::CAP_FFMPEG : cv::CAP_ANY);
}

// ---------------------------------------------------------------- one photo

struct EyePair {
    bool found = false;
    cv::Point2d left, right; // on the image's left and right
};

cv::Point2d centreOf(const cv::Rect& r)
{
    return {r.x + r.width / 2.0, r.y + r.height / 2.0};
}

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

cv::Point2d apply(const cv::Mat& m, const cv::Point2d& p)
{
    return {m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2),
            m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2)};
}

// The automatic labels, from the levelled face (its box only) at kWorkSide and the eyes there.
void label(Cascades& c, const cv::Mat& faceGrey, const EyePair& eyes, FaceCrop* out)
{
    cv::Mat work;
    cv::resize(faceGrey, work, cv::Size(kWorkSide, kWorkSide), 0, 0,
               faceGrey.cols > kWorkSide ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::equalizeHist(work, work);

    std::vector<cv::Rect> smiles;
    c.smile.detectMultiScale(work(cv::Rect(0, kWorkSide / 2, kWorkSide, kWorkSide / 2)), smiles, 1.1, kSmileNeighbours,
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

// The face in a BGR photo, levelled, cropped and scaled as the options say.
FaceCrop cropOne(Cascades& c, const cv::Mat& bgr, const FaceOptions& o)
{
    FaceCrop out;
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
        return out;
    const Candidate face = chooseFace(c, photoGrey, detectGrey, scale, found, minSide);
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

    if (o.automaticLabels) {
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
        label(c, faceGrey, eyes, &out);
    }
    return out;
}

cv::Mat toBgr(const Image& photo)
{
    if (photo.empty() || photo.width < 1 || photo.height < 1 || (photo.channels != 1 && photo.channels != 3)
        || photo.pixels.size() != std::size_t(photo.width) * std::size_t(photo.height) * std::size_t(photo.channels))
        throw Error("face crop: expected a grey or RGB image with width x height x channels bytes");
    const cv::Mat view(photo.height, photo.width, CV_8UC(photo.channels), const_cast<std::uint8_t*>(photo.pixels.data()));
    cv::Mat bgr;
    cv::cvtColor(view, bgr, photo.channels == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_RGB2BGR);
    return bgr;
}

// ---------------------------------------------------------------- the faces found

struct Faces {
    std::vector<std::string> names;
    std::vector<signed char> attributes; // two per face: Smiling_auto, Eyeglasses_auto
    std::vector<std::uint8_t> pixels;    // channel-first, as the data set keeps them
};

void append(const FaceCrop& crop, const std::string& name, Faces* faces)
{
    crop.image.appendPlanarBytes(faces->pixels);
    faces->names.push_back(name);
    faces->attributes.push_back(crop.smiling ? 1 : -1);
    faces->attributes.push_back(crop.eyeglasses ? 1 : -1);
}

// ---------------------------------------------------------------- the cache

// One file per source and options; inside, the full fingerprint (every photo's size and
// time) so that a touched, replaced, added or removed photo means detecting again. Layout:
// magic, payload length, payload, FNV-1a of the payload; integers little-endian.
constexpr char kCacheMagic[8] = {'L', 'L', 'F', 'A', 'C', 'E', 'S', '2'};

std::uint64_t fnv1a(const char* data, std::size_t size)
{
    std::uint64_t h = 1469598103934665603ull;
    for (std::size_t i = 0; i < size; ++i) {
        h ^= std::uint8_t(data[i]);
        h *= 1099511628211ull;
    }
    return h;
}

std::string hex(std::uint64_t v)
{
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
    return text;
}

std::int64_t modified(const fs::path& p)
{
    std::error_code ec;
    const auto time = fs::last_write_time(p, ec);
    return ec ? 0 : std::int64_t(time.time_since_epoch().count());
}

struct Source {
    bool video = false;
    std::vector<fs::path> photos; // sorted
    std::string key;              // names the cache file: the path and the options
    std::string fingerprint;      // the key and every file's size and time
};

Source describe(const std::string& path, const FaceOptions& o)
{
    Source s;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path + ": no such folder or video file");
    const std::string absolute = fs::absolute(path, ec).lexically_normal().string();
    std::ostringstream options;
    options.precision(17);
    options << "size " << o.size << " margin " << o.margin << " labels " << o.automaticLabels << " cascades "
            << o.cascadeDir;
    std::ostringstream files;
    if (fs::is_directory(path, ec)) {
        for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            std::error_code fileError;
            if (it->is_regular_file(fileError) && isPhoto(it->path()))
                s.photos.push_back(it->path());
        }
        if (ec)
            throw Error(path + ": cannot list the folder (" + ec.message() + ")");
        if (s.photos.empty())
            throw Error(path + ": no PNG or JPEG photos found in the folder or its sub-folders");
        std::sort(s.photos.begin(), s.photos.end());
        for (const fs::path& p : s.photos)
            files << fs::relative(p, path, ec).string() << '\t' << fs::file_size(p, ec) << '\t' << modified(p) << '\n';
    } else if (fs::is_regular_file(path, ec) && isVideo(path)) {
        s.video = true;
        options << " every " << o.everyNthFrame;
        files << fs::file_size(path, ec) << '\t' << modified(path) << '\n';
    } else {
        throw Error(path + ": expected a folder of photos or a video file (.avi .mp4 .mkv .mov .webm)");
    }
    s.key = absolute + '\n' + options.str() + '\n';
    s.fingerprint = "latentlab faces 2\n" + s.key + files.str();
    return s;
}

std::string cacheFile(const std::string& dir, const Source& s, const std::string& path)
{
    std::string stem = fs::path(path).lexically_normal().filename().string();
    if (stem.empty())
        stem = fs::path(path).lexically_normal().parent_path().filename().string();
    for (char& ch : stem)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_')
            ch = '_';
    return (fs::path(dir) / (stem.substr(0, 40) + "-" + hex(fnv1a(s.key.data(), s.key.size())) + ".faces")).string();
}

class Writer {
public:
    void u64(std::uint64_t v)
    {
        for (int i = 0; i < 8; ++i)
            bytes_.push_back(char((v >> (8 * i)) & 0xff));
    }
    void text(const std::string& s)
    {
        u64(s.size());
        bytes_.insert(bytes_.end(), s.begin(), s.end());
    }
    void raw(const void* data, std::size_t size)
    {
        const char* p = static_cast<const char*>(data);
        bytes_.insert(bytes_.end(), p, p + size);
    }
    const std::string& bytes() const { return bytes_; }

private:
    std::string bytes_;
};

// Reads what Writer wrote; every read checks the bounds, and failure sticks.
class Reader {
public:
    Reader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
    bool ok() const { return ok_; }
    bool atEnd() const { return p_ == end_; }
    std::uint64_t u64()
    {
        if (!take(8))
            return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= std::uint64_t(std::uint8_t(p_[i - 8])) << (8 * i);
        return v;
    }
    std::string text()
    {
        const std::uint64_t n = u64();
        return ok_ && take(n) ? std::string(p_ - n, p_) : std::string();
    }
    const char* raw(std::uint64_t n) { return take(n) ? p_ - n : nullptr; }

private:
    bool take(std::uint64_t n)
    {
        if (!ok_ || n > std::uint64_t(end_ - p_))
            return ok_ = false;
        p_ += n;
        return true;
    }
    const char* p_;
    const char* end_;
    bool ok_ = true;
};

void writeCache(const std::string& file, const Source& s, int size, const Faces& faces, const FaceReport& r)
{
    Writer w;
    w.text(s.fingerprint);
    w.u64(r.imagesRead);
    w.u64(r.skipped.size());
    for (const auto& [what, why] : r.skipped) {
        w.text(what);
        w.text(why);
    }
    w.u64(std::uint64_t(size));
    w.u64(faces.names.size());
    for (const std::string& name : faces.names)
        w.text(name);
    w.raw(faces.attributes.data(), faces.attributes.size());
    w.raw(faces.pixels.data(), faces.pixels.size());

    std::error_code ec;
    fs::create_directories(fs::path(file).parent_path(), ec);
    // A private temporary name, renamed into place: a reader never sees half a file.
    const std::string temporary = file + ".tmp" + hex(std::random_device{}());
    {
        std::ofstream out(temporary, std::ios::binary);
        Writer head;
        head.raw(kCacheMagic, sizeof kCacheMagic);
        head.u64(w.bytes().size());
        Writer tail;
        tail.u64(fnv1a(w.bytes().data(), w.bytes().size()));
        out << head.bytes() << w.bytes() << tail.bytes();
        out.close();
        if (!out) {
            fs::remove(temporary, ec);
            return; // a cache that cannot be written only makes the next run slower
        }
    }
    fs::rename(temporary, file, ec);
    if (ec)
        fs::remove(temporary, ec);
}

// The cached faces when the file is whole and made from this very source with these
// options; false on anything else (missing, truncated, corrupt, stale), to detect again.
bool readCache(const std::string& file, const Source& s, int size, Faces* faces, FaceReport* r)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return false;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 24)
        return false;
    Reader head(bytes.data(), bytes.size());
    const char* magic = head.raw(sizeof kCacheMagic);
    const std::uint64_t length = head.u64();
    if (!head.ok() || std::memcmp(magic, kCacheMagic, sizeof kCacheMagic) != 0 || length != bytes.size() - 24)
        return false;
    const char* payload = bytes.data() + 16;
    Reader tail(payload + length, 8);
    if (tail.u64() != fnv1a(payload, length))
        return false;

    Reader in2(payload, length);
    if (in2.text() != s.fingerprint)
        return false;
    FaceReport cached;
    cached.imagesRead = in2.u64();
    const std::uint64_t skipped = in2.u64();
    for (std::uint64_t i = 0; in2.ok() && i < skipped; ++i) {
        std::string what = in2.text();
        std::string why = in2.text();
        cached.skipped.emplace_back(std::move(what), std::move(why));
    }
    const std::uint64_t side = in2.u64(), count = in2.u64();
    if (!in2.ok() || side != std::uint64_t(size) || count == 0 || count > length)
        return false;
    Faces f;
    for (std::uint64_t i = 0; in2.ok() && i < count; ++i)
        f.names.push_back(in2.text());
    const std::uint64_t pixels = count * 3 * side * side;
    const char* attributes = in2.raw(2 * count);
    const char* image = in2.raw(pixels);
    if (!in2.ok() || !in2.atEnd())
        return false;
    f.attributes.assign(attributes, attributes + 2 * count);
    f.pixels.assign(image, image + pixels);
    *faces = std::move(f);
    cached.facesFound = count;
    cached.fromCache = true;
    *r = std::move(cached);
    return true;
}

// ---------------------------------------------------------------- detection over a source

Faces detect(const std::string& path, const Source& s, const FaceOptions& o, FaceReport* r)
{
    Cascades c = loadCascades(o);
    Faces faces;
    const auto look = [&](const cv::Mat& bgr, const std::string& name, const std::string& skippedAs) {
        ++r->imagesRead;
        if (bgr.empty()) {
            r->skipped.emplace_back(skippedAs, "cannot read the image");
            return;
        }
        const FaceCrop crop = cropOne(c, bgr, o);
        if (crop.found)
            append(crop, name, &faces);
        else
            r->skipped.emplace_back(skippedAs, "no face found");
    };
    if (s.video) {
        cv::VideoCapture video = openVideo(path);
        if (!video.isOpened())
            throw Error(path + ": cannot open the video (not a video, or a codec OpenCV's FFmpeg cannot read)");
        cv::Mat frame;
        for (long index = 0; video.grab(); ++index) { // grab skips decoding the frames not looked at
            if (index % o.everyNthFrame != 0)
                continue;
            if (!video.retrieve(frame))
                frame.release();
            char name[32];
            std::snprintf(name, sizeof name, "frame-%06ld", index);
            look(frame, name, "video frame " + std::to_string(index));
        }
    } else {
        for (const fs::path& photo : s.photos) {
            std::error_code ec;
            const std::string name = fs::relative(photo, path, ec).string();
            look(cv::imread(photo.string(), cv::IMREAD_COLOR), name, name); // turned upright by its EXIF tag
        }
    }
    r->facesFound = faces.names.size();
    return faces;
}

} // namespace

std::string FaceReport::summary() const
{
    const auto plural = [](std::size_t n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    std::string s = "Looked at " + plural(imagesRead, "photo or video frame", "photos or video frames")
                    + " and found a face in " + std::to_string(facesFound);
    if (imagesRead > 0)
        s += " (" + std::to_string(int(std::lround(100.0 * double(facesFound) / double(imagesRead)))) + "%)";
    s += ".";
    if (!skipped.empty()) {
        // Grouped by reason, a few names each: a video can skip hundreds of frames.
        std::map<std::string, std::vector<std::string>> byReason;
        for (const auto& [what, why] : skipped)
            byReason[why].push_back(what);
        s += " Skipped " + std::to_string(skipped.size()) + ":";
        bool first = true;
        for (const auto& [why, what] : byReason) {
            s += std::string(first ? " " : "; ") + why + " (" + std::to_string(what.size()) + "): ";
            first = false;
            for (std::size_t i = 0; i < what.size() && i < 5; ++i)
                s += (i ? ", " : "") + what[i];
            if (what.size() > 5)
                s += " and " + std::to_string(what.size() - 5) + " more";
        }
        s += ".";
    }
    if (fromCache)
        s += " Read from the cache, not detected again.";
    return s;
}

double FacePipeline::eyeLineAngleDegrees(double x1, double y1, double x2, double y2)
{
    if (x2 < x1) {
        std::swap(x1, x2);
        std::swap(y1, y2);
    }
    return std::atan2(y2 - y1, x2 - x1) * 180.0 / kPi;
}

FaceCrop FacePipeline::cropFace(const Image& photo, const FaceOptions& options)
{
    const cv::Mat bgr = toBgr(photo);
    Cascades c = loadCascades(options);
    return cropOne(c, bgr, options);
}

Image FacePipeline::videoFrame(const std::string& path, int index)
{
    cv::VideoCapture video = openVideo(path);
    if (!video.isOpened())
        throw Error(path + ": cannot open the video");
    const Error noFrame(path + ": has no frame " + std::to_string(index));
    if (index < 0)
        throw noFrame;
    for (int i = 0; i < index; ++i) // grabbing, not seeking: seeking is approximate in many codecs
        if (!video.grab())
            throw noFrame;
    cv::Mat frame;
    if (!video.read(frame) || frame.empty())
        throw noFrame;
    cv::cvtColor(frame, frame, cv::COLOR_BGR2RGB);
    return Image{frame.cols, frame.rows, 3, std::vector<std::uint8_t>(frame.data, frame.data + frame.total() * 3)};
}

Dataset FacePipeline::load(const std::string& path, const FaceOptions& o, FaceReport* report)
{
    FaceReport local;
    FaceReport& r = report ? *report : local;
    r = FaceReport{};
    if (o.size < 16 || o.size > 512 || o.everyNthFrame < 1 || !(o.margin >= 0 && o.margin <= 1))
        throw Error("faces: the size must be 16 to 512 px, the margin 0 to 1 and every Nth frame at least 1 "
                    "(given size " + std::to_string(o.size) + ", margin " + std::to_string(o.margin)
                    + ", every " + std::to_string(o.everyNthFrame) + ")");
    const Source source = describe(path, o);
    const std::string cache = o.cacheDir.empty() ? std::string() : cacheFile(o.cacheDir, source, path);

    Faces faces;
    if (cache.empty() || !readCache(cache, source, o.size, &faces, &r)) {
        r = FaceReport{};
        faces = detect(path, source, o, &r);
        if (faces.names.empty())
            throw Error(path + ": no face found in any of the " + std::to_string(r.imagesRead)
                        + (source.video ? " video frames looked at. " : " photos. ") + r.summary());
        if (!cache.empty())
            writeCache(cache, source, o.size, faces, r);
    }

    Dataset data("faces:" + path, ImageShape{3, o.size, o.size}, std::move(faces.pixels));
    data.setFileNames(std::move(faces.names));
    if (o.automaticLabels)
        data.setAttributes({"Smiling_auto", "Eyeglasses_auto"}, std::move(faces.attributes));
    return data;
}

} // namespace latentlab
