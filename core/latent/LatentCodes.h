#pragma once
// Encoded images: the means and log-variances of q(z|x), row-major (count x dim),
// with the data set's labels. Torch-free.
#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

#include "core/data/Dataset.h"

namespace latentlab {

class Model;

struct LatentCodes {
    int dim = 0;
    std::vector<float> mu;       // count x dim
    std::vector<float> logvar;   // count x dim; empty for a plain autoencoder
    std::vector<int> labels;     // per code; empty when the data set has none
    std::vector<std::string> classNames;

    std::size_t count() const { return dim > 0 ? mu.size() / std::size_t(dim) : 0; }
    const float* code(std::size_t index) const { return mu.data() + index * std::size_t(dim); }
    std::vector<float> codeVector(std::size_t index) const;

    // The k codes closest to z (Euclidean), nearest first, as (index, distance).
    // `exclude` (e.g. z's own index) is skipped.
    std::vector<std::pair<std::size_t, double>> nearest(const float* z, std::size_t k,
                                                        std::size_t exclude = std::size_t(-1)) const;

    // Encodes a data set in batches under inference mode, on the model's device.
    // Throws latentlab::Error when the images do not fit the model. `progress` gets
    // (images done, total) after each batch.
    static LatentCodes encode(const Model& model, const Dataset& data,
                              const std::function<void(std::size_t, std::size_t)>& progress = {});
};

} // namespace latentlab
