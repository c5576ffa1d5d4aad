#include "core/formats/AttributeTable.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/Error.h"

namespace latentlab {

namespace {

// CelebA's list is 202,599 rows of 40 attributes (26 MB).
constexpr long kMaxRows = 10000000;
constexpr std::size_t kMaxAttributes = 1000;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 30;

} // namespace

AttributeTable AttributeTable::read(const std::string& path)
{
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        throw Error(path + ": cannot open the attribute file (" + ec.message() + ")");
    if (size > kMaxFileBytes)
        throw Error(path + ": the attribute file is " + std::to_string(size) + " bytes, over the limit of "
                    + std::to_string(kMaxFileBytes));
    std::ifstream in(path);
    if (!in)
        throw Error(path + ": cannot open the attribute file");
    AttributeTable table;
    table.path_ = path;
    std::map<std::string, std::size_t> firstLine; // file name -> the line it is on, to report repeats
    std::string line;
    std::size_t lineNumber = 0;
    long declared = -1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::istringstream fields(line);
        if (lineNumber == 1) {
            if (!(fields >> declared) || declared < 0 || declared > kMaxRows)
                throw Error(path + ":1: expected the number of images (0 to " + std::to_string(kMaxRows) + ")");
            continue;
        }
        if (lineNumber == 2) {
            std::size_t count = 0;
            for (std::string name; fields >> name; ++count) {
                if (count >= kMaxAttributes)
                    continue; // counted for the message only
                for (const std::string& known : table.names_)
                    if (known == name)
                        throw Error(path + ":2: attribute '" + name + "' is named twice");
                table.names_.push_back(name);
            }
            if (count > kMaxAttributes)
                throw Error(path + ":2: " + std::to_string(count) + " attribute names, at most " + std::to_string(kMaxAttributes));
            if (table.names_.empty())
                throw Error(path + ":2: expected the attribute names");
            continue;
        }
        std::string file;
        if (!(fields >> file))
            continue; // blank line
        std::vector<signed char> row;
        for (int value; fields >> value;) {
            if (value != 1 && value != -1 && value != 0)
                throw Error(path + ":" + std::to_string(lineNumber) + ": attribute values must be 1 or -1, got "
                            + std::to_string(value));
            row.push_back(static_cast<signed char>(value));
        }
        if (row.size() != table.names_.size() || !fields.eof())
            throw Error(path + ":" + std::to_string(lineNumber) + ": expected " + std::to_string(table.names_.size())
                        + " values of 1 or -1 after the file name");
        const auto [where, added] = firstLine.emplace(file, lineNumber);
        if (!added)
            throw Error(path + ":" + std::to_string(lineNumber) + ": " + file + " is listed twice (first on line "
                        + std::to_string(where->second) + ")");
        if (long(table.values_.size()) >= declared)
            throw Error(path + ":" + std::to_string(lineNumber) + ": more rows than the " + std::to_string(declared)
                        + " images the first line declares");
        table.values_[file] = std::move(row);
    }
    if (lineNumber < 2)
        throw Error(path + ": not an attribute file (no header lines)");
    if (long(table.values_.size()) != declared)
        throw Error(path + ": declares " + std::to_string(declared) + " images but lists "
                    + std::to_string(table.values_.size()) + " (truncated?)");
    return table;
}

AttributeGroups AttributeTable::groups(const std::vector<std::string>& fileNames, const std::string& attribute) const
{
    std::size_t column = names_.size();
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == attribute)
            column = i;
    if (column == names_.size())
        throw Error(path_ + ": has no attribute '" + attribute + "'");
    if (fileNames.empty())
        throw Error("the data set has no file names to match against " + path_ + " (load it with folder:PATH)");
    AttributeGroups groups;
    for (std::size_t i = 0; i < fileNames.size(); ++i) {
        const auto it = values_.find(std::filesystem::path(fileNames[i]).filename().string());
        if (it == values_.end())
            continue;
        if (it->second[column] > 0)
            groups.with.push_back(i);
        else if (it->second[column] < 0)
            groups.without.push_back(i);
    }
    return groups;
}

AttributeLabels AttributeTable::labels(const std::vector<std::string>& fileNames) const
{
    if (fileNames.empty())
        throw Error("the data set has no file names to match against " + path_ + " (load it with folder:PATH)");
    AttributeLabels labels{names_, {}};
    for (const std::string& file : fileNames) {
        const auto it = values_.find(std::filesystem::path(file).filename().string());
        if (it == values_.end())
            labels.values.insert(labels.values.end(), names_.size(), 0);
        else
            labels.values.insert(labels.values.end(), it->second.begin(), it->second.end());
    }
    return labels;
}

} // namespace latentlab
