// The failure reports of tests/check.hpp: what a learner reads when a check fails, so each
// format is pinned here. Small maps print whole, side by side; large ones at their first
// differing element; closeness failures give that element's relative error. And the judge
// under them, gradcheck.hpp's relative error, on values that are not finite.
#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <vector>

#include "check.hpp"
#include "gradcheck.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("check.hpp: equal values report nothing") {
    CHECK(wbtest::diff_exact(Map{{1, 2}, {3, 4}}, Map{{1, 2}, {3, 4}}).empty());
    CHECK(wbtest::diff_close(Map{{1, 2}}, Map{{1, 2 + 1e-12}}, 1e-10).empty());
    CHECK(wbtest::diff_exact(3, 3).empty());
}

TEST_CASE("check.hpp: a small map prints whole, expected and actual side by side") {
    CHECK(wbtest::diff_exact(Map{{1, 0}, {6, 5}}, Map{{1, 0}, {6, 9}}) ==
          "  expected (2×2)    actual\n"
          "  [ 1 0 ]           [ 1 0 ]\n"
          "  [ 6 9 ]           [ 6 5 ]\n"
          "  first difference at row 1, col 1: expected 9, actual 5\n"
          "  1 of 4 elements differ\n");
}

TEST_CASE("check.hpp: a large map is shown at its first differing element, with its relative error") {
    Map e(wb::Shape{1, 2, 28, 28});
    for (std::size_t i = 0; i < e.size(); ++i) e.values()[i] = static_cast<double>(i % 7) + 1;
    Map a = e;
    a(0, 1, 3, 4) *= 1 + 1e-6;
    a(0, 1, 20, 0) = 0;
    CHECK(wbtest::diff_close(a, e, 1e-10) ==
          "  relative error 1.0e+00 > 1.0e-10\n"
          "  1×2×28×28: first difference at n=0, c=1, row 3, col 4: expected 5, actual "
          "5.000005 (relative error 5.0e-07)\n"
          "  2 of 1568 elements differ\n");
}

TEST_CASE("check.hpp: a wrong shape, a wrong scalar and a throw each take one line") {
    CHECK(wbtest::diff_exact(Map{{1, 2}}, Map{{1}, {2}}) == "  expected a 2×1 result, got 1×2\n");
    CHECK(wbtest::diff_exact(2, 3) == "  expected 3, actual 2\n");
    const Map big(wb::Shape{1, 1, 30, 30});
    CHECK(wbtest::diff_call([]() -> Map { throw std::runtime_error("no"); }, big,
                            [](const Map& x, const Map& y) { return wbtest::diff_exact(x, y); }) ==
          "  expected a 30×30 result\n  but it threw: no\n");
}

TEST_CASE("gradcheck.hpp: a NaN or an infinity on either side fails every comparison of the relative error") {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const std::vector<double> right{1.0, -2.0, 3.0};
    CHECK(wb::relative_error(right, right) == 0.0);
    for (const double bad : {nan, inf, -inf})
        for (std::size_t i = 0; i < right.size(); ++i) {
            std::vector<double> wrong = right;
            wrong[i] = bad;
            const double e = wb::relative_error(wrong, right), f = wb::relative_error(right, wrong);
            CHECK_FALSE(e < 1e-7);  // a tolerance check cannot pass…
            CHECK_FALSE(e > 1e-2);  // …nor can a "this must be wrong" check
            CHECK_FALSE(f < 1e-7);
        }
}

TEST_CASE("check.hpp: a NaN or an infinity fails every comparison, and the report says so") {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    // Looked for before any error measure, and named first in the report.
    CHECK(wbtest::diff_close(Map{{nan, 1}}, Map{{0.5, 1}}, 1e-10) ==
          "  1 of 2 elements are not finite (the first, at row 0, col 0, is nan): results must be finite\n"
          "  expected (1×2)    actual\n"
          "  [ 0.5   1 ]       [ nan   1 ]\n"
          "  first difference at row 0, col 0: expected 0.5, actual nan\n"
          "  1 of 2 elements differ\n");
    CHECK_FALSE(wbtest::diff_close(Map{{nan, nan}}, Map{{nan, nan}}, 1e-10).empty());
    CHECK_FALSE(wbtest::diff_exact(Map{{1, inf}}, Map{{1, 2}}).empty());
    CHECK_FALSE(wbtest::diff_close(std::vector<double>{-inf}, std::vector<double>{1}, 1e-10).empty());
    CHECK(wbtest::diff_close(nan, 1.0, 1e-10) == "  expected 1, actual nan: results must be finite\n");
    CHECK(wbtest::diff_exact(inf, 1.0) == "  expected 1, actual inf: results must be finite\n");
    // An infinity that was expected is a match.
    CHECK(wbtest::diff_exact(Map{{inf}}, Map{{inf}}).empty());
}
