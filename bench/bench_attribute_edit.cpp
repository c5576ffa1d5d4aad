// Issue 6's measurement: train the convolutional VAE on synth-faces, compute the
// "Smiling" vector from the training labels, add it with alpha 1 to 2 to 500
// non-smiling test faces, and judge the decodes with an attribute classifier trained
// here on the generated images: how many now smile, and how many keep their other
// attributes. Prints one JSON line (and writes an example strip with --strip).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/base/CommandLine.h"
#include "core/latent/AttributeMath.h"
#include "core/data/DatasetLoader.h"
#include "core/model/Device.h"
#include "core/formats/ImageIO.h"
#include "core/latent/LatentCodes.h"
#include "core/formats/ModelFile.h"
#include "core/training/Trainer.h"

using namespace latentlab;
using nlohmann::json;

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

torch::Tensor imagesOf(const Dataset& data)
{
    const ImageShape s = data.shape();
    return torch::from_blob(const_cast<std::uint8_t*>(data.pixels().data()),
                            {std::int64_t(data.size()), s.channels, s.height, s.width}, torch::kUInt8)
        .to(torch::kFloat)
        .div(255);
}

torch::Tensor targetsOf(const Dataset& data)
{
    std::vector<float> t(data.attributes().begin(), data.attributes().end());
    for (float& v : t)
        v = v > 0 ? 1.0f : 0.0f;
    return torch::from_blob(t.data(), {std::int64_t(data.size()), std::int64_t(data.attributeNames().size())})
        .clone();
}

torch::Tensor imagesTensor(const std::vector<Image>& images)
{
    std::vector<float> floats;
    for (const Image& image : images) {
        const std::vector<float> planar = image.toPlanarFloats();
        floats.insert(floats.end(), planar.begin(), planar.end());
    }
    return torch::from_blob(floats.data(), {std::int64_t(images.size()), images[0].channels, images[0].height,
                                            images[0].width})
        .clone();
}

} // namespace

