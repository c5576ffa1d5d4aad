#include "core/formats/IdxFile.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <zlib.h>

#include "core/base/Error.h"
#include "core/base/SafeSize.h"

namespace latentlab {

namespace {

// The most data one IDX file may declare: EMNIST's largest set is 0.7 GiB.
constexpr std::size_t kMaxDataBytes = std::size_t(1) << 30;
// Deflate cannot expand a byte into more than 1032 (RFC 1951's longest match on one
// code), so a gzip file's declared data can be checked against its size before reading.
constexpr std::size_t kMaxDeflateRatio = 1032;
constexpr std::size_t kMaxHeaderBytes = 4 + 4 * 4;

std::string hex(unsigned value)
{
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", value & 0xffu);
    return text;
}

const char* elementTypeName(unsigned type)
{
    switch (type) {
    case 0x09: return "signed bytes";
    case 0x0B: return "16-bit integers";
    case 0x0C: return "32-bit integers";
    case 0x0D: return "32-bit floats";
    case 0x0E: return "64-bit floats";
    default: return "an unknown type";
    }
}

// The file's first `limit` bytes (all of it by default); a FIFO or device is refused.
std::string readFile(const std::string& path, std::uintmax_t limit = kMaxDataBytes + kMaxHeaderBytes)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw Error(path + ": cannot open the file (no such file)");
    if (!std::filesystem::is_regular_file(status))
        throw Error(path + ": not a regular file");
    auto size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot open the file (" + ec.message() + ")");
    size = std::min(size, limit);
    if (size > kMaxDataBytes + kMaxHeaderBytes)
        throw Error(path + ": the file is " + std::to_string(size) + " bytes, over the limit of "
                    + std::to_string(kMaxDataBytes + kMaxHeaderBytes) + " for an IDX file");
    std::ifstream in(path, std::ios::binary);
    std::string bytes(std::size_t(size), '\0');
    if (!in || !in.read(bytes.data(), std::streamsize(size)))
        throw Error(path + ": cannot read the file");
    return bytes;
}

bool isGzip(const std::string& file)
{
    return file.size() >= 2 && static_cast<unsigned char>(file[0]) == 0x1f && static_cast<unsigned char>(file[1]) == 0x8b;
}

// The first `limit` bytes of a gzip file's one member, or all of them when there are
// fewer (`complete` is then true). Never inflates more than `limit` + 1 bytes, so a
// decompression bomb costs no more memory than the header said its data needs.
struct Inflated {
    std::string bytes;
    bool complete = false;
};

Inflated inflatePrefix(const std::string& path, const std::string& file, std::size_t limit)
{
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) // 16: gzip wrapper only
        throw Error(path + ": cannot start decompressing (out of memory?)");
    const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data()));
    z.avail_in = uInt(file.size()); // at most kMaxDataBytes + a few: fits uInt

    Inflated out;
    out.bytes.resize(limit + 1);
    std::size_t produced = 0;
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(out.bytes.data() + produced);
        z.avail_out = uInt(std::min<std::size_t>(out.bytes.size() - produced, 1u << 30));
        const uInt before = z.avail_out;
        const int status = inflate(&z, Z_NO_FLUSH);
        produced += before - z.avail_out;
        if (status == Z_STREAM_END) {
            if (z.avail_in != 0)
                throw Error(path + ": has " + std::to_string(z.avail_in)
                            + " bytes after the end of its gzip data (a damaged or concatenated file)");
            out.complete = true;
            break;
        }
        if (status == Z_DATA_ERROR || status == Z_NEED_DICT || status == Z_STREAM_ERROR)
            throw Error(path + ": corrupt gzip data (" + (z.msg ? z.msg : "invalid deflate stream") + ")");
        if (status == Z_MEM_ERROR)
            throw Error(path + ": out of memory while decompressing");
        if (produced == out.bytes.size())
            break; // past the limit: the caller reports what it expected
        if (z.avail_in == 0 || (status == Z_BUF_ERROR && before == z.avail_out))
            throw Error(path + ": the gzip data is truncated (the file ends mid-stream)");
    }
    out.bytes.resize(produced);
    return out;
}

std::uint32_t bigEndian(const unsigned char* b)
{
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
}

