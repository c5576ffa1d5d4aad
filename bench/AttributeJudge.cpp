#include "bench/AttributeJudge.h"

#include <fstream>
#include <stdexcept>

#include "bench/DatasetTensors.h"

namespace latentlab {

namespace {

// A small CNN with one logit per binary attribute.
struct AttributeNetImpl : torch::nn::Module {
    explicit AttributeNetImpl(int outputs)
    {
        features = register_module("features", torch::nn::Sequential(
            torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 16, 4).stride(2).padding(1)), torch::nn::ReLU(),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 4).stride(2).padding(1)), torch::nn::ReLU(),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 4).stride(2).padding(1)), torch::nn::ReLU()));
        head = register_module("head", torch::nn::Linear(64 * 8 * 8, outputs));
    }
    torch::Tensor forward(const torch::Tensor& x) { return head->forward(features->forward(x).flatten(1)); }
    torch::nn::Sequential features{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(AttributeNet);

void fit(AttributeNet& net, const torch::Tensor& x, const torch::Tensor& y, int epochs)
{
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));
    for (int epoch = 0; epoch < epochs; ++epoch) {
        const torch::Tensor order = torch::randperm(x.size(0), torch::kLong);
        for (std::int64_t b = 0; b < x.size(0); b += 128) {
            const torch::Tensor index = order.slice(0, b, b + 128);
            const torch::Tensor loss = torch::binary_cross_entropy_with_logits(net->forward(x.index_select(0, index)),
                                                                               y.index_select(0, index));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }
}

} // namespace

struct AttributeJudge::Nets {
    std::vector<AttributeNet> nets;
};

AttributeJudge::AttributeJudge(const Dataset& train, int count, int epochs, const std::string& file)
    : nets_(std::make_unique<Nets>())
{
    std::vector<AttributeNet>& nets = nets_->nets;
    const int outputs = int(train.attributeNames().size());
    if (!file.empty() && std::ifstream(file).good()) {
        for (int k = 0; k < count; ++k)
            nets.push_back(AttributeNet(outputs));
        torch::serialize::InputArchive archive;
        archive.load_from(file);
        for (int k = 0; k < count; ++k) {
            torch::serialize::InputArchive one;
            if (!archive.try_read("judge" + std::to_string(k), one))
                throw std::runtime_error(file + " holds fewer than " + std::to_string(count) + " judges");
            nets[std::size_t(k)]->load(one);
        }
        loaded_ = true;
    } else {
        const int threads = at::get_num_threads();
        at::set_num_threads(1);
        const torch::Tensor x = DatasetTensors::images(train), y = DatasetTensors::attributes(train);
        for (int k = 0; k < count; ++k) {
            torch::manual_seed(std::uint64_t(2 + k)); // the weights' and the shuffles' seed
            nets.push_back(AttributeNet(outputs));
            fit(nets.back(), x, y, epochs);
        }
        at::set_num_threads(threads);
        if (!file.empty()) {
            torch::serialize::OutputArchive archive;
            for (int k = 0; k < count; ++k) {
                torch::serialize::OutputArchive one;
                nets[std::size_t(k)]->save(one);
                archive.write("judge" + std::to_string(k), one);
            }
            archive.save_to(file);
        }
    }
    for (AttributeNet& net : nets)
        net->eval();
}

AttributeJudge::~AttributeJudge() = default;

torch::Tensor AttributeJudge::operator()(const torch::Tensor& images)
{
    torch::NoGradGuard noGrad;
    std::vector<AttributeNet>& nets = nets_->nets;
    torch::Tensor votes = torch::zeros({images.size(0), nets.front()->head->options.out_features()});
    for (AttributeNet& net : nets)
        votes += net->forward(images).gt(0).to(torch::kFloat);
    return votes.gt(double(nets.size()) / 2);
}

torch::Tensor AttributeJudge::operator()(std::vector<float> planar, const ImageShape& shape)
{
    return (*this)(DatasetTensors::fromPlanar(std::move(planar), shape));
}

} // namespace latentlab
