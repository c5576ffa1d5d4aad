#include "core/latent/FactorReport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "core/base/Error.h"
#include "core/data/CardsGenerator.h"
#include "core/data/Dataset.h"
#include "core/latent/CircularStatistics.h"

namespace latentlab {

namespace {

constexpr double kDegree = M_PI / 180.0;
constexpr int kMaxClasses = 1000;

double pearson(const std::vector<double>& a, const std::vector<double>& b)
{
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// The correlation ratio: how much of x's variance the classes explain, as a correlation.
double correlationRatio(const std::vector<double>& x, const std::vector<int>& classes, int count)
{
    std::vector<double> sum(std::size_t(count), 0.0), n(std::size_t(count), 0.0);
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / double(x.size());
    double total = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sum[std::size_t(classes[i])] += x[i];
        n[std::size_t(classes[i])] += 1;
        total += (x[i] - mean) * (x[i] - mean);
    }
    double between = 0;
    for (std::size_t c = 0; c < sum.size(); ++c)
        if (n[c] > 0)
            between += n[c] * (sum[c] / n[c] - mean) * (sum[c] / n[c] - mean);
    return total > 0 ? std::sqrt(std::min(1.0, between / total)) : 0.0;
}

// Mardia's circular-linear correlation of x with the angle whose cos and sin are given.
// x less the mean of its class.
std::vector<double> centredWithin(const std::vector<double>& x, const std::vector<int>& classes, int count)
{
    std::vector<double> sum(std::size_t(count), 0.0), n(std::size_t(count), 0.0);
    for (std::size_t i = 0; i < x.size(); ++i)
        sum[std::size_t(classes[i])] += x[i], n[std::size_t(classes[i])] += 1;
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        out[i] = x[i] - sum[std::size_t(classes[i])] / n[std::size_t(classes[i])];
    return out;
}

double circularLinear(const std::vector<double>& x, const std::vector<double>& cosines, const std::vector<double>& sines)
{
    const double rc = pearson(x, cosines), rs = pearson(x, sines), rcs = pearson(cosines, sines);
    const double denominator = 1 - rcs * rcs;
    if (denominator <= 1e-12)
        return std::max(std::abs(rc), std::abs(rs));
    return std::sqrt(std::clamp((rc * rc + rs * rs - 2 * rc * rs * rcs) / denominator, 0.0, 1.0));
}

double entropy(const std::vector<int>& x, int a)
{
    return FactorReport::mutualInformation(x, a, x, a);
}

std::vector<double> column(const std::vector<float>& codes, int dim, int d)
{
    std::vector<double> out(codes.size() / std::size_t(dim));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = codes[i * std::size_t(dim) + std::size_t(d)];
    return out;
}

double squaredDistance(const std::vector<float>& codes, int dim, const std::vector<int>& dims, std::size_t i,
                       const double* centre)
{
    double s = 0;
    for (std::size_t j = 0; j < dims.size(); ++j) {
        const double d = codes[i * std::size_t(dim) + std::size_t(dims[j])] - centre[j];
        s += d * d;
    }
    return s;
}

void checkDimensions(const std::vector<int>& dims, int dim)
{
    if (dims.empty())
        throw Error("factor report: no latent dimensions chosen");
    for (int d : dims)
        if (d < 0 || d >= dim)
            throw Error("factor report: dimension " + std::to_string(d) + " outside the code's " + std::to_string(dim));
}

} // namespace

std::vector<int> FactorReport::discretise(const std::vector<double>& values, int bins)
{
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    std::vector<int> out(values.size(), 0);
    if (values.empty() || !(*hi > *lo))
        return out;
    const double width = (*hi - *lo) / bins;
    for (std::size_t i = 0; i < values.size(); ++i)
        out[i] = std::min(bins - 1, int((values[i] - *lo) / width));
    return out;
}

double FactorReport::mutualInformation(const std::vector<int>& x, int a, const std::vector<int>& y, int b)
{
    if (x.size() != y.size() || x.empty())
        throw Error("mutual information: " + std::to_string(x.size()) + " values against " + std::to_string(y.size()));
    std::vector<double> joint(std::size_t(a) * std::size_t(b), 0.0), px(std::size_t(a), 0.0), py(std::size_t(b), 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        joint[std::size_t(x[i]) * std::size_t(b) + std::size_t(y[i])] += 1;
        px[std::size_t(x[i])] += 1;
        py[std::size_t(y[i])] += 1;
    }
    const double n = double(x.size());
    double mi = 0;
    for (int i = 0; i < a; ++i)
        for (int j = 0; j < b; ++j) {
            const double p = joint[std::size_t(i) * std::size_t(b) + std::size_t(j)];
            if (p > 0)
                mi += p / n * std::log(p * n / (px[std::size_t(i)] * py[std::size_t(j)]));
        }
    return std::max(0.0, mi);
}

double FactorReport::nearestNeighbourAccuracy(const std::vector<float>& codes, int dim, const std::vector<int>& dims,
                                 const std::vector<int>& labels, int k)
{
    checkDimensions(dims, dim);
    const std::size_t n = labels.size();
    if (n < std::size_t(k) + 1)
        throw Error("k-nearest neighbours: " + std::to_string(n) + " codes are too few for k = " + std::to_string(k));
    const int classes = *std::max_element(labels.begin(), labels.end()) + 1;
    std::size_t correct = 0;
    std::vector<std::pair<double, std::size_t>> distances(n);
    std::vector<double> query(dims.size());
    std::vector<int> votes(static_cast<std::size_t>(classes));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < dims.size(); ++j)
            query[j] = codes[i * std::size_t(dim) + std::size_t(dims[j])];
        for (std::size_t m = 0; m < n; ++m)
            distances[m] = {m == i ? std::numeric_limits<double>::infinity() : squaredDistance(codes, dim, dims, m, query.data()), m};
        std::partial_sort(distances.begin(), distances.begin() + k, distances.end());
        std::fill(votes.begin(), votes.end(), 0);
        for (int m = 0; m < k; ++m)
            ++votes[std::size_t(labels[distances[std::size_t(m)].second])];
        // The most votes; a tie goes to the class of the nearest of the tied.
        const int top = *std::max_element(votes.begin(), votes.end());
        int vote = -1;
        for (int m = 0; m < k && vote < 0; ++m)
            if (votes[std::size_t(labels[distances[std::size_t(m)].second])] == top)
                vote = labels[distances[std::size_t(m)].second];
        correct += vote == labels[i];
    }
    return double(correct) / double(n);
}

