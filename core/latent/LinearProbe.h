#pragma once
// A linear classifier of one attribute in latent space: logistic regression of the
// images with it against those without, w·z + b > 0 meaning "has it". Its normal w is
// InterFaceGAN's editing direction (Shen et al. 2020, with a logistic loss in place of
// their linear SVM); it also judges whether an edit flipped an attribute. Torch-free.
#include <cstddef>
#include <utility>
#include <vector>

#include "core/latent/AttributeMath.h"

namespace latentlab {

class LinearProbe {
public:
    // At most this many rows are fitted, spread evenly over each group (a boundary in a
    // latent space of at most a few hundred dimensions is settled long before).
    static constexpr std::size_t kMaxRows = 20000;

    // Fits by Newton's method with an L2 penalty of weight 1 on w (so that separable
    // groups still give a finite normal). Throws latentlab::Error on an empty group or
    // a bad index.
    static LinearProbe fit(const LatentCodes& codes, const AttributeGroups& groups);
    LinearProbe() = default;
    LinearProbe(std::vector<double> normal, double bias) : w_(std::move(normal)), b_(bias) {}

    double decision(const float* z) const;
    bool predicts(const float* z) const { return decision(z) > 0; }
    const std::vector<double>& normal() const { return w_; }
    double bias() const { return b_; }
    // The share of the fitted rows it classifies right.
    double accuracy() const { return accuracy_; }

private:
    std::vector<double> w_;
    double b_ = 0;
    double accuracy_ = 0;
};

} // namespace latentlab
