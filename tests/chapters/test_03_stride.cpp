// Chapter 03: stride S > 1 and zero insertion. The notes' layouts asserted symbol for
// symbol, the size of the zero-inserted map decided by the code, and the rule checked
// against a hand loop, the naive backward and finite differences.
#include <doctest/doctest.h>

#include <string>

#include "03_stride/stride.hpp"
#include "check.hpp"
#include "conv_check.hpp"
#include "random.hpp"

using namespace ch03;

TEST_CASE("ch03: 000 §17.3.2: the S = 2 and S = 3 layouts of a 2×3 δ, as the notes draw them") {
    const Grid s2{{"δ11", "0", "δ12", "0", "δ13"},
                  {"0", "0", "0", "0", "0"},
                  {"δ21", "0", "δ22", "0", "δ23"}};
    const Grid s3{{"δ11", "0", "0", "δ12", "0", "0", "δ13"},
                  {"0", "0", "0", "0", "0", "0", "0"},
                  {"0", "0", "0", "0", "0", "0", "0"},
                  {"δ21", "0", "0", "δ22", "0", "0", "δ23"}};
    CHECK(layout(2, 3, 2) == s2);
    CHECK(layout(2, 3, 3) == s3);
}

TEST_CASE("ch03: 000 §17.3.2: the words' (M·S)×(N·S) vs the drawing's (M−1)S+1 — the code decides") {
    const Map a = example_a(), w = example_w(), d = example_delta();
    const wb::ConvSpec spec{2, 0};
    // 5×7 input, 3×3 kernel, S = 2: (5−3) and (7−3) divide by 2, the drawn case.
    CHECK(zero_insert_as_drawn(d, 2).shape() == wb::Shape{1, 1, 3, 5});
    CHECK(zero_insert_as_worded(d, 2).shape() == wb::Shape{1, 1, 4, 6});
    CHECK_EXACT(wb::restore_stride(d, a.shape(), w.shape(), spec), zero_insert_as_drawn(d, 2));
    // The words' 4×6 gives a 6×8 δ_out for a 5×7 input: the wrong shape.
    CHECK(stride1_rule(zero_insert_as_worded(d, 2), w, 0).shape() == wb::Shape{1, 1, 6, 8});
    // The drawing's 3×5 gives the gradient finite differences measure.
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, spec);
    CHECK_CLOSE(stride1_rule(zero_insert_as_drawn(d, 2), w, 0), num.delta_out, 1e-9);
}

TEST_CASE("ch03: 000 §17.3.2 generalised: with a remainder neither the words nor the drawing fit") {
    // 7×10 input, 3×3 kernel, S = 3: δ is 2×3 again, but (7−3) mod 3 = 1 and (10−3) mod 3 = 1.
    wb::Rng rng(7);
    const Map a = wb::random_tensor<double>(wb::Shape{1, 1, 7, 10}, rng);
    const Map w = example_w(), d = example_delta();
    const wb::ConvSpec spec{3, 0};
    CHECK(zero_insert_sizes(7, 3, 0, 3).drawn == 4);
    CHECK(zero_insert_sizes(7, 3, 0, 3).words == 6);
    CHECK(zero_insert_sizes(7, 3, 0, 3).needed == 5);
    CHECK(stride1_rule(zero_insert_as_drawn(d, 3), w, 0).shape() == wb::Shape{1, 1, 6, 9});
    CHECK(stride1_rule(zero_insert_as_worded(d, 3), w, 0).shape() == wb::Shape{1, 1, 8, 11});
    const Map restored = wb::restore_stride(d, a.shape(), w.shape(), spec);
    CHECK(restored.shape() == wb::Shape{1, 1, 5, 8});
    // Expected from a plain-Python scatter loop (each δ_ij·w_pq added to a[3i+p][3j+q]), run
    // once by hand; the last row and column are never reached by the forward pass.
    const Map expected{{1, 0, -1, -2, 0, 2, 3, 0, -3, 0},
                       {2, 1, 0, -4, -2, 0, 6, 3, 0, 0},
                       {0, 3, 1, 0, -6, -2, 0, 9, 3, 0},
                       {2, 0, -2, 1, 0, -1, -1, 0, 1, 0},
                       {4, 2, 0, 2, 1, 0, -2, -1, 0, 0},
                       {0, 6, 2, 0, 3, 1, 0, -3, -1, 0},
                       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
    CHECK_EXACT(stride1_rule(restored, w, 0), expected);
    CHECK_EXACT(wb::conv2d_backward(a, w, d, spec).delta_out, expected);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, spec);
    CHECK_CLOSE(expected, num.delta_out, 1e-9);
}

