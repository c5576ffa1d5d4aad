#include "core/FacePipeline.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/videoio.hpp>

#include "core/Error.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

const char kCacheMagic[8] = {'L', 'L', 'F', 'A', 'C', 'E', 'S', '1'};

struct Cascades {
    cv::CascadeClassifier face, eyes, glasses, smile;
};

cv::CascadeClassifier loadCascade(const std::string& dir, const std::string& file)
{
    cv::CascadeClassifier cascade;
    const std::string path = dir + "/" + file;
    if (!fs::exists(path) || !cascade.load(path))
        throw Error(path + ": cannot load the Haar cascade (install Debian's opencv-data package)");
    return cascade;
}

struct Face {
    cv::Mat rgb; // size x size, RGB
    bool smiling = false, glasses = false;
};

// The largest detection, or an empty rectangle.
cv::Rect largest(const std::vector<cv::Rect>& found)
{
    cv::Rect best;
    for (const cv::Rect& r : found)
        if (r.area() > best.area())
            best = r;
    return best;
}

bool findFace(Cascades& c, const cv::Mat& bgr, const FaceOptions& o, Face* out)
{
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    cv::equalizeHist(grey, grey);
    const int minSide = std::max(24, std::min(grey.cols, grey.rows) / 10);
    std::vector<cv::Rect> faces;
    c.face.detectMultiScale(grey, faces, 1.1, 5, 0, cv::Size(minSide, minSide));
    const cv::Rect face = largest(faces);
    if (face.empty())
        return false;

    // Eyes in the upper half of the box: level the eye line by rotating about the face centre.
    std::vector<cv::Rect> eyes;
    const cv::Rect upper(face.x, face.y, face.width, face.height / 2);
    c.eyes.detectMultiScale(grey(upper), eyes, 1.1, 5, 0, cv::Size(face.width / 10, face.width / 10));
    double angle = 0;
    if (eyes.size() >= 2) {
        std::sort(eyes.begin(), eyes.end(), [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
        cv::Point2d a = (eyes[0].tl() + eyes[0].br()) * 0.5, b = (eyes[1].tl() + eyes[1].br()) * 0.5;
        if (a.x > b.x)
            std::swap(a, b);
        if (b.x - a.x > face.width * 0.2) // two distinct eyes, not one found twice
            angle = std::atan2(b.y - a.y, b.x - a.x) * 180.0 / M_PI;
    }
    const cv::Point2f centre(float(face.x + face.width / 2.0), float(face.y + face.height / 2.0));
    cv::Mat levelled;
    cv::warpAffine(bgr, levelled, cv::getRotationMatrix2D(centre, angle, 1.0), bgr.size(), cv::INTER_LINEAR,
                   cv::BORDER_REPLICATE);

    const int side = int(face.width * (1 + 2 * o.margin));
    cv::Mat crop;
    const cv::Rect box(int(centre.x) - side / 2, int(centre.y) - side / 2, side, side);
    const cv::Rect inside = box & cv::Rect(0, 0, levelled.cols, levelled.rows);
    cv::copyMakeBorder(levelled(inside), crop, inside.y - box.y, box.br().y - inside.br().y, inside.x - box.x,
                       box.br().x - inside.br().x, cv::BORDER_REPLICATE);
    cv::resize(crop, crop, cv::Size(o.size, o.size), 0, 0, cv::INTER_AREA);
    cv::cvtColor(crop, out->rgb, cv::COLOR_BGR2RGB);

    if (o.automaticLabels) {
        std::vector<cv::Rect> found;
        const cv::Rect lower(face.x, face.y + face.height / 2, face.width, face.height / 2);
        c.smile.detectMultiScale(grey(lower), found, 1.7, 22, 0, cv::Size(face.width / 4, face.height / 8));
        out->smiling = !found.empty();
        found.clear();
        c.glasses.detectMultiScale(grey(upper), found, 1.1, 5, 0, cv::Size(face.width / 10, face.width / 10));
        out->glasses = found.size() >= 2 && eyes.size() < 2; // seen through glasses but not as bare eyes
    }
    return true;
}

bool isImage(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return e == ".png" || e == ".jpg" || e == ".jpeg";
}

bool isVideo(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return e == ".avi" || e == ".mp4" || e == ".mkv" || e == ".mov" || e == ".webm";
}

// The cache file for a source: keyed by its path, size, time and the options.
std::string cachePath(const std::string& path, const FaceOptions& o)
{
    std::string key = fs::absolute(path).string() + "|" + std::to_string(o.size) + "|" + std::to_string(o.margin) + "|"
                      + std::to_string(o.everyNthFrame) + "|" + std::to_string(o.automaticLabels);
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        key += "|" + std::to_string(fs::file_size(path, ec));
    key += "|" + std::to_string(fs::last_write_time(path, ec).time_since_epoch().count());
    return o.cacheDir + "/faces-" + std::to_string(std::hash<std::string>{}(key)) + ".bin";
}

void writeCache(const std::string& file, const std::vector<std::string>& names, const std::vector<Face>& faces,
                const FaceReport& report, int size)
{
    std::error_code ec;
    fs::create_directories(fs::path(file).parent_path(), ec);
    std::ofstream out(file + ".tmp", std::ios::binary);
    const auto put = [&](std::uint64_t v) { out.write(reinterpret_cast<const char*>(&v), sizeof v); };
    out.write(kCacheMagic, sizeof kCacheMagic);
    put(faces.size());
    put(std::uint64_t(size));
    put(report.imagesRead);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        put(names[i].size());
        out.write(names[i].data(), std::streamsize(names[i].size()));
        out.put(char(faces[i].smiling)).put(char(faces[i].glasses));
        out.write(reinterpret_cast<const char*>(faces[i].rgb.data), std::streamsize(size * size * 3));
    }
    out.close();
    if (out)
        fs::rename(file + ".tmp", file, ec); // a cache that fails to write is only a slower next run
}

bool readCache(const std::string& file, int size, std::vector<std::string>* names, std::vector<Face>* faces,
               FaceReport* report)
{
    std::ifstream in(file, std::ios::binary);
    char magic[sizeof kCacheMagic] = {};
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, kCacheMagic, sizeof magic) != 0)
        return false;
    const auto get = [&](std::uint64_t* v) { return bool(in.read(reinterpret_cast<char*>(v), sizeof *v)); };
    std::uint64_t count = 0, side = 0, read = 0;
    if (!get(&count) || !get(&side) || !get(&read) || side != std::uint64_t(size) || count > 10000000)
        return false;
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t length = 0;
        if (!get(&length) || length > 4096)
            return false;
        std::string name(length, '\0');
        Face face;
        face.rgb.create(size, size, CV_8UC3);
        char flags[2];
        if (!in.read(name.data(), std::streamsize(length)) || !in.read(flags, 2)
            || !in.read(reinterpret_cast<char*>(face.rgb.data), std::streamsize(size * size * 3)))
            return false; // truncated: detect again
        face.smiling = flags[0] != 0;
        face.glasses = flags[1] != 0;
        names->push_back(std::move(name));
        faces->push_back(std::move(face));
    }
    report->imagesRead = read;
    report->facesFound = count;
    report->fromCache = true;
    return true;
}

} // namespace

