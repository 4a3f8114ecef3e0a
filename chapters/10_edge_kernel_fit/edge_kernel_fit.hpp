/// \file edge_kernel_fit.hpp
/// \brief Chapter 10: learn the horizontal-edge kernel back from a picture and its
/// filtered copy by gradient descent (000 §17.3.7).
///
/// The picture, the target, the loss, the gradient and the training loop of the notes,
/// as plain functions. The analysis of why the loop needs the iterations it needs is in
/// gram.hpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/image.hpp"
#include "io/print.hpp"
#include "ops.hpp"
#include "random.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [picture]
/// One stretch of the disc: rows first_row..last_row (inclusive) all cover the columns
/// first_col..last_col (inclusive).
struct DiscRows {
    int first_row, last_row, first_col, last_col;
};

/// The disc of the notes' 80×80 sample picture, row by row (INDEX.md, extra facts for
/// 000 §17.3.7). Rows not listed are background.
inline const std::vector<DiscRows>& disc_rows() {
    static const std::vector<DiscRows> rows{
        {5, 5, 35, 44},   {6, 6, 30, 49},   {7, 7, 27, 52},   {8, 8, 25, 54},   {9, 9, 23, 56},
        {10, 10, 22, 58}, {11, 11, 20, 59}, {12, 12, 19, 60}, {13, 13, 18, 61}, {14, 14, 16, 63},
        {15, 15, 15, 64}, {16, 17, 14, 65}, {18, 18, 13, 66}, {19, 19, 12, 67}, {20, 21, 11, 68},
        {22, 22, 10, 69}, {23, 24, 9, 70},  {25, 26, 8, 71},  {27, 29, 7, 72},  {30, 30, 6, 72},
        {31, 34, 6, 73},  {35, 44, 5, 74},  {45, 49, 6, 73},  {50, 52, 7, 72},  {53, 54, 8, 71},
        {55, 56, 9, 70},  {57, 58, 10, 69}, {59, 59, 11, 68}, {60, 60, 12, 67}, {61, 61, 13, 66},
        {62, 63, 14, 65}, {64, 64, 15, 64}, {65, 65, 16, 63}, {66, 66, 18, 61}, {67, 67, 19, 60},
        {68, 68, 20, 59}, {69, 69, 22, 58}, {70, 70, 23, 56}, {71, 71, 25, 54}, {72, 72, 27, 52},
        {73, 73, 31, 49}, {74, 74, 35, 44}};
    return rows;
}

inline constexpr int picture_side = 80;   ///< the sample is 80×80
inline constexpr int quadrant_split = 40;  ///< quadrants split at row 40 and column 40

/// The colour of a disc pixel: white top-left and bottom-right, red RGB(237,28,36)
/// top-right, green RGB(34,177,76) bottom-left.
struct Rgb {
    unsigned char r, g, b;
};
inline Rgb disc_colour(int row, int col) {
    const bool top = row < quadrant_split, left = col < quadrant_split;
    if (top == left) return {255, 255, 255};
    return top ? Rgb{237, 28, 36} : Rgb{34, 177, 76};
}

/// The grey level (0..255) the notes' program gave each colour: white 255, red 54,
/// green 131; the background is black, 0.
inline int disc_grey_level(int row, int col) {
    const bool top = row < quadrant_split, left = col < quadrant_split;
    if (top == left) return 255;
    return top ? 54 : 131;
}

/// The sample picture x as the notes' program saw it: 80×80 grey levels divided by 255.
inline Map sample_picture() {
    Map x(wb::Shape{1, 1, picture_side, picture_side});  // black background
    for (const auto& s : disc_rows())
        for (int r = s.first_row; r <= s.last_row; ++r)
            for (int c = s.first_col; c <= s.last_col; ++c) x(r, c) = disc_grey_level(r, c) / 255.0;
    return x;
}

/// The same picture in colour, as it was drawn (for the reader's eyes only).
inline wb::Canvas sample_picture_rgb() {
    wb::Canvas canvas(picture_side, picture_side, 0);
    for (const auto& s : disc_rows())
        for (int r = s.first_row; r <= s.last_row; ++r)
            for (int c = s.first_col; c <= s.last_col; ++c) {
                const Rgb k = disc_colour(r, c);
                canvas.set(c, r, k.r, k.g, k.b);
            }
    return canvas;
}
// [picture]

