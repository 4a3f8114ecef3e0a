// Chapter 04: several kernels and several input channels. The notes' element formulas
// asserted symbol for symbol, the index slip of 000 §17.3.4 settled, 001's eq 9 bounds
// tested, and INDEX.md's multi-channel test vectors pinned.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "01_conv_forward/conv_forward.hpp"
#include "04_channels/channels.hpp"
#include "check.hpp"
#include "conv_check.hpp"
#include "random.hpp"

using namespace ch04;

TEST_CASE("ch04: 000 §17.3.3: ∂J/∂a22 with two kernels, term for term as the notes write it") {
    CHECK(to_string(several_kernels_formula(2, 2, 3, 3, 2, 2, 2)) ==
          "δz111·w122 + δz112·w121 + δz121·w112 + δz122·w111 + "
          "δz211·w222 + δz212·w221 + δz221·w212 + δz222·w211");
}

TEST_CASE("ch04: 000 §17.3.3 eq 9: Σ_m pad(δ_m) ⋆ rot180(W_m) = element formulas = hand loop = FD") {
    const Map a = kernels_a(), w = kernels_w(), d = kernels_delta();
    // Expected from a plain-Python scatter loop over both kernels, run once by hand.
    const Map expected{{-1, -1, -4}, {11, 10, 3}, {7, 32, 23}};
    CHECK_EXACT(delta_out_channel(d, w, 0), expected);
    for (int u = 1; u <= 3; ++u)
        for (int v = 1; v <= 3; ++v)
            CHECK(evaluate(several_kernels_formula(u, v, 3, 3, 2, 2, 2), d, w) == expected(u - 1, v - 1));
    CHECK_EXACT(wb::conv2d_backward(a, w, d).delta_out, expected);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0, 0.0}, d, {});
    CHECK_CLOSE(expected, num.delta_out, 1e-9);
}

TEST_CASE("ch04: 000 §17.3.4 eqs 14–15: one δ per input channel, from its own kernel slice") {
    const Map a = channels_a(), w = channels_w(), d = channels_delta();
    // Expected from a plain-Python scatter loop, one channel at a time, run once by hand.
    const Map expected = Map::from(wb::Shape{1, 2, 3, 3}, {1, 0, -4, 6, 9, 2, 9, 27, 20,
                                                           0, -1, 2, 2, -6, -7, 6, 13, 5});
    CHECK_EXACT(delta_out_all_channels(d, w), expected);
    CHECK_EXACT(wb::conv2d_backward(a, w, d).delta_out, expected);
    const auto num = wb::conv_numerical_gradients(a, w, {0.5}, d, {});
    CHECK_CLOSE(expected, num.delta_out, 1e-9);
    // Eqs 10–13: one kernel, however many slices, gives one map and takes one bias.
    CHECK(wb::conv2d_forward(a, w, {0.5}).shape() == wb::Shape{1, 1, 2, 2});
    CHECK_THROWS_AS(wb::conv2d_forward(a, w, {0.5, 0.5}), std::invalid_argument);
}

TEST_CASE("ch04: 000 §17.3.4 index slip: the formulas are ∂J/∂a122 and ∂J/∂a222, not a111 and a211") {
    // The right-hand sides as 000 §17.3.4 prints them.
    const std::string printed1 = "δz11·w122 + δz12·w121 + δz21·w112 + δz22·w111";
    const std::string printed2 = "δz11·w222 + δz12·w221 + δz21·w212 + δz22·w211";
    CHECK(to_string(several_channels_formula(1, 2, 2, 3, 3, 2, 2)) == printed1);
    CHECK(to_string(several_channels_formula(2, 2, 2, 3, 3, 2, 2)) == printed2);
    CHECK(to_string(several_channels_formula(1, 1, 1, 3, 3, 2, 2)) == "δz11·w111");
    CHECK(to_string(several_channels_formula(2, 1, 1, 3, 3, 2, 2)) == "δz11·w211");
    // And by finite differences: the printed sum is the gradient at a122, not at a111.
    const Map a = channels_a(), w = channels_w(), d = channels_delta();
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    const double sum1 = evaluate(several_channels_formula(1, 2, 2, 3, 3, 2, 2), d, w);
    const double sum2 = evaluate(several_channels_formula(2, 2, 2, 3, 3, 2, 2), d, w);
    CHECK(sum1 == 9);  // 1·4 + (−2)·3 + 3·2 + 5·1
    CHECK(std::abs(num.delta_out(0, 0, 1, 1) - sum1) < 1e-9);
    CHECK(std::abs(num.delta_out(0, 0, 0, 0) - sum1) > 1);
    CHECK(sum2 == -6);  // 1·1 + (−2)·2 + 3·(−1) + 5·0
    CHECK(std::abs(num.delta_out(0, 1, 1, 1) - sum2) < 1e-9);
    CHECK(std::abs(num.delta_out(0, 1, 0, 0) - sum2) > 1);
}

