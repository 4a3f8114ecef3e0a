// Verdict for exercise 05_grad_w_layer.
#include <doctest/doctest.h>

#include "01_conv_forward/conv_forward.hpp"
#include "04_channels/channels.hpp"
#include "05_grad_w_layer/grad_w_layer.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("INDEX.md's test vectors: ∂J/∂W of two 3×3×3 filters, S = 2, P = 1") {
    // Expected from an independent plain-Python loop (see tests/chapters/test_04_channels.cpp).
    const Map expected = Map::from(wb::Shape{2, 3, 3, 3},
        {8, 10, 9, 5, 6, 6, 6, 5, 4,   4, 1, 4, 10, 9, 12, 2, 2, 2,   2, 2, 3, 5, 8, 5, 7, 8, 7,
         2, 2, 1, 4, 7, 3, 4, 4, 2,    0, 1, 0, 9, 5, 4, 4, 0, 0,     4, 6, 5, 2, 5, 2, 2, 1, 0});
    CHECK_EXACT(ex::grad_w_layer(ch01::depth_input(), ch04::depth_delta_in(),
                                 ch01::depth_filters().shape(), ch01::depth_spec),
                expected);
}

TEST_CASE("001 §5.1.2's stride-2 layer: 5×5 image, 3×3 filter, no padding") {
    // Expected from a plain-Python loop Σ δ_ij·x[2i+p][2j+q] (tests/chapters/test_05_kernel_grad.cpp).
    CHECK_EXACT(ex::grad_w_layer(ch01::image_5x5(), Map{{1, -1}, {2, 3}}, wb::Shape{1, 1, 3, 3}, {2, 0}),
                (Map{{3, 4, 6}, {2, 3, 3}, {2, 1, 2}}));
}

TEST_CASE("random layers (batch 1–2, S 1–3, P 0–2, channels and kernels 1–4) match the naive backward") {
    wb::Rng rng(53);
    for (int trial = 0; trial < 40; ++trial) {
        const wb::ConvSpec spec{1 + rng.below(3), rng.below(3)};
        const Map w(wb::Shape{1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4), 1 + rng.below(4)});
        const Map a = wbtest::random_int_map(
            wb::Shape{1 + rng.below(2), w.c(),
                      std::max(1, w.h() - 2 * spec.pad) + rng.below(3 * spec.stride + 2),
                      std::max(1, w.w() - 2 * spec.pad) + rng.below(3 * spec.stride + 2)}, rng);
        CAPTURE(spec.stride); CAPTURE(spec.pad);
        const Map d = wbtest::random_int_map(
            wb::Shape{a.n(), w.n(), wb::output_size(a.h(), w.h(), spec.pad, spec.stride),
                      wb::output_size(a.w(), w.w(), spec.pad, spec.stride)}, rng);
        INFO("inputs: " << wbtest::shapes({{"a", a.shape()}, {"δ_in", d.shape()}, {"w", w.shape()}}));
        CHECK_EXACT(ex::grad_w_layer(a, d, w.shape(), spec), wb::conv2d_backward(a, w, d, spec).dW);
    }
}
