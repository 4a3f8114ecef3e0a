// Verdict for exercise 05_grad_w.
#include <doctest/doctest.h>

#include "02_delta_2x2/delta_2x2.hpp"
#include "05_grad_w/grad_w.hpp"
#include "check.hpp"
#include "conv.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 §17.3.5 with numbers: 3×3 input, 2×2 error map") {
    // By hand: w11 = 1·1 + (−2)·2 + 3·3 + 5·(−1) = 1, w12 = 1·2 + (−2)·0 + 3·(−1) + 5·2 = 9, …
    CHECK_EXACT(ex::grad_w(ch02::example_a(), ch02::example_delta_in()), (Map{{1, 9}, {25, 12}}));
}

TEST_CASE("a non-square kernel: 4×5 input, 3×2 error map → 2×4 kernel gradient") {
    const Map a{{1, 2, 0, -1, 3}, {0, 1, 2, 2, -2}, {3, -1, 1, 0, 1}, {2, 0, -3, 1, 1}};
    const Map d{{1, -1}, {2, 0}, {-1, 3}};
    // From a plain-Python loop Σ_ij δ_ij·a_{i+p, j+q}, run once by hand;
    // e.g. (0,0) = 1·1 − 1·2 + 2·0 + 0·1 − 1·3 + 3·(−1) = −7.
    CHECK_EXACT(ex::grad_w(a, d), (Map{{-7, 8, 4, 3}, {3, -12, 8, 6}}));
}

TEST_CASE("random shapes match the naive backward's ∂J/∂W") {
    wb::Rng rng(51);
    for (int trial = 0; trial < 30; ++trial) {
        const Map w(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)});
        const Map a = wbtest::random_int_map(wb::Shape{1, 1, w.h() + rng.below(5), w.w() + rng.below(5)}, rng);
        const Map d = wbtest::random_int_map(wb::Shape{1, 1, a.h() - w.h() + 1, a.w() - w.w() + 1}, rng);
        INFO("inputs: " << wbtest::shapes({{"a", a.shape()}, {"δ_in", d.shape()}}));
        CHECK_EXACT(ex::grad_w(a, d), wb::conv2d_backward(a, w, d).dW);
    }
}