double FactorReport::clusterAgreement(const std::vector<float>& codes, int dim, const std::vector<int>& dims,
                               const std::vector<int>& labels, int classes, std::uint64_t seed)
{
    checkDimensions(dims, dim);
    const std::size_t n = labels.size(), d = dims.size(), k = std::size_t(classes);
    if (n < k)
        throw Error("k-means: " + std::to_string(n) + " codes are too few for " + std::to_string(k) + " clusters");
    std::mt19937_64 rng(seed);
    std::vector<int> best;
    double bestInertia = std::numeric_limits<double>::infinity();
    for (int restart = 0; restart < 5; ++restart) {
        // k-means++ seeding: each next centre drawn with probability proportional to D^2.
        std::vector<double> centres(k * d);
        std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
        std::size_t pick = std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
        for (std::size_t c = 0; c < k; ++c) {
            for (std::size_t j = 0; j < d; ++j)
                centres[c * d + j] = codes[pick * std::size_t(dim) + std::size_t(dims[j])];
            for (std::size_t i = 0; i < n; ++i)
                nearest[i] = std::min(nearest[i], squaredDistance(codes, dim, dims, i, &centres[c * d]));
            const double total = std::accumulate(nearest.begin(), nearest.end(), 0.0);
            if (total <= 0)
                break; // every code sits on a centre already
            double r = std::uniform_real_distribution<double>(0, total)(rng);
            for (pick = 0; pick + 1 < n && (r -= nearest[pick]) > 0; ++pick) {
            }
        }
        std::vector<int> assignment(n, -1);
        double inertia = 0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            bool changed = false;
            inertia = 0;
            for (std::size_t i = 0; i < n; ++i) {
                int closest = 0;
                double closestDistance = std::numeric_limits<double>::infinity();
                for (std::size_t c = 0; c < k; ++c) {
                    const double dist = squaredDistance(codes, dim, dims, i, &centres[c * d]);
                    if (dist < closestDistance)
                        closestDistance = dist, closest = int(c);
                }
                changed |= assignment[i] != closest;
                assignment[i] = closest;
                inertia += closestDistance;
            }
            if (!changed)
                break;
            std::vector<double> sums(k * d, 0.0), counts(k, 0.0);
            for (std::size_t i = 0; i < n; ++i) {
                counts[std::size_t(assignment[i])] += 1;
                for (std::size_t j = 0; j < d; ++j)
                    sums[std::size_t(assignment[i]) * d + j] += codes[i * std::size_t(dim) + std::size_t(dims[j])];
            }
            for (std::size_t c = 0; c < k; ++c)
                if (counts[c] > 0) // an empty cluster keeps its centre
                    for (std::size_t j = 0; j < d; ++j)
                        centres[c * d + j] = sums[c * d + j] / counts[c];
        }
        if (inertia < bestInertia)
            bestInertia = inertia, best = assignment;
    }
    const double hc = entropy(best, classes), hy = entropy(labels, classes);
    return hc + hy > 0 ? 2 * mutualInformation(best, classes, labels, classes) / (hc + hy) : 0.0;
}

