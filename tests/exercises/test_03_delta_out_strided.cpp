// Verdict for exercise 03_delta_out_strided.
#include <doctest/doctest.h>

#include "03_delta_out_strided/delta_out_strided.hpp"
#include "03_stride/stride.hpp"
#include "check.hpp"
#include "conv.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("chapter 03's example: 5×7 input, 3×3 kernel, S = 2 (no remainder)") {
    // Expected from a plain-Python scatter loop, as in tests/chapters/test_03_stride.cpp.
    CHECK_EXACT(ex::delta_out_strided(ch03::example_delta(), ch03::example_w(), 5, 7, 2),
                (Map{{1, 0, -3, 0, 5, 0, -3},
                     {2, 1, -4, -2, 6, 3, 0},
                     {2, 3, 0, -6, -4, 9, 4},
                     {4, 2, 2, 1, -2, -1, 0},
                     {0, 6, 2, 3, 1, -3, -1}}));
}

TEST_CASE("a remainder: 7×10 input, 3×3 kernel, S = 3 — the last row and column get 0") {
    CHECK_EXACT(ex::delta_out_strided(ch03::example_delta(), ch03::example_w(), 7, 10, 3),
                (Map{{1, 0, -1, -2, 0, 2, 3, 0, -3, 0},
                     {2, 1, 0, -4, -2, 0, 6, 3, 0, 0},
                     {0, 3, 1, 0, -6, -2, 0, 9, 3, 0},
                     {2, 0, -2, 1, 0, -1, -1, 0, 1, 0},
                     {4, 2, 0, 2, 1, 0, -2, -1, 0, 0},
                     {0, 6, 2, 0, 3, 1, 0, -3, -1, 0},
                     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}));
}

TEST_CASE("random sizes, strides 1–3 and non-square kernels match the naive backward") {
    wb::Rng rng(32);
    for (int trial = 0; trial < 40; ++trial) {
        const int S = 1 + rng.below(3);
        const Map w = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)}, rng);
        const int H = w.h() + rng.below(3 * S + 1), W = w.w() + rng.below(3 * S + 1);
        CAPTURE(S); CAPTURE(H); CAPTURE(W);
        const Map a(wb::Shape{1, 1, H, W});
        const Map d = wbtest::random_int_map(
            wb::Shape{1, 1, wb::output_size(H, w.h(), 0, S), wb::output_size(W, w.w(), 0, S)}, rng);
        INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}}));
        CHECK_EXACT(ex::delta_out_strided(d, w, H, W, S), wb::conv2d_backward(a, w, d, {S, 0}).delta_out);
    }
}
