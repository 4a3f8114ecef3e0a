// Assertions shared by every test: exact map equality and closeness by relative error.
// A failure says what differs in a few lines: small maps whole, expected and actual side by
// side; large ones by their first differing element (with its relative error when the
// comparison is by closeness) and how many elements differ. WB_VERBOSE=1 in the environment
// prints whole maps of any size. Both assertions catch an exception from the code under
// test (an exercise stub's "not implemented") as a failure that still says what was expected.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gradcheck.hpp"
#include "io/print.hpp"
#include "random.hpp"
#include "tensor.hpp"

namespace wbtest {

/// In the learner build, "\n  thrown in a call made at FILE:LINE (in F)": the exercise
/// file's line under the last exception thrown (doctest_main.cpp); "" elsewhere.
std::string thrown_at();

/// The message of the runtime_error `f` throws ("" if none).
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

/// WB_VERBOSE=1 (`./workbook check --verbose`): whole maps, however large.
inline bool verbose() {
    const char* v = std::getenv("WB_VERBOSE");
    return v != nullptr && *v != '\0' && std::string(v) != "0";
}

/// A number as the notes would write it, or exactly enough to tell two close ones apart.
inline std::string num(double x) {
    if (std::isnan(x)) return "nan";  // whatever its sign bit
    std::ostringstream os;
    os.precision(x == std::round(x) && std::abs(x) < 1e15 ? 17 : 10);
    os << (x == 0 ? 0.0 : x);
    return os.str();
}

/// cs231n's relative error of one pair (the measure CHECK_CLOSE uses on every element).
inline double rel_err(double a, double e) {
    return std::abs(a - e) / std::max(1e-8, std::abs(a) + std::abs(e));
}

// ---- values with a name each --------------------------------------------------------------

/// Numbers that each have a name (w₀ w₁ v₀ v₁): a failure names the one that differs.
template <class T>
struct Named {
    std::vector<std::string> names;
    std::vector<T> values;
    const T* data() const { return values.data(); }
    std::size_t size() const { return values.size(); }
    bool operator==(const Named& o) const { return names == o.names && values == o.values; }
};

/// x₀ x₁ …: `symbol` with each index as a subscript.
inline std::vector<std::string> subscripted(const std::string& symbol, std::size_t n) {
    static const char* const digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string sub;
        for (char d : std::to_string(i)) sub += digits[d - '0'];
        out.push_back(symbol + sub);
    }
    return out;
}

/// The values of each (symbol, vector) pair, named symbol₀ symbol₁ … in turn.
template <class T>
Named<T> named(std::initializer_list<std::pair<std::string, std::vector<T>>> parts) {
    Named<T> out;
    for (const auto& [symbol, v] : parts) {
        for (auto& n : subscripted(symbol, v.size())) out.names.push_back(std::move(n));
        out.values.insert(out.values.end(), v.begin(), v.end());
    }
    return out;
}

/// "δ_in 2×3, w 2×2": the shapes of a call's inputs, for the "with" line of a failure.
inline std::string shapes(std::initializer_list<std::pair<const char*, wb::Shape>> inputs) {
    std::string s;
    for (const auto& [name, shape] : inputs) s += (s.empty() ? "" : ", ") + std::string(name) + " " + shape.str();
    return s;
}

// ---- how a value is laid out: rows of text, its size, and where element i sits ----------

template <class T>
std::vector<std::string> rows(const wb::Tensor<T>& t) {
    std::vector<std::string> out;
    std::vector<double> plane(static_cast<std::size_t>(t.h()) * static_cast<std::size_t>(t.w()));
    for (int n = 0; n < t.n(); ++n)
        for (int c = 0; c < t.c(); ++c) {
            for (int i = 0; i < t.h(); ++i)
                for (int j = 0; j < t.w(); ++j)
                    plane[static_cast<std::size_t>(i * t.w() + j)] = static_cast<double>(t(n, c, i, j));
            if (!t.is_map()) out.push_back("[n=" + std::to_string(n) + ", c=" + std::to_string(c) + "]");
            for (auto& r : wb::format_rows(plane.data(), t.h(), t.w())) out.push_back(std::move(r));
        }
    return out;
}
template <class T>
std::vector<std::string> rows(const std::vector<T>& v) {
    std::vector<double> d(v.begin(), v.end());
    return wb::format_rows(d.data(), 1, static_cast<int>(d.size()));
}

template <class T>
std::vector<std::string> rows(const Named<T>& v) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(v.names[i] + " = " + num(static_cast<double>(v.values[i])));
    return out;
}

template <class T>
std::string size_of(const wb::Tensor<T>& t) { return t.shape().str(); }
template <class T>
std::string size_of(const Named<T>& v) { return std::to_string(v.size()) + " values"; }
template <class T>
std::string size_of(const std::vector<T>& v) { return std::to_string(v.size()) + (v.size() == 1 ? " value" : " values"); }