std::string FaceReport::summary() const
{
    std::string s = std::to_string(imagesRead) + " images read, " + std::to_string(facesFound) + " faces found"
                    + (fromCache ? " (from the cache)" : "");
    if (!skipped.empty()) {
        s += ", " + std::to_string(skipped.size()) + " skipped";
        for (std::size_t i = 0; i < skipped.size() && i < 5; ++i)
            s += (i ? "; " : ": ") + skipped[i].first + " (" + skipped[i].second + ")";
        if (skipped.size() > 5)
            s += "; …";
    }
    return s;
}

Dataset FacePipeline::load(const std::string& path, const FaceOptions& o, FaceReport* report)
{
    FaceReport local;
    FaceReport& r = report ? *report : local;
    r = FaceReport{};
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path + ": no such folder or video file");
    if (o.size < 16 || o.size > 256 || o.everyNthFrame < 1 || o.margin < 0 || o.margin > 1)
        throw Error("faces: size must be 16 to 256 px, every Nth frame at least 1, the margin 0 to 1");

    std::vector<std::string> names;
    std::vector<Face> faces;
    const std::string cache = o.cacheDir.empty() ? std::string() : cachePath(path, o);
    if (cache.empty() || !readCache(cache, o.size, &names, &faces, &r)) {
        names.clear();
        faces.clear();
        r = FaceReport{};
        Cascades c{loadCascade(o.cascadeDir, "haarcascade_frontalface_alt2.xml"),
                   loadCascade(o.cascadeDir, "haarcascade_eye.xml"),
                   loadCascade(o.cascadeDir, "haarcascade_eye_tree_eyeglasses.xml"),
                   loadCascade(o.cascadeDir, "haarcascade_smile.xml")};
        const auto look = [&](const cv::Mat& bgr, const std::string& name) {
            ++r.imagesRead;
            Face face;
            if (findFace(c, bgr, o, &face)) {
                names.push_back(name);
                faces.push_back(std::move(face));
            } else {
                r.skipped.emplace_back(name, "no face found");
            }
        };
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::recursive_directory_iterator(path, ec))
                if (entry.is_regular_file() && isImage(entry.path()))
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            if (files.empty())
                throw Error(path + ": no PNG or JPEG photos found");
            for (const fs::path& file : files) {
                const std::string name = fs::relative(file, path).string();
                const cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
                if (bgr.empty()) {
                    ++r.imagesRead;
                    r.skipped.emplace_back(name, "cannot read the image");
                    continue;
                }
                look(bgr, name);
            }
        } else if (isVideo(path)) {
            cv::VideoCapture video(path);
            if (!video.isOpened())
                throw Error(path + ": cannot open the video");
            cv::Mat frame;
            for (int index = 0; video.read(frame); ++index)
                if (index % o.everyNthFrame == 0) {
                    char name[32];
                    std::snprintf(name, sizeof name, "frame-%06d", index);
                    look(frame, name);
                }
        } else {
            throw Error(path + ": expected a folder of photos or a video file (.avi .mp4 .mkv .mov .webm)");
        }
        r.facesFound = faces.size();
        if (faces.empty())
            throw Error(path + ": no face found (" + r.summary() + ")");
        if (!cache.empty())
            writeCache(cache, names, faces, r, o.size);
    }

    const std::size_t plane = std::size_t(o.size) * std::size_t(o.size);
    std::vector<std::uint8_t> pixels(faces.size() * plane * 3);
    std::vector<signed char> labels;
    for (std::size_t i = 0; i < faces.size(); ++i) {
        std::vector<cv::Mat> channels;
        cv::split(faces[i].rgb, channels); // interleaved -> planar
        for (int ch = 0; ch < 3; ++ch)
            std::memcpy(pixels.data() + (i * 3 + std::size_t(ch)) * plane, channels[std::size_t(ch)].data, plane);
        labels.push_back(faces[i].smiling ? 1 : -1);
        labels.push_back(faces[i].glasses ? 1 : -1);
    }
    Dataset data("faces:" + path, ImageShape{3, o.size, o.size}, std::move(pixels));
    data.setFileNames(std::move(names));
    if (o.automaticLabels)
        data.setAttributes({"Smiling_auto", "Eyeglasses_auto"}, std::move(labels));
    return data;
}

} // namespace latentlab
