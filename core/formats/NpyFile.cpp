#include "core/formats/NpyFile.h"

#include <fstream>

#include "core/base/Error.h"
#include "core/base/SafeSize.h"

namespace latentlab {

namespace {

void write(const std::string& path, const char* descr, const std::string& shape, const void* data, std::size_t bytes)
{
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
    const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error(path + ": cannot write the file");
    const unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                        static_cast<unsigned char>(header.size() & 0xff),
                                        static_cast<unsigned char>(header.size() >> 8)};
    out.write(reinterpret_cast<const char*>(preamble), sizeof preamble);
    out.write(header.data(), std::streamsize(header.size()));
    out.write(static_cast<const char*>(data), std::streamsize(bytes));
    if (!out)
        throw Error(path + ": writing failed (disk full?)");
}

} // namespace

void NpyFile::writeFloat32(const std::string& path, const std::vector<float>& values, std::size_t rows,
                           std::size_t columns)
{
    static_assert(sizeof(float) == 4, "float32");
    if (checkedProduct({std::int64_t(rows), std::int64_t(columns)}, path) != values.size())
        throw Error(path + ": " + std::to_string(values.size()) + " values do not fill " + std::to_string(rows) + " x "
                    + std::to_string(columns));
    write(path, "<f4", "(" + std::to_string(rows) + ", " + std::to_string(columns) + ")", values.data(),
          values.size() * sizeof(float));
}

void NpyFile::writeInt32(const std::string& path, const std::vector<int>& values)
{
    static_assert(sizeof(int) == 4, "int32");
    write(path, "<i4", "(" + std::to_string(values.size()) + ",)", values.data(), values.size() * sizeof(int));
}

} // namespace latentlab
