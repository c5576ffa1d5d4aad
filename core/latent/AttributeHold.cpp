#include "core/latent/AttributeHold.h"

#include <algorithm>
#include <cmath>

#include "core/base/Error.h"

namespace latentlab {

namespace {

// How far (in latent units) the Jacobian's probing moves go along each attribute.
constexpr double kProbeDistance = 0.25;

// Solves A x = b (n x n, row-major) by Gaussian elimination with partial pivoting; a
// direction the decoder does not answer (a near-zero pivot) gets no step.
std::vector<double> solveLinear(std::vector<double> a, std::vector<double> b, std::size_t n)
{
    std::vector<std::size_t> column(n);
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::abs(a[r * n + c]) > std::abs(a[pivot * n + c]))
                pivot = r;
        for (std::size_t j = 0; j < n; ++j)
            std::swap(a[c * n + j], a[pivot * n + j]);
        std::swap(b[c], b[pivot]);
        if (std::abs(a[c * n + c]) < 1e-9)
            continue;
        for (std::size_t r = c + 1; r < n; ++r) {
            const double factor = a[r * n + c] / a[c * n + c];
            for (std::size_t j = c; j < n; ++j)
                a[r * n + j] -= factor * a[c * n + j];
            b[r] -= factor * b[c];
        }
    }
    std::vector<double> x(n, 0.0);
    for (std::size_t c = n; c-- > 0;) {
        if (std::abs(a[c * n + c]) < 1e-9)
            continue;
        double s = b[c];
        for (std::size_t j = c + 1; j < n; ++j)
            s -= a[c * n + j] * x[j];
        x[c] = s / a[c * n + c];
    }
    return x;
}

} // namespace

std::vector<HeldAttribute> AttributeHold::known(const std::vector<AttributeVector>& attributes,
                                                const std::vector<std::string>& editedNames)
{
    std::vector<HeldAttribute> known;
    for (const AttributeVector& a : attributes)
        if (!a.classifierNormal.empty())
            known.push_back({LinearProbe(a.classifierNormal, a.classifierBias),
                             std::find(editedNames.begin(), editedNames.end(), a.name) != editedNames.end()});
    return known;
}

