// Issue 12's measurement: every synth-faces attribute as the target in turn, with every
// way LatentLab makes a vector, at a range of strengths. A conv VAE is trained (or
// loaded), the vectors come from the training codes and labels, and each is added to
// the codes of test faces that lack the target. A separate judge, a small CNN trained
// here on the generated images, says what each decode shows: whether the target is now
// there, and whether every other attribute is as in the face's plain reconstruction.
// Also measured per edit: whether the other attributes' latent classifiers (linear
// probes) flip, so that a judged change without its latent flip shows a decode-side effect.
// Methods named NAME+hold also hold the other attributes through the decoder
// (AttributeHold), as latentlab-cli edit and the Attributes dock do by default.
// Prints one JSON line; --strips PREFIX writes PREFIX-ATTRIBUTE.png per attribute.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "bench/AttributeJudge.h"
#include "bench/DatasetTensors.h"
#include "core/base/CommandLine.h"
#include "core/data/DatasetLoader.h"
#include "core/formats/ImageIO.h"
#include "core/formats/ModelFile.h"
#include "core/latent/AttributeDirections.h"
#include "core/latent/AttributeHold.h"
#include "core/latent/LatentCodes.h"
#include "core/model/Device.h"
#include "core/training/Trainer.h"

using namespace latentlab;
using nlohmann::json;

