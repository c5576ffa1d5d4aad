#pragma once
// The synth-faces judge (issue 12's bench, and issue 16's attribute-kept rates): what each
// image shows, one column per binary attribute. A majority vote of several small CNNs,
// each trained on one thread from its own seed so that a judge is the same on every run
// and every machine; one CNN alone disagreed with its retrained self on a few percent of
// the blends an edit makes. With a file it keeps the trained judges there, or loads them
// when the file exists.
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/data/Dataset.h"

namespace latentlab {

class AttributeJudge {
public:
    AttributeJudge(const Dataset& train, int count, int epochs, const std::string& file);
    ~AttributeJudge();
    bool loaded() const { return loaded_; }
    // [N, attributes] booleans for images [N, C, H, W] in [0, 1].
    torch::Tensor operator()(const torch::Tensor& images);
    torch::Tensor operator()(std::vector<float> planar, const ImageShape& shape);

private:
    struct Nets;
    std::unique_ptr<Nets> nets_;
    bool loaded_ = false;
};

} // namespace latentlab
