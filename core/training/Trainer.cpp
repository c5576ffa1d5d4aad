#include "core/training/Trainer.h"

#include <chrono>
#include <cmath>

#include <torch/torch.h>

#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "models/detail/Losses.h"
#include "core/formats/ModelFile.h"
#include "core/detail/ModelInternals.h"

namespace latentlab {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<torch::Tensor> copyParameters(VaeNetwork& network)
{
    std::vector<torch::Tensor> copies;
    for (const auto& p : network.parameters())
        copies.push_back(p.detach().clone());
    return copies;
}

void restoreParameters(VaeNetwork& network, const std::vector<torch::Tensor>& saved)
{
    torch::NoGradGuard noGrad;
    auto params = network.parameters();
    for (std::size_t i = 0; i < params.size(); ++i)
        params[i].copy_(saved[i]);
}

std::string shapeText(const ImageShape& s)
{
    return std::to_string(s.width) + "x" + std::to_string(s.height) + (s.channels == 1 ? " grey" : " colour");
}

} // namespace

Trainer::Trainer(Model& model, const Dataset& train, const Dataset& test, TrainingConfig config)
    : model_(model), train_(train), test_(test), config_(std::move(config))
{
}

void Trainer::requestCancel()
{
    cancel_ = true;
    pauseChanged_.notify_all();
}

void Trainer::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        paused_ = paused;
    }
    pauseChanged_.notify_all();
}

bool Trainer::waitWhilePaused()
{
    if (paused_) {
        std::unique_lock<std::mutex> lock(pauseMutex_);
        pauseChanged_.wait(lock, [this] { return !paused_ || cancel_; });
    }
    return !cancel_;
}

TrainingResult Trainer::run()
{
    const ModelConfig& mc = model_.config();
    if (config_.epochs < 1 || config_.batchSize < 1 || !(config_.learningRate > 0))
        throw Error("epochs, batch size and learning rate must be positive");
    const ImageShape expected{mc.channels, mc.height, mc.width};
    if (train_.shape() != expected || test_.shape() != expected)
        throw Error("the data set's images are " + shapeText(train_.shape()) + " but the model takes "
                    + shapeText(expected));
    if (train_.empty() || test_.empty())
        throw Error("the data set has no images to train or test on");

    Device::setThreadCount(config_.threads);
    model_.moveTo(Device::resolve(config_.device));
    Model::Impl& m = model_.impl();
    VaeNetwork& net = *m.network;
    net.train();
    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(config_.learningRate));

    // uint8 on the device once; floats are made per batch.
    const torch::Tensor images = datasetTensor(train_).to(m.device);
    const torch::Tensor labels = conditionLabels(mc, train_, m.device);
    const std::int64_t n = images.size(0);
    const int batches = int((n + config_.batchSize - 1) / config_.batchSize);
    std::vector<torch::Tensor> lastGood = copyParameters(net);
    ModelInfo& info = model_.info();
    info.batchSize = config_.batchSize;
    info.learningRate = config_.learningRate;
    info.seed = config_.seed;
    info.trainImages = train_.size();
    const int firstEpoch = info.history.empty() ? 1 : info.history.back().epoch + 1;
    // Continued training draws new batches and noise rather than repeating the first run's.
    torch::manual_seed(config_.seed + std::uint64_t(firstEpoch - 1));

    TrainingResult result;
    for (int e = 0; e < config_.epochs; ++e) {
        TrainingProgress p;
        p.epoch = firstEpoch + e;
        p.epochs = firstEpoch + config_.epochs - 1;
        p.batches = batches;
        double lossSum = 0, reconSum = 0, klSum = 0;
        std::int64_t seen = 0;
        const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kLong).device(m.device));
        const Clock::time_point start = Clock::now();
        double pausedSeconds = 0;

        for (int b = 0; b < batches; ++b) {
            if (paused_) {
                const Clock::time_point pauseStart = Clock::now();
                if (!waitWhilePaused())
                    break;
                pausedSeconds += secondsSince(pauseStart);
            }
            if (cancel_)
                break;
            const torch::Tensor index = order.slice(0, std::int64_t(b) * config_.batchSize,
                                                    std::int64_t(b + 1) * config_.batchSize);
            const torch::Tensor x = toFloatImages(images.index_select(0, index), m.device);
            const torch::Tensor y = labels.defined() ? labels.index_select(0, index) : torch::Tensor();
            const VaeNetwork::Encoding q = net.encode(x, y);
            const torch::Tensor recon = Losses::reconstruction(mc.likelihood, net.decodeLogits(Losses::sample(q), y), x, false);
            const torch::Tensor kl = Losses::kl(q, false);
            const torch::Tensor loss = recon + mc.beta * kl;
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue)) {
                restoreParameters(net, lastGood);
                result.outcome = TrainingOutcome::Diverged;
                result.message = "training stopped: the loss became " + std::string(std::isnan(lossValue) ? "NaN" : "infinite")
                                 + " in epoch " + std::to_string(p.epoch) + ", batch " + std::to_string(b + 1)
                                 + " (try a lower learning rate); the model keeps the weights of "
                                 + (e == 0 && firstEpoch == 1 ? std::string("its initialisation")
                                                              : "epoch " + std::to_string(p.epoch - 1));
                return result;
            }
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            seen += x.size(0);
            lossSum += lossValue;
            reconSum += recon.item<double>();
            klSum += kl.item<double>();
            if (progress_) {
                p.batch = b + 1;
                p.loss = lossSum / double(seen);
                p.recon = reconSum / double(seen);
                p.kl = klSum / double(seen);
                p.imagesPerSecond = double(seen) / std::max(1e-9, secondsSince(start) - pausedSeconds);
                progress_(p);
            }
        }
        if (cancel_) {
            result.outcome = TrainingOutcome::Cancelled;
            result.message = "training cancelled in epoch " + std::to_string(p.epoch);
            return result;
        }

        EpochRecord& r = p.record;
        r.epoch = p.epoch;
        r.seconds = secondsSince(start) - pausedSeconds;
        r.trainLoss = lossSum / double(seen);
        r.trainRecon = reconSum / double(seen);
        r.trainKl = klSum / double(seen);
        const LossSummary test = Evaluator(model_).negativeElbo(test_);
        r.testLoss = test.loss;
        r.testRecon = test.recon;
        r.testKl = test.kl;
        info.history.push_back(r);
        lastGood = copyParameters(net);
        ++result.epochsDone;
        if (!config_.checkpointPath.empty())
            ModelFile::save(model_, config_.checkpointPath);
        if (progress_) {
            p.epochDone = true;
            progress_(p);
        }
    }
    result.message = "trained " + std::to_string(result.epochsDone) + " epochs";
    return result;
}

} // namespace latentlab