// Parses and bounds the header in the first bytes of the (decompressed) content.
IdxHeader parseHeader(const std::string& path, const std::string& content)
{
    const auto* b = reinterpret_cast<const unsigned char*>(content.data());
    if (content.size() < 4)
        throw Error(path + ": " + (content.empty() ? "the file is empty" : "too short for an IDX header"));
    if (b[0] != 0 || b[1] != 0)
        throw Error(path + ": not an IDX file (its first bytes are not an IDX magic number)");
    if (b[2] != 0x08)
        throw Error(path + ": IDX element type " + hex(b[2]) + " (" + elementTypeName(b[2])
                    + ") is not supported; LatentLab reads unsigned bytes (0x08)");
    const int ndim = b[3];
    if (ndim < 1 || ndim > 4)
        throw Error(path + ": an IDX file with " + std::to_string(ndim) + " dimensions is not supported (1 to 4)");
    IdxHeader header;
    const std::size_t headerBytes = 4 + 4 * std::size_t(ndim);
    if (content.size() < headerBytes)
        throw Error(path + ": truncated IDX header (" + std::to_string(ndim) + " dimensions need "
                    + std::to_string(headerBytes) + " bytes)");
    header.dataBytes = 1;
    for (int i = 0; i < ndim; ++i) {
        const std::uint32_t d = bigEndian(b + 4 + 4 * i);
        if (d == 0 || d > (1u << 30))
            throw Error(path + ": IDX dimension " + std::to_string(i) + " has size " + std::to_string(d));
        header.dims.push_back(int(d));
        header.dataBytes = checkedProduct({std::int64_t(header.dataBytes), std::int64_t(d)}, path);
        if (header.dataBytes > kMaxDataBytes)
            throw Error(path + ": the IDX header declares " + std::to_string(header.dataBytes) + "+ bytes of data, over the limit of "
                        + std::to_string(kMaxDataBytes) + " (1 GiB)");
    }
    return header;
}

IdxHeader headerOf(const std::string& path, const std::string& file)
{
    return parseHeader(path, isGzip(file) ? inflatePrefix(path, file, kMaxHeaderBytes).bytes : file);
}

} // namespace

IdxHeader IdxFile::readHeader(const std::string& path)
{
    return headerOf(path, readFile(path, 64 * 1024)); // a gzip header and the IDX header fit
}

IdxArray IdxFile::read(const std::string& path)
{
    const std::string file = readFile(path);
    const bool gz = isGzip(file);
    const IdxHeader header = headerOf(path, file);
    const std::size_t headerBytes = 4 + 4 * header.dims.size();
    const std::size_t expected = headerBytes + header.dataBytes;
    const std::string promise = "the header declares " + std::to_string(header.dataBytes) + " bytes of data";

    IdxArray array;
    array.dims = header.dims;
    if (!gz) {
        if (file.size() < expected)
            throw Error(path + ": truncated: " + promise + " but the file holds " + std::to_string(file.size() - headerBytes));
        if (file.size() > expected)
            throw Error(path + ": has " + std::to_string(file.size() - expected)
                        + " bytes past the end of its IDX data (wrong header?)");
        array.data.assign(file.begin() + std::ptrdiff_t(headerBytes), file.end());
        return array;
    }
    if (header.dataBytes / kMaxDeflateRatio > file.size())
        throw Error(path + ": truncated: " + promise + ", more than " + std::to_string(file.size())
                    + " bytes of gzip data can hold");
    const Inflated content = inflatePrefix(path, file, expected);
    if (content.bytes.size() < expected)
        throw Error(path + ": truncated: " + promise + " but the file holds "
                    + std::to_string(content.bytes.size() - headerBytes));
    if (!content.complete)
        throw Error(path + ": has bytes past the end of its IDX data (wrong header?)");
    array.data.assign(content.bytes.begin() + std::ptrdiff_t(headerBytes), content.bytes.end());
    return array;
}

void IdxFile::write(const std::string& path, const IdxArray& array)
{
    struct GzCloser {
        void operator()(gzFile_s* f) const { gzclose(f); }
    };
    const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), gz ? "wb6" : "wbT"));
    if (!file)
        throw Error(path + ": cannot write the file");
    std::vector<unsigned char> header = {0, 0, 0x08, static_cast<unsigned char>(array.dims.size())};
    for (int d : array.dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            header.push_back(static_cast<unsigned char>((std::uint32_t(d) >> shift) & 0xff));
    if (gzwrite(file.get(), header.data(), unsigned(header.size())) != int(header.size())
        || (!array.data.empty()
            && gzwrite(file.get(), array.data.data(), unsigned(array.data.size())) != int(array.data.size())))
        throw Error(path + ": write failed");
}

} // namespace latentlab
