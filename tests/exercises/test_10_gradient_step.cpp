// Verdict for exercise 10_gradient_step.
#include <doctest/doctest.h>

#include <cmath>

#include "10_edge_kernel_fit/edge_kernel_fit.hpp"
#include "10_gradient_step/gradient_step.hpp"
#include "check.hpp"
#include "gradcheck.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("by hand: 3×3 picture, 2×2 kernel of zeros, y = [[1,0],[0,2]], lr 0.5") {
    // z = 0, so z − y = −y and dw_pq = −(1·x_{p,q} + 2·x_{p+1,q+1}) = [[−3,−4],[0,−3]];
    // m = 4: w − 0.5·dw/4.
    INFO("note: 000 §17.3.7 writes loss = ½(z − y)², one pixel's; the loss sums over all m pixels of y, "
         "and the step divides dw by m (docs/errata.md, errata_000_loss_sum)");
    const Map x{{1, 2, 0}, {0, 1, 1}, {2, 0, 1}}, y{{1, 0}, {0, 2}};
    CHECK_EXACT(ex::gradient_step(x, y, Map(wb::Shape{1, 1, 2, 2}), 0.5),
                (Map{{0.375, 0.5}, {0, 0.375}}));
}

TEST_CASE("the notes' picture from a random start: equals the chapter's step") {
    const Map x = ch10::sample_picture(), y = ch10::target(x), w = ch10::initial_kernel(5);
    const Map expected = ch10::gradient_step(
        w, ch10::kernel_gradient(x, wb::cross_correlate(x, w), y), 0.5, 78.0 * 78.0);
    CHECK_CLOSE(ex::gradient_step(x, y, w, 0.5), expected, 1e-10);
}

TEST_CASE("the step goes down the gradient of the loss (finite differences)") {
    wb::Rng rng(21);
    const Map x = wb::random_tensor<double>(wb::Shape{1, 1, 9, 11}, rng);
    const Map y = wb::random_tensor<double>(wb::Shape{1, 1, 7, 8}, rng);
    Map w = wb::random_tensor<double>(wb::Shape{1, 1, 3, 4}, rng);
    const double lr = 0.3;
    const auto g = wb::numerical_gradient([&] { return ch10::loss_of_kernel(x, y, w); },
                                          std::span<double>(w.data(), w.size()));
    Map expected = w;
    for (std::size_t k = 0; k < w.size(); ++k) expected.values()[k] -= lr * g[k];
    CHECK_CLOSE(ex::gradient_step(x, y, w, lr), expected, 1e-7);
}

TEST_CASE("ten steps from w = 0 follow the notes' loop, and lower the loss each time") {
    const Map x = ch10::sample_picture(), y = ch10::target(x);
    Map w(wb::Shape{1, 1, 3, 3});
    double before = ch10::loss_of_kernel(x, y, w);
    for (int i = 0; i < 10; ++i) {
        w = ex::gradient_step(x, y, w, 0.5);
        const double after = ch10::loss_of_kernel(x, y, w);
        CHECK(after < before);
        before = after;
    }
    ch10::FitOptions o;
    o.max_iter = 10;  // ten updates
    CHECK_CLOSE(w, ch10::fit(x, y, Map(wb::Shape{1, 1, 3, 3}), o).w, 1e-10);
}
