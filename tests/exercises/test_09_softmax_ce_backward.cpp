// Verdict for exercise 09_softmax_ce_backward.
#include <doctest/doctest.h>

#include <span>

#include "09_softmax_ce_backward/softmax_ce_backward.hpp"
#include "check.hpp"
#include "gradcheck.hpp"
#include "softmax.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("004 §四.5: y − 1 for the true class, y for the others") {
    const Map p{{0.5}, {0.25}, {0.25}};
    CHECK_EXACT(ex::softmax_ce_backward(p, {0}), (Map{{-0.5}, {0.25}, {0.25}}));
    CHECK_EXACT(ex::softmax_ce_backward(p, {2}), (Map{{0.5}, {0.25}, {-0.75}}));
}

TEST_CASE("a batch: (P − T)/m") {
    const Map p{{0.5, 0.25}, {0.25, 0.25}, {0.25, 0.5}};
    CHECK_EXACT(ex::softmax_ce_backward(p, {0, 2}), (Map{{-0.25, 0.125}, {0.125, 0.125}, {0.125, -0.25}}));
}

TEST_CASE("random batches match finite differences of the mean cross-entropy") {
    wb::Rng rng(910);
    for (int trial = 0; trial < 20; ++trial) {
        const int K = 2 + rng.below(6), m = 1 + rng.below(4);
        Map z = wb::random_tensor<double>(wb::Shape{1, 1, K, m}, rng, -2, 2);
        std::vector<int> labels(static_cast<std::size_t>(m));
        for (auto& l : labels) l = rng.below(K);
        const auto num = wb::numerical_gradient([&] { return wb::cross_entropy(wb::softmax(z), labels); },
                                                std::span<double>(z.values()), 1e-4);
        INFO("inputs: " << wbtest::shapes({{"P", z.shape()}}));
        CHECK_CLOSE(ex::softmax_ce_backward(wb::softmax(z), labels).values(), num, 1e-7);
    }
}
