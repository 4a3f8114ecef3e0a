/// \file ops.hpp
/// \brief The operations the notes name: output size, pad, rot180, zero_insert,
/// cross-correlation (互相关) and full convolution (卷积).
///
/// Each is the naive loop, written as its formula reads. Every function works plane by
/// plane on N×C×H×W tensors, so the same code serves a single 2-D map of the notes and a
/// batch of multi-channel feature maps.
#pragma once

#include <string>

#include "tensor.hpp"

namespace wb {

/// Output size of a cross-correlation along one axis (001 §5.1.2 eq 2, 004 §三 1.5):
/// \f$ o = \lfloor (n + 2p - f)/s \rfloor + 1 \f$.
/// The notes write the fraction without the floor; positions that would start past the
/// last full window are never reached.
/// Derived in \ref ch01_conv_forward, \ref ch06_pooling.
inline int output_size(int n, int f, int p, int s) {
    const auto args = [&] {  // only for a message: a size that is fine builds no string
        return "n=" + std::to_string(n) + ", f=" + std::to_string(f) + ", p=" + std::to_string(p) +
               ", s=" + std::to_string(s);
    };
    if (n < 1 || f < 1 || p < 0 || s < 1) shape_error("output_size", "invalid arguments " + args());
    if (n + 2 * p < f)
        shape_error("output_size", "kernel is larger than the padded input (" + args() + ")");
    return (n + 2 * p - f) / s + 1;
}

/// Surrounds every plane with zeros (填充, zero padding): `ph` rows above and below, `pw`
/// columns left and right, so H×W becomes (H+2ph)×(W+2pw).
/// Derived in \ref ch02_delta_2x2.
template <class T>
Tensor<T> pad(const Tensor<T>& x, int ph, int pw) {
    if (ph < 0 || pw < 0)
        shape_error("pad", "padding " + std::to_string(ph) + "×" + std::to_string(pw) +
                               " is negative");
    const Shape s = x.shape();
    Tensor<T> y(Shape{s.n, s.c, s.h + 2 * ph, s.w + 2 * pw});
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int i = 0; i < s.h; ++i)
                for (int j = 0; j < s.w; ++j) y(n, c, i + ph, j + pw) = x(n, c, i, j);
    return y;
}

/// `p` rings of zeros on every side: H×W → (H+2p)×(W+2p).
template <class T>
Tensor<T> pad(const Tensor<T>& x, int p) {
    return pad(x, p, p);
}

/// Removes `p` rings from every plane: the inverse of pad().
template <class T>
Tensor<T> crop(const Tensor<T>& x, int p) {
    const Shape s = x.shape();
    if (p < 0 || 2 * p > s.h || 2 * p > s.w)
        shape_error("crop", "cannot remove " + std::to_string(p) + " rings from " + s.str());
    Tensor<T> y(Shape{s.n, s.c, s.h - 2 * p, s.w - 2 * p});
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int i = 0; i < y.h(); ++i)
                for (int j = 0; j < y.w(); ++j) y(n, c, i, j) = x(n, c, i + p, j + p);
    return y;
}

/// Turns every plane by 180°: element (i, j) moves to (H−1−i, W−1−j).
/// Derived in \ref ch01_conv_forward, \ref ch02_delta_2x2.
template <class T>
Tensor<T> rot180(const Tensor<T>& x) {
    const Shape s = x.shape();
    Tensor<T> y(s);
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int i = 0; i < s.h; ++i)
                for (int j = 0; j < s.w; ++j) y(n, c, s.h - 1 - i, s.w - 1 - j) = x(n, c, i, j);
    return y;
}

