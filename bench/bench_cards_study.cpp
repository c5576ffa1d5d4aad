// The cards study of the first lecture (Kalinin): for cards1 to cards4, the latent map of a
// plain VAE and of the rVAE with the test codes coloured by suit, in one PNG with an example
// row of each data set, and the factor report's figures for each model as JSON lines.
// The models are trained by bench/cards_study.sh; this program only reads them.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/latent/FactorReport.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentGrid.h"
#include "core/model/Device.h"
#include "models/ModelRegistry.h"

using namespace latentlab;
using nlohmann::json;

namespace {

constexpr int kTiles = 10;
constexpr double kRange = 3.0;
const cv::Scalar kSuitColours[] = {{167, 121, 78}, {43, 142, 242}, {89, 87, 225}, {178, 183, 118}}; // BGR, Tableau

cv::Mat toMat(const Image& image)
{
    cv::Mat grey(image.height, image.width, CV_8UC1, const_cast<std::uint8_t*>(image.pixels.data()));
    cv::Mat colour;
    cv::cvtColor(grey, colour, cv::COLOR_GRAY2BGR);
    return colour;
}

void caption(cv::Mat& canvas, const std::string& text, cv::Point at, double scale = 0.5)
{
    cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(20, 20, 20), 1, cv::LINE_AA);
}

// The square around the codes' first two content values (their 1st to 99th percentiles and a
// tenth more), so that the map shows the manifold where the data lie; +-3 if they are spread wider.
PlaneRange rangeOfCodes(const LatentCodes& codes, int pose)
{
    double centre[2], half = 0;
    for (int axis = 0; axis < 2; ++axis) {
        std::vector<float> values;
        for (std::size_t i = 0; i < codes.count(); ++i)
            values.push_back(codes.code(i)[pose + axis]);
        std::sort(values.begin(), values.end());
        const double low = values[values.size() / 100], high = values[values.size() - 1 - values.size() / 100];
        centre[axis] = (low + high) / 2;
        half = std::max(half, (high - low) / 2 * 1.1);
    }
    half = std::clamp(half, 0.05, kRange);
    return PlaneRange::around(centre[0], centre[1], half, half);
}

// The decoded content plane around the test codes (pose upright and centred) with the codes
// drawn over it as dots of their suit's colour.
cv::Mat mapPanel(const Model& model, const LatentCodes& codes, int pose, PlaneRange* shown)
{
    const int dim = model.config().latentDim;
    const LatentPlane plane = LatentPlane::fromDimensions(std::vector<float>(std::size_t(dim), 0.0f), pose, pose + 1);
    const int side = kTiles * model.config().width;
    *shown = rangeOfCodes(codes, pose);
    const ViewMapping tiles(*shown, GridSpacing::Linear, side, side);
    cv::Mat panel = toMat(LatentGrid::render(model, plane, tiles, kTiles, kTiles, 0));
    cv::Mat faded;
    cv::addWeighted(panel, 0.55, cv::Mat(panel.size(), panel.type(), cv::Scalar(255, 255, 255)), 0.45, 0, faded);
    for (std::size_t i = 0; i < codes.count(); ++i) {
        const auto [x, y] = tiles.toPixel(codes.code(i)[pose], codes.code(i)[pose + 1]);
        if (x < 0 || y < 0 || x >= side || y >= side)
            continue;
        const int label = codes.labels.empty() ? 0 : codes.labels[i];
        cv::circle(faded, cv::Point(int(x), int(y)), 2, kSuitColours[label % 4], cv::FILLED, cv::LINE_AA);
    }
    return faded;
}

} // namespace

