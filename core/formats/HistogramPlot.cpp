#include "core/formats/HistogramPlot.h"

#include <algorithm>
#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/latent/NormalDistribution.h"

namespace latentlab {

Image HistogramPlot::render(const LatentStatistics& s, int columns, int panelWidth, int panelHeight)
{
    const int dims = int(s.dimensions.size());
    if (dims == 0 || columns < 1 || panelWidth < 60 || panelHeight < 50)
        throw Error("nothing to plot, or panels too small");
    columns = std::min(columns, dims);
    const int rows = (dims + columns - 1) / columns;
    cv::Mat canvas(rows * panelHeight, columns * panelWidth, CV_8UC3, cv::Scalar(255, 255, 255));
    const int bins = int(s.dimensions[0].histogram.size());
    const double binWidth = (s.histogramMax - s.histogramMin) / bins;
    const double peak = NormalDistribution::pdf(0);

    for (int d = 0; d < dims; ++d) {
        const DimensionStatistics& ds = s.dimensions[std::size_t(d)];
        const cv::Rect panel((d % columns) * panelWidth, (d / columns) * panelHeight, panelWidth, panelHeight);
        const int left = panel.x + 8, right = panel.x + panelWidth - 8;
        const int top = panel.y + 22, bottom = panel.y + panelHeight - 8;
        const auto xOf = [&](double z) { return left + int((z - s.histogramMin) / (s.histogramMax - s.histogramMin) * (right - left)); };
        // Density scale shared with the prior curve: the N(0,1) peak reaches 80% of the height.
        double maxDensity = peak;
        for (int count : ds.histogram)
            maxDensity = std::max(maxDensity, count / (double(s.codes) * binWidth));
        const auto yOf = [&](double density) { return bottom - int(density / maxDensity * (bottom - top)); };

        for (int b = 0; b < bins; ++b) {
            const double density = ds.histogram[std::size_t(b)] / (double(s.codes) * binWidth);
            const double z0 = s.histogramMin + b * binWidth;
            cv::rectangle(canvas, cv::Point(xOf(z0), yOf(density)), cv::Point(xOf(z0 + binWidth) - 1, bottom),
                          cv::Scalar(200, 140, 60), cv::FILLED);
        }
        std::vector<cv::Point> curve;
        for (int x = left; x <= right; ++x) {
            const double z = s.histogramMin + double(x - left) / (right - left) * (s.histogramMax - s.histogramMin);
            curve.emplace_back(x, yOf(NormalDistribution::pdf(z)));
        }
        cv::polylines(canvas, curve, false, cv::Scalar(40, 40, 220), 1, cv::LINE_AA);
        cv::line(canvas, cv::Point(left, bottom), cv::Point(right, bottom), cv::Scalar(120, 120, 120));
        cv::line(canvas, cv::Point(xOf(0), bottom), cv::Point(xOf(0), bottom + 4), cv::Scalar(120, 120, 120));

        char label[64];
        std::snprintf(label, sizeof label, "z%d  KL %.2f%s", d, ds.kl, ds.kl > LatentStatistics::kActiveKl ? "" : " (inactive)");
        cv::putText(canvas, label, cv::Point(left, panel.y + 16), cv::FONT_HERSHEY_SIMPLEX, 0.42,
                    cv::Scalar(30, 30, 30), 1, cv::LINE_AA);
    }
    cv::cvtColor(canvas, canvas, cv::COLOR_BGR2RGB);
    return Image{canvas.cols, canvas.rows, 3, std::vector<std::uint8_t>(canvas.datastart, canvas.dataend)};
}

} // namespace latentlab