/// Undoes a stride (步长) S: puts S−1 zeros between neighbouring elements of every plane,
/// so element (i, j) lands on (i·S, j·S). An M×N map becomes ((M−1)S+1)×((N−1)S+1), plus
/// `tail_h` rows and `tail_w` columns of zeros at the bottom and right (the positions a
/// forward pass with a remainder never reached; see chapter 03).
/// Derived in \ref ch03_stride.
template <class T>
Tensor<T> zero_insert(const Tensor<T>& d, int S, int tail_h = 0, int tail_w = 0) {
    if (S < 1) shape_error("zero_insert", "stride " + std::to_string(S) + " is below 1");
    if (tail_h < 0 || tail_w < 0) shape_error("zero_insert", "negative tail");
    const Shape s = d.shape();
    if (s.h < 1 || s.w < 1) shape_error("zero_insert", "empty map " + s.str());
    Tensor<T> y(Shape{s.n, s.c, (s.h - 1) * S + 1 + tail_h, (s.w - 1) * S + 1 + tail_w});
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int i = 0; i < s.h; ++i)
                for (int j = 0; j < s.w; ++j) y(n, c, i * S, j * S) = d(n, c, i, j);
    return y;
}

/// Cross-correlation (互相关), what CNNs call "convolution" (001 §5.1.1 eq 1, §5.1.3 eq 4):
/// \f[ z_{n,k,i,j} = \sum_{c}\sum_{p}\sum_{q} w_{k,c,p,q}\; x_{n,c,\,iS+p,\,jS+q} \f]
/// x is N×C×H×W, w is K×C×F₁×F₂ (K kernels, each with one slice per input channel), the
/// result N×K×H'×W'. No padding and no bias here: pad() first, add the bias after.
/// Derived in \ref ch01_conv_forward, \ref ch02_delta_2x2.
template <class T>
Tensor<T> cross_correlate(const Tensor<T>& x, const Tensor<T>& w, int S = 1) {
    const Shape xs = x.shape(), ws = w.shape();
    if (xs.c != ws.c)
        shape_error("cross_correlate", "input " + xs.str() + " has " + std::to_string(xs.c) +
                                           " channels, kernel " + ws.str() + " expects " +
                                           std::to_string(ws.c));
    const int ho = output_size(xs.h, ws.h, 0, S), wo = output_size(xs.w, ws.w, 0, S);
    Tensor<T> z(Shape{xs.n, ws.n, ho, wo});
    for (int n = 0; n < xs.n; ++n)
        for (int k = 0; k < ws.n; ++k)
            for (int i = 0; i < ho; ++i)
                for (int j = 0; j < wo; ++j) {
                    T sum{};
                    for (int c = 0; c < xs.c; ++c)
                        for (int p = 0; p < ws.h; ++p)
                            for (int q = 0; q < ws.w; ++q)
                                sum += w(k, c, p, q) * x(n, c, i * S + p, j * S + q);
                    z(n, k, i, j) = sum;
                }
    return z;
}

/// Full convolution (卷积) of two 2-D maps, the mathematicians' one (001 §5.1.5 eq 5):
/// \f[ C_{s,t} = \sum_{m}\sum_{n} A_{m,n}\, B_{s-m,\,t-n} \f]
/// over every (m, n) where B's index is inside B. An Mₐ×Nₐ map and an M_b×N_b map give
/// (Mₐ+M_b−1)×(Nₐ+N_b−1). Equals cross_correlate(pad(A, F−1), rot180(B)) for an F×F B.
/// Derived in \ref ch05_kernel_grad.
template <class T>
Tensor<T> convolve_full(const Tensor<T>& a, const Tensor<T>& b) {
    if (!a.is_map() || !b.is_map())
        shape_error("convolve_full", "takes two 2-D maps, got " + a.shape().str() + " and " +
                                         b.shape().str());
    Tensor<T> c(Shape{1, 1, a.h() + b.h() - 1, a.w() + b.w() - 1});
    for (int s = 0; s < c.h(); ++s)
        for (int t = 0; t < c.w(); ++t) {
            T sum{};
            for (int m = 0; m < a.h(); ++m)
                for (int n = 0; n < a.w(); ++n) {
                    const int u = s - m, v = t - n;
                    if (u >= 0 && u < b.h() && v >= 0 && v < b.w()) sum += a(m, n) * b(u, v);
                }
            c(s, t) = sum;
        }
    return c;
}

}  // namespace wb
