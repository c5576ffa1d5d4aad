#include "core/latent/AttributeMath.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "core/base/Error.h"

namespace latentlab {

namespace {

double dotWith(const std::vector<float>& a, const float* b)
{
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * double(b[i]);
    return s;
}

void checkLength(const std::vector<float>& v, std::size_t n, const char* what)
{
    if (v.size() != n)
        throw Error(std::string(what) + " has " + std::to_string(v.size()) + " values but the latent space has "
                    + std::to_string(n) + " dimensions");
}

std::vector<double> meanOf(const LatentCodes& codes, const std::vector<std::size_t>& indices, const char* group)
{
    if (indices.empty())
        throw Error(std::string("the '") + group + "' group is empty: an attribute needs images with and without it");
    std::vector<double> mean(std::size_t(codes.dim));
    for (std::size_t index : indices) {
        if (index >= codes.count())
            throw Error("image index " + std::to_string(index) + " is out of range (" + std::to_string(codes.count())
                        + " images)");
        const float* z = codes.code(index);
        for (int j = 0; j < codes.dim; ++j)
            mean[std::size_t(j)] += z[j];
    }
    for (double& m : mean)
        m /= double(indices.size());
    return mean;
}

} // namespace

int AttributeMath::labelIndex(const std::vector<std::string>& classNames, const std::string& name)
{
    for (std::size_t i = 0; i < classNames.size(); ++i)
        if (classNames[i] == name || std::to_string(i) == name)
            return int(i);
    std::string known;
    for (const std::string& c : classNames)
        known += (known.empty() ? "" : ", ") + c;
    throw Error("unknown label '" + name + "'" + (known.empty() ? " (the data set has no labels)" : "; known: " + known));
}

AttributeGroups AttributeMath::groupsFromLabels(const std::vector<int>& labels,
                                                const std::vector<std::string>& classNames, const std::string& with,
                                                const std::string& without)
{
    if (labels.empty())
        throw Error("the data set has no labels to build an attribute from");
    const int a = labelIndex(classNames, with);
    const int b = without == "rest" ? -1 : labelIndex(classNames, without);
    if (a == b)
        throw Error("an attribute needs two different classes, got '" + with + "' twice");
    AttributeGroups groups;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] == a)
            groups.with.push_back(i);
        else if (b < 0 || labels[i] == b)
            groups.without.push_back(i);
    }
    return groups;
}

AttributeGroups AttributeMath::groupsFromAttributes(const Dataset& data, const std::string& attribute)
{
    const auto& names = data.attributeNames();
    const auto it = std::find(names.begin(), names.end(), attribute);
    if (it == names.end()) {
        std::string known;
        for (const std::string& n : names)
            known += (known.empty() ? "" : ", ") + n;
        throw Error(data.name() + ": has no attribute '" + attribute + "'"
                    + (known.empty() ? std::string(" (it has no attributes)") : "; it has: " + known));
    }
    const std::size_t column = std::size_t(it - names.begin());
    AttributeGroups groups;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const int value = data.attribute(i, column);
        if (value > 0)
            groups.with.push_back(i);
        else if (value < 0)
            groups.without.push_back(i);
    }
    return groups;
}

std::vector<float> AttributeMath::meanDifference(const LatentCodes& codes, const AttributeGroups& groups)
{
    const std::vector<double> with = meanOf(codes, groups.with, "with");
    const std::vector<double> without = meanOf(codes, groups.without, "without");
    std::vector<float> v(with.size());
    for (std::size_t j = 0; j < v.size(); ++j)
        v[j] = float(with[j] - without[j]);
    return v;
}

