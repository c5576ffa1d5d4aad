// Issue 16's measurement: how sharp and how faithful a model's decodes are, judged without
// a pretrained network. A domain classifier (a small CNN trained here on the data set's
// labelled training split: its classes, or on synth-faces its five attributes) gives the
// features of a Fréchet distance (an FID in that feature space, as MNIST papers use a LeNet;
// not comparable with Inception FIDs), for reconstructions of the test split and for
// samples of the prior, against the real test images. Also per model: the ratio of the
// decodes' Laplacian variance to the real images' (1 = as sharp as the data), the mean SSIM
// and pixel errors of the reconstructions, and on synth-faces how often a reconstruction
// keeps each attribute (bench_attribute_edit's judge). Prints one JSON line per model and
// a Markdown table.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "bench/AttributeJudge.h"
#include "bench/DatasetTensors.h"
#include "core/base/CommandLine.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ModelFile.h"
#include "core/latent/LatentCodes.h"
#include "core/model/Device.h"
#include "models/ModelRegistry.h"
#include "models/detail/Losses.h"

using namespace latentlab;
using nlohmann::json;

namespace {

// Three strided convolutions and a 128-wide layer whose activations are the features.
struct DomainNetImpl : torch::nn::Module {
    DomainNetImpl(const ImageShape& s, int outputs)
    {
        features = register_module("features", torch::nn::Sequential(
            torch::nn::Conv2d(torch::nn::Conv2dOptions(s.channels, 32, 4).stride(2).padding(1)), torch::nn::ReLU(),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 4).stride(2).padding(1)), torch::nn::ReLU(),
            torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 128, 4).stride(2).padding(1)), torch::nn::ReLU(),
            torch::nn::Flatten(),
            torch::nn::Linear(128 * (s.height / 8) * (s.width / 8), 128), torch::nn::ReLU()));
        head = register_module("head", torch::nn::Linear(128, outputs));
    }
    torch::Tensor forward(const torch::Tensor& x) { return head->forward(features->forward(x)); }
    torch::nn::Sequential features{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(DomainNet);

// The classifier's targets: class indices, or the attributes as 0/1 columns.
struct Targets {
    torch::Tensor values;
    int outputs = 0;
    bool multiLabel = false;
};

Targets targetsOf(const Dataset& data)
{
    if (!data.attributeNames().empty())
        return {DatasetTensors::attributes(data), int(data.attributeNames().size()), true};
    if (data.labels().empty())
        throw std::runtime_error("the data set has neither classes nor attributes to train the domain classifier on");
    std::vector<std::int64_t> labels(data.labels().begin(), data.labels().end());
    const int classes = int(*std::max_element(labels.begin(), labels.end())) + 1;
    return {torch::tensor(labels), classes, false};
}

torch::Tensor lossOf(const torch::Tensor& logits, const torch::Tensor& y, bool multiLabel)
{
    return multiLabel ? torch::binary_cross_entropy_with_logits(logits, y) : torch::nn::functional::cross_entropy(logits, y);
}

// Trained on the training split, or loaded from `file` when it holds one of this shape.
DomainNet domainClassifier(const DatasetSplit& data, int epochs, const std::string& file, json& report)
{
    const Targets train = targetsOf(data.train);
    DomainNet net(data.train.shape(), train.outputs);
    if (!file.empty() && std::ifstream(file).good()) {
        torch::load(net, file);
        report["classifier_loaded"] = file;
    } else {
        const auto start = std::chrono::steady_clock::now();
        torch::manual_seed(7);
        const torch::Tensor x = DatasetTensors::images(data.train);
        torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));
        for (int epoch = 0; epoch < epochs; ++epoch) {
            const torch::Tensor order = torch::randperm(x.size(0), torch::kLong);
            for (std::int64_t b = 0; b < x.size(0); b += 128) {
                const torch::Tensor index = order.slice(0, b, b + 128);
                const torch::Tensor loss =
                    lossOf(net->forward(x.index_select(0, index)), train.values.index_select(0, index), train.multiLabel);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        report["classifier_train_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!file.empty())
            torch::save(net, file);
    }
    net->eval();
    torch::NoGradGuard noGrad;
    const Targets test = targetsOf(data.test);
    const torch::Tensor logits = net->forward(DatasetTensors::images(data.test));
    report["classifier_test_accuracy"] = (test.multiLabel ? logits.gt(0).eq(test.values.gt(0.5))
                                                          : logits.argmax(1).eq(test.values))
                                             .to(torch::kDouble)
                                             .mean()
                                             .item<double>();
    return net;
}

torch::Tensor featuresOf(DomainNet& net, const torch::Tensor& images)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (std::int64_t b = 0; b < images.size(0); b += 500)
        parts.push_back(net->features->forward(images.slice(0, b, b + 500)));
    return torch::cat(parts).to(torch::kDouble);
}

// ||mu_a - mu_b||^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)), the trace of the root taken as the
// sum of the square roots of the eigenvalues of S_a^(1/2) S_b S_a^(1/2) (symmetric, so eigh).
double frechetDistance(const torch::Tensor& a, const torch::Tensor& b)
{
    const auto moments = [](const torch::Tensor& f) {
        const torch::Tensor mu = f.mean(0);
        const torch::Tensor centred = f - mu;
        return std::make_pair(mu, centred.t().mm(centred) / double(f.size(0) - 1));
    };
    const auto [muA, covA] = moments(a);
    const auto [muB, covB] = moments(b);
    const auto [valuesA, vectorsA] = torch::linalg_eigh(covA);
    const torch::Tensor rootA = vectorsA.mm(torch::diag(valuesA.clamp_min(0).sqrt())).mm(vectorsA.t());
    const torch::Tensor inner = rootA.mm(covB).mm(rootA);
    const torch::Tensor traceRoot = std::get<0>(torch::linalg_eigh((inner + inner.t()) / 2)).clamp_min(0).sqrt().sum();
    return ((muA - muB).pow(2).sum() + covA.trace() + covB.trace() - 2 * traceRoot).item<double>();
}

// The mean over images of the variance of the 5-point Laplacian of the grey image.
double laplacianVariance(const torch::Tensor& images)
{
    const torch::Tensor grey = images.mean(1, true);
    const torch::Tensor kernel = torch::tensor({0.f, 1.f, 0.f, 1.f, -4.f, 1.f, 0.f, 1.f, 0.f}).view({1, 1, 3, 3});
    return torch::conv2d(grey, kernel).flatten(1).var(1).mean().item<double>();
}

double meanOf(const torch::Tensor& t)
{
    return t.to(torch::kDouble).mean().item<double>();
}

std::vector<std::string> commaList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        items.push_back(item);
    return items;
}

