#include "core/formats/AttributeTable.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/Error.h"

namespace latentlab {

AttributeTable AttributeTable::read(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(path + ": cannot open the attribute file");
    AttributeTable table;
    table.path_ = path;
    std::string line;
    std::size_t lineNumber = 0;
    long declared = -1;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::istringstream fields(line);
        if (lineNumber == 1) {
            if (!(fields >> declared) || declared < 0)
                throw Error(path + ":1: expected the number of images");
            continue;
        }
        if (lineNumber == 2) {
            for (std::string name; fields >> name;)
                table.names_.push_back(name);
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

} // namespace latentlab
