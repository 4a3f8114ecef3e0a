// Verdict for exercise 03_zero_insert.
#include <doctest/doctest.h>

#include "03_stride/stride.hpp"
#include "03_zero_insert/zero_insert.hpp"
#include "check.hpp"
#include "ops.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 §17.3.2: a 2×3 δ with S = 2 becomes 3×5, with S = 3 becomes 4×7") {
    const Map d = ch03::example_delta();  // [[1, −2, 3], [2, 1, −1]]
    CHECK_EXACT(ex::zero_insert(d, 2), (Map{{1, 0, -2, 0, 3}, {0, 0, 0, 0, 0}, {2, 0, 1, 0, -1}}));
    CHECK_EXACT(ex::zero_insert(d, 3), (Map{{1, 0, 0, -2, 0, 0, 3},
                                            {0, 0, 0, 0, 0, 0, 0},
                                            {0, 0, 0, 0, 0, 0, 0},
                                            {2, 0, 0, 1, 0, 0, -1}}));
}

TEST_CASE("S = 1 changes nothing — a single row or column spreads along one axis only") {
    const Map d{{4, -1}, {3, 7}};
    CHECK_EXACT(ex::zero_insert(d, 1), d);
    CHECK_EXACT(ex::zero_insert(Map{{5, 6, 7}}, 2), (Map{{5, 0, 6, 0, 7}}));
    CHECK_EXACT(ex::zero_insert(Map{{5}, {6}}, 3), (Map{{5}, {0}, {0}, {6}}));
}

TEST_CASE("random maps and strides 1–4 match the reference") {
    wb::Rng rng(31);
    for (int trial = 0; trial < 30; ++trial) {
        const Map d = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)}, rng, 1, 9);
        const int S = 1 + rng.below(4);
        CAPTURE(S);
        CHECK_EXACT(ex::zero_insert(d, S), wb::zero_insert(d, S));
    }
}
