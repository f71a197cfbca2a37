#pragma once
// Whether a JSON number converts to an integer type exactly. nlohmann's conversion of 1e80 to
// int is undefined behaviour, and of 2.5 or 2^32 + 5 a silent change of the value, so every
// reader of whole-number parameters asks this first.

#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

namespace inceptionist {

template <typename T>
bool fitsWholeNumber(const nlohmann::json& v) {
    using L = std::numeric_limits<T>;
    if (v.is_number_unsigned()) return v.get<uint64_t>() <= uint64_t(L::max());
    if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        return i < 0 ? (L::is_signed && i >= int64_t(L::lowest()))
                     : uint64_t(i) <= uint64_t(L::max());
    }
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    // 2^64 and 2^63 are exact doubles; T's max as a double may round up to them.
    const double above = L::digits >= 63 ? std::ldexp(1.0, L::digits) : double(L::max()) + 1.0;
    return std::isfinite(d) && d == std::floor(d) && d >= double(L::lowest()) && d < above;
}

}  // namespace inceptionist
