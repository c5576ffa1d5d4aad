#pragma once
// "One style, every class": the same code once per class of a conditional model, ready
// for Model::decodeImages(codes, classes). Torch-free.
#include <vector>

namespace latentlab {

struct ClassSweep {
    std::vector<float> codes; // classCount copies of the code, row-major
    std::vector<int> classes; // 0, 1, .., classCount - 1: one per row

    // Throws latentlab::Error when the code is empty or classCount is below 1.
    static ClassSweep everyClass(const std::vector<float>& code, int classCount);
};

} // namespace latentlab
