// Verdict for exercise 10_gram_prediction.
#include <doctest/doctest.h>

#include <cmath>

#include "10_edge_kernel_fit/edge_kernel_fit.hpp"
#include "10_edge_kernel_fit/gram.hpp"
#include "10_gram_prediction/gram_prediction.hpp"
#include "check.hpp"

TEST_CASE("by hand: eigenvalues {1, 4}") {
    CHECK_EXACT(ex::stable_lr_limit({1, 4}), 0.5);
    CHECK_CLOSE(ex::predicted_loss_ratio({1, 4}, 0.1), 0.81, 1e-14);   // (1 − 0.1·1)²
    CHECK_CLOSE(ex::predicted_loss_ratio({1, 4}, 0.45), 0.64, 1e-14);  // (1 − 0.45·4)² wins
}

TEST_CASE("eigenvalues in any order") {
    CHECK_EXACT(ex::stable_lr_limit({4, 0.5, 2}), 0.5);
    CHECK_CLOSE(ex::predicted_loss_ratio({4, 0.5, 2}, 0.2), 0.81, 1e-14);  // (1 − 0.2·0.5)²
}

TEST_CASE("above the limit the ratio exceeds 1: the loss grows") {
    const std::vector<double> l{0.25, 2.5};
    CHECK_CLOSE(ex::stable_lr_limit(l), 0.8, 1e-14);  // 2/2.5
    CHECK(ex::predicted_loss_ratio(l, 1.05 * 0.8) > 1);
    CHECK(ex::predicted_loss_ratio(l, 0.95 * 0.8) < 1);
}

TEST_CASE("the notes' picture: 2/λ_max = 0.637, and the ratio the training loop measures") {
    const wb::Tensor<double> x = ch10::sample_picture(), y = ch10::target(x);
    const ch10::Eigen e = ch10::symmetric_eigen(ch10::gram_matrix(x));
    CHECK(std::abs(ex::stable_lr_limit(e.values) - 0.637059) < 1e-6);
    // 2000 steps of the notes' loop from w = 0: by then the faster directions add less
    // than 1e-6 to the measured ratio (the chapter's tests go to the stop, 1e-8).
    ch10::FitOptions o;
    o.max_iter = 2000;
    const ch10::FitResult r = ch10::fit(x, y, wb::Tensor<double>(wb::Shape{1, 1, 3, 3}), o);
    const double measured = r.losses.back() / r.losses[r.losses.size() - 2];
    CHECK_CLOSE(ex::predicted_loss_ratio(e.values, 0.5), measured, 1e-6);
}
