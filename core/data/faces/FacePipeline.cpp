#include "core/data/faces/FacePipeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include "core/base/Error.h"
#include "core/data/faces/detail/FaceCache.h"
#include "core/data/faces/detail/FaceCropper.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

constexpr double kPi = 3.14159265358979323846;

// FFmpeg when OpenCV has it: the other backends it would try print errors of their own
// (GStreamer, image sequences) for every file FFmpeg cannot read either.
cv::VideoCapture openVideo(const std::string& path)
{
    const bool ffmpeg = cv::videoio_registry::hasBackend(cv::CAP_FFMPEG);
    return cv::VideoCapture(path, ffmpeg ? cv::CAP_FFMPEG : cv::CAP_ANY);
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

void append(const FaceCrop& crop, const std::string& name, FoundFaces* faces)
{
    crop.image.appendPlanarBytes(faces->pixels);
    faces->names.push_back(name);
    faces->attributes.push_back(crop.smiling ? 1 : -1);
    faces->attributes.push_back(crop.eyeglasses ? 1 : -1);
}

// Every photo, or every Nth frame of the video, through the detector and the cropper.
FoundFaces detect(const std::string& path, const FaceSource& s, const FaceOptions& o, FaceReport* r)
{
    FaceDetector detector(o);
    std::unique_ptr<FaceLabeller> labeller = o.automaticLabels ? std::make_unique<FaceLabeller>(o) : nullptr;
    FoundFaces faces;
    const auto look = [&](const cv::Mat& bgr, const std::string& name, const std::string& skippedAs) {
        ++r->imagesRead;
        if (bgr.empty()) {
            r->skipped.emplace_back(skippedAs, "cannot read the image");
            return;
        }
        const FaceCrop crop = cropAndLevel(detector, labeller.get(), bgr, o);
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
        const double frames = video.get(cv::CAP_PROP_FRAME_COUNT);
        const std::size_t total = frames > 0 && frames < 1e9 ? std::size_t(frames) : 0;
        for (long index = 0; video.grab(); ++index) { // grab skips decoding the frames not looked at
            if (o.progress)
                o.progress(std::size_t(index) + 1, std::max(total, std::size_t(index) + 1));
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
            if (o.progress)
                o.progress(r->imagesRead, s.photos.size());
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
    FaceDetector detector(options);
    std::unique_ptr<FaceLabeller> labeller = options.automaticLabels ? std::make_unique<FaceLabeller>(options) : nullptr;
    return cropAndLevel(detector, labeller.get(), toBgr(photo), options);
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
    const FaceSource source = describeFaceSource(path, o);
    const std::string cache = o.cacheDir.empty() ? std::string() : faceCacheFile(o.cacheDir, source, path);

    FoundFaces faces;
    if (cache.empty() || !readFaceCache(cache, source, o.size, &faces, &r)) {
        r = FaceReport{};
        faces = detect(path, source, o, &r);
        if (faces.names.empty())
            throw Error(path + ": no face found in any of the " + std::to_string(r.imagesRead)
                        + (source.video ? " video frames looked at. " : " photos. ") + r.summary());
        if (!cache.empty())
            writeFaceCache(cache, source, o.size, faces, r);
    }

    Dataset data("faces:" + path, ImageShape{3, o.size, o.size}, std::move(faces.pixels));
    data.setFileNames(std::move(faces.names));
    if (o.automaticLabels)
        data.setAttributes({"Smiling_auto", "Eyeglasses_auto"}, std::move(faces.attributes));
    return data;
}

} // namespace latentlab