std::string fixed(double v, int digits)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << v;
    return out.str();
}

} // namespace

int main(int argc, char** argv)
{
    CommandLine cl("Usage: bench_sharpness --dataset SPEC --models A,B,... [options]",
                   {{"dataset", "SPEC", "fashion-mnist", "the data set the models were trained on"},
                    {"models", "FILES", "", "model files, comma separated"},
                    {"names", "NAMES", "", "their names in the table, comma separated (default the files)"},
                    {"test", "N", "2000", "test images reconstructed, and the real images of every FID"},
                    {"samples", "N", "2000", "prior samples per model"},
                    {"classifier", "FILE", "", "keep the domain classifier here, or load it if the file exists"},
                    {"classifier-epochs", "N", "3", "epochs of the domain classifier"},
                    {"judge", "FILE", "", "synth-faces: bench_attribute_edit's judges (kept or loaded)"},
                    {"judges", "N", "5", "synth-faces: judge CNNs that vote"},
                    {"seed", "N", "1", "seed of the prior samples"},
                    {"threads", "N", "0", "CPU threads, 0 for all cores"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        Device::setThreadCount(cl.intValue("threads", 0, 1024));
        const DatasetSplit data = DatasetLoader::load(cl.value("dataset"));
        const ImageShape shape = data.test.shape();
        json common = {{"dataset", data.spec}};
        DomainNet classifier = domainClassifier(data, cl.intValue("classifier-epochs", 1, 100), cl.value("classifier"), common);

        const Dataset test = data.test.head(std::size_t(cl.intValue("test", 2, 1000000)));
        const std::size_t testCount = test.size();
        const torch::Tensor real = DatasetTensors::images(test);
        const torch::Tensor realFeatures = featuresOf(classifier, real);
        const double realSharpness = laplacianVariance(real);
        common["test_images"] = testCount;
        common["real_laplacian_variance"] = realSharpness;
        // The floor of the FID: as many training images against the test images.
        const Dataset trainPart = data.train.head(testCount);
        common["fid_train_images"] = frechetDistance(featuresOf(classifier, DatasetTensors::images(trainPart)), realFeatures);

        std::unique_ptr<AttributeJudge> judge;
        torch::Tensor truth;
        if (!data.train.attributeNames().empty()) {
            judge = std::make_unique<AttributeJudge>(data.train, cl.intValue("judges", 1, 99), 2, cl.value("judge"));
            truth = DatasetTensors::attributes(test).gt(0.5);
            common["judge_test_accuracy"] = meanOf((*judge)(real).eq(truth).all(1));
        }
        std::cout << common.dump() << std::endl;

        const std::vector<std::string> files = commaList(cl.value("models"));
        std::vector<std::string> names = commaList(cl.value("names"));
        if (files.empty())
            throw std::runtime_error("--models: give at least one model file");
        if (!names.empty() && names.size() != files.size())
            throw std::runtime_error("--names: " + std::to_string(names.size()) + " names for " + std::to_string(files.size()) + " models");
        names.resize(files.size());
        const int sampleCount = cl.intValue("samples", 2, 1000000);
        std::ostringstream table;
        table << "| model | epochs | FID recon | FID samples | sharpness recon | sharpness samples | mean SSIM | MSE | BCE (nats) |"
              << (judge ? " all attributes kept |" : "") << "\n|---|---|---|---|---|---|---|---|---|" << (judge ? "---|" : "")
              << "\n";
        for (std::size_t m = 0; m < files.size(); ++m) {
            const std::unique_ptr<Model> model = ModelFile::load(files[m]);
            const ModelConfig& c = model->config();
            if (names[m].empty())
                names[m] = files[m];
            json r = {{"model", names[m]}, {"file", files[m]}, {"architecture", c.architecture},
                      {"recon", toString(c.likelihood)}, {"epochs", model->info().history.size()}};
            double seconds = 0;
            for (const EpochRecord& e : model->info().history)
                seconds += e.seconds;
            r["train_seconds"] = seconds;

            const LatentCodes codes = LatentCodes::encode(*model, test);
            const torch::Tensor recon = DatasetTensors::fromPlanar(model->decode(codes.mu, codes.labels), shape);
            std::mt19937_64 rng(std::uint64_t(cl.intValue("seed", 0, 1 << 30)));
            std::normal_distribution<float> normal;
            const std::vector<double> sigmas = ModelRegistry::priorSigmas(c);
            std::vector<float> prior(std::size_t(sampleCount) * std::size_t(c.latentDim));
            for (std::size_t i = 0; i < prior.size(); ++i)
                prior[i] = normal(rng) * float(sigmas[i % sigmas.size()]);
            std::vector<int> classes;
            for (int i = 0; c.conditionClasses > 0 && i < sampleCount; ++i)
                classes.push_back(i % c.conditionClasses);
            const torch::Tensor samples = DatasetTensors::fromPlanar(model->decode(prior, classes), shape);

            r["fid_reconstructions"] = frechetDistance(featuresOf(classifier, recon), realFeatures);
            r["fid_samples"] = frechetDistance(featuresOf(classifier, samples), realFeatures);
            r["sharpness_reconstructions"] = laplacianVariance(recon) / realSharpness;
            r["sharpness_samples"] = laplacianVariance(samples) / realSharpness;
            r["mean_ssim"] = meanOf(Losses::ssim(recon, real));
            r["mse"] = meanOf((recon - real).pow(2));
            r["bce_nats_per_image"] =
                torch::binary_cross_entropy(recon.clamp(1e-6, 1 - 1e-6), real, {}, at::Reduction::Sum).item<double>()
                / double(testCount);
            r["best_test_loss"] = model->info().history.empty() ? json(nullptr) : json(model->info().history.back().testLoss);
            if (judge) {
                const torch::Tensor same = (*judge)(recon).eq(truth);
                const auto& attributes = data.train.attributeNames();
                for (std::size_t j = 0; j < attributes.size(); ++j)
                    r["attribute_kept"][attributes[j]] = meanOf(same.select(1, std::int64_t(j)));
                r["attribute_kept"]["all"] = meanOf(same.all(1));
            }
            std::cout << r.dump() << std::endl;
            table << "| " << names[m] << " | " << r["epochs"] << " (" << fixed(seconds, 0) << " s) | "
                  << fixed(r["fid_reconstructions"], 2) << " | " << fixed(r["fid_samples"], 2) << " | "
                  << fixed(r["sharpness_reconstructions"], 2) << " | " << fixed(r["sharpness_samples"], 2) << " | "
                  << fixed(r["mean_ssim"], 3) << " | " << fixed(r["mse"], 4) << " | " << fixed(r["bce_nats_per_image"], 1)
                  << " |";
            if (judge) {
                table << " " << fixed(r["attribute_kept"]["all"], 3) << " (";
                for (std::size_t j = 0; j < data.train.attributeNames().size(); ++j)
                    table << (j ? ", " : "") << data.train.attributeNames()[j] << " "
                          << fixed(r["attribute_kept"][data.train.attributeNames()[j]], 3);
                table << ") |";
            }
            table << "\n";
        }
        std::cout << "\n" << table.str();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_sharpness: " << e.what() << "\n";
        return 1;
    }
}
