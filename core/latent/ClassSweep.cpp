#include "core/latent/ClassSweep.h"

#include "core/base/Error.h"

namespace latentlab {

ClassSweep ClassSweep::everyClass(const std::vector<float>& code, int classCount)
{
    if (code.empty())
        throw Error("no code to decode in every class");
    if (classCount < 1)
        throw Error("every class of a model with " + std::to_string(classCount) +
                    " classes: the model is not conditional");
    ClassSweep sweep;
    sweep.codes.reserve(code.size() * std::size_t(classCount));
    sweep.classes.reserve(std::size_t(classCount));
    for (int k = 0; k < classCount; ++k) {
        sweep.codes.insert(sweep.codes.end(), code.begin(), code.end());
        sweep.classes.push_back(k);
    }
    return sweep;
}

} // namespace latentlab
