// Times the latent toolkit's hot paths on a trained model: encoding the whole data
// set, and decoding + composing a 16 x 16 grid (what the explorer does per frame).
// Prints one JSON line; bench/compare_toolkit.py puts it next to PyTorch.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/CommandLine.h"
#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/latent/LatentGrid.h"
#include "core/formats/ModelFile.h"

using namespace latentlab;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double medianMs(int repeats, F&& work)
{
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const Clock::time_point start = Clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    CommandLine cl("Usage: bench_toolkit --model FILE [--threads N]",
                   {{"model", "FILE", "", "trained MLP model on Fashion-MNIST"},
                    {"threads", "N", "2", "CPU threads"},
                    {"tiles", "N", "16", "grid tiles per side"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        Device::setThreadCount(cl.intValue("threads"));
        const std::unique_ptr<Model> model = ModelFile::load(cl.value("model"));
        const DatasetSplit data = DatasetLoader::load(model->info().datasetSpec);
        std::vector<std::uint8_t> pixels = data.train.pixels();
        pixels.insert(pixels.end(), data.test.pixels().begin(), data.test.pixels().end());
        const Dataset all("all", data.train.shape(), std::move(pixels));

        LatentCodes codes;
        LatentCodes::encode(*model, all.head(4096)); // warm-up
        const double encodeMs = medianMs(5, [&] { codes = LatentCodes::encode(*model, all); });

        const int tiles = cl.intValue("tiles");
        const LatentPlane plane = LatentPlane::fromPrincipalComponents(codes);
        Image grid;
        double pan = 0;
        const double gridMs = medianMs(200, [&] {
            pan += 0.01; // a new plane position each time, as when dragging
            const ViewMapping mapping(PlaneRange::around(pan, 0, 3, 3), GridSpacing::Linear, 1, 1);
            grid = LatentGrid::render(*model, plane, mapping, tiles, tiles, 1);
        });
        std::cout << nlohmann::json{{"images", codes.count()}, {"encode_ms", encodeMs},
                                    {"tiles", tiles}, {"grid_ms", gridMs}, {"threads", Device::threadCount()},
                                    {"grid_width", grid.width}}
                         .dump()
                  << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_toolkit: " << e.what() << "\n";
        return 1;
    }
}
