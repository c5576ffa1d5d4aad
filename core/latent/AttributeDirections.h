#pragma once
// The ways LatentLab makes an attribute vector from labelled codes, the ones that
// control for the other known attributes among them, and how much an edit with a vector
// drags the other attributes along (its cross-talk). Torch-free.
#include <cstddef>
#include <string>
#include <vector>

#include "core/latent/AttributeLabels.h"
#include "core/latent/LinearProbe.h"

namespace latentlab {

enum class VectorMethod {
    Mean,             // mean(z | with) - mean(z | without)
    Orthogonal,       // that, minus its projection on the other attributes' mean differences
    Stratified,       // mean differences within groups that agree on every other attribute, averaged
    Probe,            // the normal of a logistic-regression boundary (InterFaceGAN)
    ConditionalProbe, // that normal with the other attributes' normals projected out
};

// How an edit of strength 1 with a vector moves one other attribute.
struct CrossTalk {
    std::string name;     // the other attribute
    double shift = 0;     // along the other's mean difference d: v.d / |d|^2 (1 = a whole "with - without")
    double flipped = -1;  // share of the edited codes whose latent classifier for it flips; -1 without labels
};

class AttributeDirections {
public:
    // The method LatentLab uses unless told (see docs/faces-and-attributes.md for why).
    static constexpr VectorMethod kDefault = VectorMethod::Stratified;

    static const std::vector<VectorMethod>& methods();
    static std::string name(VectorMethod method);        // as the CLI spells it
    static std::string description(VectorMethod method); // one line
    // Throws latentlab::Error listing the names.
    static VectorMethod parse(const std::string& name);
    // Whether the method needs the other attributes' labels (not only the two groups).
    static bool needsOtherAttributes(VectorMethod method);

    // The vector for attribute column `target` of `labels` (rows match the codes). Mean and
    // Stratified are differences of means; the others are scaled so that strength 1 moves
    // the code by the groups' mean gap along them. Throws latentlab::Error on empty groups
    // or rows that do not match.
    static std::vector<float> make(VectorMethod method, const LatentCodes& codes, const AttributeLabels& labels,
                                   std::size_t target);
    // For groups without other attributes (classes, images picked by hand): Mean or Probe.
    static std::vector<float> make(VectorMethod method, const LatentCodes& codes, const AttributeGroups& groups);

    // Mean differences within each stratum of images that agree on every other attribute,
    // averaged with weights n_with * n_without / (n_with + n_without) (the weights of the
    // least-variance average). Strata lacking either group are skipped; `coverage` gets
    // the share of the target's labelled images in the strata used.
    static std::vector<float> stratifiedMeanDifference(const LatentCodes& codes, const AttributeLabels& labels,
                                                       std::size_t target, double* coverage = nullptr);
    // `direction` scaled to the groups' mean gap along it: (u . (mean_with - mean_without)) u.
    static std::vector<float> scaledToGap(const std::vector<double>& direction, const LatentCodes& codes,
                                          const AttributeGroups& groups);

    // The smallest strength at which the target's latent classifier `probe` calls `share`
    // of the codes at `rows` "with" after adding strength * vector (0 when they already
    // are); -1 when the vector does not point across the boundary.
    static double strengthToReach(const std::vector<float>& vector, const LatentCodes& codes, const LinearProbe& probe,
                                  const std::vector<std::size_t>& rows, double share = 0.9);

    // Cross-talk of `vector` with every attribute of `labels` but `target`: shifts along
    // their mean differences and, for the codes at `editRows`, how often a linear probe
    // of each flips when the vector is added with strength 1.
    static std::vector<CrossTalk> crossTalk(const std::vector<float>& vector, const LatentCodes& codes,
                                            const AttributeLabels& labels, std::size_t target,
                                            const std::vector<std::size_t>& editRows);
    // Cross-talk with stored vectors alone (no labels): shifts along each, v.o / |o|^2.
    static std::vector<CrossTalk> crossTalk(const std::vector<float>& vector, const std::vector<AttributeVector>& others);
};

} // namespace latentlab
