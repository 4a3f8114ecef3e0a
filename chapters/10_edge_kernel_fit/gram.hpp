/// \file gram.hpp
/// \brief Chapter 10, beyond the notes: why the fit of 000 §17.3.7 stops where it stops.
///
/// Because y = x ⋆ w_true comes from the same picture, z − y = x ⋆ (w − w_true) and the
/// loss is the quadratic ½ eᵀ H e in the kernel error e = w − w_true, with H the Gram
/// matrix of the picture's 3×3 patches divided by m. Every step multiplies e by
/// (I − lr·H), so H's eigenvalues predict the whole loss curve.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [gram]
/// H = (1/m) Σ_patches v vᵀ, where v is a patch of x the size of the kernel, read row by
/// row (the same order as the kernel's nine weights), and m the number of patches.
/// For F = 3 it is 9×9: entry (a, b) is the mean product of pixels a and b of a patch.
inline Map gram_matrix(const Map& x, int F = 3) {
    if (!x.is_map() || F < 1 || x.h() < F || x.w() < F)
        throw std::invalid_argument("gram_matrix: picture " + x.shape().str() +
                                    " is smaller than the " + std::to_string(F) + "×" +
                                    std::to_string(F) + " kernel");
    const int n = F * F, ho = x.h() - F + 1, wo = x.w() - F + 1;
    Map H(wb::Shape{1, 1, n, n});
    std::vector<double> v(static_cast<std::size_t>(n));
    for (int i = 0; i < ho; ++i)
        for (int j = 0; j < wo; ++j) {
            for (int p = 0; p < F; ++p)
                for (int q = 0; q < F; ++q) v[static_cast<std::size_t>(p * F + q)] = x(i + p, j + q);
            for (int a = 0; a < n; ++a)
                for (int b = 0; b < n; ++b)
                    H(a, b) += v[static_cast<std::size_t>(a)] * v[static_cast<std::size_t>(b)];
        }
    const double m = static_cast<double>(ho) * wo;
    for (auto& h : H) h /= m;
    return H;
}

/// The loss as the quadratic form ½ eᵀ H e, e = w − w_true read row by row. Equals
/// loss(x ⋆ w, x ⋆ w_true) for H = gram_matrix(x), up to rounding.
inline double quadratic_loss(const Map& H, const Map& w, const Map& w_target) {
    wb::require_shape("quadratic_loss", "w", w.shape(), w_target.shape());
    const int n = static_cast<int>(w.size());
    wb::require_shape("quadratic_loss", "H", H.shape(), wb::Shape{1, 1, n, n});
    double q = 0;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
            q += (w.values()[a] - w_target.values()[a]) * H(a, b) *
                 (w.values()[b] - w_target.values()[b]);
    return q / 2;
}
// [gram]

/// How far the loss at w computed two ways, ½ eᵀHe and Σ(x ⋆ w − y)²/(2m), may differ by
/// rounding alone. Each side sums about m + 81 products (H's entries are means over m
/// patches), so each is off by at most about (m + 81)·ε times the sum of its terms'
/// magnitudes (Higham's bound for a sum): ½ Σ|e_a H_ab e_b| here. On a smooth picture that
/// sum is far larger than the loss it cancels down to, so a bound relative to the loss
/// alone (once 1e-12) fails on valid pictures.
inline double quadratic_loss_rounding(const Map& H, const Map& w, const Map& w_target, double m) {
    const int n = static_cast<int>(w.size());
    double terms = 0;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b)
            terms += std::abs((w.values()[a] - w_target.values()[a]) * H(a, b) *
                              (w.values()[b] - w_target.values()[b]));
    return (m + n * n) * std::numeric_limits<double>::epsilon() * terms / 2;
}

// [jacobi]
/// Eigenvalues in ascending order, and the unit eigenvector of each (vectors[k] belongs
/// to values[k]).
struct Eigen {
    std::vector<double> values;
    std::vector<std::vector<double>> vectors;
};

