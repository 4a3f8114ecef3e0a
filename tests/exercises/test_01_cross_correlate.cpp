// Verdict for exercise 01_cross_correlate.
#include <doctest/doctest.h>

#include "01_conv_forward/conv_forward.hpp"
#include "01_cross_correlate/cross_correlate.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("001 §5.1.1: the 5×5 image ⋆ the 3×3 filter, stride 1") {
    CHECK_EXACT(ex::cross_correlate(ch01::image_5x5(), ch01::filter_3x3(), 1),
                (Map{{4, 3, 4}, {2, 4, 3}, {2, 3, 4}}));
}

TEST_CASE("001 §5.1.2: the same at stride 2") {
    CHECK_EXACT(ex::cross_correlate(ch01::image_5x5(), ch01::filter_3x3(), 2), (Map{{4, 4}, {2, 4}}));
}

TEST_CASE("no turn of the kernel: a lopsided kernel tells cross-correlation from convolution") {
    const Map x{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    CHECK_EXACT(ex::cross_correlate(x, Map{{1, 0}, {0, -1}}, 1), (Map{{-4, -4}, {-4, -4}}));
    CHECK_EXACT(ex::cross_correlate(x, Map{{2, 1}}, 1), (Map{{4, 7}, {13, 16}, {22, 25}}));
}

TEST_CASE("random maps, non-square kernels, strides 1–3, sizes that do not divide") {
    wb::Rng rng(42);
    for (int trial = 0; trial < 40; ++trial) {
        const int S = 1 + rng.below(3);
        const Map w = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)}, rng);
        const Map x = wbtest::random_int_map(
            wb::Shape{1, 1, w.h() + rng.below(7), w.w() + rng.below(7)}, rng);
        CAPTURE(S);
        INFO("inputs: " << wbtest::shapes({{"x", x.shape()}, {"w", w.shape()}}));
        CHECK_EXACT(ex::cross_correlate(x, w, S), wb::cross_correlate(x, w, S));
    }
}
