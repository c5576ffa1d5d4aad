#pragma once
// MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/ layout), gzipped or not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct IdxArray {
    std::vector<int> dims;            // e.g. {60000, 28, 28} or {60000}
    std::vector<std::uint8_t> data;   // row-major unsigned bytes
};

struct IdxHeader {
    std::vector<int> dims;
    std::size_t dataBytes = 0;        // what the header declares, at most 1 GiB
};

class IdxFile {
public:
    // The header alone, read without the data (and checked as read() checks it).
    static IdxHeader readHeader(const std::string& path);
    // Reads an unsigned-byte IDX file; throws latentlab::Error naming the file and
    // what is wrong (missing, bad magic, truncated, trailing bytes).
    static IdxArray read(const std::string& path);
    // Writes `array` (gzipped when the path ends in .gz); used by tests and exports.
    static void write(const std::string& path, const IdxArray& array);
};

} // namespace latentlab
