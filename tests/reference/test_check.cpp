// The failure reports of tests/check.hpp: what a learner reads when a check fails, so each
// format is pinned here. Small maps print whole, side by side; large ones at their first
// differing element; closeness failures give that element's relative error.
#include <doctest/doctest.h>

#include <stdexcept>

#include "check.hpp"

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