std::vector<float> AttributeMath::orthogonalised(const std::vector<float>& v,
                                                 const std::vector<std::vector<float>>& others)
{
    // An orthonormal basis of the others' span first, so that overlapping others are
    // removed once, not twice.
    std::vector<std::vector<double>> basis;
    for (const std::vector<float>& o : others) {
        checkLength(o, v.size(), "a vector to orthogonalise against");
        std::vector<double> e(o.begin(), o.end());
        for (const auto& b : basis) {
            const double p = std::inner_product(e.begin(), e.end(), b.begin(), 0.0);
            for (std::size_t i = 0; i < e.size(); ++i)
                e[i] -= p * b[i];
        }
        const double norm = std::sqrt(std::inner_product(e.begin(), e.end(), e.begin(), 0.0));
        if (norm > 1e-9) {
            for (double& x : e)
                x /= norm;
            basis.push_back(std::move(e));
        }
    }
    std::vector<double> r(v.begin(), v.end());
    for (const auto& b : basis) {
        const double p = std::inner_product(r.begin(), r.end(), b.begin(), 0.0);
        for (std::size_t i = 0; i < r.size(); ++i)
            r[i] -= p * b[i];
    }
    return std::vector<float>(r.begin(), r.end());
}

std::vector<float> AttributeMath::apply(const std::vector<float>& code, const std::vector<std::vector<float>>& vectors,
                                        const std::vector<double>& strengths)
{
    if (vectors.size() != strengths.size())
        throw Error("give one strength per attribute vector");
    std::vector<float> z = code;
    for (std::size_t k = 0; k < vectors.size(); ++k) {
        checkLength(vectors[k], code.size(), "an attribute vector");
        for (std::size_t i = 0; i < z.size(); ++i)
            z[i] += float(strengths[k] * vectors[k][i]);
    }
    return z;
}

AttributeQuality AttributeMath::quality(const LatentCodes& codes, const AttributeGroups& groups,
                                        const std::vector<float>& vector, const std::vector<AttributeVector>& others)
{
    checkLength(vector, std::size_t(codes.dim), "the attribute vector");
    AttributeQuality q;
    q.norm = std::sqrt(dotWith(vector, vector.data()));
    if (!(q.norm > 0))
        throw Error("the attribute vector is zero: both groups have the same mean code");
    const auto projections = [&](const std::vector<std::size_t>& indices) {
        std::vector<double> p;
        for (std::size_t i : indices)
            p.push_back(dotWith(vector, codes.code(i)) / q.norm);
        return p;
    };
    const std::vector<double> with = projections(groups.with), without = projections(groups.without);
    if (with.empty() || without.empty())
        throw Error("an attribute needs images with and without it: one group is empty");
    const auto meanVar = [](const std::vector<double>& x) {
        const double m = std::accumulate(x.begin(), x.end(), 0.0) / double(x.size());
        double s = 0;
        for (double v : x)
            s += (v - m) * (v - m);
        return std::make_pair(m, x.size() > 1 ? s / double(x.size() - 1) : 0.0);
    };
    const auto [mw, vw] = meanVar(with);
    const auto [mo, vo] = meanVar(without);
    const double pooled = std::sqrt(((with.size() - 1) * vw + (without.size() - 1) * vo)
                                    / std::max(1.0, double(with.size() + without.size() - 2)));
    q.cohensD = pooled > 0 ? (mw - mo) / pooled : 0;

    // Best threshold: sweep the sorted projections, "with" above the threshold.
    std::vector<std::pair<double, bool>> all;
    for (double p : with)
        all.emplace_back(p, true);
    for (double p : without)
        all.emplace_back(p, false);
    std::sort(all.begin(), all.end());
    long correct = long(with.size()); // threshold below everything: all called "with"
    long best = correct;
    q.threshold = all.front().first - 1;
    for (std::size_t i = 0; i < all.size(); ++i) {
        correct += all[i].second ? -1 : 1; // moving the threshold above item i
        if (correct > best && (i + 1 == all.size() || all[i + 1].first > all[i].first)) {
            best = correct;
            q.threshold = i + 1 < all.size() ? 0.5 * (all[i].first + all[i + 1].first) : all[i].first + 1;
        }
    }
    q.separationAccuracy = double(best) / double(all.size());
    for (const AttributeVector& o : others)
        if (o.direction.size() == vector.size())
            q.cosines.emplace_back(o.name, cosine(vector, o.direction));
    return q;
}