/// Eigen-decomposition of a real symmetric matrix by cyclic Jacobi rotations: each
/// rotation in the (p, q) plane zeroes a_pq; sweeping over all pairs until the
/// off-diagonal part vanishes leaves the eigenvalues on the diagonal, and the product of
/// the rotations holds the eigenvectors in its columns. Plain and exact enough for 9×9.
inline Eigen symmetric_eigen(const Map& A) {
    const int n = A.h();
    if (!A.is_map() || A.w() != n || n < 1)
        throw std::invalid_argument("symmetric_eigen: needs a square matrix, got " + A.shape().str());
    double scale = 0;
    for (double v : A) scale = std::max(scale, std::abs(v));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < i; ++j)
            if (!(std::abs(A(i, j) - A(j, i)) <= 1e-12 * scale))
                throw std::invalid_argument("symmetric_eigen: the matrix is not symmetric at (" +
                                            std::to_string(i) + "," + std::to_string(j) + ")");
    Map a = A, V(wb::Shape{1, 1, n, n});
    for (int i = 0; i < n; ++i) V(i, i) = 1;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0, diag = 0;
        for (int i = 0; i < n; ++i) {
            diag += a(i, i) * a(i, i);
            for (int j = i + 1; j < n; ++j) off += a(i, j) * a(i, j);
        }
        if (off <= 1e-32 * diag || off == 0) break;
        for (int p = 0; p < n; ++p)
            for (int q = p + 1; q < n; ++q) {
                if (a(p, q) == 0) continue;
                // Choose the rotation angle so that the new a_pq is zero: with
                // θ = (a_qq − a_pp)/(2 a_pq), t = tan of the angle is the smaller root of
                // t² + 2θt − 1 = 0.
                const double theta = (a(q, q) - a(p, p)) / (2 * a(p, q));
                const double t = (theta >= 0 ? 1.0 : -1.0) /
                                 (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; ++k) {  // a ← a·J (columns p and q)
                    const double akp = a(k, p), akq = a(k, q);
                    a(k, p) = c * akp - s * akq;
                    a(k, q) = s * akp + c * akq;
                }
                for (int k = 0; k < n; ++k) {  // a ← Jᵀ·a (rows p and q)
                    const double apk = a(p, k), aqk = a(q, k);
                    a(p, k) = c * apk - s * aqk;
                    a(q, k) = s * apk + c * aqk;
                }
                a(p, q) = a(q, p) = 0;  // zero by construction; drop the rounding
                for (int k = 0; k < n; ++k) {  // V ← V·J
                    const double vkp = V(k, p), vkq = V(k, q);
                    V(k, p) = c * vkp - s * vkq;
                    V(k, q) = s * vkp + c * vkq;
                }
            }
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int i, int j) { return a(i, i) < a(j, j); });
    Eigen e;
    for (int k : order) {
        e.values.push_back(a(k, k));
        std::vector<double> v(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = V(i, k);
        e.vectors.push_back(v);
    }
    return e;
}
// [jacobi]

// [predict]
/// The largest learning rate for which no error component grows: |1 − lr·λ| < 1 for every
/// eigenvalue, i.e. lr < 2/λ_max.
inline double stable_lr_limit(const std::vector<double>& eigenvalues) {
    const double top = *std::max_element(eigenvalues.begin(), eigenvalues.end());
    if (!(top > 0)) throw std::invalid_argument("stable_lr_limit: no positive eigenvalue");
    return 2 / top;
}

/// The factor by which the loss shrinks per step once the slowest component is all that
/// is left: max over eigenvalues of (1 − lr·λ)². For lr ≤ 2/(λ_min + λ_max) that is
/// (1 − lr·λ_min)², the smallest eigenvalue's.
inline double predicted_loss_ratio(const std::vector<double>& eigenvalues, double lr) {
    double worst = 0;
    for (double l : eigenvalues) worst = std::max(worst, (1 - lr * l) * (1 - lr * l));
    return worst;
}

