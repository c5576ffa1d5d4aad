#include "core/training/Trainer.h"

#include <chrono>
#include <cmath>

#include <torch/torch.h>

#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
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

// LibTorch 1.13's Adam keys its per-parameter state by the tensor's implementation.
std::string stateKey(const torch::Tensor& parameter)
{
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

// Puts a saved state into a fresh optimiser; false when it does not fit the parameters.
bool loadAdamState(torch::optim::Adam& optimizer, const std::vector<torch::Tensor>& params, const OptimizerState& saved)
{
    if (saved.expAvg.size() != params.size() || saved.expAvgSq.size() != params.size())
        return false;
    for (std::size_t i = 0; i < params.size(); ++i)
        if (!saved.expAvg[i].sizes().equals(params[i].sizes()) || !saved.expAvgSq[i].sizes().equals(params[i].sizes()))
            return false;
    for (std::size_t i = 0; i < params.size(); ++i) {
        auto state = std::make_unique<torch::optim::AdamParamState>();
        state->step(saved.step);
        state->exp_avg(saved.expAvg[i].to(params[i].device()).clone());
        state->exp_avg_sq(saved.expAvgSq[i].to(params[i].device()).clone());
        optimizer.state()[stateKey(params[i])] = std::move(state);
    }
    return true;
}

OptimizerState adamState(torch::optim::Adam& optimizer, const std::vector<torch::Tensor>& params)
{
    OptimizerState out;
    for (const torch::Tensor& p : params) {
        const auto found = optimizer.state().find(stateKey(p));
        if (found == optimizer.state().end()) { // never stepped: Adam's initial state
            out.expAvg.push_back(torch::zeros_like(p, torch::kCPU));
            out.expAvgSq.push_back(torch::zeros_like(p, torch::kCPU));
            continue;
        }
        const auto& s = static_cast<const torch::optim::AdamParamState&>(*found->second);
        out.step = std::max(out.step, s.step());
        out.expAvg.push_back(s.exp_avg().detach().to(torch::kCPU).clone());
        out.expAvgSq.push_back(s.exp_avg_sq().detach().to(torch::kCPU).clone());
    }
    return out;
}

std::string shapeText(const ImageShape& s)
{
    return std::to_string(s.width) + "x" + std::to_string(s.height) + (s.channels == 1 ? " grey" : " colour");
}

} // namespace

std::string toString(TrainingOutcome outcome)
{
    switch (outcome) {
    case TrainingOutcome::Finished: return "finished";
    case TrainingOutcome::Cancelled: return "cancelled";
    case TrainingOutcome::Diverged: return "diverged";
    }
    return "finished";
}

Trainer::Trainer(Model& model, const Dataset& train, const Dataset& test, TrainingConfig config,
                 std::shared_ptr<TrainingControl> control)
    : model_(model), train_(train), test_(test), config_(std::move(config)), control_(std::move(control))
{
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
    const std::vector<torch::Tensor> params = net.parameters();
    torch::optim::Adam optimizer(params, torch::optim::AdamOptions(config_.learningRate));
    if (m.optimizer && !loadAdamState(optimizer, params, *m.optimizer))
        m.optimizer.reset(); // saved for other parameters: start afresh

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
    at::Generator generator = makeGenerator(config_.seed + std::uint64_t(firstEpoch - 1));

    TrainingResult result;
    for (int e = 0; e < config_.epochs; ++e) {
        TrainingProgress p;
        p.epoch = firstEpoch + e;
        p.epochs = firstEpoch + config_.epochs - 1;
        p.batches = batches;
        double lossSum = 0, reconSum = 0, klSum = 0;
        std::int64_t seen = 0;
        const torch::Tensor order = torch::randperm(n, generator, torch::TensorOptions().dtype(torch::kLong)).to(m.device);
        const Clock::time_point start = Clock::now();
        double pausedSeconds = 0;

        for (int b = 0; b < batches; ++b) {
            if (control_->isPaused()) {
                const Clock::time_point pauseStart = Clock::now();
                if (!control_->waitWhilePaused())
                    break;
                pausedSeconds += secondsSince(pauseStart);
            }
            if (control_->isCancelled())
                break;
            const torch::Tensor index = order.slice(0, std::int64_t(b) * config_.batchSize,
                                                    std::int64_t(b + 1) * config_.batchSize);
            const torch::Tensor x = toFloatImages(images.index_select(0, index), m.device);
            const torch::Tensor y = labels.defined() ? labels.index_select(0, index) : torch::Tensor();
            const VaeNetwork::Objective objective = net.objective(x, y, mc, generator);
            const torch::Tensor& loss = objective.loss;
            const torch::Tensor& recon = objective.terms.at(0);
            const torch::Tensor& kl = objective.terms.at(1);
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue)) {
                restoreParameters(net, lastGood); // m.optimizer still holds that epoch's state
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
        if (control_->isCancelled()) {
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
        Evaluator evaluator(model_);
        evaluator.setSeed(config_.seed + std::uint64_t(p.epoch)); // repeatable test losses
        const LossSummary test = evaluator.negativeElbo(test_);
        r.testLoss = test.loss;
        r.testRecon = test.recon;
        r.testKl = test.kl;
        info.history.push_back(r);
        lastGood = copyParameters(net);
        m.optimizer = adamState(optimizer, params);
        ++result.epochsDone;
        if (progress_) {
            p.epochDone = true;
            progress_(p);
        }
    }
    result.message = "trained " + std::to_string(result.epochsDone) + " epochs";
    return result;
}

} // namespace latentlab
