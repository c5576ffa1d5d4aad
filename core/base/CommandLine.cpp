#include "core/base/CommandLine.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
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

// Quoted for a message: short, so that a huge value does not make a huge message.
std::string quoted(const std::string& text)
{
    constexpr std::size_t kShown = 80;
    return "'" + text.substr(0, kShown) + (text.size() > kShown ? "...'" : "'");
}

std::string shortest(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

} // namespace

int CommandLine::parseInt(const std::string& text, int min, int max, const std::string& what)
{
    // from_chars takes exactly '-'? digits and reports overflow; the checks around it
    // refuse what it would skip or stop at.
    long long v = 0;
    const char* const end = text.data() + text.size();
    const bool digitsOnly = !text.empty() && text.find_first_not_of("-0123456789") == std::string::npos;
    const auto [stop, error] = std::from_chars(text.data(), end, v);
    if (!digitsOnly || error != std::errc() || stop != end || v < min || v > max)
        throw Error(what + " expects a whole number from " + std::to_string(min) + " to " + std::to_string(max)
                    + ", got " + quoted(text));
    return int(v);
}

std::vector<int> CommandLine::parseIntList(const std::string& text, int min, int max, const std::string& what)
{
    std::vector<int> values;
    if (text.empty())
        return values;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        const std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        if (item.empty())
            throw Error(what + " expects comma-separated whole numbers, got " + quoted(text) + " (an empty item)");
        values.push_back(parseInt(item, min, max, what));
        if (comma == std::string::npos)
            return values;
        begin = comma + 1;
    }
}

double CommandLine::parseDouble(const std::string& text, double min, double max, const std::string& what)
{
    double v = 0;
    const char* const end = text.data() + text.size();
    // from_chars ignores the locale and takes no leading spaces or '+'; "inf" and "nan" are
    // refused as not finite.
    const auto [stop, error] = std::from_chars(text.data(), end, v, std::chars_format::general);
    if (text.empty() || error != std::errc() || stop != end || !std::isfinite(v) || v < min || v > max)
        throw Error(what + " expects a finite number"
                    + (min == -std::numeric_limits<double>::max() && max == std::numeric_limits<double>::max()
                           ? std::string()
                           : " from " + shortest(min) + " to " + shortest(max))
                    + ", got " + quoted(text));
    return v;
}

int CommandLine::intValue(const std::string& name, int min, int max) const
{
    return parseInt(value(name), min, max, "--" + name);
}

int CommandLine::intValue(const std::string& name) const
{
    return intValue(name, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
}

std::vector<int> CommandLine::intListValue(const std::string& name, int min, int max) const
{
    return parseIntList(value(name), min, max, "--" + name);
}

double CommandLine::doubleValue(const std::string& name, double min, double max) const
{
    return parseDouble(value(name), min, max, "--" + name);
}

double CommandLine::doubleValue(const std::string& name) const
{
    return doubleValue(name, -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
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
