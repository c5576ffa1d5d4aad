#pragma once
// What latentlab-cli's verbs share: JSON output, argument parsing, data sets that fit a
// model, and images named by data-set index or file path.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/CommandLine.h"
#include "core/data/Dataset.h"
#include "core/base/Image.h"
#include "core/model/Model.h"

namespace latentlab::cli {

// One JSON object per line, flushed: callers read the lines as they come.
void printLine(const nlohmann::json& j);

using Clock = std::chrono::steady_clock;
double millisecondsSince(Clock::time_point start);

// Options every verb that loads a model takes.
std::vector<OptionSpec> modelOptions();
// A command line with the model options first, then the verb's own.
CommandLine withModelOptions(const std::string& usage, std::vector<OptionSpec> options);
// --class for verbs that encode images: the class of file images for a conditional model.
OptionSpec imageClassOption();
// The option's value; throws "give --OPTION" when it is empty.
std::string required(const CommandLine& cl, const std::string& option);

// Loads a model and sets the threads and device from the usual options.
std::unique_ptr<Model> loadModel(const CommandLine& cl);

// The model's data set (or --dataset), its images resized to fit the model.
DatasetSplit loadData(const CommandLine& cl, const Model& model);
// One split of it: train, test, or all (train then test).
Dataset pickSplit(const DatasetSplit& data, const std::string& split);

// An image reference: a whole number is an index into `data`, anything else a PNG/JPEG
// file, resized and centre-cropped to the model's size.
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

std::vector<std::string> splitList(const std::string& text, char separator = ',');
std::vector<int> parseIntList(const std::string& text, const std::string& option);

} // namespace latentlab::cli
