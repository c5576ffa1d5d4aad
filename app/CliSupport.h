#pragma once
// What latentlab-cli's verbs share: JSON output, argument parsing, data sets that fit a
// model, and images named by data-set index or file path.
#include <chrono>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/CommandLine.h"
#include "core/data/Dataset.h"
#include "core/base/Image.h"
#include "core/formats/ScriptDescription.h"
#include "core/model/Model.h"

namespace latentlab::cli {

// One JSON object per line, flushed: callers read the lines as they come.
void printLine(const nlohmann::json& j);

using Clock = std::chrono::steady_clock;
double millisecondsSince(Clock::time_point start);

// Options every verb that loads a model takes.
std::vector<OptionSpec> modelOptions();
// A TorchScript model's description from --image-shape, --input and --decode-output.
ScriptDescription scriptDescriptionOf(const CommandLine& cl);
// The most --threads a verb takes: 4 x the hardware threads, at most 256.
int maxThreadCount();
// A command line with the model options first, then the verb's own.
CommandLine withModelOptions(const std::string& usage, std::vector<OptionSpec> options);
// --class for verbs that encode images: the class of file images for a conditional model.
OptionSpec imageClassOption();
// The option's value; throws "give --OPTION" when it is empty.
std::string required(const CommandLine& cl, const std::string& option);

// Loads a model and sets the threads and device from the usual options.
std::unique_ptr<Model> loadModel(const CommandLine& cl);

// --dataset, or else the data set the model records, its images resized to fit the model.
// The recorded one is a suggestion: it is loaded only when DatasetLoader says it is safe
// to load unasked; otherwise this throws, naming it, why, and to pass --dataset.
DatasetSplit loadData(const CommandLine& cl, const Model& model);
// One split of it: train, test, or all (train then test).
Dataset pickSplit(const DatasetSplit& data, const std::string& split);

// An image reference: a whole number is an index into `data`, anything else a PNG/JPEG
// file, resized and centre-cropped to the model's size. An index past the end (however
// many digits) throws "image N is out of range: DATA has M images (0 to M-1)".
bool isIndexReference(const std::string& reference);
// Throws "--OPTION N is out of range: DATA has M images" for an index past the end.
void checkIndexReference(const std::string& reference, const Dataset& data, const std::string& option);
Image imageOf(const std::string& reference, const Dataset& data, const Model& model);
// The class a conditional model encodes the image with: a labelled data-set image's own
// label; otherwise `classOption` (a class name or number), which a file image then needs
// (class 0 would silently give the wrong posterior). 0 for an unconditional model.
int imageClassOf(const std::string& reference, const Dataset& data, const Model& model,
                 const std::string& classOption);
std::vector<float> codeOf(const std::string& reference, const Dataset& data, const Model& model,
                          const std::string& classOption);

// Bounds of the numbers the verbs take (the verbs name them in --help and the messages).
constexpr int kMaxIwaeSamples = 100000;
constexpr int kMaxSeed = std::numeric_limits<int>::max();
constexpr int kMaxLimit = std::numeric_limits<int>::max(); // --limit N only selects images
constexpr double kMaxStrength = 1000; // attribute strengths and plane ranges, in latent units

// Throws when `count` images of the model's size would take more than kMaxFrameBytes,
// naming the option, the size and the bound.
void checkImageCount(std::size_t count, const Model& model, const std::string& option);
constexpr std::size_t kMaxFrameBytes = std::size_t(1) << 30;

// The items of a list option; an empty item ("a,,b") throws naming --OPTION.
std::vector<std::string> splitList(const std::string& text, const std::string& option, char separator = ',');
// Comma-separated whole numbers, int's range (see CommandLine::parseIntList).
std::vector<int> parseIntList(const std::string& text, const std::string& option);

} // namespace latentlab::cli
