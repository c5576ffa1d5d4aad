#include "core/latent/LatentGrid.h"

#include "core/base/Error.h"
#include "core/formats/ImageIO.h"

namespace latentlab {

std::vector<float> LatentGrid::codes(const LatentPlane& plane, const ViewMapping& mapping, int columns, int rows)
{
    const auto centres = mapping.tileCentres(columns, rows);
    std::vector<float> out(centres.size() * std::size_t(plane.dim()));
    for (std::size_t i = 0; i < centres.size(); ++i)
        plane.point(centres[i].first, centres[i].second, out.data() + i * std::size_t(plane.dim()));
    return out;
}

Image LatentGrid::render(const Model& model, const LatentPlane& plane, const ViewMapping& mapping, int columns,
                         int rows, int gap, int conditionClass)
{
    if (plane.dim() != model.config().latentDim)
        throw Error("the plane is " + std::to_string(plane.dim()) + "-dimensional but the model's latent space has "
                    + std::to_string(model.config().latentDim) + " dimensions");
    return ImageIO::compose(model.decodeImages(codes(plane, mapping, columns, rows), {conditionClass}), columns, gap);
}

} // namespace latentlab
