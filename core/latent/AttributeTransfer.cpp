#include "core/latent/AttributeTransfer.h"

#include "core/base/Error.h"
#include "core/latent/AttributeMath.h"

namespace latentlab {

TransferRate AttributeTransfer::nearestClassMean(const LatentCodes& reference, const LatentCodes& heldOut,
                                                 const std::vector<std::size_t>& without, int targetClass,
                                                 const std::vector<float>& vector, double alpha)
{
    if (heldOut.dim != reference.dim)
        throw Error("the held-out codes have " + std::to_string(heldOut.dim) + " dimensions, the reference codes " +
                    std::to_string(reference.dim));
    const std::vector<std::vector<float>> means = AttributeMath::classMeans(reference);
    TransferRate rate;
    std::size_t before = 0, after = 0;
    for (const std::size_t i : without) {
        if (i >= heldOut.count())
            throw Error("held-out code " + std::to_string(i) + " is out of range (" + std::to_string(heldOut.count()) +
                        " codes)");
        const std::vector<float> z = heldOut.codeVector(i);
        before += AttributeMath::nearestClass(means, z.data()) == targetClass;
        after += AttributeMath::nearestClass(means, AttributeMath::apply(z, {vector}, {alpha}).data()) == targetClass;
    }
    rate.images = without.size();
    if (rate.images > 0) {
        rate.before = double(before) / double(rate.images);
        rate.after = double(after) / double(rate.images);
    }
    return rate;
}

} // namespace latentlab
