#include "core/formats/IdxFile.h"

#include <cstdio>
#include <memory>

#include <zlib.h>

#include "core/base/Error.h"

namespace latentlab {

namespace {

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

// gzread reads plain files as they are, so one path serves .gz and raw IDX.
bool readExactly(gzFile file, void* buffer, std::size_t size)
{
    auto* out = static_cast<unsigned char*>(buffer);
    while (size > 0) {
        const unsigned chunk = unsigned(std::min<std::size_t>(size, 1u << 30));
        const int n = gzread(file, out, chunk);
        if (n <= 0)
            return false;
        out += n;
        size -= std::size_t(n);
    }
    return true;
}

std::uint32_t bigEndian(const unsigned char* b)
{
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
}

} // namespace

IdxArray IdxFile::read(const std::string& path)
{
    GzHandle file(gzopen(path.c_str(), "rb"));
    if (!file)
        throw Error(path + ": cannot open the file");
    unsigned char magic[4];
    if (!readExactly(file.get(), magic, 4))
        throw Error(path + ": file is empty or not an IDX file");
    if (magic[0] != 0 || magic[1] != 0)
        throw Error(path + ": not an IDX file (bad magic number)");
    if (magic[2] != 0x08)
        throw Error(path + ": IDX element type 0x" + std::to_string(magic[2]) + " is not supported (unsigned bytes only)");
    const int ndim = magic[3];
    if (ndim < 1 || ndim > 4)
        throw Error(path + ": IDX file with " + std::to_string(ndim) + " dimensions is not supported");

    IdxArray array;
    std::size_t total = 1;
    for (int i = 0; i < ndim; ++i) {
        unsigned char b[4];
        if (!readExactly(file.get(), b, 4))
            throw Error(path + ": truncated IDX header");
        const std::uint32_t d = bigEndian(b);
        if (d == 0 || d > (1u << 28))
            throw Error(path + ": IDX dimension " + std::to_string(i) + " has size " + std::to_string(d));
        array.dims.push_back(int(d));
        total *= d;
        if (total > (std::size_t(1) << 34))
            throw Error(path + ": IDX array is too large");
    }
    array.data.resize(total);
    if (!readExactly(file.get(), array.data.data(), total)) {
        int code = 0;
        const char* why = gzerror(file.get(), &code);
        throw Error(path + ": truncated: the header promises " + std::to_string(total) + " bytes of data"
                    + (code != Z_OK && why ? std::string(" (") + why + ")" : std::string()));
    }
    unsigned char extra;
    if (gzread(file.get(), &extra, 1) > 0)
        throw Error(path + ": has bytes past the end of its IDX data (wrong header?)");
    int code = 0;
    gzerror(file.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END)
        throw Error(path + ": corrupt gzip data");
    return array;
}

void IdxFile::write(const std::string& path, const IdxArray& array)
{
    const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    GzHandle file(gzopen(path.c_str(), gz ? "wb6" : "wbT"));
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
