#include "core/data/Dataset.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "core/base/Error.h"

namespace latentlab {

Dataset::Dataset(std::string name, ImageShape shape, std::vector<std::uint8_t> pixels,
                 std::vector<int> labels, std::vector<std::string> classNames)
    : name_(std::move(name)), shape_(shape), pixels_(std::move(pixels)),
      labels_(std::move(labels)), classNames_(std::move(classNames))
{
    if (shape_.channels != 1 && shape_.channels != 3)
        throw Error(name_ + ": images must have 1 or 3 channels, got " + std::to_string(shape_.channels));
    if (shape_.height < 1 || shape_.width < 1 || shape_.height > ImageShape::kMaxSide || shape_.width > ImageShape::kMaxSide)
        throw Error(name_ + ": images of " + std::to_string(shape_.width) + "x" + std::to_string(shape_.height)
                    + " px are not supported (each side 1 to " + std::to_string(ImageShape::kMaxSide) + ")");
    const std::size_t perImage = shape_.pixelCount();
    if (pixels_.size() % perImage != 0)
        throw Error(name_ + ": " + std::to_string(pixels_.size()) + " bytes is not a whole number of "
                    + std::to_string(shape_.width) + "x" + std::to_string(shape_.height) + " images");
    count_ = pixels_.size() / perImage;
    if (!labels_.empty() && labels_.size() != count_)
        throw Error(name_ + ": " + std::to_string(labels_.size()) + " labels for " + std::to_string(count_)
                    + " images");
}

const std::uint8_t* Dataset::image(std::size_t index) const
{
    if (index >= count_)
        throw Error(name_ + ": image index " + std::to_string(index) + " is out of range (size "
                    + std::to_string(count_) + ")");
    return pixels_.data() + index * shape_.pixelCount();
}

void Dataset::setFileNames(std::vector<std::string> names)
{
    if (!names.empty() && names.size() != count_)
        throw Error(name_ + ": " + std::to_string(names.size()) + " file names for " + std::to_string(count_) + " images");
    fileNames_ = std::move(names);
}

void Dataset::setAttributes(std::vector<std::string> names, std::vector<signed char> values)
{
    if (values.size() != names.size() * count_)
        throw Error(name_ + ": " + std::to_string(values.size()) + " attribute values for " + std::to_string(count_)
                    + " images of " + std::to_string(names.size()) + " attributes");
    attributeNames_ = std::move(names);
    attributes_ = std::move(values);
}

void Dataset::setFactors(std::vector<std::string> names, std::vector<float> values)
{
    if (values.size() != names.size() * count_)
        throw Error(name_ + ": " + std::to_string(values.size()) + " factor values for " + std::to_string(count_)
                    + " images of " + std::to_string(names.size()) + " factors");
    factorNames_ = std::move(names);
    factors_ = std::move(values);
}

Dataset Dataset::subset(const std::vector<std::size_t>& indices) const
{
    const std::size_t perImage = shape_.pixelCount();
    std::vector<std::uint8_t> pixels(indices.size() * perImage); // no larger than this set
    std::vector<int> labels;
    std::vector<std::string> fileNames;
    for (std::size_t i = 0; i < indices.size(); ++i) {
        std::memcpy(pixels.data() + i * perImage, image(indices[i]), perImage);
        if (hasLabels())
            labels.push_back(labels_[indices[i]]);
        if (!fileNames_.empty())
            fileNames.push_back(fileNames_[indices[i]]);
    }
    Dataset result(name_, shape_, std::move(pixels), std::move(labels), classNames_);
    result.setFileNames(std::move(fileNames));
    const auto pick = [&](const auto& values, std::size_t columns) {
        std::decay_t<decltype(values)> picked;
        picked.reserve(indices.size() * columns);
        for (std::size_t i : indices)
            picked.insert(picked.end(), values.begin() + std::ptrdiff_t(i * columns),
                          values.begin() + std::ptrdiff_t((i + 1) * columns));
        return picked;
    };
    if (!attributeNames_.empty())
        result.setAttributes(attributeNames_, pick(attributes_, attributeNames_.size()));
    if (!factorNames_.empty())
        result.setFactors(factorNames_, pick(factors_, factorNames_.size()));
    return result;
}

Dataset Dataset::head(std::size_t count) const
{
    std::vector<std::size_t> indices(std::min(count, count_));
    for (std::size_t i = 0; i < indices.size(); ++i)
        indices[i] = i;
    return subset(indices);
}

} // namespace latentlab
