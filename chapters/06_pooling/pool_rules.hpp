/// \file pool_rules.hpp
/// \brief Chapter 06: pooling backward (002, 001 §6.2, 003 §4, 004 §四.2).
///
/// The layers themselves are reference/pooling.hpp; this file holds the notes' example,
/// the partial derivatives the slides list, the Kronecker form of 001 §6.2.2, and the
/// finite-difference judge.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "dense.hpp"
#include "gradcheck.hpp"
#include "ops.hpp"
#include "pooling.hpp"

namespace ch06 {

using Map = wb::Tensor<double>;

// [example]
/// 002's feature map (特征图) a^{l−1}, the residual (残差) δ^l of the max-pooling slide and
/// the one of the mean-pooling slide. Both slides pool 2×2 with stride 2.
inline Map example_a() { return {{1, 8, 4, 3}, {7, 2, 1, 9}, {6, 1, 2, 4}, {8, 7, 6, 0}}; }
inline Map example_delta_max() { return {{7, 3}, {1, 4}}; }
inline Map example_delta_mean() { return {{8, 4}, {16, 4}}; }
inline constexpr wb::PoolSpec notes_pool{2, 2};
// [example]

// [partials]
/// ∂z_{p,q}/∂a_{u,v} for every (u, v) of output (p, q)'s window (0-based), as 002 lists them
/// for z11: 1 at the window's maximum (first in row-major order on ties), 0 elsewhere.
struct Partial {
    int u, v;
    double value;
};
inline std::vector<Partial> max_window_partials(const Map& a, int p, int q, wb::PoolSpec s) {
    const Map one = wb::max_pool_backward(
        a,
        [&] {
            Map d = wb::max_pool_forward(a, s);
            for (auto& x : d) x = 0;
            d(p, q) = 1;  // ∂z_{p,q}/∂a = the map max pooling sends back for δ = e_{p,q}
            return d;
        }(),
        s);
    std::vector<Partial> out;
    for (int i = 0; i < s.size; ++i)
        for (int j = 0; j < s.size; ++j) {
            const int u = p * s.stride + i, v = q * s.stride + j;
            out.push_back({u, v, one(u, v)});
        }
    return out;
}
// [partials]

// [kron]
/// 001 §6.2.2: mean pooling backward for an n×n window with stride n, as a Kronecker
/// product (wb::kron, reference/dense.hpp): δ^{l−1} = δ^l ⊗ (1/n²)_{n×n}.
inline Map mean_backward_kronecker(const Map& delta, int n) {
    return wb::kron(delta, Map(wb::Shape{1, 1, n, n}, 1.0 / (n * n)));
}
// [kron]

// [fd]
/// Worst relative error of max_pool_backward(a, G) against centred differences of
/// J = Σ G ⊙ max_pool_forward(a). Step 1e-3: the layer is piecewise linear, so there is no
/// truncation error as long as the step does not change a window's maximum.
inline double max_pool_fd_error(Map a, const Map& G, wb::PoolSpec s, double h = 1e-3) {
    const auto num =
        wb::numerical_vjp([&] { return wb::max_pool_forward(a, s).values(); },
                          std::span<double>(a.values()), std::span<const double>(G.values()), h);
    return wb::relative_error(wb::max_pool_backward(a, G, s).values(), num);
}

/// The same for mean pooling, which is linear everywhere: a step of 0.1 is exact in
/// exact arithmetic and divides the round-off by 100 compared with 1e-3.
inline double mean_pool_fd_error(Map a, const Map& G, wb::PoolSpec s, double h = 0.1) {
    const auto num =
        wb::numerical_vjp([&] { return wb::mean_pool_forward(a, s).values(); },
                          std::span<double>(a.values()), std::span<const double>(G.values()), h);
    return wb::relative_error(wb::mean_pool_backward(a.shape(), G, s).values(), num);
}
// [fd]

// [upsample]
/// 002's max-pooling slide goes from the 2×2 residual to the answer in two pictures:
/// "上采样" (upsampling), a 4×4 map holding each δ_{p,q} somewhere in its own 2×2 window
/// (the slide draws δ framed by a ring of zeros), then "位置还原" (restoring positions), which
/// moves each window's value to where the window's maximum was.
inline Map example_upsampled_as_drawn() {
    return {{0, 0, 0, 0}, {0, 7, 3, 0}, {0, 1, 4, 0}, {0, 0, 0, 0}};
}

/// The sum of `up` over each pooling window of the given spec.
inline Map window_sums(const Map& up, wb::PoolSpec s) {
    Map sums(wb::Shape{1, 1, wb::output_size(up.h(), s.size, 0, s.stride),
                       wb::output_size(up.w(), s.size, 0, s.stride)});
    for (int p = 0; p < sums.h(); ++p)
        for (int q = 0; q < sums.w(); ++q)
            for (int i = 0; i < s.size; ++i)
                for (int j = 0; j < s.size; ++j)
                    sums(p, q) += up(p * s.stride + i, q * s.stride + j);
    return sums;
}

/// "位置还原": each window's value of the upsampled map goes to the position of that
/// window's maximum in the forward input a; every other position gets 0.
inline Map restore_positions(const Map& up, const Map& a, wb::PoolSpec s) {
    return wb::max_pool_backward(a, window_sums(up, s), s);
}
// [upsample]

// [slips]
/// 002's mean-pooling slide writes the pooled value as avg(sum(a…)): the average of a
/// single number, the sum, which is the sum itself. The mean is sum/(m·n).
inline double mean_as_printed_in_002(const Map& a, int p, int q, wb::PoolSpec s) {
    double sum = 0;
    for (int i = 0; i < s.size; ++i)
        for (int j = 0; j < s.size; ++j) sum += a(p * s.stride + i, q * s.stride + j);
    return sum;  // avg of the one number {sum}
}

/// 004 §四.2.1 writes the pooled size as (n + 2p − k)/2s and evaluates (4 + 2·0 − 2)/(2·1)
/// as 2. That expression is 1; the size is (n + 2p − k)/s + 1 = 2.
inline double pool_size_as_printed_in_004(int n, int p, int k, int s) {
    return static_cast<double>(n + 2 * p - k) / (2.0 * s);
}
// [slips]

}  // namespace ch06