FactorReport FactorReport::analyse(const std::vector<float>& codes, int dim, const std::vector<std::string>& dimensionNames,
                                   const std::vector<FactorInput>& factors, const std::vector<int>& contentDimensions,
                                   int angleDimension, const std::vector<int>& symmetry)
{
    if (dim < 1 || codes.size() % std::size_t(dim) != 0)
        throw Error("factor report: " + std::to_string(codes.size()) + " values are not codes of " + std::to_string(dim));
    const std::size_t n = codes.size() / std::size_t(dim);
    if (n < 10 || n > kMaxCodes)
        throw Error("factor report: needs 10 to " + std::to_string(kMaxCodes) + " codes, got " + std::to_string(n));
    if (factors.empty())
        throw Error("factor report: the data set has no known factors or labels to compare the code with");
    if (dimensionNames.size() != std::size_t(dim))
        throw Error("factor report: " + std::to_string(dimensionNames.size()) + " names for " + std::to_string(dim)
                    + " dimensions");
    checkDimensions(contentDimensions, dim);
    if (angleDimension >= dim)
        throw Error("factor report: the angle dimension is outside the code");
    for (float v : codes)
        if (!std::isfinite(v))
            throw Error("factor report: the code holds a value that is not a finite number");
    for (const FactorInput& f : factors) {
        if (f.values.size() != n)
            throw Error("factor report: factor " + f.name + " has " + std::to_string(f.values.size()) + " values for "
                        + std::to_string(n) + " codes");
        if (f.kind == FactorInput::Kind::Label && (f.classes < 2 || f.classes > kMaxClasses))
            throw Error("factor report: label " + f.name + " needs 2 to " + std::to_string(kMaxClasses) + " classes, has "
                        + std::to_string(f.classes));
        for (double v : f.values)
            if (!std::isfinite(v) || (f.kind == FactorInput::Kind::Label && (v < 0 || v >= f.classes || v != std::floor(v))))
                throw Error("factor report: factor " + f.name + " holds the value " + std::to_string(v)
                            + (f.kind == FactorInput::Kind::Label ? ", not a class index" : ", not a finite number"));
    }

    FactorReport report;
    report.dimensionNames = dimensionNames;
    std::vector<std::vector<double>> columns{static_cast<std::size_t>(dim)};
    std::vector<std::vector<int>> binned{static_cast<std::size_t>(dim)};
    for (int d = 0; d < dim; ++d) {
        columns[std::size_t(d)] = column(codes, dim, d);
        binned[std::size_t(d)] = discretise(columns[std::size_t(d)]);
    }
    const FactorInput* label = nullptr;
    for (const FactorInput& f : factors)
        if (f.kind == FactorInput::Kind::Label && !label)
            label = &f;
    std::vector<int> labels;
    if (label)
        for (double v : label->values)
            labels.push_back(int(v));
    if (!symmetry.empty() && (!label || symmetry.size() != std::size_t(label->classes)))
        throw Error("factor report: a rotational symmetry per class needs a label factor with as many classes");
    const auto symmetryOf = [&](std::size_t i) { return symmetry.empty() ? 1 : symmetry[std::size_t(labels[i])]; };

    for (const FactorInput& f : factors) {
        FactorScores scores;
        scores.name = f.name;
        scores.kind = f.kind;
        std::vector<int> levels;
        int levelCount = kBins;
        std::vector<double> cosines, sines;
        if (f.kind == FactorInput::Kind::Label) {
            levelCount = f.classes;
            for (double v : f.values)
                levels.push_back(int(v));
        } else {
            levels = discretise(f.values);
        }
        if (f.kind == FactorInput::Kind::Angle)
            for (std::size_t i = 0; i < n; ++i) {
                // What the image shows: a class with k-fold symmetry looks the same at k * angle.
                const double a = f.values[i] * kDegree * (label ? symmetryOf(i) : 1);
                cosines.push_back(std::cos(a));
                sines.push_back(std::sin(a));
            }
        scores.entropy = entropy(levels, levelCount);
        for (int d = 0; d < dim; ++d) {
            const std::vector<double>& x = columns[std::size_t(d)];
            double r = 0;
            switch (f.kind) {
            case FactorInput::Kind::Label: r = correlationRatio(x, levels, levelCount); break;
            case FactorInput::Kind::Continuous: r = std::abs(pearson(x, f.values)); break;
            case FactorInput::Kind::Angle: r = circularLinear(x, cosines, sines); break;
            }
            scores.correlation.push_back(r);
            scores.mutualInformation.push_back(mutualInformation(binned[std::size_t(d)], kBins, levels, levelCount));
        }
        std::vector<double> sorted = scores.mutualInformation;
        std::sort(sorted.rbegin(), sorted.rend());
        scores.bestDimension = int(std::max_element(scores.mutualInformation.begin(), scores.mutualInformation.end())
                                   - scores.mutualInformation.begin());
        scores.mig = scores.entropy > 0 ? (sorted[0] - (sorted.size() > 1 ? sorted[1] : 0.0)) / scores.entropy : 0.0;
        report.mig += scores.mig / double(factors.size());

        if (f.kind == FactorInput::Kind::Angle && !report.hasAngle) {
            report.hasAngle = true;
            AngleScores& angle = report.angle;
            for (int d = 0; d < dim; ++d)
                if (scores.correlation[std::size_t(d)] > angle.bestLinearCorrelation)
                    angle.bestLinearCorrelation = scores.correlation[std::size_t(d)], angle.bestLinearDimension = d;
            // Against cos and sin centred within each class: a class whose angles are
            // multiplied by its symmetry has means of its own, which a code that only says
            // the class would otherwise "carry" (a diamond's cos 2a averages -0.2 on cards3,
            // the other suits' cos a +0.4).
            const std::vector<double> cosinesWithin = label ? centredWithin(cosines, labels, label->classes) : cosines;
            const std::vector<double> sinesWithin = label ? centredWithin(sines, labels, label->classes) : sines;
            for (int d : contentDimensions)
                angle.carriedByContent = std::max({angle.carriedByContent, std::abs(pearson(columns[std::size_t(d)], cosinesWithin)),
                                                   std::abs(pearson(columns[std::size_t(d)], sinesWithin))});
            if (angleDimension >= 0) {
                angle.hasAngleLatent = true;
                const auto correlate = [&](int cls) { // cls < 0: every code
                    std::vector<double> truth, latent;
                    for (std::size_t i = 0; i < n; ++i) {
                        const int k = label ? symmetryOf(i) : 1;
                        if (cls < 0 || labels[i] == cls) {
                            truth.push_back(k * f.values[i] * kDegree);
                            latent.push_back(k * columns[std::size_t(angleDimension)][i]);
                        }
                    }
                    return truth.size() >= 2 ? CircularStatistics::correlation(latent, truth) : 0.0;
                };
                // With classes, the mean of the per-class figures: each class may have its own
                // canonical orientation (an offset), which pooling them would count against it.
                if (label) {
                    int counted = 0;
                    for (int c = 0; c < label->classes; ++c) {
                        angle.angleLatentCorrelationPerClass.push_back(correlate(c));
                        if (symmetry.empty() || symmetry[std::size_t(c)] == 1) {
                            angle.angleLatentCorrelation += angle.angleLatentCorrelationPerClass.back();
                            ++counted;
                        }
                    }
                    angle.angleLatentCorrelation /= std::max(1, counted);
                } else {
                    angle.angleLatentCorrelation = correlate(-1);
                }
            }
        }
        report.factors.push_back(std::move(scores));
    }
    if (label) {
        report.hasLabels = true;
        std::vector<int> all(static_cast<std::size_t>(dim));
        std::iota(all.begin(), all.end(), 0);
        report.knnAccuracy = nearestNeighbourAccuracy(codes, dim, all, labels);
        report.contentKnnAccuracy = nearestNeighbourAccuracy(codes, dim, contentDimensions, labels);
        report.kmeansNmi = clusterAgreement(codes, dim, all, labels, label->classes);
        report.contentKmeansNmi = clusterAgreement(codes, dim, contentDimensions, labels, label->classes);
    }
    return report;
}