int main(int argc, char** argv)
{
    CommandLine cl("Usage: bench_attribute_edit [options]",
                   {{"epochs", "N", "4", "VAE training epochs"},
                    {"latent", "N", "32", "latent size"},
                    {"batch", "N", "32", "VAE training batch size"},
                    {"lr", "RATE", "0.001", "VAE learning rate"},
                    {"beta", "B", "0.5", "weight of the KL term"},
                    {"seed", "N", "1", "seed of the VAE's weights and shuffling"},
                    {"train", "N", "20000", "training faces"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"},
                    {"model", "FILE", "", "reuse this trained model instead of training"},
                    {"save", "FILE", "", "keep the trained model here"},
                    {"strip", "FILE", "", "write 8 faces: originals over their smiling edits"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        using Clock = std::chrono::steady_clock;
        Device::setThreadCount(cl.intValue("threads"));
        const DatasetSplit data = DatasetLoader::load("synth-faces:" + cl.value("train"));
        json result = {{"train_images", data.train.size()}, {"test_images", data.test.size()}};

        std::unique_ptr<Model> model;
        if (!cl.value("model").empty()) {
            model = ModelFile::load(cl.value("model"));
        } else {
            ModelConfig c;
            c.architecture = "conv";
            c.channels = 3;
            c.height = c.width = 64;
            c.latentDim = cl.intValue("latent");
            c.beta = cl.doubleValue("beta");
            model = std::make_unique<Model>(c, std::uint64_t(cl.intValue("seed")));
            model->info().datasetSpec = data.spec;
            TrainingConfig t;
            t.epochs = cl.intValue("epochs");
            t.batchSize = cl.intValue("batch");
            t.learningRate = cl.doubleValue("lr");
            t.threads = cl.intValue("threads");
            t.device = "cpu";
            t.seed = std::uint64_t(cl.intValue("seed"));
            result["vae"] = {{"epochs", t.epochs}, {"batch", t.batchSize}, {"lr", t.learningRate},
                             {"beta", c.beta},     {"latent", c.latentDim}, {"seed", t.seed}};
            const auto start = Clock::now();
            Trainer(t).run(*model, data.train, data.test);
            result["vae_train_seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
            result["vae_test_loss"] = model->info().history.back().testLoss;
            if (!cl.value("save").empty())
                ModelFile::save(*model, cl.value("save"));
        }

        // The attribute classifier: 2 epochs on the generated training faces.
        torch::manual_seed(2);
        const auto& names = data.train.attributeNames();
        AttributeNet classifier(int(names.size()));
        torch::optim::Adam optimizer(classifier->parameters(), torch::optim::AdamOptions(1e-3));
        const torch::Tensor x = imagesOf(data.train), y = targetsOf(data.train);
        for (int epoch = 0; epoch < 2; ++epoch) {
            const torch::Tensor order = torch::randperm(x.size(0), torch::kLong);
            for (std::int64_t b = 0; b < x.size(0); b += 128) {
                const torch::Tensor index = order.slice(0, b, b + 128);
                const torch::Tensor loss = torch::binary_cross_entropy_with_logits(
                    classifier->forward(x.index_select(0, index)), y.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        torch::NoGradGuard noGrad;
        const auto predict = [&](const torch::Tensor& images) { return classifier->forward(images).gt(0); };
        const torch::Tensor testTruth = targetsOf(data.test).gt(0.5);
        const torch::Tensor testPredicted = predict(imagesOf(data.test));
        json accuracy;
        for (std::size_t j = 0; j < names.size(); ++j)
            accuracy[names[j]] = testPredicted.select(1, std::int64_t(j)).eq(testTruth.select(1, std::int64_t(j)))
                                     .to(torch::kFloat).mean().item<double>();
        result["classifier_test_accuracy"] = accuracy;

        // The smile vector from the training labels, applied to non-smiling test faces.
        // Also measured: the same vector orthogonalised against the other attributes'
        // vectors (what the Attributes dock's "orthogonalise" does).
        const LatentCodes trainCodes = LatentCodes::encode(*model, data.train);
        const std::vector<float> smile = AttributeMath::meanDifference(
            trainCodes, AttributeMath::groupsFromAttributes(data.train, "Smiling"));
        std::vector<std::vector<float>> others;
        for (const std::string& name : names)
            if (name != "Smiling")
                others.push_back(AttributeMath::meanDifference(trainCodes, AttributeMath::groupsFromAttributes(data.train, name)));
        const std::vector<float> smileOrthogonal = AttributeMath::orthogonalised(smile, others);
        const LatentCodes testCodes = LatentCodes::encode(*model, data.test);
        const std::size_t smiling = std::size_t(std::find(names.begin(), names.end(), "Smiling") - names.begin());
        const std::size_t dim = smile.size();
        std::vector<float> originals, smilingCodes;
        for (std::size_t i = 0; i < data.test.size(); ++i) {
            std::vector<float>& group = data.test.attribute(i, smiling) < 0 ? originals : smilingCodes;
            if (group.size() < 500 * dim) {
                const std::vector<float> z = testCodes.codeVector(i);
                group.insert(group.end(), z.begin(), z.end());
            }
        }
        const auto smilingShare = [&](const torch::Tensor& predicted) {
            return predicted.select(1, std::int64_t(smiling)).to(torch::kFloat).mean().item<double>();
        };
        // Whether the VAE keeps smiles at all: reconstructions of smiling test faces.
        result["smiling_reconstructions_smiling"] = smilingShare(predict(imagesTensor(model->decodeImages(smilingCodes))));
        const auto norm = [](const std::vector<float>& v) {
            double sum = 0;
            for (float x : v)
                sum += double(x) * x;
            return std::sqrt(sum);
        };
        result["smile_vector_norm"] = norm(smile);
        result["orthogonalised_norm"] = norm(smileOrthogonal);
        // Other attributes are judged against the classifier's view of the plain reconstruction.
        const torch::Tensor before = predict(imagesTensor(model->decodeImages(originals)));
        result["faces"] = originals.size() / dim;
        result["reconstructions_smiling"] = smilingShare(before);
        for (const auto& [label, vector] : {std::pair{"edits", smile}, std::pair{"edits_orthogonalised", smileOrthogonal}}) {
            json perAlpha = json::array();
            for (double alpha : {1.0, 1.5, 2.0}) {
                std::vector<float> edited = originals;
                for (std::size_t k = 0; k < edited.size(); ++k)
                    edited[k] += float(alpha) * vector[k % dim];
                const std::vector<Image> images = model->decodeImages(edited);
                const torch::Tensor after = predict(imagesTensor(images));
                json row = {{"alpha", alpha}, {"smiling", smilingShare(after)}};
                for (std::size_t j = 0; j < names.size(); ++j)
                    if (j != smiling)
                        row["unchanged_" + names[j]] = after.select(1, std::int64_t(j))
                                                           .eq(before.select(1, std::int64_t(j)))
                                                           .to(torch::kFloat).mean().item<double>();
                perAlpha.push_back(row);
                if (alpha == 1.5 && label == std::string("edits") && !cl.value("strip").empty()) {
                    std::vector<Image> strip = model->decodeImages(
                        std::vector<float>(originals.begin(), originals.begin() + 8 * std::ptrdiff_t(dim)));
                    strip.insert(strip.end(), images.begin(), images.begin() + 8);
                    ImageIO::writePng(ImageIO::compose(strip, 8, 2), cl.value("strip"));
                }
            }
            result[label] = perAlpha;
        }
        std::cout << result.dump() << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_attribute_edit: " << e.what() << "\n";
        return 1;
    }
}
