#pragma once
// Everything one frame of the latent map needs, and the stamp that lets the view
// drop frames that arrive after a newer request (Qt's Mandelbrot example).
#include <memory>

#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"
#include "core/latent/ViewMapping.h"

namespace latentlab {

struct MapRequest {
    quint64 stamp = 0;
    std::shared_ptr<const Model> model;  // a snapshot: never trained while decoded
    LatentPlane plane;
    PlaneRange range;
    GridSpacing spacing = GridSpacing::Linear;
    int tiles = 16;
    int conditionClass = 0;              // the class a conditional model decodes
};

} // namespace latentlab
