// Activation layers (001 §2, 003 §2.2): values, the kink convention of ReLU, overflow-free
// sigmoid, and every backward against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <span>

#include "activation.hpp"
#include "check.hpp"
#include "gradcheck.hpp"
#include "random.hpp"

using wb::Shape;
using M = wb::Tensor<double>;

TEST_CASE("001 §2: ReLU f(x) = max(0, x), elementwise on any shape") {
    const M z = M::from(Shape{1, 2, 1, 3}, {-2, 0, 3, 1.5, -0.5, 7});
    CHECK_EXACT(wb::relu(z), (M::from(Shape{1, 2, 1, 3}, {0, 0, 3, 1.5, 0, 7})));
}

TEST_CASE("ReLU's derivative at exactly 0 is taken as 0 (stated choice), 1 above, 0 below") {
    const M z{{-1, 0, 2}};
    CHECK_EXACT(wb::relu_backward(z, M{{5, 5, 5}}), (M{{0, 0, 5}}));
    CHECK(wb::relu_prime(0.0) == 0.0);
}

TEST_CASE("ReLU passes a NaN on (as PyTorch), so that it reaches the loss instead of becoming 0") {
    const M a = wb::relu(M{{std::nan(""), -1, 2}});
    CHECK(std::isnan(a(0, 0)));
    CHECK(a(0, 1) == 0);
    CHECK(a(0, 2) == 2);
    CHECK(std::isnan(wb::relu_scalar(std::nanf(""))));
}

TEST_CASE("sigmoid and tanh: values at 0 and symmetry — σ never overflows") {
    const M z{{0, 2, -2}};
    const M s = wb::sigmoid(z);
    CHECK(s(0, 0) == 0.5);
    CHECK(s(0, 1) + s(0, 2) == doctest::Approx(1.0).epsilon(1e-15));  // σ(−z) = 1 − σ(z)
    CHECK(std::abs(s(0, 1) - 1 / (1 + std::exp(-2.0))) < 1e-16);
    const M t = wb::tanh_forward(z);
    CHECK(t(0, 0) == 0.0);
    CHECK(t(0, 1) == -t(0, 2));
    const M extreme{{-1000, 1000}};
    CHECK_EXACT(wb::sigmoid(extreme), (M{{0, 1}}));
    CHECK(wb::sigmoid_backward(extreme, M{{1, 1}}) == M{{0, 0}});
}

TEST_CASE("001 §2: σ′(z) = σ(z)(1 − σ(z)) peaks at 1/4 at z = 0 — tanh′ peaks at 1") {
    CHECK(wb::sigmoid_prime(0.0) == 0.25);
    CHECK(wb::tanh_prime(0.0) == 1.0);
    for (double z = -8; z <= 8; z += 0.01) {
        CHECK(wb::sigmoid_prime(z) <= 0.25);
        CHECK(wb::tanh_prime(z) <= 1.0);
    }
}

TEST_CASE("shape mismatch between dA and Z names both shapes") {
    CHECK_THROWS_WITH_AS(wb::relu_backward(M(Shape{1, 1, 3, 2}), M(Shape{1, 1, 2, 3})),
                         "relu_backward: dA (for Z 3×2) is 2×3, expected 3×2", std::invalid_argument);
    CHECK_THROWS_AS(wb::sigmoid_backward(M(Shape{2, 1, 2, 3}), M(Shape{1, 1, 2, 3})),
                    std::invalid_argument);
    CHECK_THROWS_AS(wb::tanh_backward(M(Shape{1, 1, 1, 2}), M(Shape{1, 1, 1, 3})),
                    std::invalid_argument);
}

namespace {
/// Worst relative error of backward(G, Z) against centred differences of Σ G ⊙ forward(Z).
template <class F, class B>
double check_layer(F forward, B backward, M z, const M& G, double h) {
    const auto num = wb::numerical_vjp([&] { return forward(z).values(); },
                                       std::span<double>(z.values()),
                                       std::span<const double>(G.values()), h);
    return wb::relative_error(backward(z, G).values(), num);
}

/// Random values with |z| ≥ 0.05: no finite-difference step crosses ReLU's kink.
M away_from_zero(Shape s, wb::Rng& rng) {
    M z = wb::random_tensor<double>(s, rng, 0.05, 3);
    for (auto& v : z)
        if (rng.below(2)) v = -v;
    return z;
}
}  // namespace

TEST_CASE("property: activation backward = finite differences over random shapes") {
    wb::Rng rng(808);
    double worst_relu = 0, worst_sigmoid = 0, worst_tanh = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const Shape s{1 + rng.below(2), 1 + rng.below(3), 1 + rng.below(5), 1 + rng.below(5)};
        CAPTURE(s.str());
        const M z = away_from_zero(s, rng);
        const M G = wb::random_tensor<double>(s, rng);
        // ReLU is linear on each side of the kink: step 1e-3, no truncation error.
        const double er = check_layer([](const M& x) { return wb::relu(x); },
                                      [](const M& x, const M& g) { return wb::relu_backward(x, g); },
                                      z, G, 1e-3);
        const double es = check_layer([](const M& x) { return wb::sigmoid(x); },
                                      [](const M& x, const M& g) { return wb::sigmoid_backward(x, g); },
                                      z, G, 1e-5);
        const double et = check_layer([](const M& x) { return wb::tanh_forward(x); },
                                      [](const M& x, const M& g) { return wb::tanh_backward(x, g); },
                                      z, G, 1e-5);
        CHECK(er < 1e-10);
        CHECK(es < 1e-7);
        CHECK(et < 1e-7);
        worst_relu = std::max(worst_relu, er);
        worst_sigmoid = std::max(worst_sigmoid, es);
        worst_tanh = std::max(worst_tanh, et);
    }
    MESSAGE("relu " << wb::sci(worst_relu) << ", sigmoid " << wb::sci(worst_sigmoid) << ", tanh "
                    << wb::sci(worst_tanh));
}
