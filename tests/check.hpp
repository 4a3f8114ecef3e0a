// Assertions shared by every test: exact map equality and closeness by relative error,
// both printing expected and actual side by side when they fail, and both catching an
// exception from the code under test (an exercise stub's "not implemented") as a failure
// that still shows what was expected.
#pragma once

#include <doctest/doctest.h>

#include <exception>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "gradcheck.hpp"
#include "io/print.hpp"
#include "random.hpp"
#include "tensor.hpp"

namespace wbtest {

template <class T>
std::string show(const wb::Tensor<T>& t) {
    std::ostringstream os;
    wb::print_map(os, "", t, 17);
    return os.str();
}
template <class T>
std::string show(const std::vector<T>& v) {
    std::ostringstream os;
    os << "  [";
    for (const auto& x : v) os << ' ' << x;
    os << " ]\n";
    return os.str();
}
template <class T>
    requires std::is_arithmetic_v<T>
std::string show(T x) {
    std::ostringstream os;
    os.precision(17);
    os << "  " << x << '\n';
    return os.str();
}

/// Empty if `actual == expected` exactly, otherwise both printed.
template <class A, class E>
std::string diff_exact(const A& actual, const E& expected) {
    if (actual == expected) return {};
    return "\nexpected:\n" + show(expected) + "actual:\n" + show(actual);
}

/// Empty if the relative error of every element is at most `tol`, otherwise both printed.
template <class A>
std::string diff_close(const A& actual, const A& expected, double tol) {
    if constexpr (requires { actual.shape(); }) {
        if (!(actual.shape() == expected.shape()))
            return "\nexpected shape " + expected.shape().str() + ", actual shape " +
                   actual.shape().str() + "\nexpected:\n" + show(expected) + "actual:\n" +
                   show(actual);
    } else if (std::size(actual) != std::size(expected)) {
        return "\nexpected " + std::to_string(std::size(expected)) + " values, got " +
               std::to_string(std::size(actual));
    }
    const double err = wb::relative_error(actual, expected);
    if (err <= tol) return {};
    return "\nrelative error " + wb::sci(err) + " > " + wb::sci(tol) + "\nexpected:\n" +
           show(expected) + "actual:\n" + show(actual);
}

/// Runs `f` and compares its result with `expected` by `compare`; an exception thrown by
/// `f` becomes the "actual" shown.
template <class F, class E, class Compare>
std::string diff_call(F&& f, const E& expected, Compare&& compare) {
    try {
        return compare(f(), expected);
    } catch (const std::exception& e) {
        return "\nexpected:\n" + show(expected) + "actual:\n  (threw) " + e.what() + "\n";
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
        if (!wb_diff_.empty()) FAIL_CHECK(#actual " differs:" << wb_diff_);               \
        else CHECK(true); /* count the passing assertion */                               \
    } while (0)

/// Every element within relative error `tol` (cs231n's measure).
#define CHECK_CLOSE(actual, expected, tol)                                               \
    do {                                                                                 \
        const std::string wb_diff_ = wbtest::diff_call(                                  \
            [&] { return (actual); }, (expected),                                        \
            [&](const auto& wb_a_, const auto& wb_e_) { return wbtest::diff_close(wb_a_, wb_e_, (tol)); }); \
        if (!wb_diff_.empty()) FAIL_CHECK(#actual " differs:" << wb_diff_);               \
        else CHECK(true); /* count the passing assertion */                               \
    } while (0)
