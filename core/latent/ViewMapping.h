#pragma once
// Maps the pixels of a view (or a grid of tiles) to plane coordinates (a, b) and
// back, with linear spacing or through the inverse normal CDF (Kingma & Welling's
// manifold figure: equal steps in probability, not in z). Exact both ways.
#include <utility>
#include <vector>

namespace latentlab {

enum class GridSpacing { Linear, InverseCdf };

struct PlaneRange {
    double aMin = -3, aMax = 3;
    double bMin = -3, bMax = 3;
    // Centred on (a, b) with half-widths.
    static PlaneRange around(double a, double b, double halfA, double halfB)
    {
        return {a - halfA, a + halfA, b - halfB, b + halfB};
    }
};

class ViewMapping {
public:
    // Throws latentlab::Error for an empty range or view.
    ViewMapping(PlaneRange range, GridSpacing spacing, double width, double height);

    // Pixel (x right, y down) to (a, b), b growing upwards as on a chart.
    std::pair<double, double> toPlane(double x, double y) const;
    std::pair<double, double> toPixel(double a, double b) const;

    // Plane coordinates of the centres of a columns x rows grid of tiles, row by row
    // from the top left.
    std::vector<std::pair<double, double>> tileCentres(int columns, int rows) const;

    const PlaneRange& range() const { return range_; }
    GridSpacing spacing() const { return spacing_; }
    double width() const { return width_; }
    double height() const { return height_; }

private:
    double forward(double value) const;   // plane coordinate -> spacing space
    double backward(double value) const;  // spacing space -> plane coordinate

    PlaneRange range_;
    GridSpacing spacing_;
    double width_, height_;
    double aLow_, aHigh_, bLow_, bHigh_;   // range ends in spacing space
};

} // namespace latentlab
