#pragma once
// What latentlab-cli's verbs share: JSON output, data sets that fit a model, and
// images named by data-set index or file path.
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

// Loads a model and sets the threads and device from the usual options.
std::unique_ptr<Model> loadModel(const CommandLine& cl);

// The model's data set (or --dataset), its images resized to fit the model.
DatasetSplit loadData(const CommandLine& cl, const Model& model);
// One split of it: train, test, or all (train then test).
Dataset pickSplit(const DatasetSplit& data, const std::string& split);

// An image reference: a whole number is an index into `data`, anything else a PNG/JPEG
// file, resized and centre-cropped to the model's size.
Image imageOf(const std::string& reference, const Dataset& data, const Model& model);
std::vector<float> codeOf(const std::string& reference, const Dataset& data, const Model& model);

std::vector<std::string> splitList(const std::string& text, char separator = ',');
std::vector<int> parseIntList(const std::string& text, const std::string& option);

// Options every verb that loads a model takes.
std::vector<OptionSpec> modelOptions();

} // namespace latentlab::cli
