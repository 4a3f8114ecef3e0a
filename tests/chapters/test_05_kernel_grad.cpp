// Chapter 05: the kernel and bias gradients. The notes' element formulas asserted symbol
// for symbol, δw = A ⋆ δ_in with and without a stride, ∂J/∂b = Σδ, 003's forms, and the
// three rules of 002 for a whole layer, each against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <span>

#include "01_conv_forward/conv_forward.hpp"
#include "02_delta_2x2/delta_2x2.hpp"
#include "05_kernel_grad/kernel_grad.hpp"
#include "check.hpp"
#include "conv_check.hpp"
#include "random.hpp"

using namespace ch05;

TEST_CASE("ch05: 000 §17.3.5 eqs 9–10 (= 001 §6.1.2 examples 1–2): ∂J/∂w11 and ∂J/∂w12, symbol for symbol") {
    CHECK(to_string(weight_formula(1, 1, 2, 2)) == "δz11·a11 + δz12·a12 + δz21·a21 + δz22·a22");
    CHECK(to_string(weight_formula(1, 2, 2, 2)) == "δz11·a12 + δz12·a13 + δz21·a22 + δz22·a23");
    // 000 introduces the second formula with "the same for W22", but what it derives is w12:
    // w22's sum is a different one.
    CHECK(to_string(weight_formula(2, 2, 2, 2)) == "δz11·a22 + δz12·a23 + δz21·a32 + δz22·a33");
    CHECK(to_string(weight_formula(2, 2, 2, 2)) != to_string(weight_formula(1, 2, 2, 2)));
}

TEST_CASE("ch05: 001 §6.1.2's general rule, 1-based as its examples: ∂E/∂w_ij = Σ δ_mn·a_{i+m−1,j+n−1} (printed a_{i+m,j+n}, one off)") {
    // The section's 3×3 input, 2×2 filter and 2×2 sensitivity map, with numbers.
    const Map a = ch02::example_a(), d = ch02::example_delta_in();
    const Map rule = grad_w_001_rule(a, d, 2, 2);
    CHECK_EXACT(rule, grad_w_by_elements(a, d, 2, 2));  // examples 1–2 and their siblings
    // Example 1: ∂E/∂w11 = δ11·a11 + δ12·a12 + δ21·a21 + δ22·a22 = 1·1 − 2·2 + 3·3 + 5·(−1).
    CHECK(rule(0, 0) == 1 - 4 + 9 - 5);
    const auto num = wb::conv_numerical_gradients(a, ch02::example_w(), {0.0}, d, {});
    CHECK_CLOSE(rule, num.dW, 1e-9);
}

TEST_CASE("ch05: 000 §17.3.5 eq 11: δw = A ⋆ δ_in = element formulas = hand loop = FD") {
    const Map a = ch02::example_a(), w = ch02::example_w(), d = ch02::example_delta_in();
    // By hand: w11 = 1·1 + (−2)·2 + 3·3 + 5·(−1) = 1; w12 = 1·2 + (−2)·0 + 3·(−1) + 5·2 = 9; …
    const Map expected{{1, 9}, {25, 12}};
    CHECK_EXACT(grad_w_rule(a, d), expected);
    CHECK_EXACT(grad_w_by_elements(a, d, 2, 2), expected);
    CHECK_EXACT(wb::conv2d_backward(a, w, d).dW, expected);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    CHECK_CLOSE(expected, num.dW, 1e-9);
}

