// Chapter 09: softmax with cross-entropy, flatten. 004's (3, 1, −3) against values computed
// independently (plain Python: math.exp over the sum), the stable form at logits of 1000,
// the gradient y − t for every class, and flatten's inverse.
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>

#include "09_softmax/softmax_ce.hpp"
#include "check.hpp"
#include "random.hpp"

using namespace ch09;

TEST_CASE("004 §三.5: softmax(3, 1, −3) = (0.87888, 0.11894, 0.00218)") {
    CHECK_CLOSE(wb::softmax(example_logits()),
                (Map{{0.878878242732151}, {0.11894323591065209}, {0.0021785213571970234}}), 1e-14);
}

TEST_CASE("stable softmax: (1000, 999, 998) is finite and equals softmax(2, 1, 0) — eq 4.20 as written gives NaN") {
    const Map big{{1000}, {999}, {998}};
    CHECK(std::isnan(softmax_naive(big)(0, 0)));
    CHECK_CLOSE(wb::softmax(big), (Map{{0.6652409557748219}, {0.24472847105479764}, {0.09003057317038046}}), 1e-14);
}

TEST_CASE("004 eq 4.22: Loss = −ln y_0 for the true class 0 of (3, 1, −3)") {
    CHECK(std::abs(wb::cross_entropy(wb::softmax(example_logits()), {0}) - 0.1291089088298505) < 1e-15);
}

TEST_CASE("004 §四.5: y_i − 1 for the true class (the case 004 derives) and y_k for every other class") {
    const Map p = wb::softmax(example_logits());
    const auto g = ce_gradient_by_class(p, 0);
    CHECK(std::abs(g[0] - (0.878878242732151 - 1)) < 1e-15);
    CHECK(std::abs(g[1] - 0.11894323591065209) < 1e-15);
    CHECK(std::abs(g[2] - 0.0021785213571970234) < 1e-15);
    CHECK_CLOSE(wb::softmax_ce_backward(p, {0}), ce_numerical(example_logits(), {0}), 1e-7);
    // the true class in the middle: the same rule
    CHECK_CLOSE(wb::softmax_ce_backward(p, {1}), ce_numerical(example_logits(), {1}), 1e-7);
}

TEST_CASE("y − t for every class = finite differences, random batches (< 1e-7)") {
    wb::Rng rng(91);
    double worst4 = 0, worst5 = 0;
    for (int trial = 0; trial < 50; ++trial) {
        const int K = 2 + rng.below(9), m = 1 + rng.below(5);
        CAPTURE(K);
        CAPTURE(m);
        const Map Z = wb::random_tensor<double>(wb::Shape{1, 1, K, m}, rng, -4, 4);
        std::vector<int> labels(static_cast<std::size_t>(m));
        for (auto& l : labels) l = rng.below(K);
        CHECK_CLOSE(wb::softmax_ce_backward(wb::softmax(Z), labels), ce_numerical(Z, labels), 1e-7);
        // Why ce_numerical steps by 1e-4: with 1e-5 the round-off of J swamps the small p_k/m.
        const auto g = wb::softmax_ce_backward(wb::softmax(Z), labels);
        worst4 = std::max(worst4, wb::relative_error(g, ce_numerical(Z, labels, 1e-4)));
        worst5 = std::max(worst5, wb::relative_error(g, ce_numerical(Z, labels, 1e-5)));
    }
    MESSAGE("worst relative error over 50 batches: " << worst4 << " with h = 1e-4, " << worst5
                                                     << " with h = 1e-5");
    CHECK(worst5 > 3 * worst4);
}

TEST_CASE("004 §四.3 eqs 4.9–4.10: flatten to columns, unflatten back") {
    const Map a = Map::from(wb::Shape{2, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18});
    CHECK_EXACT(wb::flatten(a), (Map{{1, 11}, {2, 12}, {3, 13}, {4, 14}, {5, 15}, {6, 16}, {7, 17}, {8, 18}}));
    CHECK_EXACT(wb::unflatten(wb::flatten(a), a.shape()), a);
}

TEST_CASE("004 §四.5.2: −Σ_{j≠i}e^{z_j}/Σe^{z_j} is y_i − 1, and the next line's 1 − y_i drops the sign") {
    const Map Z = example_logits();
    const Map fd = ce_numerical(Z, {0});
    const auto lines = derivation_004_last_lines(Z, 0);
    CHECK(std::abs(lines.minus_rest_over_sum - fd(0, 0)) < 1e-9);
    CHECK(std::abs(lines.y_minus_one - fd(0, 0)) < 1e-9);
    CHECK(fd(0, 0) < 0);  // raising the true class's logit lowers the loss
    CHECK(lines.one_minus_y > 0);
    CHECK(std::abs(lines.one_minus_y + fd(0, 0)) < 1e-9);
    // and the derivative is with respect to the logit z_i (004 writes ∂Loss/∂i): moving z_0
    // by h moves the loss by fd(0,0)·h
    const double h = 1e-6;
    Map up = Z, down = Z;
    up(0, 0) += h;
    down(0, 0) -= h;
    const double slope = (wb::cross_entropy(wb::softmax(up), {0}) - wb::cross_entropy(wb::softmax(down), {0})) / (2 * h);
    CHECK(std::abs(slope - lines.y_minus_one) < 1e-8);
}
