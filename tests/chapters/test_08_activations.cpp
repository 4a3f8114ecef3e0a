// Chapter 08: activations. 001 §2's bound on σ′ and its consequence for a chain of layers,
// 001 §3's parameter count, and ReLU's derivative convention.
#include <doctest/doctest.h>

#include <cmath>

#include "01_conv_forward/conv_forward.hpp"
#include "08_activations/activations.hpp"
#include "check.hpp"

using namespace ch08;

TEST_CASE("001 §2: σ′ is at most 1/4, reached at z = 0 only") {
    CHECK(wb::sigmoid_prime(0.0) == 0.25);
    for (int i = -10000; i <= 10000; ++i) {
        const double z = i / 1000.0;
        if (i != 0) CHECK(wb::sigmoid_prime(z) < 0.25);
    }
    // σ′(1) = σ(1)(1 − σ(1)) = e/(1 + e)² ≈ 0.19661193324148185
    CHECK(std::abs(wb::sigmoid_prime(1.0) - std::exp(1.0) / std::pow(1 + std::exp(1.0), 2)) < 1e-16);
}

TEST_CASE("001 §2: k sigmoid layers scale a gradient by at most (1/4)^k — active ReLUs by exactly 1") {
    CHECK(sigmoid_chain_bound(1) == 0.25);
    CHECK(sigmoid_chain_bound(10) == 1.0 / 1048576.0);  // 4^10 = 1,048,576
    wb::Rng rng(81);
    for (int k = 1; k <= 30; ++k) {
        CHECK(sigmoid_chain_sample(k, rng) < sigmoid_chain_bound(k));
        CHECK(relu_chain_active(k) == 1.0);
    }
}

TEST_CASE("001 §2: ReLU passes 1 where z > 0 and 0 where z < 0 (001 only says 'the derivative is 1')") {
    CHECK(wb::relu_prime(3.0) == 1.0);
    CHECK(wb::relu_prime(-3.0) == 0.0);
    CHECK(wb::relu_prime(0.0) == 0.0);  // our convention at the kink
}

TEST_CASE("001 §3: (1000·1000 + 1)·100 = 100,000,100 ≈ 1亿 (10^8), rounded") {
    CHECK(dense_parameters(1000 * 1000, 100) == 100000100);
    CHECK(dense_parameters(1000 * 1000, 100) != 100000000);
}

TEST_CASE("a convolution layer's count does not depend on the image: 100 filters 5×5×1 → 2,600") {
    CHECK(ch01::conv_parameters(5, 1, 100) == 2600);
    CHECK(ch01::conv_parameters(3, 3, 2) == 56);  // 001 §5.1.3: two 3×3×3 filters with biases
}
