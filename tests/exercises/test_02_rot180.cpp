// Verdict for exercise 02_rot180.
#include <doctest/doctest.h>

#include "02_rot180/rot180.hpp"
#include "check.hpp"
#include "ops.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 eq 7: the 2×2 kernel w11 w12 / w21 w22 becomes w22 w21 / w12 w11") {
    CHECK_EXACT(ex::rot180(Map{{11, 12}, {21, 22}}), (Map{{22, 21}, {12, 11}}));
}

TEST_CASE("3×3 and non-square kernels") {
    CHECK_EXACT(ex::rot180(Map{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}), (Map{{9, 8, 7}, {6, 5, 4}, {3, 2, 1}}));
    CHECK_EXACT(ex::rot180(Map{{1, 2, 3}, {4, 5, 6}}), (Map{{6, 5, 4}, {3, 2, 1}}));
    CHECK_EXACT(ex::rot180(Map{{1}, {2}, {3}}), (Map{{3}, {2}, {1}}));
}

TEST_CASE("random kernels match the reference, and two turns give the kernel back") {
    wb::Rng rng(8);
    for (int trial = 0; trial < 20; ++trial) {
        const Map w = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(5), 1 + rng.below(5)}, rng);
        INFO("inputs: " << wbtest::shapes({{"w", w.shape()}}));
        CHECK_EXACT(ex::rot180(w), wb::rot180(w));
        CHECK_EXACT(ex::rot180(ex::rot180(w)), w);
    }
}