TEST_CASE("ch03: 000 §17.3.2, 001 §6.1.1: δ_out through S = 2 = stride-1 rule on the zero-inserted δ") {
    const Map a = example_a(), w = example_w(), d = example_delta();
    const wb::ConvSpec spec{2, 0};
    // Expected from a plain-Python scatter loop, run once by hand.
    const Map expected{{1, 0, -3, 0, 5, 0, -3},
                       {2, 1, -4, -2, 6, 3, 0},
                       {2, 3, 0, -6, -4, 9, 4},
                       {4, 2, 2, 1, -2, -1, 0},
                       {0, 6, 2, 3, 1, -3, -1}};
    CHECK_EXACT(delta_out_strided(d, w, a.shape(), spec), expected);
    CHECK_EXACT(wb::delta_out_by_rule(d, w, a.shape(), spec), expected);
    CHECK_EXACT(wb::conv2d_backward(a, w, d, spec).delta_out, expected);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, spec);
    CHECK_CLOSE(expected, num.delta_out, 1e-9);
}

TEST_CASE("ch03: 000 §17.3.1–17.3.2, the annotator's question: the backward stride is always 1") {
    const Map a = example_a(), w = example_w(), d = example_delta();
    const Map d1 = wb::restore_stride(d, a.shape(), w.shape(), {2, 0});
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {2, 0});
    CHECK_CLOSE(stride1_rule(d1, w, 0, 1), num.delta_out, 1e-9);
    CHECK(stride1_rule(d1, w, 0, 2).shape() == wb::Shape{1, 1, 3, 4});
    CHECK(stride1_rule(d1, w, 0, 3).shape() == wb::Shape{1, 1, 2, 3});
}

TEST_CASE("ch03: property (000 §17.3.2): zero insertion + stride-1 rule = finite differences — sizes") {
    wb::Rng rng(303);
    int with_remainder = 0;
    for (int trial = 0; trial < 120; ++trial) {
        const wb::ConvSpec spec{1 + rng.below(3), rng.below(3)};
        const int fh = 1 + rng.below(4), fw = 1 + rng.below(4);
        const int h = std::max(1, fh - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        const int wd = std::max(1, fw - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        CAPTURE(h); CAPTURE(wd); CAPTURE(fh); CAPTURE(fw); CAPTURE(spec.stride); CAPTURE(spec.pad);
        const Map A = wb::random_tensor<double>(wb::Shape{1, 1, h, wd}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{1, 1, fh, fw}, rng);
        const Map G = wb::random_tensor<double>(wb::conv2d_forward(A, W, {0.0}, spec).shape(), rng);
        const Map rule = delta_out_strided(G, W, A.shape(), spec);
        const auto num = wb::conv_numerical_gradients(A, W, {0.0}, G, spec);
        CHECK_CLOSE(rule, num.delta_out, 1e-7);
        // The size the rule needs is the stride-1 output; the drawing has it exactly when
        // S divides H + 2P − F, the words exactly when the remainder is S − 1.
        const Sizes s = zero_insert_sizes(h, fh, spec.pad, spec.stride);
        const int r = remainder(h, fh, spec.pad, spec.stride);
        CHECK(s.needed == s.drawn + r);
        CHECK((s.drawn == s.needed) == (r == 0));
        CHECK((s.words == s.needed) == (r == spec.stride - 1));
        if (r != 0) ++with_remainder;
    }
    CHECK(with_remainder >= 20);
}
