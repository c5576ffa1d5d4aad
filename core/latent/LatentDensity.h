#pragma once
// How common each image's code is among a data set's codes, from per-dimension histograms
// of the code means, as DB-VAE (Amini et al. 2019) uses it to resample what is rare: the
// Trainer's --debias and the rare list of stats and the Statistics dock. Torch-free.
#include <cstddef>
#include <string>
#include <vector>

namespace latentlab {

class LatentDensity {
public:
    static constexpr int kDefaultBins = 10;         // as MIT 6.S191's debiasing lab
    static constexpr double kDefaultAlpha = 0.01;   // its smoothing, on shares that sum to 1
    static constexpr double kMaxAlpha = 1e9;
    static constexpr int kMaxBins = 10000;

    // One sampling weight per code (they sum to 1) for `mu`, `dim` values per code. Per
    // dimension, `bins` equal bins span the codes' range; a code's share of codes in its
    // bin gives 1 / (share + alpha), normalised over the codes. A code's weight is the
    // largest of its dimensions' (normalised again): rare in any one dimension is rare.
    // The product over dimensions (Amini et al.'s formula) multiplies tens of ratios, so
    // that a handful of codes take nearly all the weight and batches repeat them; the
    // maximum keeps every weight within one dimension's range. Large alpha: uniform.
    // Throws latentlab::Error on a non-finite code, alpha or bins out of range.
    static std::vector<double> debiasWeights(const std::vector<float>& mu, std::size_t dim,
                                             double alpha = kDefaultAlpha, int bins = kDefaultBins);
    // The same weights times the number of codes: 1 is a code drawn as often as without
    // debiasing (what the CLI and the Statistics dock show).
    static std::vector<double> relativeWeights(const std::vector<float>& mu, std::size_t dim,
                                               double alpha = kDefaultAlpha);
    // "index,label,weight" lines with a header; the label column is empty without labels.
    static std::string csv(const std::vector<double>& weights, const std::vector<int>& labels);
    // The indices of the `count` largest weights, largest first (ties by index).
    static std::vector<std::size_t> rarest(const std::vector<double>& weights, std::size_t count);
    // Throws latentlab::Error naming the range unless 0 <= alpha <= kMaxAlpha.
    static void validateAlpha(double alpha);
};

} // namespace latentlab
