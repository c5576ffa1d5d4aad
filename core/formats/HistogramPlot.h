#pragma once
#include "core/base/Image.h"
#include "core/latent/LatentStatistics.h"

namespace latentlab {

// Small multiples: one panel per latent dimension with the histogram of its codes
// (as a density) under the N(0, 1) curve, labelled with its KL. Drawn with OpenCV.
class HistogramPlot {
public:
    static Image render(const LatentStatistics& statistics, int columns = 5, int panelWidth = 200,
                        int panelHeight = 130);
};

} // namespace latentlab