TEST_CASE("ch05: 001 §6.1.2 (stride S): δw through stride 2 by zero insertion, 001 §5.1.2's layer") {
    const Map x = ch01::image_5x5(), k = ch01::filter_3x3(), d = stride_delta();
    const wb::ConvSpec spec{2, 0};
    // Expected from a plain-Python loop Σ δ_ij·x[2i+p][2j+q], run once by hand.
    const Map expected{{3, 4, 6}, {2, 3, 3}, {2, 1, 2}};
    CHECK(to_string(weight_formula(1, 1, 2, 2, 2)) == "δz11·a11 + δz12·a13 + δz21·a31 + δz22·a33");
    CHECK_EXACT(grad_w_by_elements(x, d, 3, 3, 2), expected);
    CHECK_EXACT(grad_w_strided(x, d, k.shape(), spec), expected);
    CHECK_EXACT(wb::conv2d_backward(x, k, d, spec).dW, expected);
    const auto num = wb::conv_numerical_gradients(x, k, {0.0}, d, spec);
    CHECK_CLOSE(expected, num.dW, 1e-9);
    // Without zero insertion the error map is too small a kernel: 4×4, not 3×3.
    CHECK(grad_w_rule(x, d).shape() == wb::Shape{1, 1, 4, 4});
}

TEST_CASE("ch05: 000 §17.3.6 eqs 12–13: ∂J/∂b is the sum of δ_in (one number), not δ_in itself") {
    const Map a = ch02::example_a(), w = ch02::example_w(), d = ch02::example_delta_in();
    const auto num = wb::conv_numerical_gradients(a, w, {0.25}, d, {});
    REQUIRE(num.db.size() == 1);          // one kernel, one bias …
    CHECK(d.size() == 4);                 // … while eq 13's δ_in has four elements
    CHECK(grad_b_sum(d) == 7);            // 1 − 2 + 3 + 5
    CHECK(std::abs(num.db[0] - 7) < 1e-9);
    CHECK(wb::conv2d_backward(a, w, d).db == std::vector<double>{7});
    CHECK(wb::grad_b(d) == std::vector<double>{7});  // the rule: one number per kernel
    // 003 §3.2 eq 31: the same sum as 1_{n_H×n_W} ⋆ δ.
    CHECK_EXACT(grad_b_003(d), (Map{{7}}));
}

TEST_CASE("ch05: 000 §17.3.6, 002: one bias per kernel, whatever the channel count") {
    wb::Rng rng(55);
    const Map A = wb::random_tensor<double>(wb::Shape{2, 3, 5, 5}, rng);
    const Map W = wb::random_tensor<double>(wb::Shape{2, 3, 3, 3}, rng);
    const Map D = wb::random_tensor<double>(wb::Shape{2, 2, 3, 3}, rng);
    const auto num = wb::conv_numerical_gradients(A, W, {0.1, 0.2}, D, {});
    std::vector<double> sums(2, 0.0);  // by hand: every δ of kernel k, over the batch
    for (int n = 0; n < 2; ++n)
        for (int k = 0; k < 2; ++k) sums[static_cast<std::size_t>(k)] += grad_b_sum(D.plane(n, k));
    CHECK_CLOSE(wb::grad_b(D), sums, 1e-14);
    CHECK_CLOSE(sums, num.db, 1e-9);
}

namespace {
/// A 6×5 input, a 3×3 kernel and a 4×3 ∂J/∂Z, with ∂J/∂W by finite differences: the case
/// the 003 §3.1 tests judge eq 29's forms on.
struct Eq29Case {
    Map a, dz, dW;
};
Eq29Case eq29_case() {
    wb::Rng rng(29);
    const Map a = wb::random_tensor<double>(wb::Shape{1, 1, 6, 5}, rng);
    const Map w = wb::random_tensor<double>(wb::Shape{1, 1, 3, 3}, rng);
    const Map dz = wb::random_tensor<double>(wb::Shape{1, 1, 4, 3}, rng);
    return {a, dz, wb::conv_numerical_gradients(a, w, {0.0}, dz, {}).dW};
}
}  // namespace