// [target]
/// The horizontal-edge kernel (横边检测算子) of 000 §17.3.7, the kernel to be learnt back.
inline Map w_true() { return {{0, -1, 0}, {0, 2, 0}, {0, -1, 0}}; }

/// The kernel size every picture must at least have.
inline constexpr int kernel_side = 3;

/// Throws std::invalid_argument unless x is a 2-D map at least as large as the kernel.
inline void check_picture(const Map& x) {
    if (!x.is_map() || x.h() < kernel_side || x.w() < kernel_side)
        throw std::invalid_argument("the picture is " + x.shape().str() + ", smaller than the " +
                                    std::to_string(kernel_side) + "×" +
                                    std::to_string(kernel_side) + " kernel");
}

/// The target picture y = x ⋆ w_true (valid cross-correlation, b = 0): (H−2)×(W−2).
inline Map target(const Map& x) {
    check_picture(x);
    return wb::cross_correlate(x, w_true());
}
// [target]

// [fast-loops]
/// z = x ⋆ w for a 2-D map and a small kernel, written so the innermost loop runs along a
/// row of z: for each kernel element w_pq, add w_pq times x shifted by (p, q). The same
/// sum as wb::cross_correlate (the naive loop, the truth), tested equal to it.
inline void correlate_small_kernel(const Map& x, const Map& w, Map& z) {
    const int ho = x.h() - w.h() + 1, wo = x.w() - w.w() + 1;
    wb::require_shape("correlate_small_kernel", "z", z.shape(), wb::Shape{1, 1, ho, wo});
    const double* xd = x.data();
    for (int i = 0; i < ho; ++i) {
        double* zi = z.data() + static_cast<std::size_t>(i) * wo;
        for (int j = 0; j < wo; ++j) zi[j] = 0;
        for (int p = 0; p < w.h(); ++p) {
            const double* xrow = xd + static_cast<std::size_t>(i + p) * x.w();
            for (int q = 0; q < w.w(); ++q) {
                const double wpq = w(p, q);
                const double* xs = xrow + q;
                for (int j = 0; j < wo; ++j) zi[j] += wpq * xs[j];
            }
        }
    }
}

/// dw = x ⋆ d for a large "kernel" d (the error map z − y) and a small result: each
/// element dw_pq is the dot product of d with x shifted by (p, q), row by row. Four
/// running sums (columns j ≡ 0, 1, 2, 3 mod 4) instead of one let the additions overlap.
inline void correlate_large_kernel(const Map& x, const Map& d, Map& dw) {
    const int ho = x.h() - d.h() + 1, wo = x.w() - d.w() + 1;
    wb::require_shape("correlate_large_kernel", "dw", dw.shape(), wb::Shape{1, 1, ho, wo});
    for (int p = 0; p < ho; ++p)
        for (int q = 0; q < wo; ++q) {
            double s[4] = {0, 0, 0, 0};
            for (int i = 0; i < d.h(); ++i) {
                const double* xs = x.data() + static_cast<std::size_t>(i + p) * x.w() + q;
                const double* di = d.data() + static_cast<std::size_t>(i) * d.w();
                int j = 0;
                for (; j + 4 <= d.w(); j += 4)
                    for (int k = 0; k < 4; ++k) s[k] += di[j + k] * xs[j + k];
                for (; j < d.w(); ++j) s[j % 4] += di[j] * xs[j];
            }
            dw(p, q) = (s[0] + s[1]) + (s[2] + s[3]);
        }
}
// [fast-loops]

// [loss]
/// loss = Σ (z − y)² / (2m), m the number of pixels of y (000 §17.3.7's program).
inline double loss(const Map& z, const Map& y) {
    wb::require_shape("loss", "z", z.shape(), y.shape());
    double sum = 0;
    for (std::size_t k = 0; k < z.size(); ++k) {
        const double d = z.values()[k] - y.values()[k];
        sum += d * d;
    }
    return sum / (2.0 * static_cast<double>(y.size()));
}

/// The loss as a function of the kernel alone: z = x ⋆ w, then loss(z, y).
inline double loss_of_kernel(const Map& x, const Map& y, const Map& w) {
    return loss(wb::cross_correlate(x, w), y);
}

