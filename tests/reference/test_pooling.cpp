// Pooling layers (001 §6.2, 002, 003 §4, 004 §四.2): hand-checked cases for the decisions
// the notes leave open (ties, overlapping windows, inputs not divisible by the window),
// shape errors, and finite-difference checks over random shapes.
// The notes' own 4×4 example is asserted in tests/chapters/test_06_pooling.cpp.
#include <doctest/doctest.h>

#include <cmath>

#include <algorithm>
#include <numeric>
#include <span>
#include <string>

#include "check.hpp"
#include "gradcheck.hpp"
#include "pooling.hpp"
#include "random.hpp"

using wb::PoolSpec;
using wb::Shape;
using M = wb::Tensor<double>;

namespace {
/// Distinct values at least 0.05 apart in every tensor (a shuffled ramp plus small noise),
/// so a finite-difference step of 1e-3 never changes which element is a window's maximum.
M distinct_values(Shape s, wb::Rng& rng) {
    M t(s);
    std::vector<int> order(t.size());
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(static_cast<int>(i)))]);
    for (std::size_t i = 0; i < t.size(); ++i)
        t.data()[i] = 0.1 * order[i] + rng.uniform(-0.02, 0.02) - 0.05 * static_cast<double>(t.size());
    return t;
}

struct PoolCase {
    Shape a;
    PoolSpec s;
    std::string str() const {
        return "A " + a.str() + ", size " + std::to_string(s.size) + ", stride " +
               std::to_string(s.stride);
    }
};

/// Sizes 1–4, strides 1–3 (so overlapping, touching and gapped windows all occur), heights
/// and widths from just fitting to several strides beyond (every remainder occurs).
PoolCase random_case(wb::Rng& rng) {
    PoolCase c;
    c.s = {1 + rng.below(4), 1 + rng.below(3)};
    c.a = Shape{1 + rng.below(2), 1 + rng.below(3), c.s.size + rng.below(3 * c.s.stride + 2),
                c.s.size + rng.below(3 * c.s.stride + 2)};
    return c;
}

/// Both layers are piecewise linear, so the centred difference has no truncation error and
/// only round-off (∝ 1/h) is left: the larger the step, the better. Max pooling must stay
/// below the gap between neighbouring values (≥ 0.06 in distinct_values), so 1e-3; mean
/// pooling is linear everywhere, so 0.1. (With 1e-3 mean pooling measured 2.4e-10 where an
/// element's contributions nearly cancel.)
constexpr double step_max = 1e-3;
constexpr double step_mean = 0.1;
}  // namespace

TEST_CASE("003 §4 / 004 §四.2: output size floor((H − size)/stride) + 1 — 004's 6×6, 3×3, stride 3 → 2×2") {
    CHECK(wb::max_pool_forward(M(Shape{1, 1, 6, 6}), {3, 3}).shape() == Shape{1, 1, 2, 2});
    CHECK(wb::max_pool_forward(M(Shape{2, 3, 5, 7}), {2, 2}).shape() == Shape{2, 3, 2, 3});
    CHECK(wb::mean_pool_forward(M(Shape{1, 1, 5, 5}), {3, 1}).shape() == Shape{1, 1, 3, 3});
    CHECK(wb::mean_pool_forward(M(Shape{1, 1, 4, 4}), {4, 3}).shape() == Shape{1, 1, 1, 1});
}

TEST_CASE("max pooling ties: the first maximum in row-major order takes the whole δ") {
    const M all_equal{{5, 5}, {5, 5}};
    CHECK_EXACT(wb::max_pool_backward(all_equal, M{{3}}, {2, 2}), (M{{3, 0}, {0, 0}}));
    const M anti_diagonal{{1, 7}, {7, 2}};  // (0,1) comes before (1,0) row by row
    CHECK_EXACT(wb::max_pool_backward(anti_diagonal, M{{3}}, {2, 2}), (M{{0, 3}, {0, 0}}));
    const M last_row{{1, 2}, {7, 7}};
    CHECK_EXACT(wb::max_pool_backward(last_row, M{{3}}, {2, 2}), (M{{0, 0}, {3, 0}}));
}

