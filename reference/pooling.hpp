/// \file pooling.hpp
/// \brief Pooling (池化) layers: max and mean, forward and backward (001 §5.2, §6.2; 002;
/// 003 §4; 004 §四.2).
///
/// A window of size×size slides over every plane with the given stride; the output has
/// \f$ \lfloor (H - \text{size})/\text{stride} \rfloor + 1 \f$ rows (and the same for columns).
/// Pooling has no parameters: its backward pass only routes the residual (残差) δ that
/// arrives from the layer after back onto the input positions that produced each output.
///
/// Decisions the notes leave open, made here and tested in tests/reference/test_pooling.cpp:
/// - Overlapping windows (stride < size): an input element inside several windows collects
///   the sum of what each window sends it.
/// - Inputs not divisible by the window (H − size not a multiple of stride): handled, not
///   refused. The rows and columns no window reaches never influence the output, so their
///   gradient is exactly 0 (the floor in the size formula drops them).
/// - Ties in max pooling: the first maximum in row-major order inside the window takes the
///   whole δ, the other equal elements get 0 (what a scan with a strict `>` picks).
/// - A NaN in a max-pooling window is the window's maximum (the first NaN, if several), as
///   in PyTorch: a NaN from upstream reaches the loss and stops the run, instead of losing
///   every comparison and vanishing.
#pragma once

#include <string>

#include "tensor.hpp"

namespace wb {

/// Window size and stride of a pooling layer; the default is the notes' 2×2, stride 2.
struct PoolSpec {
    int size = 2;
    int stride = 2;
};

namespace detail {
inline std::string pool_str(PoolSpec s) {
    return std::to_string(s.size) + "×" + std::to_string(s.size) + " window, stride " +
           std::to_string(s.stride);
}

/// Output shape of pooling input shape `a` with `s`; throws if the window does not fit.
inline Shape pool_output_shape(const char* where, const Shape& a, PoolSpec s) {
    if (s.size < 1 || s.stride < 1)
        shape_error(where, "invalid pooling " + pool_str(s) + " (need size ≥ 1, stride ≥ 1)");
    if (a.h < s.size || a.w < s.size)
        shape_error(where, "input " + a.str() + " is smaller than the " + pool_str(s));
    return {a.n, a.c, (a.h - s.size) / s.stride + 1, (a.w - s.size) / s.stride + 1};
}

/// Whether v replaces the window's maximum so far: it is larger, or it is the first NaN
/// (a NaN compares false with everything, so `>` alone would drop it).
template <class T>
bool beats(T v, T best) {
    return v > best || (v != v && best == best);
}
}  // namespace detail

// [max_pool_forward]
/// Max pooling: each output is the largest element of its window,
/// \f$ z_{i,j} = \max_{0 \le p,q < \text{size}} a_{iS+p,\,jS+q} \f$.
/// Derived in \ref ch06_pooling.
template <class T>
Tensor<T> max_pool_forward(const Tensor<T>& a, PoolSpec s) {
    const Shape os = detail::pool_output_shape("max_pool_forward", a.shape(), s);
    Tensor<T> z(os);
    for (int n = 0; n < os.n; ++n)
        for (int c = 0; c < os.c; ++c)
            for (int i = 0; i < os.h; ++i)
                for (int j = 0; j < os.w; ++j) {
                    T best = a(n, c, i * s.stride, j * s.stride);
                    for (int p = 0; p < s.size; ++p)
                        for (int q = 0; q < s.size; ++q)
                            if (detail::beats(a(n, c, i * s.stride + p, j * s.stride + q), best))
                                best = a(n, c, i * s.stride + p, j * s.stride + q);
                    z(n, c, i, j) = best;
                }
    return z;
}
// [max_pool_forward]

// [max_pool_backward]
/// Max pooling backward: δ_{i,j} goes to the position of its window's maximum (recomputed
/// from `a`); every other position of the window gets nothing from it. Ties: the first
/// maximum in row-major order; a NaN is the maximum. Overlapping windows add up.
/// Derived in \ref ch06_pooling.
template <class T>
Tensor<T> max_pool_backward(const Tensor<T>& a, const Tensor<T>& delta_in, PoolSpec s) {
    const Shape os = detail::pool_output_shape("max_pool_backward", a.shape(), s);
    require_shape("max_pool_backward", "delta_in (for input " + a.shape().str() + ")",
                  delta_in.shape(), os);
    Tensor<T> d(a.shape());
    for (int n = 0; n < os.n; ++n)
        for (int c = 0; c < os.c; ++c)
            for (int i = 0; i < os.h; ++i)
                for (int j = 0; j < os.w; ++j) {
                    int bi = i * s.stride, bj = j * s.stride;  // arg-max, first in row-major order
                    for (int p = 0; p < s.size; ++p)
                        for (int q = 0; q < s.size; ++q)
                            if (detail::beats(a(n, c, i * s.stride + p, j * s.stride + q), a(n, c, bi, bj))) {
                                bi = i * s.stride + p;
                                bj = j * s.stride + q;
                            }
                    d(n, c, bi, bj) += delta_in(n, c, i, j);
                }
    return d;
}
// [max_pool_backward]

// [mean_pool_forward]
/// Mean pooling: each output is the average of its window,
/// \f$ z_{i,j} = \frac{1}{\text{size}^2} \sum_{p,q} a_{iS+p,\,jS+q} \f$.
/// Derived in \ref ch06_pooling.
template <class T>
Tensor<T> mean_pool_forward(const Tensor<T>& a, PoolSpec s) {
    const Shape os = detail::pool_output_shape("mean_pool_forward", a.shape(), s);
    const T area = static_cast<T>(s.size * s.size);
    Tensor<T> z(os);
    for (int n = 0; n < os.n; ++n)
        for (int c = 0; c < os.c; ++c)
            for (int i = 0; i < os.h; ++i)
                for (int j = 0; j < os.w; ++j) {
                    T sum{};
                    for (int p = 0; p < s.size; ++p)
                        for (int q = 0; q < s.size; ++q)
                            sum += a(n, c, i * s.stride + p, j * s.stride + q);
                    z(n, c, i, j) = sum / area;
                }
    return z;
}
// [mean_pool_forward]

// [mean_pool_backward]
/// Mean pooling backward: every position of a window receives δ_{i,j}/size² (each input
/// contributed with weight 1/size²). With stride = size this is the Kronecker product
/// δ ⊗ (1/size²)·𝟙 of 001 §6.2.2; overlapping windows add up. Only the input's shape is
/// needed, not its values.
/// Derived in \ref ch06_pooling.
template <class T>
Tensor<T> mean_pool_backward(const Shape& a, const Tensor<T>& delta_in, PoolSpec s) {
    const Shape os = detail::pool_output_shape("mean_pool_backward", a, s);
    require_shape("mean_pool_backward", "delta_in (for input " + a.str() + ")", delta_in.shape(),
                  os);
    const T area = static_cast<T>(s.size * s.size);
    Tensor<T> d(a);
    for (int n = 0; n < os.n; ++n)
        for (int c = 0; c < os.c; ++c)
            for (int i = 0; i < os.h; ++i)
                for (int j = 0; j < os.w; ++j)
                    for (int p = 0; p < s.size; ++p)
                        for (int q = 0; q < s.size; ++q)
                            d(n, c, i * s.stride + p, j * s.stride + q) +=
                                delta_in(n, c, i, j) / area;
    return d;
}
// [mean_pool_backward]

}  // namespace wb
