// Verdict for exercise 02_gradient_check: centred differences and cs231n's relative error.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "02_gradient_check/gradient_check.hpp"
#include "check.hpp"

using Values = std::vector<double>;

namespace {
double cubes(const Values& x) {
    double s = 0;
    for (double v : x) s += v * v * v;
    return s;
}
}  // namespace

TEST_CASE("J = Σ x³ with h = 1/2: the centred difference is exactly 3x² + h², and x is put back") {
    // (x + h)³ − (x − h)³ = 6x²h + 2h³: divided by 2h, 3x² + h², exact in double here.
    Values x{1, -2, 3, 0};
    const Values g = ex::numerical_gradient([&x] { return cubes(x); }, x, 0.5);
    CHECK_EXACT(g, (Values{3.25, 12.25, 27.25, 0.25}));
    CHECK_EXACT(x, (Values{1, -2, 3, 0}));
}

TEST_CASE("each element on its own: J = x₀·x₁ + x₁², ∂J/∂x₀ = x₁, ∂J/∂x₁ = x₀ + 2x₁") {
    Values x{3, -2};
    const auto J = [&x] { return x[0] * x[1] + x[1] * x[1]; };
    CHECK_EXACT(ex::numerical_gradient(J, x, 0.5), (Values{-2, -1}));
}

TEST_CASE("the default h = 1e-5: J = Σ sin x agrees with cos x to a relative error of 1e-9") {
    Values x{0.3, -1.2, 2.0, 0.9, -0.1};
    Values cosines;
    for (double v : x) cosines.push_back(std::cos(v));
    const auto J = [&x] {
        double s = 0;
        for (double v : x) s += std::sin(v);
        return s;
    };
    CHECK_CLOSE(ex::numerical_gradient(J, x), cosines, 1e-9);
}

TEST_CASE("relative error: the largest of |a − b| / (|a| + |b|), element by element") {
    // Elements: 0, 0.5/4.5, 0 (two zeros), 0.5/2.5 → the largest is 0.2.
    CHECK_EXACT(ex::relative_error(Values{1, 2, 0, -1.5}, Values{1, 2.5, 0, -1}), 0.5 / 2.5);
    CHECK_EXACT(ex::relative_error(Values{4}, Values{4}), 0.0);
}

TEST_CASE("relative error near zero: two zeros give 0, two tiny values are divided by 1e-8") {
    CHECK_EXACT(ex::relative_error(Values{0, 0}, Values{0, 0}), 0.0);
    CHECK_EXACT(ex::relative_error(Values{1e-9}, Values{-1e-9}), 2e-9 / 1e-8);
}

TEST_CASE("relative error: a NaN anywhere is NaN, never a pass") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    INFO("relative_error({1, NaN}, {1, 1}) = ", ex::relative_error(Values{1, nan}, Values{1, 1}));
    CHECK(std::isnan(ex::relative_error(Values{1, nan}, Values{1, 1})));
    INFO("relative_error({1, 2}, {NaN, 2}) = ", ex::relative_error(Values{1, 2}, Values{nan, 2}));
    CHECK(std::isnan(ex::relative_error(Values{1, 2}, Values{nan, 2})));
}

TEST_CASE("relative error of two lists of different sizes: std::invalid_argument") {
    CHECK_THROWS_AS(ex::relative_error(Values{1, 2}, Values{1}), std::invalid_argument);
}
