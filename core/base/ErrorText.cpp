#include "core/base/ErrorText.h"

namespace latentlab {

namespace {

bool isBacktraceLine(const std::string& line)
{
    return line.rfind("frame #", 0) == 0 || line.rfind("Exception raised from ", 0) == 0;
}

} // namespace

std::string ErrorText::withoutBacktrace(const std::string& what)
{
    std::string kept;
    std::size_t begin = 0;
    while (begin < what.size()) {
        const std::size_t newline = what.find('\n', begin);
        const std::string line = what.substr(begin, newline == std::string::npos ? std::string::npos : newline - begin);
        if (isBacktraceLine(line))
            break;
        kept += (kept.empty() ? "" : "\n") + line;
        if (newline == std::string::npos)
            break;
        begin = newline + 1;
    }
    while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' '))
        kept.pop_back();
    return kept.empty() ? firstLine(what) : kept;
}

std::string ErrorText::firstLine(const std::string& what)
{
    return what.substr(0, what.find('\n'));
}

std::string ErrorText::lastLine(const std::string& what)
{
    std::size_t end = what.find_last_not_of(" \t\r\n");
    if (end == std::string::npos)
        return {};
    const std::size_t start = what.rfind('\n', end);
    return what.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

} // namespace latentlab