template <class T>
std::string position(const wb::Tensor<T>& t, std::size_t i) {
    const auto w = static_cast<std::size_t>(t.w()), h = static_cast<std::size_t>(t.h()),
               c = static_cast<std::size_t>(t.c());
    const std::string rc = "row " + std::to_string(i / w % h) + ", col " + std::to_string(i % w);
    if (t.is_map()) return rc;
    return "n=" + std::to_string(i / (w * h * c)) + ", c=" + std::to_string(i / (w * h) % c) + ", " + rc;
}
template <class T>
std::string position(const std::vector<T>&, std::size_t i) { return "index " + std::to_string(i); }
template <class T>
std::string position(const Named<T>& v, std::size_t i) { return v.names[i]; }

/// Small enough to print whole: about a dozen rows.
template <class T>
bool fits(const wb::Tensor<T>& t) { return verbose() || (t.n() * t.c() <= 2 && t.h() <= 6 && t.w() <= 10); }
template <class T>
bool fits(const std::vector<T>& v) { return verbose() || v.size() <= 12; }
template <class T>
bool fits(const Named<T>& v) { return verbose() || v.size() <= 12; }

/// Columns a UTF-8 string takes on a terminal ("×" is one).
inline std::size_t columns(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}

/// "expected" and "actual" side by side (or one under the other when wide).
inline std::string side_by_side(const std::vector<std::string>& e, const std::vector<std::string>& a,
                                const std::string& e_title, const std::string& a_title) {
    std::size_t width = columns(e_title);
    for (const auto& r : e) width = std::max(width, columns(r));
    std::ostringstream os;
    if (width > 38) {  // too wide for two columns
        os << "  " << e_title << '\n';
        for (const auto& r : e) os << "    " << r << '\n';
        os << "  " << a_title << '\n';
        for (const auto& r : a) os << "    " << r << '\n';
        return os.str();
    }
    const auto pad = [&](const std::string& s) { return s + std::string(width + 4 - columns(s), ' '); };
    os << "  " << pad(e_title) << a_title << '\n';
    for (std::size_t i = 0; i < std::max(e.size(), a.size()); ++i)
        os << "  " << pad(i < e.size() ? e[i] : "") << (i < a.size() ? a[i] : "") << '\n';
    return os.str();
}

/// The report on two containers of one shape whose elements `differ(a, e)` at some places.
template <class C, class Differ>
std::string report(const C& actual, const C& expected, Differ&& differ, const std::string& lead) {
    const auto* a = std::data(actual);
    const auto* e = std::data(expected);
    std::size_t first = std::size(actual), count = 0;
    for (std::size_t i = 0; i < std::size(actual); ++i)
        if (differ(static_cast<double>(a[i]), static_cast<double>(e[i]))) {
            if (count++ == 0) first = i;
        }
    std::ostringstream os;
    os << lead;
    if (fits(expected))
        os << side_by_side(rows(expected), rows(actual), "expected (" + size_of(expected) + ")",
                           "actual");
    if (count > 0) {
        const double x = static_cast<double>(a[first]), y = static_cast<double>(e[first]);
        os << "  " << (fits(expected) ? "first difference" : size_of(expected) + ": first difference")
           << " at " << position(expected, first) << ": expected " << num(y) << ", actual " << num(x);
        if (x != y && std::abs(x - y) <= 1e-3 * std::max(std::abs(x), std::abs(y)))
            os << " (relative error " << wb::sci(rel_err(x, y)) << ")";
        os << '\n' << "  " << count << " of " << std::size(actual) << " elements differ\n";
    }
    return os.str();
}

// ---- the comparisons ----------------------------------------------------------------------

/// Results must be finite: a NaN or an infinity in `actual` where `expected` does not hold
/// the same value. Looked for before anything else, so the report names it first.
template <class A, class E>
std::string non_finite(const A& actual, const E& expected) {
    if constexpr (std::is_arithmetic_v<A>) {
        const double x = static_cast<double>(actual), y = static_cast<double>(expected);
        if (std::isfinite(x) || x == y) return {};
        return "  expected " + num(y) + ", actual " + num(x) + ": results must be finite\n";
    } else {
        const auto* a = std::data(actual);
        const auto* e = std::data(expected);
        std::size_t first = 0, count = 0;
        for (std::size_t i = 0; i < std::size(actual); ++i) {
            const double x = static_cast<double>(a[i]);
            if (!std::isfinite(x) && x != static_cast<double>(e[i]) && count++ == 0) first = i;
        }
        if (count == 0) return {};
        return "  " + std::to_string(count) + " of " + std::to_string(std::size(actual)) +
               " elements are not finite (the first, at " + position(expected, first) + ", is " +
               num(static_cast<double>(a[first])) + "): results must be finite\n";
    }
}