TEST_CASE("a NaN in a max-pooling window is its maximum, as in PyTorch: it propagates and takes the δ") {
    const double nan = std::nan("");
    // Before: 7 won every comparison against the NaN and the NaN vanished downstream.
    const M after{{1, nan}, {7, 2}};
    CHECK(std::isnan(wb::max_pool_forward(after, {2, 2})(0, 0)));
    CHECK_EXACT(wb::max_pool_backward(after, M{{3}}, {2, 2}), (M{{0, 3}, {0, 0}}));
    const M first{{nan, 9}, {8, nan}};  // the first NaN in row-major order, like a tie
    CHECK(std::isnan(wb::max_pool_forward(first, {2, 2})(0, 0)));
    CHECK_EXACT(wb::max_pool_backward(first, M{{3}}, {2, 2}), (M{{3, 0}, {0, 0}}));
    const M other{{nan, 1}, {4, 5}, {6, 2}};  // size 1 windows elsewhere stay untouched
    const M z = wb::max_pool_forward(other, {1, 1});
    CHECK(std::isnan(z(0, 0)));
    CHECK(z(2, 0) == 6);
}

TEST_CASE("overlapping windows (size 2, stride 1): contributions add up") {
    // The centre 9 is the maximum of all four windows, so it collects 1 + 2 + 3 + 4.
    const M a{{1, 2, 1}, {2, 9, 2}, {1, 2, 1}};
    CHECK_EXACT(wb::max_pool_forward(a, {2, 1}), (M{{9, 9}, {9, 9}}));
    CHECK_EXACT(wb::max_pool_backward(a, M{{1, 2}, {3, 4}}, {2, 1}),
                (M{{0, 0, 0}, {0, 10, 0}, {0, 0, 0}}));
    // Mean: each window sends δ/4 = 1 to each of its four cells; a cell gets one share per
    // window that covers it (corners 1, edges 2, centre 4).
    CHECK_EXACT(wb::mean_pool_forward(a, {2, 1}), (M{{3.5, 3.5}, {3.5, 3.5}}));
    CHECK_EXACT(wb::mean_pool_backward(a.shape(), M{{4, 4}, {4, 4}}, {2, 1}),
                (M{{1, 2, 1}, {2, 4, 2}, {1, 2, 1}}));
}

TEST_CASE("input not divisible by the window (5×5, 2×2, stride 2): the last row and column get 0") {
    const M a{{1, 2, 3, 4, 99}, {5, 6, 7, 8, 99}, {9, 10, 11, 12, 99}, {13, 14, 15, 16, 99},
              {99, 99, 99, 99, 99}};
    // 99 sits only where no window reaches: it changes nothing forward…
    CHECK_EXACT(wb::max_pool_forward(a, {2, 2}), (M{{6, 8}, {14, 16}}));
    CHECK_EXACT(wb::mean_pool_forward(a, {2, 2}), (M{{3.5, 5.5}, {11.5, 13.5}}));
    // …so its gradient is exactly 0.
    const M d{{1, 2}, {3, 4}};
    CHECK_EXACT(wb::max_pool_backward(a, d, {2, 2}),
                (M{{0, 0, 0, 0, 0}, {0, 1, 0, 2, 0}, {0, 0, 0, 0, 0}, {0, 3, 0, 4, 0}, {0, 0, 0, 0, 0}}));
    CHECK_EXACT(wb::mean_pool_backward(a.shape(), d, {2, 2}),
                (M{{0.25, 0.25, 0.5, 0.5, 0}, {0.25, 0.25, 0.5, 0.5, 0}, {0.75, 0.75, 1, 1, 0},
                   {0.75, 0.75, 1, 1, 0}, {0, 0, 0, 0, 0}}));
}

TEST_CASE("gaps between windows (size 2, stride 3) are never read and get 0") {
    const M a{{1, 2, 50, 3, 4}, {5, 6, 50, 7, 8}, {50, 50, 50, 50, 50}, {9, 10, 50, 11, 12},
              {13, 14, 50, 15, 16}};
    CHECK_EXACT(wb::max_pool_forward(a, {2, 3}), (M{{6, 8}, {14, 16}}));
    CHECK_EXACT(wb::max_pool_backward(a, M{{1, 2}, {3, 4}}, {2, 3}),
                (M{{0, 0, 0, 0, 0}, {0, 1, 0, 0, 2}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 3, 0, 0, 4}}));
}

