#pragma once
// Everything one frame of the latent map needs, and the frame that comes back. The
// stamp that lets the view drop frames of older requests is the MapDecoder's
// (a StampedWorker, after Qt's Mandelbrot example).
#include <QImage>

#include <memory>

#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"
#include "core/latent/ViewMapping.h"
#include "ui/StampedWorker.h"

namespace latentlab {

struct MapRequest {
    std::shared_ptr<const Model> model;  // a snapshot: never trained while decoded
    LatentPlane plane;
    PlaneRange range;
    GridSpacing spacing = GridSpacing::Linear;
    int tiles = 16;
    int conditionClass = 0;              // the class a conditional model decodes
};

struct MapFrame {
    QImage image;             // owns its pixels
    double milliseconds = 0;  // decode time
};

using MapDecoder = StampedWorker<MapRequest, MapFrame>;

} // namespace latentlab
