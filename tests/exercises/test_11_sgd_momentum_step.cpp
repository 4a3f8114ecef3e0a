// Verdict for exercise 11_sgd_momentum_step.
#include <doctest/doctest.h>

#include "11_lenet/lenet.hpp"
#include "11_sgd_momentum_step/sgd_momentum_step.hpp"
#include "check.hpp"

using Vec = std::vector<float>;

namespace {
/// w and v after one of your steps, each value named (w₀ w₁ … v₀ v₁ …), so one comparison
/// shows both and names the value that differs.
wbtest::Named<float> step(Vec w, Vec v, const Vec& g, float lr, float mu, float l2) {
    ex::sgd_momentum_step(w, v, g, lr, mu, l2);
    return wbtest::named<float>({{"w", w}, {"v", v}});
}
wbtest::Named<float> wv(const Vec& w, const Vec& v) { return wbtest::named<float>({{"w", w}, {"v", v}}); }
}  // namespace

TEST_CASE("by hand: w = (1, −2), v = (0.5, 0), g = (0.25, 1), η = μ = 0.5, no L2") {
    // v = 0.5·0.5 + 0.25 = 0.5 and 0 + 1 = 1; w = 1 − 0.5·0.5 = 0.75 and −2 − 0.5·1 = −2.5
    CHECK_EXACT(step({1, -2}, {0.5f, 0}, {0.25f, 1}, 0.5f, 0.5f, 0), wv({0.75f, -2.5f}, {0.5f, 1}));
}

TEST_CASE("by hand with L2 λ = 0.5: the gradient gains λ·w before the velocity") {
    // g' = (0.25 + 0.5, 1 − 1) = (0.75, 0); v = (1, 0); w = (0.5, −2)
    CHECK_EXACT(step({1, -2}, {0.5f, 0}, {0.25f, 1}, 0.5f, 0.5f, 0.5f), wv({0.5f, -2}, {1, 0}));
}

TEST_CASE("momentum keeps moving the weight after the gradient is gone") {
    // A zero gradient, no L2: v = μ·v = (0.45, −0.9), w = w − 0.1·v
    CHECK_CLOSE(step({2, 3}, {0.5f, -1}, {0, 0}, 0.1f, 0.9f, 0), wv({1.955f, 3.09f}, {0.45f, -0.9f}), 1e-6);
}

TEST_CASE("ten steps on random tensors follow the trainer's own step (chapter 11)") {
    wb::Rng rng(42);
    Vec w0(300);
    for (auto& x : w0) x = static_cast<float>(rng.normal(0, 0.1));
    std::vector<Vec> grads(10, Vec(300));
    for (auto& g : grads)
        for (auto& x : g) x = static_cast<float>(rng.normal(0, 1));
    // The trainer's step takes the gradient with the L2 term already added.
    Vec w2 = w0, v2(300, 0);
    for (const auto& g : grads) {
        Vec g2(300);
        for (std::size_t i = 0; i < g.size(); ++i) g2[i] = g[i] + 5e-4f * w2[i];
        ch11::sgd_momentum_step<float>(w2, v2, g2, 0.03f, 0.9f);
    }
    const auto learner = [&] {
        Vec w = w0, v(300, 0);
        for (const auto& g : grads) ex::sgd_momentum_step(w, v, g, 0.03f, 0.9f, 5e-4f);
        return wv(w, v);
    };
    CHECK_CLOSE(learner(), wv(w2, v2), 1e-5);
}
