#pragma once
// A data set of images kept as uint8 in memory (converted to floats per batch),
// channel-first (C x H x W per image), with optional integer labels.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/ImageShape.h"

namespace latentlab {

class Dataset {
public:
    Dataset() = default;
    // Throws latentlab::Error when the pixel or label counts do not fit the shape.
    Dataset(std::string name, ImageShape shape, std::vector<std::uint8_t> pixels,
            std::vector<int> labels = {}, std::vector<std::string> classNames = {});

    const std::string& name() const { return name_; }
    ImageShape shape() const { return shape_; }
    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }

    const std::vector<std::uint8_t>& pixels() const { return pixels_; }
    const std::uint8_t* image(std::size_t index) const;

    bool hasLabels() const { return !labels_.empty(); }
    const std::vector<int>& labels() const { return labels_; }
    const std::vector<std::string>& classNames() const { return classNames_; }

    // Where each image came from (folder data sets), for matching attribute files.
    const std::vector<std::string>& fileNames() const { return fileNames_; }
    void setFileNames(std::vector<std::string> names);

    // Binary attributes per image, CelebA style: 1 has it, -1 has not (row per image).
    const std::vector<std::string>& attributeNames() const { return attributeNames_; }
    const std::vector<signed char>& attributes() const { return attributes_; }
    int attribute(std::size_t image, std::size_t column) const
    {
        return attributes_[image * attributeNames_.size() + column];
    }
    void setAttributes(std::vector<std::string> names, std::vector<signed char> values);
    // Continuous generating factors (angle, skin tone, ...), where known (row per image).
    const std::vector<std::string>& factorNames() const { return factorNames_; }
    const std::vector<float>& factors() const { return factors_; }
    void setFactors(std::vector<std::string> names, std::vector<float> values);

    // The images at `indices`, in that order (labels, names, attributes and factors kept).
    Dataset subset(const std::vector<std::size_t>& indices) const;
    // The first `count` images (all when count >= size()).
    Dataset head(std::size_t count) const;

private:
    std::string name_;
    ImageShape shape_;
    std::size_t count_ = 0;
    std::vector<std::uint8_t> pixels_;
    std::vector<int> labels_;
    std::vector<std::string> classNames_;
    std::vector<std::string> fileNames_;
    std::vector<std::string> attributeNames_;
    std::vector<signed char> attributes_;
    std::vector<std::string> factorNames_;
    std::vector<float> factors_;
};

// What a data set spec loads: the images to train on and the held-out images.
struct DatasetSplit {
    std::string spec;
    Dataset train;
    Dataset test;
    std::string report; // what loading found, for the user (faces: images read, skipped and why)
};

} // namespace latentlab