template <class A, class E>
std::string diff_exact(const A& actual, const E& expected) {
    if (actual == expected) return {};
    if constexpr (std::is_arithmetic_v<A> && std::is_arithmetic_v<E>) {
        if (auto bad = non_finite(actual, expected); !bad.empty()) return bad;
        return "  expected " + num(static_cast<double>(expected)) + ", actual " +
               num(static_cast<double>(actual)) + "\n";
    } else if constexpr (requires { actual.shape(); }) {
        if (!(actual.shape() == expected.shape()))
            return "  expected a " + expected.shape().str() + " result, got " + actual.shape().str() + "\n";
        return report(actual, expected, [](double x, double y) { return x != y; }, non_finite(actual, expected));
    } else {
        if (std::size(actual) != std::size(expected))
            return "  expected " + std::to_string(std::size(expected)) + " values, got " +
                   std::to_string(std::size(actual)) + "\n";
        return report(actual, expected, [](double x, double y) { return x != y; }, non_finite(actual, expected));
    }
}

/// Empty if the relative error of every element is at most `tol`.
template <class A>
std::string diff_close(const A& actual, const A& expected, double tol) {
    if constexpr (std::is_arithmetic_v<A>) {
        if (auto bad = non_finite(actual, expected); !bad.empty()) return bad;
        const double err = rel_err(static_cast<double>(actual), static_cast<double>(expected));
        if (err <= tol) return {};
        return "  expected " + num(expected) + ", actual " + num(actual) + " (relative error " +
               wb::sci(err) + " > " + wb::sci(tol) + ")\n";
    } else {
        if constexpr (requires { actual.shape(); }) {
            if (!(actual.shape() == expected.shape()))
                return "  expected a " + expected.shape().str() + " result, got " + actual.shape().str() + "\n";
        } else if (std::size(actual) != std::size(expected)) {
            return "  expected " + std::to_string(std::size(expected)) + " values, got " +
                   std::to_string(std::size(actual)) + "\n";
        }
        const auto differ = [tol](double x, double y) { return !(rel_err(x, y) <= tol); };
        if (auto bad = non_finite(actual, expected); !bad.empty()) return report(actual, expected, differ, bad);
        const double err = wb::relative_error(actual, expected);
        if (err <= tol) return {};
        return report(actual, expected, differ, "  relative error " + wb::sci(err) + " > " + wb::sci(tol) + "\n");
    }
}

/// What was expected, in a line or a small block (for a call that threw instead).
template <class E>
std::string expected_text(const E& expected) {
    if constexpr (std::is_arithmetic_v<E>) {
        return "  expected " + num(static_cast<double>(expected)) + "\n";
    } else {
        if (!fits(expected)) return "  expected a " + size_of(expected) + " result\n";
        std::string s = "  expected (" + size_of(expected) + ")\n";
        for (const auto& r : rows(expected)) s += "    " + r + "\n";
        return s;
    }
}

/// Runs `f` and compares its result with `expected` by `compare`; an exception thrown by
/// `f` is reported as what the code under test did instead.
template <class F, class E, class Compare>
std::string diff_call(F&& f, const E& expected, Compare&& compare) {
    try {
        return compare(f(), expected);
    } catch (const std::exception& e) {
        return expected_text(expected) + "  but it threw: " + e.what() + thrown_at() + "\n";
    }
}

/// A map of whole numbers in [lo, hi]: sums of products stay exact in double, so results
/// can be compared exactly whatever order the code under test adds them in.
inline wb::Tensor<double> random_int_map(wb::Shape s, wb::Rng& rng, int lo = -5, int hi = 5) {
    wb::Tensor<double> t(s);
    for (auto& v : t) v = lo + rng.below(hi - lo + 1);
    return t;
}

}  // namespace wbtest

/// Exact equality (integer worked examples).
#define CHECK_EXACT(actual, expected)                                                    \
    do {                                                                                 \
        const std::string wb_diff_ = wbtest::diff_call(                                  \
            [&] { return (actual); }, (expected),                                        \
            [](const auto& wb_a_, const auto& wb_e_) { return wbtest::diff_exact(wb_a_, wb_e_); });      \
        if (!wb_diff_.empty()) FAIL_CHECK(#actual " differs:\n" << wb_diff_);             \
        else CHECK(true); /* count the passing assertion */                               \
    } while (0)

/// Every element within relative error `tol` (cs231n's measure).
#define CHECK_CLOSE(actual, expected, tol)                                               \
    do {                                                                                 \
        const std::string wb_diff_ = wbtest::diff_call(                                  \
            [&] { return (actual); }, (expected),                                        \
            [&](const auto& wb_a_, const auto& wb_e_) { return wbtest::diff_close(wb_a_, wb_e_, (tol)); }); \
        if (!wb_diff_.empty()) FAIL_CHECK(#actual " differs:\n" << wb_diff_);             \
        else CHECK(true); /* count the passing assertion */                               \
    } while (0)
