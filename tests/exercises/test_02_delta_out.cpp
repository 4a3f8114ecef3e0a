// Verdict for exercise 02_delta_out.
#include <doctest/doctest.h>

#include "02_delta_2x2/delta_2x2.hpp"
#include "02_delta_out/delta_out.hpp"
#include "check.hpp"
#include "conv.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 §17.3.1 with numbers: 3×3 input, 2×2 kernel") {
    INFO("inputs: " << wbtest::shapes({{"δ_in", ch02::example_delta_in().shape()}, {"w", ch02::example_w().shape()}}));
    CHECK_EXACT(ex::delta_out(ch02::example_delta_in(), ch02::example_w()),
                (Map{{1, 0, -4}, {6, 9, 2}, {9, 27, 20}}));
}

TEST_CASE("a 3×3 kernel needs two rings: 5×5 input, 3×3 δ_in") {
    const Map w{{1, 0, 2}, {-1, 3, 0}, {0, 1, -2}};
    const Map d{{1, 2, 0}, {0, -1, 1}, {2, 0, 1}};
    const Map a(wb::Shape{1, 1, 5, 5});
    INFO("note: 002's slide pads δ_in with one ring of zeros, right for its 2×2 kernel only: an F×F kernel "
         "needs F − 1 rings (docs/errata.md, errata_002_pad_one_ring)");
    INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}}));
    CHECK_EXACT(ex::delta_out(d, w), wb::conv2d_backward(a, w, d).delta_out);
}

TEST_CASE("random shapes and non-square kernels match the layer's naive backward") {
    wb::Rng rng(99);
    for (int trial = 0; trial < 30; ++trial) {
        const Map w = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)}, rng);
        const Map a(wb::Shape{1, 1, w.h() + rng.below(5), w.w() + rng.below(5)});
        const Map d = wbtest::random_int_map(wb::Shape{1, 1, a.h() - w.h() + 1, a.w() - w.w() + 1}, rng);
        INFO("inputs: " << wbtest::shapes({{"δ_in", d.shape()}, {"w", w.shape()}}));
        CHECK_EXACT(ex::delta_out(d, w), wb::conv2d_backward(a, w, d).delta_out);
    }
}