TEST_CASE("pooling works plane by plane: N and C are kept, planes never mix") {
    const M a = M::from(Shape{1, 2, 2, 2}, {1, 2, 3, 4, -4, -3, -2, -1});
    CHECK_EXACT(wb::max_pool_forward(a, {2, 2}), (M::from(Shape{1, 2, 1, 1}, {4, -1})));
    CHECK_EXACT(wb::max_pool_backward(a, M::from(Shape{1, 2, 1, 1}, {10, 20}), {2, 2}),
                (M::from(Shape{1, 2, 2, 2}, {0, 0, 0, 10, 0, 0, 0, 20})));
    CHECK_EXACT(wb::mean_pool_forward(a, {2, 2}), (M::from(Shape{1, 2, 1, 1}, {2.5, -2.5})));
}

TEST_CASE("shape errors name both shapes") {
    CHECK_THROWS_WITH_AS(wb::max_pool_forward(M(Shape{1, 1, 3, 3}), {4, 1}),
                         "max_pool_forward: input 3×3 is smaller than the 4×4 window, stride 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::mean_pool_forward(M(Shape{1, 1, 4, 4}), {2, 0}),
                         "mean_pool_forward: invalid pooling 2×2 window, stride 0 (need size ≥ 1, stride ≥ 1)",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::max_pool_backward(M(Shape{1, 1, 4, 4}), M(Shape{1, 1, 3, 3}), {2, 2}),
                         "max_pool_backward: delta_in (for input 4×4) is 3×3, expected 2×2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::mean_pool_backward(Shape{2, 3, 4, 4}, M(Shape{1, 3, 2, 2}), {2, 2}),
                         "mean_pool_backward: delta_in (for input 2×3×4×4) is 1×3×2×2, expected 2×3×2×2",
                         std::invalid_argument);
}

TEST_CASE("property: max pooling backward = finite differences over 200 random shapes (< 1e-10)") {
    wb::Rng rng(606);
    double worst = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const PoolCase c = random_case(rng);
        CAPTURE(c.str());
        M a = distinct_values(c.a, rng);
        const M G = wb::random_tensor<double>(wb::max_pool_forward(a, c.s).shape(), rng);
        const auto num = wb::numerical_vjp([&] { return wb::max_pool_forward(a, c.s).values(); },
                                           std::span<double>(a.values()),
                                           std::span<const double>(G.values()), step_max);
        const M analytic = wb::max_pool_backward(a, G, c.s);
        const double err = wb::relative_error(analytic.values(), num);
        worst = std::max(worst, err);
        CHECK(err < 1e-10);
    }
    MESSAGE("max pooling: worst relative error " << wb::sci(worst));
}

TEST_CASE("property: mean pooling backward = finite differences over 200 random shapes (< 1e-10)") {
    wb::Rng rng(607);
    double worst = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const PoolCase c = random_case(rng);
        CAPTURE(c.str());
        M a = wb::random_tensor<double>(c.a, rng);
        const M G = wb::random_tensor<double>(wb::mean_pool_forward(a, c.s).shape(), rng);
        const auto num = wb::numerical_vjp([&] { return wb::mean_pool_forward(a, c.s).values(); },
                                           std::span<double>(a.values()),
                                           std::span<const double>(G.values()), step_mean);
        const M analytic = wb::mean_pool_backward(a.shape(), G, c.s);
        const double err = wb::relative_error(analytic.values(), num);
        worst = std::max(worst, err);
        CHECK(err < 1e-10);
    }
    MESSAGE("mean pooling: worst relative error " << wb::sci(worst));
}

TEST_CASE("float and double give the same routing (LeNet trains in float)") {
    const wb::Tensor<float> af{{1, 8, 4, 3}, {7, 2, 1, 9}, {6, 1, 2, 4}, {8, 7, 6, 0}};
    const wb::Tensor<float> df{{7, 3}, {1, 4}};
    CHECK_EXACT(wb::max_pool_backward(af, df, {2, 2}),
                (wb::Tensor<float>{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 4, 0}}));
}
