#pragma once
// Edits that hold the attributes they do not name, as the decoder draws them. Vector
// arithmetic keeps a latent classifier's decision for another attribute in place, but
// the decoder can still redraw it: adding a beard darkens the lower face and the smile
// fades with it, though the code's smile coordinate never moved. So the shifted code is
// decoded and encoded again (the encoder sees what the decoder drew), and moved along
// the known attributes' classifier normals until every held attribute's classifier gives
// the re-encoded edit the decision it gives the re-encoded original, and every edited
// one at least the change the shift made to the code. Torch-free.
#include <vector>

#include "core/latent/LinearProbe.h"

namespace latentlab {

struct HeldAttribute {
    LinearProbe classifier;
    bool edited = false; // moved by the edit (kept at least at the shift's change) or held
};

class AttributeHold {
public:
    static constexpr int kRounds = 3; // decode-encode rounds; each corrects what the last left

    // The known attributes of `attributes` (those with a classifier), with the ones in
    // `editedNames` marked edited.
    static std::vector<HeldAttribute> known(const std::vector<AttributeVector>& attributes,
                                            const std::vector<std::string>& editedNames);

    // `shifted` (count x dim) are edits of `originals` (count x dim, or one code for all),
    // decoded in `classes` (one per code, one for all, or none). Returns them corrected.
    // With fewer than one held attribute, or no attributes, returns `shifted` as it is.
    // Throws latentlab::Error when the sizes do not fit the model.
    static std::vector<float> apply(const Model& model, const std::vector<HeldAttribute>& attributes,
                                    const std::vector<float>& originals, std::vector<float> shifted,
                                    const std::vector<int>& classes = {}, int rounds = kRounds);
};

} // namespace latentlab
