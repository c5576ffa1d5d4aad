#pragma once
// A grid of decoded tiles on a latent plane: the learned manifold.
#include <vector>

#include "core/base/Image.h"
#include "core/latent/LatentPlane.h"
#include "core/model/Model.h"
#include "core/latent/ViewMapping.h"

namespace latentlab {

class LatentGrid {
public:
    // Latent codes of the tile centres, row by row from the top left (columns * rows * dim).
    static std::vector<float> codes(const LatentPlane& plane, const ViewMapping& mapping, int columns, int rows);
    // Decodes the grid and lays the tiles out with `gap` pixels between them; a
    // conditional model decodes every tile in `conditionClass`.
    static Image render(const Model& model, const LatentPlane& plane, const ViewMapping& mapping, int columns,
                        int rows, int gap = 1, int conditionClass = 0);
};

} // namespace latentlab
