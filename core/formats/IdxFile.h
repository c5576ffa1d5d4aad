#pragma once
// MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/ layout), gzipped or not.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

struct IdxArray {
    std::vector<int> dims;            // e.g. {60000, 28, 28} or {60000}
    std::vector<std::uint8_t> data;   // row-major unsigned bytes
};

class IdxFile {
public:
    // Reads an unsigned-byte IDX file; throws latentlab::Error naming the file and
    // what is wrong (missing, bad magic, truncated, trailing bytes).
    static IdxArray read(const std::string& path);
    // Writes `array` (gzipped when the path ends in .gz); used by tests and exports.
    static void write(const std::string& path, const IdxArray& array);
};

} // namespace latentlab
