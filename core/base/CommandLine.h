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
    // Numbers a user gives are bounded: a value outside [min, max], or text that is not a
    // number, throws "--NAME expects a whole number from MIN to MAX, got 'TEXT'".
    // Whole numbers are an optional '-' and decimal digits, nothing else: no spaces, '+',
    // exponent ("1e3"), hex ("0x10") or suffix ("5x"). Without bounds: int's range.
    int intValue(const std::string& name, int min, int max) const;
    int intValue(const std::string& name) const;
    // Comma-separated whole numbers, each in [min, max]; an empty item ("1,,2") is an error,
    // an empty value an empty list.
    std::vector<int> intListValue(const std::string& name, int min, int max) const;
    // Finite numbers ("0.5", "-2", "1e-3"; not "nan", "inf", " 1" or "1,5"), whatever the
    // locale; without bounds any finite double.
    double doubleValue(const std::string& name, double min, double max) const;
    double doubleValue(const std::string& name) const;
    std::string helpText() const;

    // The parsers behind the accessors, for numbers inside other values (NAME=STRENGTH,
    // FROM:TO:N). `what` names the value in the message, e.g. "--hidden" or "the strength
    // of 'smile'".
    static int parseInt(const std::string& text, int min, int max, const std::string& what);
    static std::vector<int> parseIntList(const std::string& text, int min, int max, const std::string& what);
    static double parseDouble(const std::string& text, double min, double max, const std::string& what);

private:
    const OptionSpec* find(const std::string& name) const;

    std::string usage_;
    std::vector<OptionSpec> options_;
    std::map<std::string, std::string> values_;
};

} // namespace latentlab