/// The kernel gradient as the notes write it, dw = x ⋆ (z − y) (000 §17.3.7, from the
/// kernel-gradient rule δw = A ⋆ δ of §17.3.5). It is m times ∂loss/∂w: the program
/// divides by m in the update.
inline Map kernel_gradient(const Map& x, const Map& z, const Map& y) {
    wb::require_shape("kernel_gradient", "z", z.shape(), y.shape());
    Map d(y.shape());
    for (std::size_t k = 0; k < d.size(); ++k) d.values()[k] = z.values()[k] - y.values()[k];
    return wb::cross_correlate(x, d);
}
// [loss]

// [step]
/// One step of gradient descent (梯度下降) as the program takes it: w ← w − lr·dw/m.
inline Map gradient_step(const Map& w, const Map& dw, double lr, double m) {
    wb::require_shape("gradient_step", "dw", dw.shape(), w.shape());
    Map next(w.shape());
    for (std::size_t k = 0; k < w.size(); ++k)
        next.values()[k] = w.values()[k] - lr * dw.values()[k] / m;
    return next;
}
// [step]

// [options]
/// The knobs of the fit, with the notes' values as defaults.
struct FitOptions {
    double lr = 0.5;         ///< learning rate (学习率)
    long max_iter = 10000;   ///< at most this many loss evaluations
    double tol = 1e-7;       ///< stop when loss < tol, checked before the update
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
    Map w;                        ///< the kernel at the end
    long iterations = 0;          ///< updates made (the notes' printed i when it stops)
    std::vector<double> losses;   ///< losses[i] = loss before update i
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
    wb::require_shape("fit", "y", y.shape(),
                      wb::Shape{1, 1, x.h() - w.h() + 1, x.w() - w.w() + 1});
    const double m = static_cast<double>(y.size());
    Map z(y.shape()), d(y.shape()), dw(w.shape());
    FitResult r;
    int streak = 0;
    for (long i = 0; i < o.max_iter; ++i) {
        correlate_small_kernel(x, w, z);                            // forward
        r.losses.push_back(loss(z, y));                             // loss
        if (r.losses.back() < o.tol) {                              // stop?
            r.outcome = Outcome::converged;
            break;
        }
        if (diverging(r.losses, streak)) {
            r.outcome = Outcome::diverged;
            break;
        }
        for (std::size_t k = 0; k < d.size(); ++k)                 // delta = z − y
            d.values()[k] = z.values()[k] - y.values()[k];
        correlate_large_kernel(x, d, dw);                           // dw = x ⋆ (z − y)
        for (std::size_t k = 0; k < w.size(); ++k)                 // w ← w − lr·dw/m
            w.values()[k] -= o.lr * dw.values()[k] / m;
        r.iterations = i + 1;
    }
    r.w = w;
    return r;
}
// [fit]

// [allclose]
/// numpy.allclose(a, b, rtol, atol): |a − b| ≤ atol + rtol·|b| for every element.
inline bool allclose(const Map& a, const Map& b, double rtol = 1e-5, double atol = 1e-8) {
    if (!(a.shape() == b.shape())) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!(std::abs(a.values()[k] - b.values()[k]) <= atol + rtol * std::abs(b.values()[k])))
            return false;
    return true;
}

/// The largest |a − b| over all elements.
inline double max_abs_diff(const Map& a, const Map& b) {
    wb::require_shape("max_abs_diff", "b", b.shape(), a.shape());
    double worst = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        worst = std::max(worst, std::abs(a.values()[k] - b.values()[k]));
    return worst;
}

/// The smallest atol for which allclose(a, b, rtol, atol) holds: the largest
/// |a − b| − rtol·|b| over all elements (0 if every element already passes at atol 0).
inline double smallest_atol(const Map& a, const Map& b, double rtol = 1e-5) {
    wb::require_shape("smallest_atol", "b", b.shape(), a.shape());
    double need = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        need = std::max(need, std::abs(a.values()[k] - b.values()[k]) - rtol * std::abs(b.values()[k]));
    return need;
}
// [allclose]

// [notes-result]
/// The kernel the notes' program printed as w_result after 3460 iterations (000 §17.3.7),
/// digit for digit. Its loss on the sample picture is the notes' last printed loss.
inline Map notes_w_result() {
    return {{-1.86879237e-03, -9.97261724e-01, -1.01212359e-03},
            {2.58961697e-03, 1.99494606e+00, 2.74435794e-03},
            {-8.67754199e-04, -9.97404263e-01, -1.87580756e-03}};
}
/// The notes' last printed loss, at iteration 3460.
inline constexpr double notes_last_loss = 9.999234418532805e-08;
// [notes-result]

}  // namespace ch10