namespace {

std::vector<float> gather(const LatentCodes& codes, const std::vector<std::size_t>& rows)
{
    std::vector<float> flat;
    for (std::size_t r : rows)
        flat.insert(flat.end(), codes.code(r), codes.code(r) + codes.dim);
    return flat;
}

std::vector<float> shifted(std::vector<float> codes, const std::vector<float>& vector, double alpha)
{
    for (std::size_t k = 0; k < codes.size(); ++k)
        codes[k] += float(alpha) * vector[k % vector.size()];
    return codes;
}

double share(const torch::Tensor& boolean)
{
    return boolean.to(torch::kFloat).mean().item<double>();
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
                    {"faces", "N", "500", "test faces edited per target (those that lack it)"},
                    {"strengths", "LIST", "25,50,75,100,125,150,200,250,300", "strengths, in hundredths"},
                    {"judge-epochs", "N", "2", "epochs of each judge CNN"},
                    {"judges", "N", "5", "judge CNNs that vote (odd, so that there is a majority)"},
                    {"judge", "FILE", "", "keep the trained judges here, or load them if the file exists"},
                    {"targets", "NAMES", "", "only these target attributes (comma separated; default all)"},
                    {"methods", "NAMES", "", "only these methods (comma separated; default all)"},
                    {"model", "FILE", "", "reuse this trained model instead of training"},
                    {"save", "FILE", "", "keep the trained model here"},
                    {"strips", "PREFIX", "", "write PREFIX-ATTRIBUTE.png: originals, reconstructions, edits"}});
    try {
        if (!cl.parseOrShowHelp(argc, argv, 1))
            return 0;
        using Clock = std::chrono::steady_clock;
        Device::setThreadCount(cl.intValue("threads", 0, 1024));
        const DatasetSplit data = DatasetLoader::load("synth-faces:" + cl.value("train"));
        const ImageShape shape = data.test.shape();
        json result = {{"train_images", data.train.size()}, {"test_images", data.test.size()}};

        std::unique_ptr<Model> model;
        if (!cl.value("model").empty()) {
            model = ModelFile::load(cl.value("model"));
            result["model"] = cl.value("model");
        } else {
            ModelConfig c;
            c.architecture = "conv";
            c.channels = 3;
            c.height = c.width = 64;
            c.latentDim = cl.intValue("latent", 1, 512);
            c.beta = cl.doubleValue("beta", 0, 1000);
            model = std::make_unique<Model>(c, std::uint64_t(cl.intValue("seed", 0, 1 << 30)));
            model->info().datasetSpec = data.spec;
            TrainingConfig t;
            t.epochs = cl.intValue("epochs", 1, 1000);
            t.batchSize = cl.intValue("batch", 1, 4096);
            t.learningRate = cl.doubleValue("lr", 0, 1);
            t.threads = cl.intValue("threads", 0, 1024);
            t.device = "cpu";
            t.seed = std::uint64_t(cl.intValue("seed", 0, 1 << 30));
            result["vae"] = {{"epochs", t.epochs}, {"batch", t.batchSize}, {"lr", t.learningRate},
                             {"beta", c.beta},     {"latent", c.latentDim}, {"seed", t.seed}};
            const auto start = Clock::now();
            Trainer(t).run(*model, data.train, data.test);
            result["vae_train_seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
            if (!cl.value("save").empty())
                ModelFile::save(*model, cl.value("save"));
        }
        result["vae_test_loss"] = model->info().history.back().testLoss;
        result["seed"] = model->info().seed;

        const auto judgeStart = Clock::now();
        AttributeJudge judge(data.train, cl.intValue("judges", 1, 99), cl.intValue("judge-epochs", 1, 100), cl.value("judge"));
        result["judges"] = cl.intValue("judges", 1, 99);
        result["judge_loaded"] = judge.loaded();
        result["judge_train_seconds"] = std::chrono::duration<double>(Clock::now() - judgeStart).count();
        const auto& names = data.train.attributeNames();
        const torch::Tensor testTruth = DatasetTensors::attributes(data.test).gt(0.5);
        const torch::Tensor testJudged = judge(DatasetTensors::images(data.test));
        for (std::size_t j = 0; j < names.size(); ++j)
            result["judge_test_accuracy"][names[j]] =
                share(testJudged.select(1, std::int64_t(j)).eq(testTruth.select(1, std::int64_t(j))));

        const auto evalStart = Clock::now();
        const LatentCodes trainCodes = LatentCodes::encode(*model, data.train);
        const LatentCodes testCodes = LatentCodes::encode(*model, data.test);
        const AttributeLabels trainLabels = AttributeLabels::ofDataset(data.train);
        const AttributeLabels testLabels = AttributeLabels::ofDataset(data.test);
        // The other attributes' latent classifiers, fitted on the training codes.
        std::vector<LinearProbe> probes;
        for (std::size_t j = 0; j < names.size(); ++j)
            probes.push_back(LinearProbe::fit(trainCodes, trainLabels.groups(j)));
        std::vector<double> strengths;
        for (int h : cl.intListValue("strengths", 1, 100000))
            strengths.push_back(h / 100.0);
        const std::size_t faceLimit = std::size_t(cl.intValue("faces", 1, 100000));
        const std::size_t dim = std::size_t(testCodes.dim);

        std::vector<std::size_t> targets;
        if (cl.value("targets").empty())
            for (std::size_t j = 0; j < names.size(); ++j)
                targets.push_back(j);
        else
            for (std::size_t from = 0, comma; from <= cl.value("targets").size(); from = comma + 1) {
                comma = std::min(cl.value("targets").find(',', from), cl.value("targets").size());
                targets.push_back(trainLabels.column(cl.value("targets").substr(from, comma - from)));
            }
        for (std::size_t target : targets) {
            std::vector<std::size_t> faces = testLabels.groups(target).without;
            faces.resize(std::min(faces.size(), faceLimit));
            const std::vector<float> originals = gather(testCodes, faces);
            const torch::Tensor before = judge(model->decode(originals), shape);
            json& t = result["targets"][names[target]];
            t["faces"] = faces.size();
            t["reconstructions_with_target"] = share(before.select(1, std::int64_t(target)));
            // The ceiling for "unchanged": how often the VAE's own reconstructions of faces that
            // do have the target show each other attribute as labelled. An edit cannot draw a
            // combination better than the decoder draws it for a real face.
            {
                std::vector<std::size_t> having = testLabels.groups(target).with;
                having.resize(std::min(having.size(), faceLimit));
                const torch::Tensor judged = judge(model->decode(gather(testCodes, having)), shape);
                torch::Tensor all = torch::ones({std::int64_t(having.size())}, torch::kBool);
                for (std::size_t j = 0; j < names.size(); ++j) {
                    if (j == target)
                        continue;
                    std::vector<std::uint8_t> truth(having.size());
                    for (std::size_t f = 0; f < having.size(); ++f)
                        truth[f] = testLabels.value(having[f], j) > 0;
                    const torch::Tensor same = judged.select(1, std::int64_t(j)).eq(
                        torch::from_blob(truth.data(), {std::int64_t(having.size())}, torch::kUInt8).to(torch::kBool));
                    all = all.logical_and(same);
                    t["reconstructions_of_faces_with_target_keep"][names[j]] = share(same);
                }
                t["reconstructions_of_faces_with_target_keep"]["all"] = share(all);
                // Whether the code holds the target at all: those reconstructions show it.
                t["reconstructions_of_faces_with_target_show_it"] = share(judged.select(1, std::int64_t(target)));
            }
            std::vector<Image> strip;
            // Every method's vector added as it is, and the default and the conditional probe
            // also with the other attributes held (AttributeHold), as LatentLab edits by default.
            std::vector<std::pair<VectorMethod, bool>> variants;
            for (VectorMethod method : AttributeDirections::methods())
                variants.push_back({method, false});
            variants.push_back({AttributeDirections::kDefault, true});
            variants.push_back({VectorMethod::ConditionalProbe, true});
            std::vector<HeldAttribute> known;
            for (std::size_t j = 0; j < names.size(); ++j)
                known.push_back({probes[j], j == target});
            for (const auto& [method, held] : variants) {
                const std::string methodName = AttributeDirections::name(method) + (held ? "+hold" : "");
                if (!cl.value("methods").empty()
                    && ("," + cl.value("methods") + ",").find("," + methodName + ",") == std::string::npos)
                    continue;
                const std::vector<float> vector = AttributeDirections::make(method, trainCodes, trainLabels, target);
                json m = {{"norm", std::sqrt(AttributeMath::dot(vector, vector))}, {"cross_talk", json::object()}};
                // As latentlab-cli attribute reports it: on the training codes the vector came from.
                m["latent_strength_for_90_percent"] = AttributeDirections::strengthToReach(
                    vector, trainCodes, probes[target], trainLabels.groups(target).without, 0.9);
                for (const CrossTalk& c : AttributeDirections::crossTalk(vector, trainCodes, trainLabels, target,
                                                                         trainLabels.groups(target).without))
                    m["cross_talk"][c.name] = {{"shift", c.shift}, {"flipped", c.flipped}};
                json perStrength = json::array();
                for (double alpha : strengths) {
                    std::vector<float> edited = shifted(originals, vector, alpha);
                    if (held)
                        edited = AttributeHold::apply(*model, known, originals, std::move(edited));
                    const torch::Tensor after = judge(model->decode(edited), shape);
                    torch::Tensor allSame = torch::ones({std::int64_t(faces.size())}, torch::kBool);
                    torch::Tensor decodeSide = torch::zeros({std::int64_t(faces.size())}, torch::kBool);
                    json row = {{"alpha", alpha}, {"target", share(after.select(1, std::int64_t(target)))}};
                    for (std::size_t j = 0; j < names.size(); ++j) {
                        if (j == target)
                            continue;
                        const torch::Tensor same =
                            after.select(1, std::int64_t(j)).eq(before.select(1, std::int64_t(j)));
                        std::vector<std::uint8_t> latentSame(faces.size());
                        for (std::size_t f = 0; f < faces.size(); ++f)
                            latentSame[f] = probes[j].predicts(&originals[f * dim]) == probes[j].predicts(&edited[f * dim]);
                        const torch::Tensor latent =
                            torch::from_blob(latentSame.data(), {std::int64_t(faces.size())}, torch::kUInt8)
                                .to(torch::kBool);
                        allSame = allSame.logical_and(same);
                        decodeSide = decodeSide.logical_or(same.logical_not().logical_and(latent));
                        row["unchanged"][names[j]] = share(same);
                        row["latent_unchanged"][names[j]] = share(latent);
                    }
                    row["all_unchanged"] = share(allSame);
                    // Faces where the judge saw another attribute change although that
                    // attribute's latent classifier did not flip on that face.
                    row["changed_without_latent_flip"] = share(decodeSide);
                    perStrength.push_back(row);
                    if (!cl.value("strips").empty() && method == AttributeDirections::kDefault && held
                        && alpha <= 2 + 1e-9
                        && std::fmod(alpha, 0.5) < 1e-9) {
                        const std::vector<Image> images =
                            model->decodeImages(std::vector<float>(edited.begin(), edited.begin() + std::ptrdiff_t(8 * dim)));
                        strip.insert(strip.end(), images.begin(), images.end());
                    }
                }
                m["strengths"] = perStrength;
                t["methods"][methodName] = m;
            }
            if (!strip.empty()) {
                // Rows: originals, reconstructions, then the edits at 0.5, 1, 1.5 and 2.
                std::vector<Image> rows;
                for (std::size_t k = 0; k < 8; ++k)
                    rows.push_back(Image::fromPlanarBytes(data.test.image(faces[k]), shape));
                const std::vector<Image> reconstructions =
                    model->decodeImages(std::vector<float>(originals.begin(), originals.begin() + std::ptrdiff_t(8 * dim)));
                rows.insert(rows.end(), reconstructions.begin(), reconstructions.end());
                rows.insert(rows.end(), strip.begin(), strip.end());
                ImageIO::writePng(ImageIO::compose(rows, 8, 2),
                                  cl.value("strips") + "-" + names[target] + ".png");
            }
        }
        // What LatentLab does unless told: the default vector, the other attributes held.
        result["default_method"] = AttributeDirections::name(AttributeDirections::kDefault) + "+hold";
        result["eval_seconds"] = std::chrono::duration<double>(Clock::now() - evalStart).count();
        std::cout << result.dump() << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "bench_attribute_edit: " << e.what() << "\n";
        return 1;
    }
}
