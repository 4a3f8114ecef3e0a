/// \file json.hpp
/// \brief What a live panel answers: a small JSON writer.
///
/// Numbers are written as the shortest decimal that reads back as the same value, through
/// printf, so the native build and the WebAssembly build (glibc and musl, both correctly
/// rounded) write the same bytes for the same numbers: the tests compare them as text.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tensor.hpp"
#include "utf8.hpp"

namespace live {

/// Whole numbers as integers; others the "%.Ng" text with the fewest digits N that reads
/// back as v (as a double, or as a float when `as_float`). Not finite: null (JSON has no
/// inf or nan). N is found by bisection (17 digits always read back, 9 for a float): four
/// or five printf calls rather than up to 17, which matters in WebAssembly, whose printf
/// of a double is slow; both builds bisect alike, so they still write the same bytes.
inline std::string number_text(double v, bool as_float = false) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    if (v == std::trunc(v) && std::abs(v) < 1e15) {  // whole numbers as integers: 20, not 2e+01
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    const auto reads_back = [&](int digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        return as_float ? std::strtof(buf, nullptr) == static_cast<float>(v) : std::strtod(buf, nullptr) == v;
    };
    int lo = 1, hi = as_float ? 9 : 17;  // reads_back(hi) holds
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (reads_back(mid)) hi = mid;
        else lo = mid + 1;
    }
    reads_back(hi);
    return buf;
}

/// Appends JSON to a string; the caller writes keys and values in order.
class Json {
public:
    Json& open(char bracket) { comma(); out_ += bracket; first_ = true; return *this; }
    Json& close(char bracket) { out_ += bracket; first_ = false; return *this; }
    Json& key(std::string_view k) { comma(); str_raw(k); out_ += ':'; first_ = true; return *this; }

    Json& str(std::string_view s) { comma(); str_raw(s); return *this; }
    Json& boolean(bool b) { comma(); out_ += b ? "true" : "false"; return *this; }
    Json& num(double v) { comma(); out_ += number_text(v); return *this; }
    Json& num(float v) { comma(); out_ += number_text(v, true); return *this; }
    Json& num(int v) { comma(); out_ += std::to_string(v); return *this; }
    Json& num(long v) { comma(); out_ += std::to_string(v); return *this; }

    template <class T>
    Json& list(const std::vector<T>& v) {
        open('[');
        for (const T& x : v) num(x);
        return close(']');
    }

    /// Plane (n, c) of a tensor as rows: [[…], […], …].
    template <class T>
    Json& map(const wb::Tensor<T>& t, int n = 0, int c = 0) {
        open('[');
        for (int i = 0; i < t.h(); ++i) {
            open('[');
            for (int j = 0; j < t.w(); ++j) num(t(n, c, i, j));
            close(']');
        }
        return close(']');
    }

    /// Every channel of sample n: [map, map, …].
    template <class T>
    Json& maps(const wb::Tensor<T>& t, int n = 0) {
        open('[');
        for (int c = 0; c < t.c(); ++c) map(t, n, c);
        return close(']');
    }

    /// Column n of an out×N matrix (a dense layer's activations) as a flat list.
    template <class T>
    Json& column(const wb::Tensor<T>& t, int n = 0) {
        open('[');
        for (int i = 0; i < t.h(); ++i) num(t(i, n));
        return close(']');
    }

    const std::string& text() const { return out_; }

private:
    void comma() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    /// A JSON string; bytes that are not UTF-8 become U+FFFD (utf8.hpp), so the answer
    /// is valid UTF-8 whatever the request held.
    void str_raw(std::string_view raw) {
        const std::string s = valid_utf8(raw);
        out_ += '"';
        for (const char ch : s) {
            if (ch == '"' || ch == '\\') {
                out_ += '\\';
                out_ += ch;
            } else if (static_cast<unsigned char>(ch) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(ch));
                out_ += buf;
            } else {
                out_ += ch;
            }
        }
        out_ += '"';
    }

    std::string out_;
    bool first_ = true;
};

}  // namespace live
