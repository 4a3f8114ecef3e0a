/// \file fit.hpp
/// \brief Chapter 10: the training loop of 000 §17.3.7 and its settings.
///
/// The notes' loop: forward, loss, stop test, gradient, update; with its options, their
/// checks and the notes' random start.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "10_edge_kernel_fit/fast_loops.hpp"
#include "10_edge_kernel_fit/loss.hpp"
#include "10_edge_kernel_fit/picture.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [options]
/// The knobs of the fit, with the notes' values as defaults.
struct FitOptions {
    double lr = 0.5;        ///< learning rate (学习率)
    long max_iter = 10000;  ///< at most this many loss evaluations
    double tol = 1e-7;      ///< stop when loss < tol, checked before the update
};

/// The largest --max-iter accepted: the loss history is kept, one double per iteration.
inline constexpr long max_iter_limit = 10'000'000;

/// Throws std::invalid_argument naming the first option that cannot work.
inline void validate(const FitOptions& o) {
    if (!std::isfinite(o.lr) || o.lr <= 0)
        throw std::invalid_argument("the learning rate must be a positive finite number, got " +
                                    wb::shortest(o.lr));
    if (!std::isfinite(o.tol) || o.tol <= 0)
        throw std::invalid_argument("the tolerance must be a positive finite number, got " +
                                    wb::shortest(o.tol));
    if (o.max_iter < 1 || o.max_iter > max_iter_limit)
        throw std::invalid_argument("the iteration limit must be between 1 and " +
                                    std::to_string(max_iter_limit) + ", got " +
                                    std::to_string(o.max_iter));
}

/// The notes' random start: nine draws from N(0, 0.1), here from a seeded generator.
inline Map initial_kernel(std::uint64_t seed) {
    wb::Rng rng(seed);
    Map w(wb::Shape{1, 1, kernel_side, kernel_side});
    for (auto& v : w) v = rng.normal(0.0, 0.1);
    return w;
}
// [options]

// [fit]
enum class Outcome { converged, out_of_iterations, diverged };

struct FitResult {
    Map w;                       ///< the kernel at the end
    long iterations = 0;         ///< updates made (the notes' printed i when it stops)
    std::vector<double> losses;  ///< losses[i] = loss before update i
    Outcome outcome = Outcome::out_of_iterations;
};

/// Divergence, for a quadratic loss: with a stable learning rate every step lowers the
/// loss, so a loss that is not finite, above the starting loss, or has grown ten times
/// in a row (while far above rounding noise) means the step is too long.
inline bool diverging(const std::vector<double>& losses, int& growth_streak) {
    const double now = losses.back();
    if (!std::isfinite(now)) return true;
    if (losses.size() < 2) return false;
    growth_streak = now > losses[losses.size() - 2] ? growth_streak + 1 : 0;
    return now > losses.front() || (growth_streak >= 10 && now > 1e-20);
}

/// The training loop of 000 §17.3.7, b = 0: z = x ⋆ w, loss, stop if loss < tol, dw =
/// x ⋆ (z − y), w ← w − lr·dw/m; at most max_iter times.
inline FitResult fit(const Map& x, const Map& y, Map w, const FitOptions& o) {
    validate(o);
    check_picture(x);
    wb::require_shape("fit", "y", y.shape(), wb::Shape{1, 1, x.h() - w.h() + 1, x.w() - w.w() + 1});
    const double m = static_cast<double>(y.size());
    Map z(y.shape()), d(y.shape()), dw(w.shape());
    FitResult r;
    int streak = 0;
    for (long i = 0; i < o.max_iter; ++i) {
        correlate_small_kernel(x, w, z);  // forward
        r.losses.push_back(loss(z, y));   // loss
        if (r.losses.back() < o.tol) {    // stop?
            r.outcome = Outcome::converged;
            break;
        }
        if (diverging(r.losses, streak)) {
            r.outcome = Outcome::diverged;
            break;
        }
        for (std::size_t k = 0; k < d.size(); ++k)  // delta = z − y
            d.values()[k] = z.values()[k] - y.values()[k];
        correlate_large_kernel(x, d, dw);           // dw = x ⋆ (z − y)
        for (std::size_t k = 0; k < w.size(); ++k)  // w ← w − lr·dw/m
            w.values()[k] -= o.lr * dw.values()[k] / m;
        r.iterations = i + 1;
    }
    r.w = w;
    return r;
}
// [fit]

}  // namespace ch10
