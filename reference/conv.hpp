/// \file conv.hpp
/// \brief The convolution layer: forward, the naive backward, and the notes' rules.
///
/// Notation of 000 §17.3: the layer computes Z = W ⋆ A + b. The error term (误差项)
/// arriving from the layer after is δ_in = ∂J/∂Z; the layer passes δ_out = ∂J/∂A back and
/// keeps ∂J/∂W and ∂J/∂b for its own update.
///
/// conv2d_backward() is the truth: the chain rule applied one product at a time. The
/// *_by_rule functions are the notes' closed forms (pad, rot180, zero_insert); the tests
/// prove both agree with each other and with finite differences.
#pragma once

#include <string>
#include <vector>

#include "ops.hpp"

namespace wb {

/// Stride S and zero padding P of a convolution layer.
struct ConvSpec {
    int stride = 1;
    int pad = 0;
};

namespace detail {
inline void check_conv(const char* where, const Shape& a, const Shape& w, std::size_t bias,
                       ConvSpec spec) {
    if (spec.stride < 1 || spec.pad < 0)
        shape_error(where, "stride " + std::to_string(spec.stride) + " and padding " +
                               std::to_string(spec.pad) + " (need stride ≥ 1, padding ≥ 0)");
    if (a.c != w.c)
        shape_error(where, "input " + a.str() + " has " + std::to_string(a.c) +
                               " channels, kernel " + w.str() + " expects " + std::to_string(w.c));
    if (bias != static_cast<std::size_t>(w.n))
        shape_error(where, "kernel " + w.str() + " has " + std::to_string(w.n) + " filters but " +
                               std::to_string(bias) + " biases were given");
    output_size(a.h, w.h, spec.pad, spec.stride);  // throws if the kernel does not fit
    output_size(a.w, w.w, spec.pad, spec.stride);
}

/// Shape of Z for input shape `a` and kernel shape `w`.
inline Shape conv_output_shape(const Shape& a, const Shape& w, ConvSpec spec) {
    return {a.n, w.n, output_size(a.h, w.h, spec.pad, spec.stride),
            output_size(a.w, w.w, spec.pad, spec.stride)};
}
}  // namespace detail

/// Z = W ⋆ pad(A, P) + b with stride S: one output map per kernel, one bias per kernel
/// however many input channels it has (000 §17.3.6).
/// Derived in \ref ch01_conv_forward, \ref ch02_delta_2x2, \ref ch04_channels.
template <class T>
Tensor<T> conv2d_forward(const Tensor<T>& a, const Tensor<T>& w, const std::vector<T>& b,
                         ConvSpec spec = {}) {
    detail::check_conv("conv2d_forward", a.shape(), w.shape(), b.size(), spec);
    Tensor<T> z = cross_correlate(pad(a, spec.pad), w, spec.stride);
    for (int n = 0; n < z.n(); ++n)
        for (int k = 0; k < z.c(); ++k)
            for (int i = 0; i < z.h(); ++i)
                for (int j = 0; j < z.w(); ++j) z(n, k, i, j) += b[static_cast<std::size_t>(k)];
    return z;
}

/// The three gradients of a convolution layer.
template <class T>
struct ConvGrads {
    Tensor<T> delta_out;  ///< ∂J/∂A, the error passed back, shaped like A
    Tensor<T> dW;         ///< ∂J/∂W, shaped like W
    std::vector<T> db;    ///< ∂J/∂b, one per kernel
};

/// Naive backward: every product w·a in the forward sum sends δ back to both factors.
/// For each output z(n,k,i,j) and each term w(k,c,p,q)·a_pad(n,c,iS+p,jS+q):
/// ∂J/∂a_pad += δ·w, ∂J/∂w += δ·a_pad, ∂J/∂b_k += δ. Then the padding ring is dropped.
/// Derived in \ref ch04_channels, \ref ch05_kernel_grad.
template <class T>
ConvGrads<T> conv2d_backward(const Tensor<T>& a, const Tensor<T>& w, const Tensor<T>& delta_in,
                             ConvSpec spec = {}) {
    detail::check_conv("conv2d_backward", a.shape(), w.shape(), static_cast<std::size_t>(w.n()),
                       spec);
    require_shape("conv2d_backward", "delta_in",
                  delta_in.shape(), detail::conv_output_shape(a.shape(), w.shape(), spec));
    const Tensor<T> a_pad = pad(a, spec.pad);
    Tensor<T> d_pad(a_pad.shape());
    ConvGrads<T> g{Tensor<T>{}, Tensor<T>(w.shape()), std::vector<T>(w.n(), T{})};
    const int S = spec.stride;
    for (int n = 0; n < delta_in.n(); ++n)
        for (int k = 0; k < delta_in.c(); ++k)
            for (int i = 0; i < delta_in.h(); ++i)
                for (int j = 0; j < delta_in.w(); ++j) {
                    const T d = delta_in(n, k, i, j);
                    g.db[static_cast<std::size_t>(k)] += d;
                    for (int c = 0; c < w.c(); ++c)
                        for (int p = 0; p < w.h(); ++p)
                            for (int q = 0; q < w.w(); ++q) {
                                d_pad(n, c, i * S + p, j * S + q) += d * w(k, c, p, q);
                                g.dW(k, c, p, q) += d * a_pad(n, c, i * S + p, j * S + q);
                            }
                }
    g.delta_out = crop(d_pad, spec.pad);
    return g;
}

/// Undoes the stride of δ_in for an input of shape `a` (000 §17.3.2):
/// zero_insert() with S−1 zeros between elements, plus the (H+2P−F) mod S rows and columns
/// the forward pass never reached, so the map is exactly as large as a stride-1 output.
/// Derived in \ref ch03_stride, \ref ch05_kernel_grad.
template <class T>
Tensor<T> restore_stride(const Tensor<T>& delta_in, const Shape& a, const Shape& w,
                         ConvSpec spec) {
    const int S = spec.stride;
    const int tail_h = (a.h + 2 * spec.pad - w.h) % S;
    const int tail_w = (a.w + 2 * spec.pad - w.w) % S;
    return zero_insert(delta_in, S, tail_h, tail_w);
}

/// The notes' rule for the error passed back (000 §17.3.1 eq 8, §17.3.3 eq 9, §17.3.4
/// eqs 14–15): for each input channel c,
/// \f[ \delta_{out,c} = \sum_k \mathrm{pad}(\delta_{in,k},\,F-1) \star \mathrm{rot180}(W_{k,c}) \f]
/// with δ_in first restored to stride 1, and the padding ring P of A cut off at the end.
/// Derived in \ref ch03_stride, \ref ch04_channels.
template <class T>
Tensor<T> delta_out_by_rule(const Tensor<T>& delta_in, const Tensor<T>& w, const Shape& a,
                            ConvSpec spec = {}) {
    detail::check_conv("delta_out_by_rule", a, w.shape(), static_cast<std::size_t>(w.n()), spec);
    require_shape("delta_out_by_rule", "delta_in", delta_in.shape(),
                  detail::conv_output_shape(a, w.shape(), spec));
    const Tensor<T> d1 = restore_stride(delta_in, a, w.shape(), spec);
    Tensor<T> out_pad(Shape{a.n, a.c, a.h + 2 * spec.pad, a.w + 2 * spec.pad});
    for (int n = 0; n < a.n; ++n)
        for (int c = 0; c < a.c; ++c)
            for (int k = 0; k < w.n(); ++k) {
                const Tensor<T> padded = pad(d1.plane(n, k), w.h() - 1, w.w() - 1);
                out_pad.add_to_plane(n, c, cross_correlate(padded, rot180(w.plane(k, c))));
            }
    return crop(out_pad, spec.pad);
}

/// The notes' rule for the kernel gradient (000 §17.3.5 eq 11, 001 §6.1.2):
/// \f[ \frac{\partial J}{\partial W_{k,c}} = \sum_n \mathrm{pad}(A_{n,c}, P) \star \delta_{in,n,k} \f]
/// the error map itself used as the kernel, after restoring stride 1.
/// Derived in \ref ch05_kernel_grad.
template <class T>
Tensor<T> grad_w_by_rule(const Tensor<T>& a, const Tensor<T>& delta_in, const Shape& w,
                         ConvSpec spec = {}) {
    detail::check_conv("grad_w_by_rule", a.shape(), w, static_cast<std::size_t>(w.n), spec);
    require_shape("grad_w_by_rule", "delta_in", delta_in.shape(),
                  detail::conv_output_shape(a.shape(), w, spec));
    const Tensor<T> a_pad = pad(a, spec.pad);
    const Tensor<T> d1 = restore_stride(delta_in, a.shape(), w, spec);
    Tensor<T> dW(w);
    for (int k = 0; k < w.n; ++k)
        for (int c = 0; c < w.c; ++c)
            for (int n = 0; n < a.n(); ++n)
                dW.add_to_plane(k, c, cross_correlate(a_pad.plane(n, c), d1.plane(n, k)));
    return dW;
}

/// The bias gradient (000 §17.3.6, 002): ∂J/∂b_k is the sum of kernel k's error map.
/// Derived in \ref ch05_kernel_grad.
template <class T>
std::vector<T> grad_b(const Tensor<T>& delta_in) {
    std::vector<T> db(static_cast<std::size_t>(delta_in.c()), T{});
    for (int n = 0; n < delta_in.n(); ++n)
        for (int k = 0; k < delta_in.c(); ++k)
            for (int i = 0; i < delta_in.h(); ++i)
                for (int j = 0; j < delta_in.w(); ++j)
                    db[static_cast<std::size_t>(k)] += delta_in(n, k, i, j);
    return db;
}

}  // namespace wb
