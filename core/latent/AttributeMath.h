#pragma once
// Attribute vectors as mean latent differences, mean(mu | with) - mean(mu | without),
// how to apply and orthogonalise them, and how good they are. Torch-free.
#include <string>
#include <vector>

#include "core/latent/LatentCodes.h"
#include "core/model/Model.h"

namespace latentlab {

// Indices into a set of codes that have the attribute and that lack it.
struct AttributeGroups {
    std::vector<std::size_t> with;
    std::vector<std::size_t> without;
};

struct AttributeQuality {
    double norm = 0;
    double cohensD = 0;               // distance of the groups' projections in pooled std units
    double separationAccuracy = 0;    // share classified right by the best threshold on the projection
    double threshold = 0;             // that threshold, on the projection onto the unit direction
    std::vector<std::pair<std::string, double>> cosines; // with each other named vector
};

class AttributeMath {
public:
    // Label `name` (a class name or its number) as index; throws naming the known classes.
    static int labelIndex(const std::vector<std::string>& classNames, const std::string& name);
    // Class `with` against class `without`, or against every other class when `without` is "rest".
    static AttributeGroups groupsFromLabels(const std::vector<int>& labels, const std::vector<std::string>& classNames,
                                            const std::string& with, const std::string& without);

    // Images with (1) and without (-1) one of a data set's own binary attributes.
    static AttributeGroups groupsFromAttributes(const Dataset& data, const std::string& attribute);

    // mean(mu | with) - mean(mu | without). Throws on an empty group or a bad index.
    static std::vector<float> meanDifference(const LatentCodes& codes, const AttributeGroups& groups);
    // v minus its projections onto the span of `others` (Gram-Schmidt), so that moving
    // along it leaves the others' projections unchanged.
    static std::vector<float> orthogonalised(const std::vector<float>& v, const std::vector<std::vector<float>>& others);
    // code + sum_i strengths[i] * vectors[i]. Throws when a length does not fit.
    static std::vector<float> apply(const std::vector<float>& code, const std::vector<std::vector<float>>& vectors,
                                    const std::vector<double>& strengths);
    static AttributeQuality quality(const LatentCodes& codes, const AttributeGroups& groups,
                                    const std::vector<float>& vector, const std::vector<AttributeVector>& others);

    // Per-class means of labelled codes (row per class, empty rows for absent classes).
    static std::vector<std::vector<float>> classMeans(const LatentCodes& codes);
    // The class whose mean is nearest to z.
    static int nearestClass(const std::vector<std::vector<float>>& means, const float* z);

    static double cosine(const std::vector<float>& a, const std::vector<float>& b);
    // In double precision; throws when the lengths differ.
    static double dot(const std::vector<float>& a, const std::vector<float>& b);
    // Solves A x = b for a symmetric positive definite A (n x n, row-major) by Cholesky;
    // throws latentlab::Error when A is singular.
    static std::vector<double> solvePositiveDefinite(std::vector<double> a, std::vector<double> b, std::size_t n);
    static const AttributeVector& find(const std::vector<AttributeVector>& vectors, const std::string& name);
    // Stores `vector` under its name: any vector of that name goes, and the new one comes
    // last (the newest), so that a name is never held twice.
    static void addOrReplace(std::vector<AttributeVector>& vectors, AttributeVector vector);
};

} // namespace latentlab
