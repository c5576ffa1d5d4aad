#pragma once
// Size arithmetic on numbers that come from files and users. A product or sum that
// does not fit throws latentlab::Error saying what was being sized instead of
// wrapping round into a small allocation and an out-of-bounds write.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/base/Error.h"

namespace latentlab {

// The product of non-negative factors; `what` names the thing sized ("the grid").
inline std::size_t checkedProduct(std::initializer_list<std::int64_t> factors, const std::string& what)
{
    const auto text = [&] { // only when it fails: this is on hot paths
        std::string t;
        for (const std::int64_t f : factors)
            t += (t.empty() ? "" : " x ") + std::to_string(f);
        return t;
    };
    std::size_t product = 1;
    for (const std::int64_t f : factors) {
        if (f < 0)
            throw Error(what + ": negative size in " + text());
        if (__builtin_mul_overflow(product, std::size_t(f), &product))
            throw Error(what + ": " + text() + " is too large to hold");
    }
    return product;
}

inline std::size_t checkedSum(std::initializer_list<std::size_t> terms, const std::string& what)
{
    std::size_t sum = 0;
    for (const std::size_t t : terms)
        if (__builtin_add_overflow(sum, t, &sum))
            throw Error(what + ": the size is too large to hold");
    return sum;
}

} // namespace latentlab
