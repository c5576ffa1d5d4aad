#include "core/latent/AttributeDirections.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/Error.h"

namespace latentlab {

namespace {

void checkRows(const LatentCodes& codes, const AttributeLabels& labels, std::size_t target)
{
    if (labels.count() != codes.count())
        throw Error("the attribute labels have " + std::to_string(labels.count()) + " rows but there are "
                    + std::to_string(codes.count()) + " codes");
    if (target >= labels.names.size())
        throw Error("attribute column " + std::to_string(target) + " is out of range (" + std::to_string(labels.names.size())
                    + " attributes)");
}

std::vector<double> toDouble(const std::vector<float>& v)
{
    return std::vector<double>(v.begin(), v.end());
}

std::vector<float> probeNormal(const LatentCodes& codes, const AttributeGroups& groups)
{
    const LinearProbe probe = LinearProbe::fit(codes, groups);
    return std::vector<float>(probe.normal().begin(), probe.normal().end());
}

} // namespace

const std::vector<VectorMethod>& AttributeDirections::methods()
{
    static const std::vector<VectorMethod> all{VectorMethod::Mean, VectorMethod::Orthogonal, VectorMethod::Stratified,
                                               VectorMethod::Probe, VectorMethod::ConditionalProbe};
    return all;
}

std::string AttributeDirections::name(VectorMethod method)
{
    switch (method) {
    case VectorMethod::Mean: return "mean";
    case VectorMethod::Orthogonal: return "orthogonal";
    case VectorMethod::Stratified: return "stratified";
    case VectorMethod::Probe: return "probe";
    case VectorMethod::ConditionalProbe: return "conditional-probe";
    }
    return "mean";
}

std::string AttributeDirections::description(VectorMethod method)
{
    switch (method) {
    case VectorMethod::Mean: return "mean(z | with) - mean(z | without)";
    case VectorMethod::Orthogonal: return "the mean difference minus its projection on the other attributes' ones";
    case VectorMethod::Stratified: return "mean differences among images that agree on every other attribute, averaged";
    case VectorMethod::Probe: return "the normal of a logistic-regression boundary in latent space";
    case VectorMethod::ConditionalProbe: return "that normal with the other attributes' normals projected out";
    }
    return {};
}

VectorMethod AttributeDirections::parse(const std::string& text)
{
    std::string known;
    for (VectorMethod m : methods()) {
        if (name(m) == text)
            return m;
        known += (known.empty() ? "" : ", ") + name(m);
    }
    throw Error("unknown vector method '" + text + "'; known: " + known);
}

bool AttributeDirections::needsOtherAttributes(VectorMethod method)
{
    return method != VectorMethod::Mean && method != VectorMethod::Probe;
}

std::vector<float> AttributeDirections::scaledToGap(const std::vector<double>& direction, const LatentCodes& codes,
                                                    const AttributeGroups& groups)
{
    double norm = 0;
    for (double x : direction)
        norm += x * x;
    norm = std::sqrt(norm);
    if (!(norm > 0))
        throw Error("the attribute direction is zero: the other attributes' directions span it");
    const std::vector<float> gap = AttributeMath::meanDifference(codes, groups);
    double along = 0;
    for (std::size_t j = 0; j < direction.size(); ++j)
        along += direction[j] / norm * gap[j];
    std::vector<float> v(direction.size());
    for (std::size_t j = 0; j < v.size(); ++j)
        v[j] = float(along * direction[j] / norm);
    return v;
}

std::vector<float> AttributeDirections::stratifiedMeanDifference(const LatentCodes& codes, const AttributeLabels& labels,
                                                                 std::size_t target, double* coverage)
{
    checkRows(codes, labels, target);
    struct Stratum {
        std::vector<std::size_t> with, without;
    };
    std::map<std::string, Stratum> strata; // key: the other attributes' values
    std::size_t labelled = 0;
    for (std::size_t i = 0; i < labels.count(); ++i) {
        const int v = labels.value(i, target);
        if (v == 0)
            continue;
        ++labelled;
        std::string key;
        for (std::size_t j = 0; j < labels.names.size(); ++j)
            if (j != target)
                key += char(labels.value(i, j) + '1');
        (v > 0 ? strata[key].with : strata[key].without).push_back(i);
    }
    std::vector<double> sum(std::size_t(codes.dim), 0.0);
    double totalWeight = 0;
    std::size_t used = 0;
    for (const auto& [key, s] : strata) {
        if (s.with.empty() || s.without.empty())
            continue;
        const std::vector<float> d = AttributeMath::meanDifference(codes, {s.with, s.without});
        const double weight = double(s.with.size()) * double(s.without.size()) / double(s.with.size() + s.without.size());
        for (std::size_t j = 0; j < d.size(); ++j)
            sum[j] += weight * d[j];
        totalWeight += weight;
        used += s.with.size() + s.without.size();
    }
    if (!(totalWeight > 0))
        throw Error("no images that agree on the other " + std::to_string(labels.names.size() - 1)
                    + " attributes both have and lack '" + labels.names[target]
                    + "': a stratified mean difference needs such pairs");
    if (coverage)
        *coverage = double(used) / double(labelled);
    std::vector<float> v(sum.size());
    for (std::size_t j = 0; j < v.size(); ++j)
        v[j] = float(sum[j] / totalWeight);
    return v;
}

std::vector<float> AttributeDirections::make(VectorMethod method, const LatentCodes& codes, const AttributeGroups& groups)
{
    if (method == VectorMethod::Mean)
        return AttributeMath::meanDifference(codes, groups);
    if (method == VectorMethod::Probe)
        return scaledToGap(LinearProbe::fit(codes, groups).normal(), codes, groups);
    throw Error("the " + name(method) + " method controls for other attributes, and these groups have none: "
                "use mean or probe");
}

std::vector<float> AttributeDirections::make(VectorMethod method, const LatentCodes& codes, const AttributeLabels& labels,
                                             std::size_t target)
{
    checkRows(codes, labels, target);
    const AttributeGroups groups = labels.groups(target);
    switch (method) {
    case VectorMethod::Mean:
    case VectorMethod::Probe:
        return make(method, codes, groups);
    case VectorMethod::Stratified:
        return stratifiedMeanDifference(codes, labels, target);
    case VectorMethod::Orthogonal:
    case VectorMethod::ConditionalProbe: {
        const bool probes = method == VectorMethod::ConditionalProbe;
        std::vector<std::vector<float>> others;
        for (std::size_t j = 0; j < labels.names.size(); ++j) {
            const AttributeGroups g = labels.groups(j);
            if (j == target || g.with.empty() || g.without.empty())
                continue;
            others.push_back(probes ? probeNormal(codes, g) : AttributeMath::meanDifference(codes, g));
        }
        const std::vector<float> own = probes ? probeNormal(codes, groups) : AttributeMath::meanDifference(codes, groups);
        const std::vector<float> rest = AttributeMath::orthogonalised(own, others);
        // What is left after removing the others may be rounding error (a latent space of
        // few dimensions that the others span): no direction at all.
        if (!(std::sqrt(AttributeMath::dot(rest, rest)) > 1e-3 * std::sqrt(AttributeMath::dot(own, own))))
            throw Error("the direction of '" + labels.names[target] + "' lies in the span of the other "
                        + std::to_string(others.size()) + " attributes' directions (the latent space has "
                        + std::to_string(codes.dim) + " dimensions): use " + name(probes ? VectorMethod::Probe : VectorMethod::Mean)
                        + " or stratified");
        return scaledToGap(toDouble(rest), codes, groups);
    }
    }
    return {};
}

double AttributeDirections::strengthToReach(const std::vector<float>& vector, const LatentCodes& codes,
                                            const LinearProbe& probe, const std::vector<std::size_t>& rows, double share)
{
    if (vector.size() != probe.normal().size() || rows.empty())
        throw Error("the strength to reach needs a vector of the probe's length and some codes");
    double across = 0; // how fast the decision grows per unit of strength
    for (std::size_t j = 0; j < vector.size(); ++j)
        across += probe.normal()[j] * vector[j];
    if (!(across > 0))
        return -1;
    std::vector<double> needed;
    for (std::size_t row : rows) {
        if (row >= codes.count())
            throw Error("image index " + std::to_string(row) + " is out of range (" + std::to_string(codes.count())
                        + " images)");
        needed.push_back(std::max(0.0, -probe.decision(codes.code(row)) / across));
    }
    const std::size_t k =
        std::min(needed.size(), std::max<std::size_t>(1, std::size_t(std::ceil(share * double(needed.size()))))) - 1;
    std::nth_element(needed.begin(), needed.begin() + std::ptrdiff_t(k), needed.end());
    return needed[k];
}

std::vector<CrossTalk> AttributeDirections::crossTalk(const std::vector<float>& vector, const LatentCodes& codes,
                                                      const AttributeLabels& labels, std::size_t target,
                                                      const std::vector<std::size_t>& editRows)
{
    checkRows(codes, labels, target);
    if (vector.size() != std::size_t(codes.dim))
        throw Error("the attribute vector has " + std::to_string(vector.size()) + " values but the latent space has "
                    + std::to_string(codes.dim) + " dimensions");
    std::vector<CrossTalk> result;
    std::vector<float> edited(vector.size());
    for (std::size_t j = 0; j < labels.names.size(); ++j) {
        const AttributeGroups g = labels.groups(j);
        if (j == target || g.with.empty() || g.without.empty())
            continue;
        CrossTalk c;
        c.name = labels.names[j];
        const std::vector<float> d = AttributeMath::meanDifference(codes, g);
        const double dd = AttributeMath::dot(d, d);
        c.shift = dd > 0 ? AttributeMath::dot(vector, d) / dd : 0;
        const LinearProbe probe = LinearProbe::fit(codes, g);
        std::size_t flips = 0;
        for (std::size_t row : editRows) {
            if (row >= codes.count())
                throw Error("image index " + std::to_string(row) + " is out of range (" + std::to_string(codes.count())
                            + " images)");
            const float* z = codes.code(row);
            for (std::size_t k = 0; k < edited.size(); ++k)
                edited[k] = z[k] + vector[k];
            flips += probe.predicts(z) != probe.predicts(edited.data());
        }
        c.flipped = editRows.empty() ? 0 : double(flips) / double(editRows.size());
        result.push_back(c);
    }
    return result;
}

std::vector<CrossTalk> AttributeDirections::crossTalk(const std::vector<float>& vector,
                                                      const std::vector<AttributeVector>& others)
{
    std::vector<CrossTalk> result;
    for (const AttributeVector& o : others) {
        if (o.direction.size() != vector.size())
            continue;
        const double oo = AttributeMath::dot(o.direction, o.direction);
        result.push_back({o.name, oo > 0 ? AttributeMath::dot(vector, o.direction) / oo : 0, -1});
    }
    return result;
}

} // namespace latentlab
