#include "core/training/Restoration.h"

#include <algorithm>

#include <torch/torch.h>

#include "core/base/Error.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"
#include "core/training/Evaluator.h"

namespace latentlab {

Image Restoration::corrupted(const Image& image, const Corruption& corruption, std::uint64_t seed)
{
    if (!corruption.active())
        return image;
    const ImageShape shape{image.channels, image.height, image.width};
    std::vector<float> values = image.toPlanarFloats();
    at::Generator generator = makeGenerator(seed);
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::from_blob(values.data(), {1, shape.channels, shape.height, shape.width});
    // A grey input (1 channel) is shown as grey in the image's own channels.
    const torch::Tensor out = InputCorruption::apply(x, corruption, generator).expand_as(x).contiguous();
    return Image::fromPlanarFloats(out.data_ptr<float>(), shape);
}

Image Restoration::restored(const Model& model, const Image& image, int imageClass)
{
    const std::vector<float> code = model.encodeImage(image, imageClass);
    return model.decodeImages(code, {imageClass}).front();
}

std::vector<double> Restoration::inputScores(const Model& model, const Dataset& inputs, std::uint64_t seed)
{
    // The inputs are already what the model takes in: score them with no noise added (a
    // colourising model's grey input stays: its luminance is the grey itself).
    const std::unique_ptr<Model> plain = model.clone();
    if (plain->config().corruption.random())
        plain->impl().config.corruption = Corruption{};
    Evaluator evaluator;
    evaluator.setSeed(seed);
    return evaluator.negativeElboPerImage(*plain, inputs);
}

Dataset Restoration::asModelInputs(const Model& model, const Dataset& data, std::uint64_t seed)
{
    const Corruption& corruption = model.config().corruption;
    if (!corruption.active())
        return data;
    std::vector<std::uint8_t> pixels;
    pixels.reserve(data.pixels().size());
    for (std::size_t i = 0; i < data.size(); ++i)
        corrupted(Image::fromPlanarBytes(data.image(i), data.shape()), corruption, seed + i).appendPlanarBytes(pixels);
    return Dataset(data.name() + " (" + corruption.text() + ")", data.shape(), std::move(pixels), data.labels(),
                   data.classNames());
}

double Restoration::percentile(const std::vector<double>& reference, double value)
{
    if (reference.empty())
        throw Error("no reference scores to place the input among");
    const auto below = std::count_if(reference.begin(), reference.end(), [&](double r) { return r < value; });
    return 100.0 * double(below) / double(reference.size());
}

} // namespace latentlab
