// The convolution layer: naive backward vs finite differences vs the notes' rules, over
// random configurations (strides 1–3, padding 0–2, channels 1–4, kernels 1–4, batch 1–2,
// sizes chosen so that H + 2P − F is often not divisible by S).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "check.hpp"
#include "conv_check.hpp"
#include "random.hpp"

using wb::ConvSpec;
using wb::Shape;
using M = wb::Tensor<double>;

namespace {
struct Config {
    Shape a, w;
    ConvSpec spec;
    std::string str() const {
        return "A " + a.str() + ", W " + w.str() + ", S=" + std::to_string(spec.stride) +
               ", P=" + std::to_string(spec.pad);
    }
};

Config random_config(wb::Rng& rng) {
    Config c;
    c.spec = {1 + rng.below(3), rng.below(3)};
    const int channels = 1 + rng.below(4), kernels = 1 + rng.below(4);
    const int fh = 1 + rng.below(4), fw = 1 + rng.below(4);
    // Heights from just fitting the kernel to a few strides beyond, so every remainder
    // (H + 2P − F) mod S turns up.
    const int h = std::max(1, fh - 2 * c.spec.pad) + rng.below(3 * c.spec.stride + 2);
    const int w = std::max(1, fw - 2 * c.spec.pad) + rng.below(3 * c.spec.stride + 2);
    c.a = Shape{1 + rng.below(2), channels, h, w};
    c.w = Shape{kernels, channels, fh, fw};
    return c;
}
}  // namespace

TEST_CASE("conv2d_forward: bias per kernel, shapes, and shape errors") {
    const M a{{1, 2}, {3, 4}};
    const M w{{1}};
    CHECK_EXACT(wb::conv2d_forward(a, w, {10.0}), (M{{11, 12}, {13, 14}}));
    CHECK_EXACT(wb::conv2d_forward(a, w, {0.0}, {1, 1}),
                (M{{0, 0, 0, 0}, {0, 1, 2, 0}, {0, 3, 4, 0}, {0, 0, 0, 0}}));
    CHECK_THROWS_WITH_AS(wb::conv2d_forward(M(Shape{1, 3, 5, 5}), M(Shape{2, 2, 3, 3}), {0.0, 0.0}),
                         "conv2d_forward: input 1×3×5×5 has 3 channels, kernel 2×2×3×3 expects 2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::conv2d_forward(M(Shape{1, 2, 5, 5}), M(Shape{2, 2, 3, 3}), {0.0}),
                         "conv2d_forward: kernel 2×2×3×3 has 2 filters but 1 biases were given",
                         std::invalid_argument);
    CHECK_THROWS_AS(wb::conv2d_forward(a, M(Shape{1, 1, 3, 3}), {0.0}), std::invalid_argument);
    CHECK_THROWS_AS(wb::conv2d_forward(a, w, {0.0}, {0, 0}), std::invalid_argument);
}

TEST_CASE("conv2d_backward refuses a δ_in of the wrong shape, naming both") {
    const M a(Shape{1, 1, 5, 5}), w(Shape{1, 1, 3, 3});
    CHECK_THROWS_WITH_AS(wb::conv2d_backward(a, w, M(Shape{1, 1, 2, 2})),
                         "conv2d_backward: delta_in is 2×2, expected 3×3", std::invalid_argument);
    CHECK_THROWS_AS(wb::delta_out_by_rule(M(Shape{1, 1, 2, 2}), w, a.shape()), std::invalid_argument);
}

TEST_CASE("property: naive backward = finite differences = the notes' rules (random configs)") {
    wb::Rng rng(2024);
    int with_remainder = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const Config cfg = random_config(rng);
        CAPTURE(cfg.str());
        if ((cfg.a.h + 2 * cfg.spec.pad - cfg.w.h) % cfg.spec.stride != 0) ++with_remainder;
        const M a = wb::random_tensor<double>(cfg.a, rng);
        const M w = wb::random_tensor<double>(cfg.w, rng);
        std::vector<double> b(static_cast<std::size_t>(cfg.w.n));
        for (auto& v : b) v = rng.uniform(-1, 1);
        const M z = wb::conv2d_forward(a, w, b, cfg.spec);
        const M G = wb::random_tensor<double>(z.shape(), rng);

        const auto g = wb::conv2d_backward(a, w, G, cfg.spec);
        const auto num = wb::conv_numerical_gradients(a, w, b, G, cfg.spec);
        const auto err = wb::conv_gradient_errors(g, num);
        CHECK(err.delta_out < 1e-7);
        CHECK(err.dW < 1e-7);
        CHECK(err.db < 1e-7);

        CHECK_CLOSE(wb::delta_out_by_rule(G, w, cfg.a, cfg.spec), g.delta_out, 1e-12);
        CHECK_CLOSE(wb::grad_w_by_rule(a, G, cfg.w, cfg.spec), g.dW, 1e-12);
        CHECK_CLOSE(wb::grad_b(G), g.db, 1e-12);
    }
    // The generator must actually exercise the case the notes leave out.
    CHECK(with_remainder >= 10);
}

TEST_CASE("the finite-difference step 2^-10: over 300 random layers far closer than 1e-5 (the measurement conv_check.hpp states)") {
    // A convolution is linear in each single input, so the centred difference has no
    // truncation error and a larger step only shrinks the round-off.
    wb::Rng rng(300);
    double worst_big = 0, worst_small = 0;
    for (int trial = 0; trial < 300; ++trial) {
        const Config cfg = random_config(rng);
        const M a = wb::random_tensor<double>(cfg.a, rng);
        const M w = wb::random_tensor<double>(cfg.w, rng);
        std::vector<double> b(static_cast<std::size_t>(cfg.w.n));
        for (auto& v : b) v = rng.uniform(-1, 1);
        const M G = wb::random_tensor<double>(wb::conv2d_forward(a, w, b, cfg.spec).shape(), rng);
        const auto g = wb::conv2d_backward(a, w, G, cfg.spec);
        const auto worst = [&](double h) {
            const auto e = wb::conv_gradient_errors(g, wb::conv_numerical_gradients(a, w, b, G, cfg.spec, h));
            return std::max({e.delta_out, e.dW, e.db});
        };
        worst_big = std::max(worst_big, worst(0x1p-10));
        worst_small = std::max(worst_small, worst(1e-5));
    }
    MESSAGE("worst relative error over 300 layers: " << worst_big << " with h = 2^-10, "
                                                       << worst_small << " with h = 1e-5");
    CHECK(worst_big < 1e-8);
    CHECK(worst_small > 10 * worst_big);
}

TEST_CASE("finite differences catch a wrong backward (the check can fail)") {
    wb::Rng rng(5);
    const M a = wb::random_tensor<double>(Shape{1, 1, 5, 5}, rng);
    const M w = wb::random_tensor<double>(Shape{1, 1, 3, 3}, rng);
    const std::vector<double> b{0.1};
    const M G = wb::random_tensor<double>(Shape{1, 1, 3, 3}, rng);
    const auto num = wb::conv_numerical_gradients(a, w, b, G, {});
    // The rule with the 180° turn forgotten — the classic slip — is far off.
    const M unrotated = wb::cross_correlate(wb::pad(G, 2), w);
    CHECK(wb::relative_error(unrotated, num.delta_out) > 1e-2);
    // And so is a single wrong element of ∂J/∂W.
    auto g = wb::conv2d_backward(a, w, G);
    g.dW(0, 0, 1, 1) += 1e-3;
    CHECK(wb::relative_error(g.dW, num.dW) > 1e-5);
}