int main(int argc, char** argv)
{
    CommandLine cl("Usage: bench_cards_study --dir DIR [options]\n\n"
                   "Reads DIR/cardsN-vae.latentlab and DIR/cardsN-rvae.latentlab (N = 1 to 4), writes the\n"
                   "figure and prints one JSON line per model.",
                   {{"dir", "DIR", "", "folder of the eight models"},
                    {"out", "FILE", "cards-study.png", "figure to write"},
                    {"test", "N", "1000", "test images per model"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        Device::setThreadCount(cl.intValue("threads", 0, 1024));
        const int testCount = cl.intValue("test", 10, 20000);
        std::vector<cv::Mat> blocks;
        for (int n = 1; n <= 4; ++n) {
            const std::string preset = "cards" + std::to_string(n);
            const DatasetSplit data = DatasetLoader::load(preset + ":100");
            std::vector<cv::Mat> panels;
            for (const std::string family : {"vae", "rvae"}) {
                const std::string path = cl.value("dir") + "/" + preset + "-" + family + ".latentlab";
                const std::unique_ptr<Model> model = ModelFile::load(path);
                const Dataset test = DatasetLoader::load(model->info().datasetSpec).test.head(std::size_t(testCount));
                const LatentCodes codes = LatentCodes::encode(*model, test);
                const int pose = ModelRegistry::find(model->config().architecture).poseSize;
                const FactorReport r = FactorReport::fromDataset(codes.mu, codes.dim, test,
                                                                 ModelRegistry::dimensionNames(model->config()), pose);
                json line = {{"data", preset}, {"model", family}, {"file", path}, {"images", codes.count()},
                             {"content_knn5", r.contentKnnAccuracy}, {"content_kmeans_nmi", r.contentKmeansNmi},
                             {"angle_carried_by_content", r.angle.carriedByContent},
                             {"best_circular_linear", r.angle.bestLinearCorrelation},
                             {"best_circular_linear_dimension", r.dimensionNames[std::size_t(r.angle.bestLinearDimension)]},
                             {"mig", r.mig}};
                if (r.angle.hasAngleLatent) {
                    json perSuit = json::object();
                    for (std::size_t c = 0; c < r.angle.angleLatentCorrelationPerClass.size(); ++c)
                        perSuit[test.classNames()[c]] = r.angle.angleLatentCorrelationPerClass[c];
                    line["angle_latent_circular"] = r.angle.angleLatentCorrelation;
                    line["angle_latent_circular_per_suit"] = perSuit;
                }
                std::cout << line.dump() << std::endl;
                PlaneRange shown;
                cv::Mat panel = mapPanel(*model, codes, pose, &shown);
                cv::Mat titled(panel.rows + 24, panel.cols, CV_8UC3, cv::Scalar(255, 255, 255));
                panel.copyTo(titled(cv::Rect(0, 24, panel.cols, panel.rows)));
                char window[96];
                std::snprintf(window, sizeof window, "; z0 %.1f..%.1f, z1 %.1f..%.1f", shown.aMin, shown.aMax, shown.bMin,
                              shown.bMax);
                caption(titled, preset + (family == "vae" ? ": VAE" : ": rVAE") + window,
                        {4, 17});
                panels.push_back(titled);
            }
            // An example row of the data set: eight training images, two of each suit.
            cv::Mat examples(data.train.shape().height + 28, panels[0].cols * 2 + 12, CV_8UC3, cv::Scalar(255, 255, 255));
            caption(examples, preset + " examples", {4, 17});
            for (int i = 0; i < 8; ++i) {
                const Image image = Image::fromPlanarBytes(data.train.image(std::size_t(i)), data.train.shape());
                toMat(image).copyTo(examples(cv::Rect(4 + i * (image.width + 4), 24, image.width, image.height)));
            }
            cv::Mat row;
            cv::Mat gap(panels[0].rows, 12, CV_8UC3, cv::Scalar(255, 255, 255));
            cv::hconcat(std::vector<cv::Mat>{panels[0], gap, panels[1]}, row);
            cv::Mat block;
            cv::vconcat(std::vector<cv::Mat>{examples, row, cv::Mat(16, row.cols, CV_8UC3, cv::Scalar(255, 255, 255))},
                        block);
            blocks.push_back(block);
        }
        // Two blocks across, two down: cards1 and cards2 (low rotation) on top.
        cv::Mat top, bottom, figure;
        cv::Mat gap(blocks[0].rows, 24, CV_8UC3, cv::Scalar(255, 255, 255));
        cv::hconcat(std::vector<cv::Mat>{blocks[0], gap, blocks[1]}, top);
        cv::hconcat(std::vector<cv::Mat>{blocks[2], gap, blocks[3]}, bottom);
        cv::vconcat(top, bottom, figure);
        cv::Mat legend(28, figure.cols, CV_8UC3, cv::Scalar(255, 255, 255));
        const char* suits[] = {"diamonds", "clubs", "spades", "hearts"};
        for (int s = 0; s < 4; ++s) {
            cv::circle(legend, cv::Point(12 + s * 120, 14), 5, kSuitColours[s], cv::FILLED, cv::LINE_AA);
            caption(legend, suits[s], {22 + s * 120, 19});
        }
        cv::vconcat(legend, figure, figure);
        if (!cv::imwrite(cl.value("out"), figure))
            throw Error(cl.value("out") + ": cannot write the figure");
        std::cerr << "bench_cards_study: wrote " << cl.value("out") << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_cards_study: " << e.what() << "\n";
        return 1;
    }
}
