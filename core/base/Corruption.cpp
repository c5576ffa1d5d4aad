#include "core/base/Corruption.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/base/Error.h"

namespace latentlab {

namespace {

const char* name(Corruption::Kind kind)
{
    switch (kind) {
    case Corruption::Kind::None: return "none";
    case Corruption::Kind::Mask: return "mask";
    case Corruption::Kind::Gaussian: return "gaussian";
    case Corruption::Kind::SaltAndPepper: return "salt-pepper";
    case Corruption::Kind::Grey: return "grey";
    }
    return "none";
}

} // namespace

Corruption Corruption::parse(const std::string& text)
{
    const std::string kinds = "none, mask:P, gaussian:SIGMA, salt-pepper:FRACTION or grey";
    Corruption c;
    if (text.empty() || text == "none")
        return c;
    if (text == "grey" || text == "gray") {
        c.kind = Kind::Grey;
        return c;
    }
    const std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text; // it may come from a file
    const std::size_t colon = text.find(':');
    const std::string word = text.substr(0, colon);
    if (word == "mask")
        c.kind = Kind::Mask;
    else if (word == "gaussian")
        c.kind = Kind::Gaussian;
    else if (word == "salt-pepper")
        c.kind = Kind::SaltAndPepper;
    else
        throw Error("unknown corruption '" + shown + "' (expected " + kinds + ")");
    const std::string number = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    char* end = nullptr;
    c.amount = number.empty() ? NAN : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size())
        throw Error("corruption '" + shown + "' needs an amount after the colon, e.g. " + word + ":0.2");
    c.validate();
    return c;
}

std::string Corruption::text() const
{
    if (kind == Kind::None || kind == Kind::Grey)
        return name(kind);
    // The shortest digits that read back as the same double ("mask:0.3", not 0.29999...).
    char buffer[64];
    for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%s:%.*g", name(kind), digits, amount);
        if (std::strtod(std::strchr(buffer, ':') + 1, nullptr) == amount)
            break;
    }
    return buffer;
}

void Corruption::validate() const
{
    if (kind == Kind::None || kind == Kind::Grey)
        return;
    const double max = kind == Kind::Gaussian ? kMaxSigma : 1.0;
    // A share of exactly 1 would leave nothing of the image; sigma may be as large as the range.
    const bool ok = std::isfinite(amount) && amount > 0 && (kind == Kind::Gaussian ? amount <= max : amount < max);
    if (!ok)
        throw Error(std::string("the ") + name(kind) + " corruption's amount must be above 0 and "
                    + (kind == Kind::Gaussian ? "at most 1 (sigma, on pixel values in [0, 1])" : "below 1 (a share)")
                    + ", got " + std::to_string(amount));
}

} // namespace latentlab