std::vector<std::vector<float>> AttributeMath::classMeans(const LatentCodes& codes)
{
    if (codes.labels.empty())
        throw Error("class means need labelled codes");
    const int classes = *std::max_element(codes.labels.begin(), codes.labels.end()) + 1;
    std::vector<std::vector<double>> sums(std::size_t(classes), std::vector<double>(std::size_t(codes.dim)));
    std::vector<std::size_t> counts(static_cast<std::size_t>(classes));
    for (std::size_t i = 0; i < codes.count(); ++i) {
        const std::size_t c = std::size_t(codes.labels[i]);
        ++counts[c];
        for (int j = 0; j < codes.dim; ++j)
            sums[c][std::size_t(j)] += codes.code(i)[j];
    }
    std::vector<std::vector<float>> means(static_cast<std::size_t>(classes));
    for (std::size_t c = 0; c < means.size(); ++c)
        if (counts[c] > 0)
            for (double s : sums[c])
                means[c].push_back(float(s / double(counts[c])));
    return means;
}

int AttributeMath::nearestClass(const std::vector<std::vector<float>>& means, const float* z)
{
    int best = -1;
    double bestDistance = 0;
    for (std::size_t c = 0; c < means.size(); ++c) {
        if (means[c].empty())
            continue;
        double d = 0;
        for (std::size_t j = 0; j < means[c].size(); ++j)
            d += (double(means[c][j]) - z[j]) * (double(means[c][j]) - z[j]);
        if (best < 0 || d < bestDistance) {
            best = int(c);
            bestDistance = d;
        }
    }
    return best;
}

double AttributeMath::dot(const std::vector<float>& a, const std::vector<float>& b)
{
    checkLength(b, a.size(), "a vector to multiply with");
    return dotWith(a, b.data());
}

double AttributeMath::cosine(const std::vector<float>& a, const std::vector<float>& b)
{
    checkLength(b, a.size(), "a vector to compare with");
    const double na = std::sqrt(dotWith(a, a.data())), nb = std::sqrt(dotWith(b, b.data()));
    return na > 0 && nb > 0 ? dotWith(a, b.data()) / (na * nb) : 0;
}

const AttributeVector& AttributeMath::find(const std::vector<AttributeVector>& vectors, const std::string& name)
{
    for (const AttributeVector& v : vectors)
        if (v.name == name)
            return v;
    std::string known;
    for (const AttributeVector& v : vectors)
        known += (known.empty() ? "" : ", ") + v.name;
    throw Error("the model has no attribute vector '" + name + "'"
                + (known.empty() ? std::string(" (it has none yet)") : "; it has: " + known));
}

void AttributeMath::addOrReplace(std::vector<AttributeVector>& vectors, AttributeVector vector)
{
    if (vector.name.empty())
        throw Error("an attribute vector needs a name");
    vectors.erase(std::remove_if(vectors.begin(), vectors.end(),
                                 [&](const AttributeVector& v) { return v.name == vector.name; }),
                  vectors.end());
    vectors.push_back(std::move(vector));
}

std::vector<double> AttributeMath::solvePositiveDefinite(std::vector<double> a, std::vector<double> b, std::size_t n)
{
    for (std::size_t j = 0; j < n; ++j) {
        double d = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k)
            d -= a[j * n + k] * a[j * n + k];
        if (!(d > 0))
            throw Error("a linear system in latent space is singular");
        d = std::sqrt(d);
        a[j * n + j] = d;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k)
                s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / d;
        }
    }
    for (std::size_t i = 0; i < n; ++i) { // L y = b
        for (std::size_t k = 0; k < i; ++k)
            b[i] -= a[i * n + k] * b[k];
        b[i] /= a[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) { // L^T x = y
        for (std::size_t k = i + 1; k < n; ++k)
            b[i] -= a[k * n + i] * b[k];
        b[i] /= a[i * n + i];
    }
    return b;
}

} // namespace latentlab
