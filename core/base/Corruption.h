#pragma once
// What a denoising autoencoder's input suffers before the encoder sees it; the target
// is always the clean image. Part of core/base (torch-free): a model file records it.
#include <string>

namespace latentlab {

struct Corruption {
    enum class Kind {
        None,
        Mask,        // each value dropped to 0 with probability `amount` (Vincent et al. 2008)
        Gaussian,    // plus N(0, amount^2), clipped to [0, 1]
        SaltAndPepper, // a share `amount` of the pixels set to 0 or 1, half each
        Grey          // the input is the colour image's luminance (colourisation); no amount
    };
    Kind kind = Kind::None;
    double amount = 0.0;

    bool active() const { return kind != Kind::None; }
    // Random (drawn afresh per batch) rather than a fixed function of the image.
    bool random() const { return kind != Kind::None && kind != Kind::Grey; }
    // "none", "mask:P", "gaussian:SIGMA", "salt-pepper:FRACTION" or "grey"; throws
    // latentlab::Error naming what is wrong and the range.
    static Corruption parse(const std::string& text);
    // The same words, e.g. "mask:0.3"; parse(text()) gives it back.
    std::string text() const;
    // Throws latentlab::Error when the amount is outside its kind's range.
    void validate() const;

    static constexpr double kMaxSigma = 1.0;
};

} // namespace latentlab
