#include "core/training/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include <torch/torch.h>

#include "core/model/Device.h"
#include "core/base/Error.h"
#include "core/training/Evaluator.h"
#include "core/latent/LatentCodes.h"
#include "core/latent/LatentDensity.h"
#include "core/detail/DebiasSampler.h"
#include "core/detail/InputCorruption.h"
#include "core/detail/ModelInternals.h"
#include "models/ModelRegistry.h"

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

bool allFinite(const std::vector<torch::Tensor>& tensors)
{
    for (const torch::Tensor& t : tensors)
        if (!torch::isfinite(t).all().item<bool>())
            return false;
    return true;
}

// How far the test loss may stray from the epoch's training loss before the epoch counts
// as diverged: overfitting or an early epoch differ by a factor of a few, not ten thousand.
constexpr double kBlowUpFactor = 1e4;

// "nan", "inf", "-1", "0.001": how the user would have typed it.
std::string numberText(double value)
{
    if (std::isnan(value))
        return "NaN"; // not "-nan"
    std::ostringstream out;
    out << value;
    return out.str();
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

Trainer::Trainer(TrainingConfig config, std::shared_ptr<TrainingControl> control)
    : config_(std::move(config)), control_(std::move(control))
{
}

void Trainer::validate(const TrainingConfig& config)
{
    if (!std::isfinite(config.learningRate) || config.learningRate <= 0)
        throw Error("the learning rate must be a finite number above 0, not " + numberText(config.learningRate));
    if (config.batchSize < 1 || config.batchSize > kMaxBatchSize)
        throw Error("the batch size must be 1 to " + std::to_string(kMaxBatchSize) + ", not " + std::to_string(config.batchSize));
    if (config.epochs < 1 || config.epochs > kMaxEpochs)
        throw Error("the number of epochs must be 1 to " + std::to_string(kMaxEpochs) + ", not " + std::to_string(config.epochs));
    if (config.klWarmupEpochs < 0 || config.klWarmupEpochs > kMaxEpochs)
        throw Error("the KL warm-up must be 0 to " + std::to_string(kMaxEpochs) + " epochs, not "
                    + std::to_string(config.klWarmupEpochs));
    if (config.debias >= 0 || std::isnan(config.debias))
        LatentDensity::validateAlpha(config.debias);
    if (!std::isfinite(config.timeBudgetSeconds) || config.timeBudgetSeconds < 0)
        throw Error("the time budget must be 0 (none) or a number of seconds above 0, not "
                    + numberText(config.timeBudgetSeconds));
    if (config.threads < 0 || config.threads > kMaxThreads)
        throw Error("the number of threads must be 0 (all cores) to " + std::to_string(kMaxThreads) + ", not "
                    + std::to_string(config.threads));
}

bool Trainer::hasFiniteWeights(const Model& model)
{
    const VaeNetwork& net = *model.impl().network;
    return allFinite(net.parameters()) && allFinite(net.buffers());
}

TrainingResult Trainer::run(Model& model, const Dataset& train, const Dataset& test)
{
    validate(config_);
    const ModelConfig& mc = model.config();
    const ImageShape expected{mc.channels, mc.height, mc.width};
    if (train.shape() != expected || test.shape() != expected)
        throw Error("the data set's images are " + shapeText(train.shape()) + " but the model takes "
                    + shapeText(expected));
    if (train.empty() || test.empty())
        throw Error("the data set has no images to train or test on");
    const long long imageValues = (long long)mc.channels * mc.height * mc.width;
    if (config_.batchSize * imageValues > kMaxBatchValues)
        throw Error("a batch of " + std::to_string(config_.batchSize) + " images of " + shapeText(expected)
                    + " is too large: at most " + std::to_string(kMaxBatchValues / imageValues) + " images a batch");

    Device::setThreadCount(config_.threads);
    model.moveTo(Device::resolve(config_.device));
    Model::Impl& m = model.impl();
    VaeNetwork& net = *m.network;
    net.train();
    const std::vector<torch::Tensor> params = net.parameters();
    torch::optim::Adam optimizer(params,
                                 torch::optim::AdamOptions(config_.learningRate).betas({net.adamBeta1(), 0.999}));
    if (m.optimizer && !loadAdamState(optimizer, params, *m.optimizer))
        m.optimizer.reset(); // saved for other parameters: start afresh

    // uint8 on the device once; floats are made per batch.
    const torch::Tensor images = datasetTensor(train).to(m.device);
    const torch::Tensor labels = conditionLabels(mc, train, m.device);
    const std::int64_t n = images.size(0);
    const int batches = int((n + config_.batchSize - 1) / config_.batchSize);
    std::vector<torch::Tensor> lastGood = copyParameters(net);
    ModelInfo& info = model.info();
    info.batchSize = config_.batchSize;
    info.learningRate = config_.learningRate;
    if (info.history.empty()) // the seed of the weights: continued training keeps the first run's
        info.seed = config_.seed;
    info.trainImages = train.size();
    const int firstEpoch = info.history.empty() ? 1 : info.history.back().epoch + 1;
    // Continued training draws new batches and noise rather than repeating the first run's.
    at::Generator generator = makeGenerator(config_.seed + std::uint64_t(firstEpoch - 1));

    // The family's terms after recon and KL, for the progress reports.
    const std::vector<std::string>& terms = ModelRegistry::find(mc.architecture).lossTerms;
    const std::vector<std::string> extraTermNames(terms.begin() + std::min<std::ptrdiff_t>(2, std::ptrdiff_t(terms.size())),
                                                  terms.end());

    TrainingResult result;
    double secondsTrained = 0;
    for (int e = 0; e < config_.epochs; ++e) {
        TrainingProgress p;
        p.epoch = firstEpoch + e;
        p.epochs = firstEpoch + config_.epochs - 1;
        p.batches = batches;
        p.extraTermNames = extraTermNames;
        double lossSum = 0, reconSum = 0, klSum = 0;
        std::vector<double> extraSums;
        std::int64_t seen = 0;
        // Debiased: as many draws as images, weighted by how rare each one's code is now.
        const torch::Tensor order =
            (config_.debias >= 0
                 ? DebiasSampler::draw(LatentDensity::debiasWeights(LatentCodes::encode(model, train).mu,
                                                                    std::size_t(mc.latentDim), config_.debias),
                                       n, generator)
                 : torch::randperm(n, generator, torch::TensorOptions().dtype(torch::kLong)))
                .to(m.device);
        const Clock::time_point start = Clock::now();
        double pausedSeconds = 0;
        const auto diverged = [&](const std::string& what, const std::string& where) {
            restoreParameters(net, lastGood); // m.optimizer still holds that epoch's state
            result.outcome = TrainingOutcome::Diverged;
            result.message = "training stopped: " + what + " in " + where + " (try a lower learning rate than "
                             + numberText(config_.learningRate) + "); the model keeps the weights of "
                             + (e == 0 && firstEpoch == 1 ? std::string("its initialisation")
                                                          : "epoch " + std::to_string(p.epoch - 1));
            return result;
        };
        const std::string thisEpoch = "epoch " + std::to_string(p.epoch);

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
            // Through the warm-up the KL counts less: the decoder learns to use the code first.
            ModelConfig stepConfig = mc;
            if (config_.klWarmupEpochs > 0)
                stepConfig.beta *= std::min(1.0, (firstEpoch - 1 + e + double(b) / batches) / config_.klWarmupEpochs);
            // A denoising model sees a corrupted input, drawn afresh for this batch, and is
            // asked for the clean image.
            const torch::Tensor input = InputCorruption::apply(x, mc.corruption, generator);
            const VaeNetwork::Objective objective = net.objective(input, x, y, stepConfig, generator);
            const torch::Tensor& loss = objective.loss;
            const torch::Tensor& recon = objective.terms.at(0);
            const torch::Tensor& kl = objective.terms.at(1);
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue))
                return diverged("the loss became " + numberText(lossValue), thisEpoch + ", batch " + std::to_string(b + 1));
            if (!objective.failure.empty())
                return diverged(objective.failure, thisEpoch + ", batch " + std::to_string(b + 1));
            if (objective.parts.empty()) {
                optimizer.zero_grad();
                loss.backward();
            } else {
                VaeNetwork::setPartGradients(objective.parts, params);
            }
            optimizer.step();

            seen += x.size(0);
            lossSum += lossValue;
            reconSum += recon.item<double>();
            klSum += kl.item<double>();
            extraSums.resize(objective.terms.size() - 2);
            for (std::size_t t = 2; t < objective.terms.size(); ++t)
                extraSums[t - 2] += objective.terms[t].item<double>();
            if (progress_) {
                p.batch = b + 1;
                p.loss = lossSum / double(seen);
                p.recon = reconSum / double(seen);
                p.kl = klSum / double(seen);
                p.extraTerms = extraSums;
                for (double& v : p.extraTerms)
                    v /= double(seen);
                p.imagesPerSecond = double(seen) / std::max(1e-9, secondsSince(start) - pausedSeconds);
                progress_(p);
            }
        }
        if (control_->isCancelled()) {
            result.outcome = TrainingOutcome::Cancelled;
            result.message = "training cancelled in epoch " + std::to_string(p.epoch);
            return result;
        }

        // The last step of an epoch can blow the weights up without any batch's loss
        // showing it: an epoch counts only when its weights and losses are finite.
        if (!hasFiniteWeights(model))
            return diverged("the weights became NaN or infinite", thisEpoch);
        EpochRecord& r = p.record;
        r.epoch = p.epoch;
        r.seconds = secondsSince(start) - pausedSeconds;
        r.trainLoss = lossSum / double(seen);
        r.trainRecon = reconSum / double(seen);
        r.trainKl = klSum / double(seen);
        for (const double v : extraSums)
            r.trainExtra.push_back(v / double(seen));
        Evaluator evaluator;
        evaluator.setSeed(config_.seed + std::uint64_t(p.epoch)); // repeatable test losses
        const LossSummary tested = evaluator.negativeElbo(model, test);
        r.testLoss = tested.loss;
        r.testRecon = tested.recon;
        r.testKl = tested.kl;
        for (const double v : {r.trainLoss, r.trainRecon, r.trainKl})
            if (!std::isfinite(v))
                return diverged("the training loss became " + numberText(v), thisEpoch);
        for (const double v : {r.testLoss, r.testRecon, r.testKl})
            if (!std::isfinite(v))
                return diverged("the test loss became " + numberText(v), thisEpoch);
        // Squared gradients overflow first: finite weights, an infinite second moment,
        // and the next steps NaN (or a file that is refused).
        OptimizerState state = adamState(optimizer, params);
        if (!allFinite(state.expAvg) || !allFinite(state.expAvgSq))
            return diverged("the optimiser's moments became NaN or infinite", thisEpoch);
        // Finite but absurd: the epoch's last steps threw the weights far away (--lr 1e6 gave a
        // test loss of 3e28 after a training loss of 45). Losses may be negative (densities).
        if (std::abs(r.testLoss - r.trainLoss) > kBlowUpFactor * std::max(1.0, std::abs(r.trainLoss)))
            return diverged("the test loss jumped to " + numberText(r.testLoss) + " after a training loss of "
                                + numberText(r.trainLoss),
                            thisEpoch);
        info.history.push_back(r);
        lastGood = copyParameters(net);
        m.optimizer = std::move(state);
        ++result.epochsDone;
        if (progress_) {
            p.epochDone = true;
            progress_(p);
        }
        secondsTrained += r.seconds;
        if (config_.timeBudgetSeconds > 0 && secondsTrained >= config_.timeBudgetSeconds) {
            result.message = "trained " + std::to_string(result.epochsDone) + " epochs in " + numberText(secondsTrained)
                             + " s, the time budget of " + numberText(config_.timeBudgetSeconds) + " s";
            return result;
        }
    }
    result.message = "trained " + std::to_string(result.epochsDone) + " epochs";
    return result;
}

} // namespace latentlab
