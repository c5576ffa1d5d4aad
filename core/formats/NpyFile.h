#pragma once
// NumPy's .npy format (version 1.0), so that numpy, pandas and the rest read codes
// with np.load.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

class NpyFile {
public:
    // A rows x columns float32 array (little-endian, C order).
    static void writeFloat32(const std::string& path, const std::vector<float>& values, std::size_t rows,
                             std::size_t columns);
    // A 1-D int32 array.
    static void writeInt32(const std::string& path, const std::vector<int>& values);
};

} // namespace latentlab
