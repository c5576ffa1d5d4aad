#include "core/data/faces/detail/FaceCache.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "core/base/Error.h"
#include "core/formats/ImageIO.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

std::string lowerExtension(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return e;
}

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

} // namespace

std::string faceCacheFile(const std::string& dir, const FaceSource& s, const std::string& path)
{
    std::string stem = fs::path(path).lexically_normal().filename().string();
    if (stem.empty())
        stem = fs::path(path).lexically_normal().parent_path().filename().string();
    for (char& ch : stem)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_')
            ch = '_';
    return (fs::path(dir) / (stem.substr(0, 40) + "-" + hex(fnv1a(s.key.data(), s.key.size())) + ".faces")).string();
}

void writeFaceCache(const std::string& file, const FaceSource& s, int size, const FoundFaces& faces, const FaceReport& r)
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

bool readFaceCache(const std::string& file, const FaceSource& s, int size, FoundFaces* faces, FaceReport* r)
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
    FoundFaces f;
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

FaceSource describeFaceSource(const std::string& path, const FaceOptions& o)
{
    FaceSource s;
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
            if (it->is_regular_file(fileError) && ImageIO::isImageFile(it->path().string()))
                s.photos.push_back(it->path());
        }
        if (ec)
            throw Error(path + ": cannot list the folder (" + ec.message() + ")");
        if (s.photos.empty())
            throw Error(path + ": no PNG or JPEG photos found in the folder or its sub-folders");
        std::sort(s.photos.begin(), s.photos.end());
        for (const fs::path& p : s.photos)
            files << fs::relative(p, path, ec).string() << '\t' << fs::file_size(p, ec) << '\t' << modified(p) << '\n';
    } else if (fs::is_regular_file(path, ec) && isVideoFile(path)) {
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

bool isVideoFile(const fs::path& p)
{
    const std::string e = lowerExtension(p);
    return e == ".avi" || e == ".mp4" || e == ".mkv" || e == ".mov" || e == ".webm";
}

} // namespace latentlab
