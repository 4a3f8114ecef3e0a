// Softmax and cross-entropy (004 §三.5, §四.5): probabilities, numerical stability, the
// loss, label checks, and the joint gradient (P − T)/m against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <span>

#include "check.hpp"
#include "gradcheck.hpp"
#include "random.hpp"
#include "softmax.hpp"

using wb::Shape;
using M = wb::Tensor<double>;

TEST_CASE("softmax: every column is positive and sums to 1 — a constant shift changes nothing") {
    wb::Rng rng(909);
    for (int trial = 0; trial < 30; ++trial) {
        const M z = wb::random_tensor<double>(Shape{1, 1, 1 + rng.below(10), 1 + rng.below(4)}, rng, -5, 5);
        const M p = wb::softmax(z);
        for (int n = 0; n < z.w(); ++n) {
            double sum = 0;
            for (int k = 0; k < z.h(); ++k) {
                CHECK(p(k, n) > 0);
                sum += p(k, n);
            }
            CHECK(std::abs(sum - 1) < 1e-15);
        }
        M shifted = z;
        for (auto& v : shifted) v += 123.0;
        CHECK_CLOSE(wb::softmax(shifted), p, 1e-12);
    }
}

TEST_CASE("stable softmax: logits around 1000 stay finite (exp(1000) alone would be inf)") {
    CHECK(std::isinf(std::exp(1000.0)));
    const M z{{1000}, {999}, {-1000}};
    const M p = wb::softmax(z);
    // exp(0) : exp(−1) : exp(−2000) → 1/(1 + e⁻¹), e⁻¹/(1 + e⁻¹), 0
    CHECK(std::abs(p(0, 0) - 1 / (1 + std::exp(-1.0))) < 1e-15);
    CHECK(std::abs(p(1, 0) - std::exp(-1.0) / (1 + std::exp(-1.0))) < 1e-15);
    CHECK(p(2, 0) == 0.0);
    // In float too (LeNet's type): equal logits of 1000 give exactly 1/2 each.
    CHECK_EXACT(wb::softmax(wb::Tensor<float>{{1000.f}, {1000.f}}), (wb::Tensor<float>{{0.5f}, {0.5f}}));
}

TEST_CASE("cross-entropy: mean over the batch of −log P[label, n]") {
    const M p{{0.5, 0.25}, {0.25, 0.25}, {0.25, 0.5}};
    // (−log 0.5 − log 0.5)/2 = log 2
    CHECK(std::abs(wb::cross_entropy(p, {0, 2}) - std::log(2.0)) < 1e-15);
    // (−log 0.25 − log 0.25)/2 = log 4
    CHECK(std::abs(wb::cross_entropy(p, {1, 0}) - std::log(4.0)) < 1e-15);
    // uniform over K classes: log K
    CHECK(std::abs(wb::cross_entropy(wb::softmax(M(Shape{1, 1, 10, 3})), {0, 5, 9}) - std::log(10.0)) < 1e-14);
}

TEST_CASE("cross-entropy from the logits (log-sum-exp): finite where −log softmax is inf, as PyTorch") {
    // Two logits 500 apart, the true class the low one: e^{−500} underflows in float, so
    // P = 0 and −log P = inf; log-sum-exp gives 500 + log(1 + e^{−500}) = 500.
    const wb::Tensor<float> zf{{500.f}, {0.f}};
    CHECK(std::isinf(wb::cross_entropy(wb::softmax(zf), {1})));
    CHECK(wb::cross_entropy_logits(zf, {1}) == 500.f);
    CHECK(wb::cross_entropy_logits(zf, {0}) == 0.f);
    // In double the same happens 1000 apart; with a third logit the sum counts: 500 + log(1 + e^{−1}).
    CHECK(std::isinf(wb::cross_entropy(wb::softmax(M{{1000}, {0}}), {1})));
    CHECK(wb::cross_entropy_logits(M{{1000}, {0}}, {1}) == 1000.0);
    CHECK(std::abs(wb::cross_entropy_logits(M{{500}, {499}, {0}}, {2}) / (500 + std::log1p(std::exp(-1.0))) - 1) <
          1e-15);
    CHECK_THROWS_WITH_AS(wb::cross_entropy_logits(M(Shape{1, 1, 3, 2}), {0, 3}),
                         "cross_entropy_logits: label 3 of sample 1 is outside 0..2 (P is 3×2)",
                         std::invalid_argument);
}

TEST_CASE("property: cross_entropy_logits(Z) = cross_entropy(softmax(Z)) where both are finite (< 1e-14)") {
    wb::Rng rng(911);
    for (int trial = 0; trial < 100; ++trial) {
        const int K = 2 + rng.below(9), m = 1 + rng.below(4);
        const M z = wb::random_tensor<double>(Shape{1, 1, K, m}, rng, -30, 30);
        std::vector<int> labels(static_cast<std::size_t>(m));
        for (auto& l : labels) l = rng.below(K);
        const double a = wb::cross_entropy_logits(z, labels), b = wb::cross_entropy(wb::softmax(z), labels);
        CHECK(std::abs(a - b) <= 1e-14 * std::max(1.0, std::abs(b)));
    }
}

TEST_CASE("labels are checked: count and range") {
    const M p(Shape{1, 1, 3, 2}, 1.0 / 3);
    CHECK_THROWS_WITH_AS(wb::cross_entropy(p, {0}),
                         "cross_entropy: P is 3×2 (classes×batch) but 1 labels were given",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::cross_entropy(p, {0, 3}),
                         "cross_entropy: label 3 of sample 1 is outside 0..2 (P is 3×2)",
                         std::invalid_argument);
    CHECK_THROWS_AS(wb::softmax_ce_backward(p, {-1, 0}), std::invalid_argument);
    CHECK_THROWS_AS(wb::softmax(M(Shape{2, 1, 3, 2})), std::invalid_argument);
}

TEST_CASE("softmax_ce_backward = (P − T)/m on a hand example") {
    const M p{{0.5, 0.25}, {0.25, 0.25}, {0.25, 0.5}};
    CHECK_EXACT(wb::softmax_ce_backward(p, {0, 2}),
                (M{{-0.25, 0.125}, {0.125, 0.125}, {0.125, -0.25}}));
}

TEST_CASE("property: (P − T)/m = finite differences of J(Z) = CE(softmax(Z)), every class (< 1e-7)") {
    wb::Rng rng(910);
    double worst = 0;
    for (int trial = 0; trial < 100; ++trial) {
        const int K = 2 + rng.below(9), m = 1 + rng.below(4);
        CAPTURE(K);
        CAPTURE(m);
        M z = wb::random_tensor<double>(Shape{1, 1, K, m}, rng, -3, 3);
        std::vector<int> labels(static_cast<std::size_t>(m));
        for (auto& l : labels) l = rng.below(K);
        const auto num = wb::numerical_gradient(
            [&] { return wb::cross_entropy(wb::softmax(z), labels); }, std::span<double>(z.values()));
        const double e = wb::relative_error(wb::softmax_ce_backward(wb::softmax(z), labels).values(), num);
        worst = std::max(worst, e);
        CHECK(e < 1e-7);
    }
    MESSAGE("softmax + cross-entropy: worst relative error " << wb::sci(worst));
}