FactorReport FactorReport::fromDataset(const std::vector<float>& codes, int dim, const Dataset& data,
                                       const std::vector<std::string>& dimensionNames, int poseSize)
{
    // The 5-NN is quadratic in the count: a large data set is described by its first kMaxCodes.
    if (dim > 0 && data.size() > kMaxCodes && codes.size() >= kMaxCodes * std::size_t(dim))
        return fromDataset(std::vector<float>(codes.begin(), codes.begin() + std::ptrdiff_t(kMaxCodes * std::size_t(dim))),
                           dim, data.head(kMaxCodes), dimensionNames, poseSize);
    std::vector<FactorInput> factors;
    std::vector<int> symmetry;
    if (data.hasLabels()) {
        const int classes = std::max<int>(int(data.classNames().size()),
                                          *std::max_element(data.labels().begin(), data.labels().end()) + 1);
        factors.push_back({"class", FactorInput::Kind::Label, std::vector<double>(data.labels().begin(), data.labels().end()),
                           classes});
        for (int c = 0; c < classes; ++c)
            symmetry.push_back(c < int(data.classNames().size())
                                   ? CardsGenerator::rotationalSymmetry(data.classNames()[std::size_t(c)]) : 1);
        if (std::all_of(symmetry.begin(), symmetry.end(), [](int k) { return k == 1; }))
            symmetry.clear();
    }
    for (std::size_t a = 0; a < data.attributeNames().size(); ++a) {
        FactorInput f{data.attributeNames()[a], FactorInput::Kind::Label, {}, 2};
        for (std::size_t i = 0; i < data.size(); ++i)
            f.values.push_back(data.attribute(i, a) > 0 ? 1 : 0);
        factors.push_back(std::move(f));
    }
    const std::size_t count = data.factorNames().size();
    for (std::size_t j = 0; j < count; ++j) {
        FactorInput f{data.factorNames()[j],
                      data.factorNames()[j] == "angle" ? FactorInput::Kind::Angle : FactorInput::Kind::Continuous, {}, 0};
        for (std::size_t i = 0; i < data.size(); ++i)
            f.values.push_back(data.factors()[i * count + j]);
        factors.push_back(std::move(f));
    }
    if (factors.empty())
        throw Error("data set " + data.name() + " has no labels, attributes or factors to compare the code with");
    std::vector<int> content;
    for (int d = poseSize; d < dim; ++d)
        content.push_back(d);
    return analyse(codes, dim, dimensionNames, factors, content, poseSize > 0 ? 0 : -1, symmetry);
}

} // namespace latentlab
