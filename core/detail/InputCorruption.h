#pragma once
// Draws a Corruption on a batch of images. Torch: for core's sources only.
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include "core/base/Corruption.h"

namespace latentlab {

class InputCorruption {
public:
    // x: [N, C, H, W] floats in [0, 1]. A new tensor with the corruption drawn from
    // `generator` (a CPU one) on every call; x itself is never changed, and is returned
    // as it is when the corruption is none. Masking and salt-and-pepper act per pixel
    // (all channels of a pixel together), Gaussian noise per value; grey gives
    // encoderInput's luminance [N, 1, H, W].
    static torch::Tensor apply(const torch::Tensor& x, const Corruption& corruption, at::Generator& generator);
    // What the encoder of a model with this corruption takes for a clean image, with
    // nothing random: the luminance (Rec. 601, as OpenCV's RGB2GRAY) of a colour x for a
    // colourising model; x itself otherwise (a denoising model encodes clean images too).
    static torch::Tensor encoderInput(const torch::Tensor& x, const Corruption& corruption);
};

} // namespace latentlab
