// Verdict for exercise 04_delta_out_channels.
#include <doctest/doctest.h>

#include "04_channels/channels.hpp"
#include "04_delta_out_channels/delta_out_channels.hpp"
#include "check.hpp"
#include "conv.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 §17.3.3: two kernels on one channel — their contributions add up") {
    // Expected from a plain-Python scatter loop, as in tests/chapters/test_04_channels.cpp.
    CHECK_EXACT(ex::delta_out_channels(ch04::kernels_delta(), ch04::kernels_w()),
                (Map{{-1, -1, -4}, {11, 10, 3}, {7, 32, 23}}));
}

TEST_CASE("000 §17.3.4: one kernel on two channels — one δ per channel, from its own slice") {
    const Map d = Map::from(wb::Shape{1, 1, 2, 2}, {1, -2, 3, 5});
    CHECK_EXACT(ex::delta_out_channels(d, ch04::channels_w()),
                Map::from(wb::Shape{1, 2, 3, 3}, {1, 0, -4, 6, 9, 2, 9, 27, 20,
                                                  0, -1, 2, 2, -6, -7, 6, 13, 5}));
}

TEST_CASE("random K kernels × C channels (1–4 each) match the naive backward") {
    wb::Rng rng(42);
    for (int trial = 0; trial < 30; ++trial) {
        const int K = 1 + rng.below(4), C = 1 + rng.below(4);
        const Map w = wbtest::random_int_map(wb::Shape{K, C, 1 + rng.below(3), 1 + rng.below(3)}, rng);
        const Map a(wb::Shape{1, C, w.h() + rng.below(4), w.w() + rng.below(4)});
        const Map d = wbtest::random_int_map(wb::Shape{1, K, a.h() - w.h() + 1, a.w() - w.w() + 1}, rng);
        CAPTURE(K); CAPTURE(C);
        INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}}));
        CHECK_EXACT(ex::delta_out_channels(d, w), wb::conv2d_backward(a, w, d).delta_out);
    }
}
