// Frame time of the latent map: drags the real widget (offscreen) 100 steps and
// reports the median and 90th percentile time from request to painted frame.
#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/base/CommandLine.h"
#include "core/model/Device.h"
#include "core/formats/ModelFile.h"
#include "ui/LatentMapView.h"

using namespace latentlab;

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    CommandLine cl("Usage: bench_mapview --model FILE",
                   {{"model", "FILE", "", "trained model"},
                    {"threads", "N", "2", "CPU threads"},
                    {"tiles", "N", "16", "tiles per side"},
                    {"steps", "N", "100", "drag steps"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        Device::setThreadCount(cl.intValue("threads"));
        LatentMapView view;
        view.resize(900, 900);
        view.setTiles(cl.intValue("tiles"));
        view.setModel(std::shared_ptr<const Model>(ModelFile::load(cl.value("model"))));
        view.show();
        std::vector<double> frames, decodes;
        QObject::connect(&view, &LatentMapView::framePainted, [&](quint64, double ms, double decodeMs) {
            frames.push_back(ms);
            decodes.push_back(decodeMs);
        });
        const auto waitForFrame = [&] {
            QElapsedTimer timeout;
            timeout.start();
            while (view.paintedStamp() != view.latestStamp() && timeout.elapsed() < 5000)
                QApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        };
        waitForFrame();
        frames.clear();
        decodes.clear();
        const int steps = cl.intValue("steps");
        for (int i = 0; i < steps; ++i) {
            view.panByPixels({4, i % 2 ? 3.0 : -3.0}); // as a drag does, one move event at a time
            waitForFrame();
        }
        const auto percentile = [](std::vector<double> v, double q) {
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(q * double(v.size())))];
        };
        std::cout << nlohmann::json{{"steps", steps}, {"frames", frames.size()}, {"tiles", cl.intValue("tiles")},
                                    {"frame_ms_median", percentile(frames, 0.5)},
                                    {"frame_ms_p90", percentile(frames, 0.9)},
                                    {"decode_ms_median", percentile(decodes, 0.5)}}
                         .dump()
                  << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_mapview: " << e.what() << "\n";
        return 1;
    }
}
