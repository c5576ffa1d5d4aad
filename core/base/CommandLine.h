#pragma once
// A small `verb --option value --flag` parser shared by latentlab, latentlab-cli and bench/.
// No Qt, so that the CLI builds on a server without it.
#include <map>
#include <string>
#include <vector>

namespace latentlab {

struct OptionSpec {
    std::string name;          // without the leading dashes
    std::string valueName;     // empty for a flag
    std::string defaultValue;
    std::string help;
};

class CommandLine {
public:
    CommandLine(std::string usage, std::vector<OptionSpec> options);

    // Parses argv[first..]; throws latentlab::Error on unknown options or missing values.
    void parse(int argc, char** argv, int first);
    // parse(), then prints the help text when asked: false means the caller is done.
    bool parseOrShowHelp(int argc, char** argv, int first);

    bool helpRequested() const { return has("help"); }
    bool has(const std::string& name) const;
    std::string value(const std::string& name) const;  // the default when absent
    int intValue(const std::string& name) const;
    double doubleValue(const std::string& name) const;
    std::string helpText() const;

private:
    const OptionSpec* find(const std::string& name) const;

    std::string usage_;
    std::vector<OptionSpec> options_;
    std::map<std::string, std::string> values_;
};

} // namespace latentlab
