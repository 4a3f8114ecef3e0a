/// \file charconv_shim.hpp
/// \brief Force-included into the WebAssembly build only (em++ -include ...).
///
/// Debian's emscripten 3.1.6 ships libc++ 13, which has no std::to_chars for double
/// (libc++ 14 added it); wb::shortest (reference/io/print.cpp) uses it to print a number
/// the way Python would, for chapter 10's messages. This supplies the shortest text that
/// reads back as the same double, through printf, so the reference code compiles
/// unchanged. In the panels only error messages use it.
#pragma once

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__EMSCRIPTEN__) && defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 14000
namespace std {
inline to_chars_result to_chars(char* first, char* last, double value) {
    char buf[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
        if (std::strtod(buf, nullptr) == value || value != value) break;
    }
    const std::size_t n = std::strlen(buf);
    if (static_cast<std::size_t>(last - first) < n) return {last, std::errc::value_too_large};
    std::memcpy(first, buf, n);
    return {first + n, std::errc{}};
}
}  // namespace std
#endif
