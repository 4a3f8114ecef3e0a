// Verdict for exercise 04_delta_out_layer.
#include <doctest/doctest.h>

#include "01_conv_forward/conv_forward.hpp"
#include "04_channels/channels.hpp"
#include "04_delta_out_layer/delta_out_layer.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("INDEX.md's test vectors: 3×5×5 input, two 3×3×3 filters, S = 2, P = 1") {
    // Expected from an independent plain-Python loop (see tests/chapters/test_04_channels.cpp).
    const Map expected = Map::from(wb::Shape{1, 3, 5, 5},
        {-1, 1, 1, -2, -1,  1, -1, 3, -1, 1,  2, 0, 2, 0, 2,  4, 3, 4, 1, 3,  0, -1, -2, 1, -1,
         0, -1, 0, -2, 0,  -1, -2, -3, -4, -1,  0, 0, 0, 0, 0,  -2, 0, 0, 0, -1,  0, -3, 0, -3, 0,
         0, 1, 1, -2, 1,  0, -1, -1, -4, -1,  2, 0, 2, 0, 2,  -2, -3, -2, -1, -2,  1, -1, 0, 1, 0});
    CHECK_EXACT(ex::delta_out_layer(ch04::depth_delta_in(), ch01::depth_filters(),
                                    ch01::depth_input().shape(), ch01::depth_spec),
                expected);
}

TEST_CASE("a remainder with padding: 1×2×6×6 input, 3×3 kernels, S = 2, P = 1") {
    wb::Rng rng(44);
    const wb::Shape a{1, 2, 6, 6};
    const Map w = wbtest::random_int_map(wb::Shape{3, 2, 3, 3}, rng);
    const Map d = wbtest::random_int_map(wb::Shape{1, 3, 3, 3}, rng);
    INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}, {"a", a}}));
    CHECK_EXACT(ex::delta_out_layer(d, w, a, {2, 1}), wb::conv2d_backward(Map(a), w, d, {2, 1}).delta_out);
}

TEST_CASE("random layers (batch 1–2, S 1–3, P 0–2, channels and kernels 1–4) match the naive backward") {
    wb::Rng rng(45);
    for (int trial = 0; trial < 40; ++trial) {
        const wb::ConvSpec spec{1 + rng.below(3), rng.below(3)};
        const Map w = wbtest::random_int_map(
            wb::Shape{1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)}, rng);
        const wb::Shape a{1 + rng.below(2), w.c(),
                          std::max(1, w.h() - 2 * spec.pad) + rng.below(3 * spec.stride + 2),
                          std::max(1, w.w() - 2 * spec.pad) + rng.below(3 * spec.stride + 2)};
        CAPTURE(spec.stride); CAPTURE(spec.pad);
        const Map d = wbtest::random_int_map(
            wb::Shape{a.n, w.n(), wb::output_size(a.h, w.h(), spec.pad, spec.stride),
                      wb::output_size(a.w, w.w(), spec.pad, spec.stride)}, rng);
        INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}, {"a", a}}));
        CHECK_EXACT(ex::delta_out_layer(d, w, a, spec), wb::conv2d_backward(Map(a), w, d, spec).delta_out);
    }
}
