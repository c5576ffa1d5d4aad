// Restoration figures (docs/restoration.md), one JSON line per model, from models trained by
// bench/restoration.sh:
//   --denoise MODEL: PSNR of the model's restorations of corrupted test images (its own
//     corruption) against the clean ones, next to the noisy input's and to OpenCV's median
//     blur, Gaussian blur and fastNlMeansDenoising, each at the parameter that does best on
//     training images; --strip FILE: clean, noisy, best classical, LatentLab.
//   --colourise MODEL: PSNR and CIE76 colour error of the colourised test faces and of their
//     grey input against the originals; --strip FILE: grey, colourised, original.
//   --debias PLAIN,DEBIASED: the reconstruction error (mean squared, per pixel) of the rare
//     group (--attribute, default Wearing_Hat) and of the rest on the test split for each,
//     and how many of the 5% rarest training codes (lowest latent density) are in the group.
#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentDensity.h"
#include "core/model/Device.h"
#include "core/training/Restoration.h"
#include "models/ModelRegistry.h"

using namespace latentlab;
using nlohmann::json;

namespace {

// Planar floats in [0, 1] of images [first, first + count) of `data`.
std::vector<float> floatsOf(const Dataset& data, std::size_t count)
{
    const std::size_t values = std::size_t(data.shape().pixelCount());
    std::vector<float> out(count * values);
    for (std::size_t i = 0; i < count * values; ++i)
        out[i] = float(data.pixels()[i]) / 255.0f;
    return out;
}

std::vector<float> floatsOf(const std::vector<Image>& images)
{
    std::vector<float> out;
    for (const Image& image : images) {
        const std::vector<float> v = image.toPlanarFloats();
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

// Mean over images of 10 log10(1 / MSE), `values` values per image.
double meanPsnr(const std::vector<float>& a, const std::vector<float>& b, std::size_t values)
{
    double sum = 0;
    const std::size_t n = a.size() / values;
    for (std::size_t i = 0; i < n; ++i) {
        double se = 0;
        for (std::size_t j = i * values; j < (i + 1) * values; ++j)
            se += double(a[j] - b[j]) * double(a[j] - b[j]);
        sum += 10 * std::log10(1.0 / std::max(1e-10, se / double(values)));
    }
    return sum / double(n);
}

// The model's mean restorations of `inputs` (planar floats), in batches.
std::vector<float> restore(const Model& model, const std::vector<float>& inputs)
{
    const std::size_t values = std::size_t(model.config().pixelCount());
    constexpr std::size_t kBatch = 500;
    std::vector<float> out;
    for (std::size_t start = 0; start < inputs.size(); start += kBatch * values) {
        const std::size_t end = std::min(inputs.size(), start + kBatch * values);
        const std::vector<float> codes = model.encodeMeans(std::vector<float>(inputs.begin() + std::ptrdiff_t(start),
                                                                              inputs.begin() + std::ptrdiff_t(end)));
        const std::vector<float> decoded = model.decode(codes);
        out.insert(out.end(), decoded.begin(), decoded.end());
    }
    return out;
}

// One classical filter at one setting, on a grey uint8 image.
struct Filter {
    std::string name;
    std::vector<double> settings;
    std::function<void(const cv::Mat&, cv::Mat&, double)> apply;
};

const std::vector<Filter>& filters()
{
    static const std::vector<Filter> all{
        {"median_blur", {3, 5, 7}, [](const cv::Mat& in, cv::Mat& out, double k) { cv::medianBlur(in, out, int(k)); }},
        {"gaussian_blur", {0.5, 0.7, 1.0, 1.4, 2.0},
         [](const cv::Mat& in, cv::Mat& out, double s) { cv::GaussianBlur(in, out, cv::Size(0, 0), s); }},
        {"nl_means", {5, 10, 15, 20, 30, 45, 60, 80},
         [](const cv::Mat& in, cv::Mat& out, double h) { cv::fastNlMeansDenoising(in, out, float(h), 7, 21); }},
    };
    return all;
}

// `filter` at `setting` on grey images (planar bytes), as floats in [0, 1].
std::vector<float> filtered(const std::vector<Image>& noisy, const Filter& filter, double setting)
{
    std::vector<float> out;
    for (const Image& image : noisy) {
        const cv::Mat in(image.height, image.width, CV_8UC1, const_cast<std::uint8_t*>(image.pixels.data()));
        cv::Mat result;
        filter.apply(in, result, setting);
        for (int y = 0; y < result.rows; ++y)
            for (int x = 0; x < result.cols; ++x)
                out.push_back(float(result.at<std::uint8_t>(y, x)) / 255.0f);
    }
    return out;
}

std::vector<Image> corruptedImages(const Dataset& data, std::size_t count, const Corruption& c, std::uint64_t seed)
{
    std::vector<Image> out;
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(Restoration::corrupted(Image::fromPlanarBytes(data.image(i), data.shape()), c, seed + i));
    return out;
}

// Rows of images (planar floats, `shape`), `shown` of each (spread over the rows' images:
// test splits are often sorted by class), scaled up, captions on the left.
void writeStrip(const std::string& path, const std::vector<std::pair<std::string, const std::vector<float>*>>& rows,
                ImageShape shape, std::size_t shown)
{
    const int scale = shape.height < 40 ? 3 : 2, cell = shape.height * scale + 4, label = 130;
    cv::Mat canvas(int(rows.size()) * cell + 4, label + int(shown) * cell + 4, CV_8UC3, cv::Scalar(255, 255, 255));
    const std::size_t values = std::size_t(shape.pixelCount()), plane = std::size_t(shape.height * shape.width);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        cv::putText(canvas, rows[r].first, {6, int(r) * cell + cell / 2 + 6}, cv::FONT_HERSHEY_SIMPLEX, 0.5,
                    cv::Scalar(20, 20, 20), 1, cv::LINE_AA);
        const std::size_t count = rows[r].second->size() / values;
        for (std::size_t i = 0; i < shown; ++i) {
            cv::Mat tile(shape.height, shape.width, CV_8UC3);
            const float* v = rows[r].second->data() + (i * count / shown) * values;
            for (int y = 0; y < shape.height; ++y)
                for (int x = 0; x < shape.width; ++x) {
                    const std::size_t at = std::size_t(y * shape.width + x);
                    const auto byte = [&](int c) {
                        return cv::saturate_cast<std::uint8_t>(255.0f * v[std::size_t(shape.channels == 3 ? c : 0) * plane + at]);
                    };
                    tile.at<cv::Vec3b>(y, x) = cv::Vec3b(byte(2), byte(1), byte(0)); // BGR
                }
            cv::Mat big;
            cv::resize(tile, big, {}, scale, scale, cv::INTER_NEAREST);
            big.copyTo(canvas(cv::Rect(label + int(i) * cell + 2, int(r) * cell + 2, big.cols, big.rows)));
        }
    }
    if (!cv::imwrite(path, canvas))
        throw Error(path + ": cannot write the strip");
}

json denoise(const Model& model, const DatasetSplit& data, std::size_t testCount, std::size_t pickCount,
             const std::string& strip)
{
    const Corruption& c = model.config().corruption;
    if (!c.random())
        throw Error("the model was not trained with noise (--corrupt mask, gaussian or salt-pepper)");
    const ImageShape shape = data.test.shape();
    if (shape.channels != 1)
        throw Error("the denoising bench takes grey images");
    const std::size_t values = std::size_t(shape.pixelCount());
    testCount = std::min(testCount, data.test.size());
    pickCount = std::min(pickCount, data.train.size());
    const std::vector<float> clean = floatsOf(data.test, testCount), pickClean = floatsOf(data.train, pickCount);
    const std::vector<Image> noisy = corruptedImages(data.test, testCount, c, 1000000);
    const std::vector<Image> pickNoisy = corruptedImages(data.train, pickCount, c, 2000000);
    const std::vector<float> noisyValues = floatsOf(noisy), restored = restore(model, noisyValues);

    json result = {{"mode", "denoise"}, {"data", data.spec}, {"corruption", c.text()},
                   {"variational", model.config().variational}, {"test_images", testCount},
                   {"psnr_noisy", meanPsnr(noisyValues, clean, values)}, {"psnr_latentlab", meanPsnr(restored, clean, values)}};
    json classical = json::object();
    std::vector<float> best;
    double bestPsnr = -1e9;
    std::string bestName;
    for (const Filter& f : filters()) {
        double pickBest = -1e9, setting = f.settings.front();
        for (const double s : f.settings) {
            const double psnr = meanPsnr(filtered(pickNoisy, f, s), pickClean, values);
            if (psnr > pickBest)
                pickBest = psnr, setting = s;
        }
        std::vector<float> out = filtered(noisy, f, setting);
        const double psnr = meanPsnr(out, clean, values);
        classical[f.name] = {{"setting", setting}, {"psnr", psnr}};
        if (psnr > bestPsnr)
            bestPsnr = psnr, bestName = f.name, best = std::move(out);
    }
    result["classical"] = classical;
    result["best_classical"] = bestName;
    result["psnr_best_classical"] = bestPsnr;
    result["gain_over_classical_db"] = result["psnr_latentlab"].get<double>() - bestPsnr;
    if (!strip.empty())
        writeStrip(strip, {{"clean", &clean}, {"noisy", &noisyValues}, {bestName, &best}, {"LatentLab", &restored}},
                   shape, 10);
    return result;
}

// Mean CIE76 colour difference per pixel between planar RGB float images.
double meanDeltaE(const std::vector<float>& a, const std::vector<float>& b, ImageShape shape)
{
    const std::size_t plane = std::size_t(shape.height * shape.width), values = 3 * plane, n = a.size() / values;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        cv::Mat ra(shape.height, shape.width, CV_32FC3), rb(shape.height, shape.width, CV_32FC3);
        for (std::size_t p = 0; p < plane; ++p)
            for (int c = 0; c < 3; ++c) {
                ra.ptr<float>()[p * 3 + std::size_t(c)] = a[i * values + std::size_t(c) * plane + p];
                rb.ptr<float>()[p * 3 + std::size_t(c)] = b[i * values + std::size_t(c) * plane + p];
            }
        cv::Mat la, lb;
        cv::cvtColor(ra, la, cv::COLOR_RGB2Lab);
        cv::cvtColor(rb, lb, cv::COLOR_RGB2Lab);
        cv::Mat d = la - lb;
        d = d.mul(d);
        for (std::size_t p = 0; p < plane; ++p)
            sum += std::sqrt(double(d.ptr<float>()[p * 3]) + d.ptr<float>()[p * 3 + 1] + d.ptr<float>()[p * 3 + 2]);
    }
    return sum / double(n * plane);
}

json colourise(const Model& model, const DatasetSplit& data, std::size_t testCount, const std::string& strip)
{
    if (model.config().corruption.kind != Corruption::Kind::Grey)
        throw Error("the model is not a colouriser (train it with --corrupt grey)");
    const ImageShape shape = data.test.shape();
    testCount = std::min(testCount, data.test.size());
    const std::size_t values = std::size_t(shape.pixelCount());
    const std::vector<float> original = floatsOf(data.test, testCount);
    const std::vector<float> grey = floatsOf(corruptedImages(data.test, testCount, model.config().corruption, 0));
    const std::vector<float> colourised = restore(model, grey);
    json result = {{"mode", "colourise"}, {"data", data.spec}, {"test_images", testCount},
                   {"psnr_grey", meanPsnr(grey, original, values)}, {"psnr_colourised", meanPsnr(colourised, original, values)},
                   {"delta_e_grey", meanDeltaE(grey, original, shape)},
                   {"delta_e_colourised", meanDeltaE(colourised, original, shape)}};
    result["gain_db"] = result["psnr_colourised"].get<double>() - result["psnr_grey"].get<double>();
    if (!strip.empty())
        writeStrip(strip, {{"grey", &grey}, {"colourised", &colourised}, {"original", &original}}, shape, 8);
    return result;
}

json debias(const std::vector<std::string>& paths, const DatasetSplit& data, const std::string& attribute)
{
    const auto& names = data.test.attributeNames();
    const auto column = std::find(names.begin(), names.end(), attribute);
    if (column == names.end())
        throw Error("the data set has no attribute " + attribute);
    const std::size_t a = std::size_t(column - names.begin());
    const std::size_t values = std::size_t(data.test.shape().pixelCount());
    json result = {{"mode", "debias"}, {"data", data.spec}, {"attribute", attribute}};
    std::size_t rareTrain = 0;
    for (std::size_t i = 0; i < data.train.size(); ++i)
        rareTrain += data.train.attribute(i, a) > 0;
    result["rare_share_train"] = double(rareTrain) / double(data.train.size());
    for (const std::string& path : paths) {
        const std::unique_ptr<Model> model = ModelFile::load(path);
        const std::vector<float> clean = floatsOf(data.test, data.test.size()), out = restore(*model, clean);
        double err[2] = {0, 0};
        std::size_t count[2] = {0, 0};
        for (std::size_t i = 0; i < data.test.size(); ++i) {
            double se = 0;
            for (std::size_t j = i * values; j < (i + 1) * values; ++j)
                se += double(out[j] - clean[j]) * double(out[j] - clean[j]);
            const int g = data.test.attribute(i, a) > 0 ? 1 : 0;
            err[g] += se / double(values), ++count[g];
        }
        const LatentCodes codes = LatentCodes::encode(*model, data.train);
        const std::vector<double> w = LatentDensity::debiasWeights(codes.mu, std::size_t(codes.dim));
        const std::size_t lowest = data.train.size() / 20;
        std::size_t found = 0;
        for (const std::size_t i : LatentDensity::rarest(w, lowest))
            found += data.train.attribute(i, a) > 0;
        result[path] = {{"mse_rare", err[1] / double(std::max<std::size_t>(1, count[1]))},
                        {"mse_rest", err[0] / double(std::max<std::size_t>(1, count[0]))},
                        {"test_rare", count[1]}, {"test_rest", count[0]},
                        {"rare_among_lowest_5pct", found}, {"lowest_5pct", lowest}};
    }
    return result;
}

} // namespace

