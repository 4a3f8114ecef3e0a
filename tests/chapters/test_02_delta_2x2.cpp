// Chapter 02: δ through a 2×2 kernel. The notes' formulas asserted as they are written, the
// rule checked against them, the naive layer and finite differences.
#include <doctest/doctest.h>

#include "02_delta_2x2/delta_2x2.hpp"
#include "check.hpp"
#include "conv_check.hpp"
#include "random.hpp"

using namespace ch02;

TEST_CASE("000 eqs 5–7 (= 001 §6.1.1 examples 1–3, 002): the element formulas, symbol for symbol") {
    CHECK(to_string(element_formula(1, 1, 3, 3, 2, 2)) == "δ11·w11");                 // eq 5
    CHECK(to_string(element_formula(1, 2, 3, 3, 2, 2)) == "δ11·w12 + δ12·w11");       // eq 6
    CHECK(to_string(element_formula(2, 2, 3, 3, 2, 2)) ==
          "δ11·w22 + δ12·w21 + δ21·w12 + δ22·w11");                                   // eq 7
    CHECK(to_string(element_formula(3, 3, 3, 3, 2, 2)) == "δ22·w22");
}

TEST_CASE("000 §17.3.1 forward (eqs 1–4) on the numeric example") {
    // z11 = 1·1 + 2·2 + 3·3 + (−1)·4 = 10, and so on, by hand.
    CHECK_EXACT(wb::conv2d_forward(example_a(), example_w(), {0.0}), (Map{{10, 7}, {17, 19}}));
}

TEST_CASE("000 eq 8: rule = element formulas = hand-computed values") {
    // By hand from eqs 5–7: a11 = 1·1; a12 = 1·2 + (−2)·1; a22 = 1·4 + (−2)·3 + 3·2 + 5·1;
    // a23 = δ12·w22 + δ22·w12 = (−2)·4 + 5·2; …
    const Map expected{{1, 0, -4}, {6, 9, 2}, {9, 27, 20}};
    const Map d = example_delta_in(), w = example_w();
    CHECK_EXACT(delta_out_by_elements(d, w, 3, 3), expected);
    CHECK_EXACT(delta_out_eq8(d, w), expected);
    CHECK_EXACT(wb::conv2d_backward(example_a(), w, d).delta_out, expected);
}

TEST_CASE("000 eq 8 vs finite differences on the example") {
    const auto num = wb::conv_numerical_gradients(example_a(), example_w(), {0.0},
                                                  example_delta_in(), {});
    CHECK_CLOSE(delta_out_eq8(example_delta_in(), example_w()), num.delta_out, 1e-9);
}

TEST_CASE("000 §17.3.1 padding rule: 3×3 needs 2 rings, 5×5 needs 4, N×N needs N−1") {
    wb::Rng rng(11);
    for (int N = 1; N <= 7; ++N) {
        CAPTURE(N);
        const Map a = wb::random_tensor<double>(wb::Shape{1, 1, 8, 9}, rng);
        const Map w = wb::random_tensor<double>(wb::Shape{1, 1, N, N}, rng);
        const Map G = wb::random_tensor<double>(wb::Shape{1, 1, 9 - N, 10 - N}, rng);
        // N − 1 rings give back exactly the input's size…
        CHECK(wb::pad(G, N - 1).shape() == wb::Shape{1, 1, 9 - N + 2 * (N - 1), 10 - N + 2 * (N - 1)});
        const Map rule = delta_out_eq8(G, w);
        CHECK(rule.shape() == a.shape());
        // …and the right values.
        const auto num = wb::conv_numerical_gradients(a, w, {0.0}, G, {});
        CHECK_CLOSE(rule, num.delta_out, 1e-8);
        CHECK_CLOSE(delta_out_by_elements(G, w, 8, 9), rule, 1e-12);
    }
}

TEST_CASE("000 §17.3.1: A(10×8) ⋆ W(5×5) = Z(6×4) — δ_z + 4 rings = 14×12 — ⋆ rot180(W) = δ_a(10×8)") {
    wb::Rng rng(3);
    const Map A = wb::random_tensor<double>(wb::Shape{1, 1, 10, 8}, rng);
    const Map W = wb::random_tensor<double>(wb::Shape{1, 1, 5, 5}, rng);
    const Map Z = wb::conv2d_forward(A, W, {0.0});
    CHECK(Z.shape() == wb::Shape{1, 1, 6, 4});
    const Map G = wb::random_tensor<double>(Z.shape(), rng);
    CHECK(wb::pad(G, 4).shape() == wb::Shape{1, 1, 14, 12});
    const Map back = delta_out_eq8(G, W);
    // The annotator computed a height of 9; it is 14 − 5 + 1 = 10.
    CHECK(back.shape() == wb::Shape{1, 1, 10, 8});
    CHECK(wb::output_size(14, 5, 0, 1) == 10);
    // The annotator wrote "backward stride = 2": that would give 5×4, not the input's 10×8.
    CHECK(wb::cross_correlate(wb::pad(G, 4), wb::rot180(W), 2).shape() == wb::Shape{1, 1, 5, 4});
    const auto num = wb::conv_numerical_gradients(A, W, {0.0}, G, {});
    CHECK_CLOSE(back, num.delta_out, 1e-8);
}

TEST_CASE("001 §6.1.1: the sum as printed (δ_{i+m,j+n}) is wrong — δ_{i−m,j−n} is right") {
    const Map d = example_delta_in(), w = example_w();
    const Map truth = delta_out_eq8(d, w);
    CHECK_FALSE(delta_out_as_printed_in_001(d, w, 3, 3) == truth);
    CHECK_EXACT(delta_out_as_printed_in_001(d, w, 3, 3),
                (Map{{1 * 1 + 2 * -2 + 3 * 3 + 4 * 5, 1 * -2 + 3 * 5, 0}, {1 * 3 + 2 * 5, 5, 0}, {0, 0, 0}}));
    CHECK_EXACT(delta_out_corrected_sum(d, w, 3, 3), truth);
}

TEST_CASE("004 §四.1.2.1: the sum over i' = 1…m, j' = 1…n (the kernel's size) misses terms — all outputs of layer l are needed") {
    // 5×5 input, 2×2 kernel: layer l is 4×4, larger than the kernel, so the bounds matter.
    wb::Rng rng(412);
    const Map a = wbtest::random_int_map(wb::Shape{1, 1, 5, 5}, rng);
    const Map w{{1, 2}, {3, 4}};
    const Map d = wbtest::random_int_map(wb::Shape{1, 1, 4, 4}, rng);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    const Map right = delta_out_corrected_sum(d, w, 5, 5);
    CHECK_CLOSE(right, num.delta_out, 1e-9);
    CHECK_EXACT(delta_out_eq8(d, w), right);
    const Map printed = delta_out_as_printed_in_004(d, w, 5, 5);
    CHECK(printed(4, 4) == 0);  // needs δ_{3,3}, beyond i' ≤ 2
    CHECK(right(4, 4) == 4 * d(3, 3));
    CHECK(wb::relative_error(printed, right) > 1e-2);
    // Eqs 4.2–4.3 also need δ^l padded by m−1 zeros: unpadded, the turned kernel over δ^l
    // gives 3×3, not the 5×5 of layer l−1.
    CHECK(wb::cross_correlate(d, wb::rot180(w)).shape() == wb::Shape{1, 1, 3, 3});
}