/// c_k: the component of the start error e₀ = w₀ − w_true along eigenvector k.
inline std::vector<double> eigen_components(const Eigen& H, const Map& w0, const Map& w_target) {
    wb::require_shape("eigen_components", "w0", w0.shape(), w_target.shape());
    if (w0.size() != H.values.size())
        throw std::invalid_argument("eigen_components: a kernel of " + std::to_string(w0.size()) +
                                    " weights needs a " + std::to_string(w0.size()) +
                                    "-dimensional Gram matrix, got " +
                                    std::to_string(H.values.size()));
    std::vector<double> c(H.values.size());
    for (std::size_t k = 0; k < c.size(); ++k)
        for (std::size_t i = 0; i < w0.size(); ++i)
            c[k] += H.vectors[k][i] * (w0.values()[i] - w_target.values()[i]);
    return c;
}

/// The whole loss curve, predicted: with c_k the component of the start error e₀ =
/// w₀ − w_true along eigenvector k,
/// loss_i = ½ Σ_k λ_k c_k² (1 − lr·λ_k)^{2i}, for i = 0 … count−1.
inline std::vector<double> predicted_losses(const Eigen& H, const Map& w0, const Map& w_target,
                                            double lr, long count) {
    const std::vector<double> c = eigen_components(H, w0, w_target);
    std::vector<double> weight(H.values.size()), factor(H.values.size());
    for (std::size_t k = 0; k < H.values.size(); ++k) {
        weight[k] = 0.5 * H.values[k] * c[k] * c[k];
        factor[k] = (1 - lr * H.values[k]) * (1 - lr * H.values[k]);
    }
    std::vector<double> losses;
    for (long i = 0; i < count; ++i) {
        double sum = 0;
        for (std::size_t k = 0; k < weight.size(); ++k) {
            sum += weight[k];
            weight[k] *= factor[k];
        }
        losses.push_back(sum);
    }
    return losses;
}

/// How far the predicted curve may stray from the measured one, relative: Jacobi's
/// eigen-decomposition is exact for a matrix a few ε·λ_max away from H, which moves the
/// slowest mode's ½λ_min·c² by about ε·λ_max/λ_min; 64 covers the 9×9 rotations' sums.
/// Never below 1e-9, the bound the notes' picture (λ_max/λ_min ≈ 986) is held to.
inline double predicted_curve_tolerance(const std::vector<double>& eigenvalues) {
    const double top = eigenvalues.back(), eps = std::numeric_limits<double>::epsilon();
    const double bottom = std::max(eigenvalues.front(), eps * top);
    return std::max(1e-9, 64 * eps * top / bottom);
}

/// The kernel one update earlier. An update maps the error e = w − w_true to (I − lr·H)e,
/// so it is undone along each eigenvector: e_before = Σ_k u_k (u_k·e)/(1 − lr·λ_k). This
/// is how the notes' printed w_result, stepped back, gives their earlier loss lines.
inline Map kernel_one_update_earlier(const Eigen& H, const Map& w, const Map& w_target,
                                     double lr) {
    const std::vector<double> c = eigen_components(H, w, w_target);
    Map before = w_target;
    for (std::size_t k = 0; k < c.size(); ++k) {
        const double shrink = 1 - lr * H.values[k];
        if (shrink == 0)
            throw std::invalid_argument("kernel_one_update_earlier: lr·λ = 1 loses that direction");
        for (std::size_t i = 0; i < before.size(); ++i)
            before.values()[i] += H.vectors[k][i] * c[k] / shrink;
    }
    return before;
}

/// The first i with predicted loss_i < tol (the stopping iteration), or −1 if none within
/// the curve given.
inline long predicted_stop(const std::vector<double>& losses, double tol) {
    for (std::size_t i = 0; i < losses.size(); ++i)
        if (losses[i] < tol) return static_cast<long>(i);
    return -1;
}
// [predict]

/// The median of some stopping iterations: the middle one of the sorted list, or the mean
/// of the two middle ones when the list has an even length.
inline double median(std::vector<long> v) {
    if (v.empty()) throw std::invalid_argument("median: no numbers");
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? static_cast<double>(v[n / 2]) : 0.5 * (static_cast<double>(v[n / 2 - 1]) + v[n / 2]);
}

}  // namespace ch10
