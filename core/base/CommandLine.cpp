#include "core/base/CommandLine.h"

#include <iostream>
#include <sstream>

#include "core/base/Error.h"

namespace latentlab {

CommandLine::CommandLine(std::string usage, std::vector<OptionSpec> options)
    : usage_(std::move(usage)), options_(std::move(options))
{
    options_.push_back({"help", "", "", "show this help"});
}

const OptionSpec* CommandLine::find(const std::string& name) const
{
    for (const OptionSpec& o : options_)
        if (o.name == name)
            return &o;
    return nullptr;
}

void CommandLine::parse(int argc, char** argv, int first)
{
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h")
            arg = "--help";
        if (arg.rfind("--", 0) != 0)
            throw Error("unexpected argument '" + arg + "' (see --help)");
        std::string name = arg.substr(2), value;
        const std::size_t eq = name.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* spec = find(name);
        if (!spec)
            throw Error("unknown option --" + name + " (see --help)");
        if (spec->valueName.empty()) {
            if (inlineValue)
                throw Error("--" + name + " takes no value");
        } else if (!inlineValue) {
            if (i + 1 >= argc)
                throw Error("--" + name + " needs a value (" + spec->valueName + ")");
            value = argv[++i];
        }
        values_[name] = value;
    }
}

bool CommandLine::parseOrShowHelp(int argc, char** argv, int first)
{
    parse(argc, argv, first);
    if (helpRequested())
        std::cout << helpText();
    return !helpRequested();
}

bool CommandLine::has(const std::string& name) const
{
    return values_.count(name) > 0;
}

std::string CommandLine::value(const std::string& name) const
{
    const auto it = values_.find(name);
    if (it != values_.end())
        return it->second;
    const OptionSpec* spec = find(name);
    return spec ? spec->defaultValue : std::string();
}

namespace {

// The whole text must be a number: "3x" and "" are errors, not 3 and 0.
template <typename T, typename Parse>
T parseNumber(const std::string& name, const std::string& text, Parse parse, const char* kind)
{
    try {
        std::size_t used = 0;
        const T v = parse(text, &used);
        if (used == text.size())
            return v;
    } catch (const std::exception&) {
    }
    throw Error("--" + name + " expects " + kind + ", got '" + text + "'");
}

} // namespace

int CommandLine::intValue(const std::string& name) const
{
    return parseNumber<int>(name, value(name), [](const std::string& t, std::size_t* used) { return std::stoi(t, used); },
                            "a whole number");
}

double CommandLine::doubleValue(const std::string& name) const
{
    return parseNumber<double>(name, value(name), [](const std::string& t, std::size_t* used) { return std::stod(t, used); },
                               "a number");
}

std::string CommandLine::helpText() const
{
    std::ostringstream out;
    out << usage_ << "\n\nOptions:\n";
    for (const OptionSpec& o : options_) {
        std::string left = "  --" + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
        out << left << std::string(left.size() < 28 ? 28 - left.size() : 1, ' ') << o.help;
        if (!o.defaultValue.empty())
            out << " (default: " << o.defaultValue << ")";
        out << "\n";
    }
    return out.str();
}

} // namespace latentlab