TEST_CASE("ch04: 001 §6.1.1 eq 9: the sum runs over the N filters, not d = 0…D") {
    wb::Rng rng(41);
    // D = 3 channels, N = 2 filters: d = 0…D asks for sensitivity maps that do not exist.
    {
        const Map A = wb::random_tensor<double>(wb::Shape{1, 3, 5, 5}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{2, 3, 3, 3}, rng);
        const Map G = wb::random_tensor<double>(wb::Shape{1, 2, 3, 3}, rng);
        CHECK_THROWS_AS(delta_out_summing_0_to_D(G, W), std::invalid_argument);
        const auto num = wb::conv_numerical_gradients(A, W, {0.0, 0.0}, G, {});
        CHECK_CLOSE(delta_out_all_channels(G, W), num.delta_out, 1e-7);
        CHECK(delta_out_all_channels(G, W).shape().c == 3);  // D maps, not N
    }
    // D = 2 channels, N = 5 filters: d = 0…D sums only filters 0–2 and misses 3 and 4.
    {
        const Map A = wb::random_tensor<double>(wb::Shape{1, 2, 5, 5}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{5, 2, 3, 3}, rng);
        const Map G = wb::random_tensor<double>(wb::Shape{1, 5, 3, 3}, rng);
        const auto num = wb::conv_numerical_gradients(A, W, std::vector<double>(5, 0.0), G, {});
        CHECK(wb::relative_error(delta_out_summing_0_to_D(G, W), num.delta_out) > 1e-2);
        CHECK_CLOSE(delta_out_all_channels(G, W), num.delta_out, 1e-7);
    }
}

TEST_CASE("ch04: INDEX.md test vectors (001 §5.1.3 layer): forward, ∂J/∂W, ∂J/∂b, δ_out") {
    const Map x = ch01::depth_input(), w = ch01::depth_filters(), d = depth_delta_in();
    const auto b = ch01::depth_bias();
    const wb::ConvSpec spec = ch01::depth_spec;
    // Every expected value below comes from an independent plain-Python loop over the
    // padded input, run once by hand (not from this program's output).
    CHECK_EXACT(wb::conv2d_forward(x, w, b, spec),
                Map::from(wb::Shape{1, 2, 3, 3}, {6, 7, 5, 3, -1, -1, 2, -1, 4,
                                                  2, -5, -8, 1, -4, -4, 0, -5, -5}));
    const Map dW = Map::from(wb::Shape{2, 3, 3, 3},
                             {8, 10, 9, 5, 6, 6, 6, 5, 4,   4, 1, 4, 10, 9, 12, 2, 2, 2,
                              2, 2, 3, 5, 8, 5, 7, 8, 7,    2, 2, 1, 4, 7, 3, 4, 4, 2,
                              0, 1, 0, 9, 5, 4, 4, 0, 0,    4, 6, 5, 2, 5, 2, 2, 1, 0});
    const std::vector<double> db{9, 7};
    const Map dA = Map::from(wb::Shape{1, 3, 5, 5},
                             {-1, 1, 1, -2, -1,  1, -1, 3, -1, 1,  2, 0, 2, 0, 2,  4, 3, 4, 1, 3,  0, -1, -2, 1, -1,
                              0, -1, 0, -2, 0,  -1, -2, -3, -4, -1,  0, 0, 0, 0, 0,  -2, 0, 0, 0, -1,  0, -3, 0, -3, 0,
                              0, 1, 1, -2, 1,  0, -1, -1, -4, -1,  2, 0, 2, 0, 2,  -2, -3, -2, -1, -2,  1, -1, 0, 1, 0});
    const auto g = wb::conv2d_backward(x, w, d, spec);
    CHECK_EXACT(g.dW, dW);
    CHECK_EXACT(g.db, db);
    CHECK_EXACT(g.delta_out, dA);
    CHECK_EXACT(wb::grad_w_by_rule(x, d, w.shape(), spec), dW);
    CHECK_EXACT(wb::grad_b(d), db);
    CHECK_EXACT(wb::delta_out_by_rule(d, w, x.shape(), spec), dA);
    const auto num = wb::conv_numerical_gradients(x, w, b, d, spec);
    CHECK_CLOSE(dW, num.dW, 1e-9);
    CHECK_CLOSE(db, num.db, 1e-9);
    CHECK_CLOSE(dA, num.delta_out, 1e-9);
}

TEST_CASE("ch04: property (000 §17.3.3–17.3.4): per-channel rule = FD, K kernels × C channels, 1–4 each") {
    wb::Rng rng(404);
    for (int trial = 0; trial < 40; ++trial) {
        const int K = 1 + rng.below(4), C = 1 + rng.below(4), f = 1 + rng.below(4);
        const int h = f + rng.below(4), wd = f + rng.below(4);
        CAPTURE(K); CAPTURE(C); CAPTURE(f); CAPTURE(h); CAPTURE(wd);
        const Map A = wb::random_tensor<double>(wb::Shape{1, C, h, wd}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{K, C, f, f}, rng);
        const Map G = wb::random_tensor<double>(wb::Shape{1, K, h - f + 1, wd - f + 1}, rng);
        const auto num = wb::conv_numerical_gradients(A, W, std::vector<double>(K, 0.0), G, {});
        CHECK_CLOSE(delta_out_all_channels(G, W), num.delta_out, 1e-7);
    }
}