int main(int argc, char** argv)
{
    CommandLine cl("Usage: bench_restoration (--denoise MODEL | --colourise MODEL | --debias PLAIN,DEBIASED) [options]",
                   {{"denoise", "MODEL", "", "a denoising model"},
                    {"colourise", "MODEL", "", "a colourising model"},
                    {"debias", "PLAIN,DEBIASED", "", "two models trained without and with --debias"},
                    {"dataset", "SPEC", "", "data set (default: the model's)"},
                    {"attribute", "NAME", "Wearing_Hat", "the rare group's attribute (--debias)"},
                    {"test", "N", "1000", "test images measured"},
                    {"pick", "N", "300", "training images that pick each filter's setting"},
                    {"strip", "FILE", "", "write the example strip as a PNG"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        Device::setThreadCount(cl.intValue("threads", 0, 256));
        const auto testCount = std::size_t(cl.intValue("test", 1, 1000000));
        const auto pickCount = std::size_t(cl.intValue("pick", 1, 1000000));
        std::string first = cl.value("denoise").empty() ? cl.value("colourise") : cl.value("denoise");
        std::vector<std::string> pair;
        if (!cl.value("debias").empty()) {
            const std::string both = cl.value("debias");
            const std::size_t comma = both.find(',');
            if (comma == std::string::npos)
                throw Error("--debias takes PLAIN,DEBIASED");
            pair = {both.substr(0, comma), both.substr(comma + 1)};
            first = pair.front();
        }
        if (first.empty())
            throw Error("give --denoise, --colourise or --debias");
        const std::unique_ptr<Model> model = ModelFile::load(first);
        const std::string spec = cl.value("dataset").empty() ? model->info().datasetSpec : cl.value("dataset");
        const DatasetSplit data = DatasetLoader::load(spec);
        json result = !pair.empty() ? debias(pair, data, cl.value("attribute"))
                      : !cl.value("denoise").empty() ? denoise(*model, data, testCount, pickCount, cl.value("strip"))
                                                      : colourise(*model, data, testCount, cl.value("strip"));
        result["model"] = first;
        std::cout << result.dump() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "bench_restoration: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
