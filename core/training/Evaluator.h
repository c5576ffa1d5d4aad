#pragma once
#include <functional>
#include <utility>
#include <vector>

#include "core/data/Dataset.h"
#include "core/model/Model.h"

namespace latentlab {

// Per-image averages of the negative ELBO (z sampled, as pytorch/examples reports it).
struct LossSummary {
    double loss = 0;   // recon + KL
    double recon = 0;  // -log p(x|z)
    double kl = 0;     // KL(q(z|x) || p(z))
    std::size_t images = 0;
};

// Keeps no model: each estimate takes the model it scores, which need only outlive the call.
class Evaluator {
public:
    // Each estimate draws from a generator of its own seeded with this (repeatable
    // numbers); unset, from a fresh seed each time. Torch's global generator is never used.
    void setSeed(unsigned long long seed) { seed_ = seed; hasSeed_ = true; }

    // Throws latentlab::Error when the images do not fit the model.
    LossSummary negativeElbo(const Model& model, const Dataset& data) const;
    // The negative ELBO of each image (one z sample each).
    std::vector<double> negativeElboPerImage(const Model& model, const Dataset& data) const;
    // Importance-weighted estimate of -log p(x) per image with K samples (Burda et al.),
    // never above the negative ELBO in expectation. `progress` gets (images done, total).
    double iwaeNll(const Model& model, const Dataset& data, int samples,
                   const std::function<void(std::size_t, std::size_t)>& progress = {}) const;
    std::vector<double> iwaeNllPerImage(const Model& model, const Dataset& data, int samples,
                                        const std::function<void(std::size_t, std::size_t)>& progress = {}) const;

private:
    std::uint64_t estimateSeed() const;
    // Per-image -log p(x|z) and KL, one z sample each.
    std::pair<std::vector<double>, std::vector<double>> reconAndKl(const Model& model, const Dataset& data) const;

    unsigned long long seed_ = 0;
    bool hasSeed_ = false;
};

} // namespace latentlab