std::vector<float> AttributeHold::apply(const Model& model, const std::vector<HeldAttribute>& attributes,
                                        const std::vector<float>& originals, std::vector<float> shifted,
                                        const std::vector<int>& classes, int rounds)
{
    const std::size_t dim = std::size_t(model.config().latentDim);
    if (shifted.size() % dim != 0)
        throw Error("hold: " + std::to_string(shifted.size()) + " values is not a whole number of "
                    + std::to_string(dim) + "-value codes");
    const std::size_t n = shifted.size() / dim;
    if (originals.size() != dim && originals.size() != shifted.size())
        throw Error("hold: " + std::to_string(originals.size() / dim) + " original codes for " + std::to_string(n)
                    + " edits (one, or one per edit)");
    if (!classes.empty() && classes.size() != 1 && classes.size() != n)
        throw Error("hold: " + std::to_string(classes.size()) + " classes for " + std::to_string(n) + " codes");
    for (const HeldAttribute& a : attributes)
        if (a.classifier.normal().size() != dim)
            throw Error("hold: a classifier of " + std::to_string(a.classifier.normal().size())
                        + " values for a latent code of " + std::to_string(dim));
    const bool anyHeld = std::any_of(attributes.begin(), attributes.end(), [](const HeldAttribute& a) { return !a.edited; });
    if (!anyHeld || n == 0 || rounds <= 0)
        return shifted;

    // One original for all edits in one class is decoded once.
    const bool shared = originals.size() == dim && classes.size() <= 1;
    std::vector<float> expanded;
    if (!shared && originals.size() == dim)
        for (std::size_t f = 0; f < n; ++f)
            expanded.insert(expanded.end(), originals.begin(), originals.end());
    const std::vector<float>& sources = shared || originals.size() != dim ? originals : expanded;
    // The decisions as the encoder sees the decodes: of the original, and what is wanted.
    const std::vector<float> base = model.encodeMeans(model.decode(sources, classes), classes);
    const std::size_t k = attributes.size();
    std::vector<double> wanted(n * k);
    for (std::size_t f = 0; f < n; ++f) {
        const float* source = &sources[shared ? 0 : f * dim];
        const float* baseCode = &base[shared ? 0 : f * dim];
        for (std::size_t j = 0; j < k; ++j) {
            const LinearProbe& c = attributes[j].classifier;
            wanted[f * k + j] = c.decision(baseCode)
                                + (attributes[j].edited ? c.decision(&shifted[f * dim]) - c.decision(source) : 0.0);
        }
    }
    // moves[j]: the step in z that changes decision j by 1 and the others by 0, N^T (N N^T)^-1
    // row j. A small ridge keeps it defined when two attributes' normals nearly coincide.
    std::vector<double> gram(k * k);
    double trace = 0;
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < k; ++j) {
            const auto& a = attributes[i].classifier.normal();
            const auto& b = attributes[j].classifier.normal();
            double s = 0;
            for (std::size_t d = 0; d < dim; ++d)
                s += a[d] * b[d];
            gram[i * k + j] = s;
            trace += i == j ? s : 0;
        }
    for (std::size_t i = 0; i < k; ++i)
        gram[i * k + i] += 1e-6 * std::max(trace / double(k), 1e-12);
    std::vector<std::vector<double>> moves(k, std::vector<double>(dim, 0.0));
    std::vector<double> probeStep(k); // in decision units: a move of kProbeDistance in z
    for (std::size_t j = 0; j < k; ++j) {
        std::vector<double> unit(k, 0.0);
        unit[j] = 1;
        const std::vector<double> m = AttributeMath::solvePositiveDefinite(gram, unit, k);
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t d = 0; d < dim; ++d)
                moves[j][d] += m[i] * attributes[i].classifier.normal()[d];
        double norm = 0;
        for (double v : moves[j])
            norm += v * v;
        probeStep[j] = kProbeDistance / std::max(std::sqrt(norm), 1e-12);
    }
    const auto decisions = [&](const std::vector<float>& codes, const std::vector<int>& codeClasses) {
        const std::vector<float> again = model.encodeMeans(model.decode(codes, codeClasses), codeClasses);
        std::vector<double> out(again.size() / dim * k);
        for (std::size_t f = 0; f < again.size() / dim; ++f)
            for (std::size_t j = 0; j < k; ++j)
                out[f * k + j] = attributes[j].classifier.decision(&again[f * dim]);
        return out;
    };
    const auto moved = [&](const float* code, const std::vector<double>& e, float* out) {
        for (std::size_t d = 0; d < dim; ++d) {
            double v = code[d];
            for (std::size_t j = 0; j < k; ++j)
                v += e[j] * moves[j][d];
            out[d] = float(v);
        }
    };

    // How the re-encoded decisions answer a move along each attribute, per edit: the
    // encoder and decoder do not pass a move through unchanged (they shrink it, and
    // couple the attributes), so the corrections are Newton steps with this Jacobian.
    std::vector<float> probes(n * k * dim);
    std::vector<int> probeClasses;
    for (std::size_t f = 0; f < n; ++f)
        for (std::size_t j = 0; j < k; ++j) {
            std::vector<double> e(k, 0.0);
            e[j] = probeStep[j];
            moved(&shifted[f * dim], e, &probes[(f * k + j) * dim]);
            if (classes.size() == n)
                probeClasses.push_back(classes[f]);
        }
    if (classes.size() == 1)
        probeClasses = classes;
    const std::vector<double> start = decisions(shifted, classes);
    const std::vector<double> answered = decisions(probes, probeClasses);
    std::vector<std::vector<double>> jacobians(n, std::vector<double>(k * k));
    for (std::size_t f = 0; f < n; ++f)
        for (std::size_t j = 0; j < k; ++j)
            for (std::size_t i = 0; i < k; ++i)
                jacobians[f][i * k + j] = (answered[(f * k + j) * k + i] - start[f * k + i]) / probeStep[j];

    // Newton's steps from the best point so far: a step that leaves the decisions further
    // from the wanted ones is undone and halved, so holding never does worse than the
    // plain shift by its own measure.
    const auto residual = [&](const std::vector<double>& at, std::size_t f, std::vector<double>* error) {
        double sum = 0;
        for (std::size_t j = 0; j < k; ++j) {
            double e = wanted[f * k + j] - at[f * k + j];
            if (attributes[j].edited) // at least the intended change, never pulled back
                e = std::max(0.0, e);
            if (error)
                (*error)[j] = e;
            sum += e * e;
        }
        return sum;
    };
    const std::vector<float> from = shifted;
    std::vector<std::vector<double>> best(n, std::vector<double>(k, 0.0)), step(n);
    std::vector<double> bestResidual(n), scale(n, 1.0);
    for (std::size_t f = 0; f < n; ++f)
        bestResidual[f] = residual(start, f, nullptr);
    std::vector<double> now = start;
    std::vector<float> trial = shifted;
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t f = 0; f < n; ++f) {
            if (step[f].empty()) { // a new Newton step from the best point
                std::vector<double> error(k);
                residual(now, f, &error);
                step[f] = solveLinear(jacobians[f], error, k);
            }
            std::vector<double> e = best[f];
            for (std::size_t j = 0; j < k; ++j)
                e[j] += scale[f] * step[f][j];
            moved(&from[f * dim], e, &trial[f * dim]);
        }
        now = decisions(trial, classes);
        for (std::size_t f = 0; f < n; ++f) {
            const double r = residual(now, f, nullptr);
            if (r < bestResidual[f]) {
                bestResidual[f] = r;
                for (std::size_t j = 0; j < k; ++j)
                    best[f][j] += scale[f] * step[f][j];
                std::copy(&trial[f * dim], &trial[f * dim] + dim, &shifted[f * dim]);
                step[f].clear(); // next round: Newton again from here
                scale[f] = 1;
            } else {
                scale[f] /= 2; // the same direction, half as far
            }
        }
    }
    return shifted;
}

} // namespace latentlab