TEST_CASE("ch05: 003 §3.1 eqs 28–29: ∂J/∂W = A ⋆ ∂J/∂Z — the printed ∂J/∂Z ⋆ A gives rot180 of it") {
    const auto [a, dz, dW] = eq29_case();
    CHECK_CLOSE(grad_w_003_eq28(a, dz, 3), dW, 1e-7);
    CHECK_CLOSE(grad_w_rule(a, dz), dW, 1e-7);  // §3.3's order, g(Z^[l−1]) ⋆ ∂J/∂Z
    const Map printed = grad_w_003_eq29_as_printed(a, dz);
    CHECK_CLOSE(printed, wb::rot180(dW), 1e-7);
    CHECK(wb::relative_error(printed, dW) > 1e-2);
}

TEST_CASE("ch05: 003 §3.3 eq 37: ∂J/∂Z^[l] = (∂J/∂Z^[l+1] full-conv W) ⊙ g′(Z^[l]), pad f−1") {
    wb::Rng rng(37);
    for (int f = 1; f <= 4; ++f) {
        CAPTURE(f);
        const Map zl = wb::random_tensor<double>(wb::Shape{1, 1, 6, 7}, rng);
        const Map w = wb::random_tensor<double>(wb::Shape{1, 1, f, f}, rng);
        const Map G = wb::random_tensor<double>(wb::Shape{1, 1, 7 - f, 8 - f}, rng);
        Map z = zl;
        const auto num = wb::numerical_vjp(
            [&] { return wb::conv2d_forward(wb::tanh_forward(z), w, {0.0}).values(); },
            std::span<double>(z.values()), std::span<const double>(G.values()), 1e-5);
        CHECK(wb::relative_error(dz_prev_003(G, w, zl).values(), num) < 1e-7);
        // The padding is n_H^[l] − n_H^[l+1] = f − 1 (003 prints the difference the other way).
        CHECK(zl.h() - G.h() == f - 1);
        CHECK(G.h() - zl.h() == 1 - f);
        CHECK_CLOSE(wb::convolve_full(G, w), ch02::delta_out_eq8(G, w), 1e-14);
        // 003 writes the same "*" for convolution and cross-correlation (§3, note 1); eq 37's
        // second form, full ⋆ with ROT180(W), is right only as a cross-correlation: read as a
        // convolution it turns the kernel twice.
        CHECK_CLOSE(wb::cross_correlate(wb::pad(G, f - 1), wb::rot180(w)), ch02::delta_out_eq8(G, w), 1e-14);
        if (f >= 2) CHECK(wb::relative_error(wb::convolve_full(G, wb::rot180(w)), ch02::delta_out_eq8(G, w)) > 1e-2);
    }
}

