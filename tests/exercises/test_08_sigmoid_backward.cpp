// Verdict for exercise 08_sigmoid_backward.
#include <doctest/doctest.h>

#include <span>

#include "08_sigmoid_backward/sigmoid_backward.hpp"
#include "activation.hpp"
#include "check.hpp"
#include "gradcheck.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("001 §2: at z = 0 the factor is 1/4 — far out it vanishes") {
    CHECK_CLOSE(ex::sigmoid_backward(Map{{0, 0}}, Map{{2, 4}}), (Map{{0.5, 1}}), 1e-15);
    // σ′(−30) = e⁻³⁰/(1 + e⁻³⁰)² ≈ 9.3576e-14 (mpmath, 30 digits): tiny, and still positive.
    CHECK_CLOSE(ex::sigmoid_backward(Map{{-30}}, Map{{1}}), (Map{{9.357622968838423e-14}}), 1e-12);
}

TEST_CASE("random 4-D tensors match finite differences of Σ dA ⊙ σ(Z)") {
    wb::Rng rng(808);
    for (int trial = 0; trial < 10; ++trial) {
        Map z = wb::random_tensor<double>(wb::Shape{1 + rng.below(2), 1 + rng.below(3), 3, 4}, rng, -4, 4);
        const Map g = wb::random_tensor<double>(z.shape(), rng);
        INFO("inputs: " << wbtest::shapes({{"Z", z.shape()}, {"dA", g.shape()}}));
        const Map mine = ex::sigmoid_backward(z, g);
        const auto num = wb::numerical_vjp([&] { return wb::sigmoid(z).values(); },
                                           std::span<double>(z.values()), std::span<const double>(g.values()));
        CHECK_CLOSE(mine.values(), num, 1e-7);
    }
}