TEST_CASE("ch05: 002 summary: the three rules for a whole layer = FD (random S 1–3, P 0–2, C, K 1–4)") {
    wb::Rng rng(505);
    for (int trial = 0; trial < 40; ++trial) {
        const wb::ConvSpec spec{1 + rng.below(3), rng.below(3)};
        const int C = 1 + rng.below(4), K = 1 + rng.below(4), f = 1 + rng.below(4);
        const int h = std::max(1, f - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        const int wd = std::max(1, f - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        CAPTURE(spec.stride); CAPTURE(spec.pad); CAPTURE(C); CAPTURE(K); CAPTURE(f); CAPTURE(h); CAPTURE(wd);
        const Map A = wb::random_tensor<double>(wb::Shape{1 + rng.below(2), C, h, wd}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{K, C, f, f}, rng);
        std::vector<double> b(static_cast<std::size_t>(K));
        for (auto& v : b) v = rng.uniform(-1, 1);
        const Map D = wb::random_tensor<double>(wb::conv2d_forward(A, W, b, spec).shape(), rng);
        const auto g = layer_gradients(A, W, D, spec);
        const auto err = wb::conv_gradient_errors(g, wb::conv_numerical_gradients(A, W, b, D, spec));
        CHECK(err.delta_out < 1e-7);
        CHECK(err.dW < 1e-7);
        CHECK(err.db < 1e-7);
        // For one channel and one kernel the kernel rule is chapter 05's map function.
        if (C == 1 && K == 1 && A.n() == 1)
            CHECK_CLOSE(grad_w_strided(A, D, W.shape(), spec), g.dW, 1e-12);
    }
}

TEST_CASE("ch05: 004 eq 4.4 (and 001 §6.1.2's a^l): the kernel gradient slides δ^l over the layer's input, not its output") {
    wb::Rng rng(44);
    const Map a = wb::random_tensor<double>(wb::Shape{1, 1, 5, 6}, rng);  // a^{l−1}, identity σ
    const Map w = wb::random_tensor<double>(wb::Shape{1, 1, 2, 3}, rng);  // m×n = 2×3
    const Map z = wb::conv2d_forward(a, w, {0.0});                        // z^l: 4×4
    const Map d = wb::random_tensor<double>(z.shape(), rng);              // δ^l: 4×4
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    CHECK_CLOSE(grad_w_rule(a, d), num.dW, 1e-7);
    // As printed, δ^l * σ(z^l): z^l has δ^l's shape, so the "gradient" is one number.
    CHECK(grad_w_as_printed_in_004(z, d).shape() == wb::Shape{1, 1, 1, 1});
    CHECK(w.shape() == wb::Shape{1, 1, 2, 3});
}

TEST_CASE("ch05: 003 §3.1 eq 29's bracket: ∂J/∂Z * ROT180(A) turns the wrong operand — A * ROT180(∂J/∂Z) is right") {
    const auto [a, dz, dW] = eq29_case();
    CHECK_CLOSE(grad_w_003_eq29_bracket(a, dz), dW, 1e-7);
    const Map printed = grad_w_003_eq29_bracket_as_printed(a, dz);
    CHECK(printed.shape() == wb::Shape{1, 1, 4 + 6 - 1, 3 + 5 - 1});  // not 3×3
    Map block(wb::Shape{1, 1, 3, 3});
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) block(r, c) = printed(r + 4 - 1, c + 3 - 1);
    CHECK_CLOSE(block, wb::rot180(dW), 1e-7);
    CHECK(wb::relative_error(block, dW) > 1e-2);
}

TEST_CASE("ch05: 003 §3 note 3: A^[l] has layer l's shape n_H^[l] = n_H^[l−1] − f + 1, not n_H^[l−1]") {
    const Map a_prev(wb::Shape{1, 1, 6, 7}, 1.0);
    const Map w(wb::Shape{1, 1, 3, 3}, 1.0);
    const Map a = wb::conv2d_forward(a_prev, w, {0.0});
    CHECK(a.shape() == wb::Shape{1, 1, 4, 5});
    CHECK_FALSE(a.shape() == a_prev.shape());
}

TEST_CASE("ch05: 003 §3.3's example: ∂J/∂z^[l]_[2,2] takes w_[2,2] from ∂J/∂z^[l+1]_[0,0] (f = 3), which needs the f−1 = 2 padding") {
    const Map w{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    Map e(wb::Shape{1, 1, 3, 3});
    e(0, 0) = 1;  // ∂J/∂Z^[l+1] = 1 at [x', y'] = [0, 0], 0 elsewhere; g′ = 1
    const Map d = ch02::delta_out_eq8(e, w);
    REQUIRE(d.shape() == wb::Shape{1, 1, 5, 5});
    CHECK(d(2, 2) == 9);  // w_[x−x', y−y'] = w_[2,2]
    for (int x = 0; x < 3; ++x)
        for (int y = 0; y < 3; ++y) CHECK(d(x, y) == w(x, y));
    CHECK_EXACT(wb::convolve_full(e, w), d);
    // Without the padding the window at [0,0] never reaches w_[2,2]'s partner: the unpadded
    // turned kernel over ∂J/∂Z^[l+1] is 1×1.
    CHECK(wb::cross_correlate(e, wb::rot180(w)).shape() == wb::Shape{1, 1, 1, 1});
}
