/// \file kernel_grad.hpp
/// \brief Chapter 05: the kernel and bias gradients (000 §17.3.5–17.3.6, 001 §6.1.2, 002,
/// 003 §3.1–3.3).
///
/// The derivation's steps as plain functions. main.cpp prints them;
/// tests/chapters/test_05_kernel_grad.cpp asserts them.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "01_conv_forward/conv_forward.hpp"
#include "02_delta_2x2/delta_2x2.hpp"
#include "activation.hpp"
#include "conv.hpp"
#include "ops.hpp"

namespace ch05 {

using Map = wb::Tensor<double>;

// [weight-formula]
/// One term δ_{z,ij}·a_{uv} of ∂J/∂w_pq (1-based, like the notes).
struct Term {
    int i, j, u, v;
};

/// Which products make up ∂J/∂w_pq, read off the forward pass of a one-channel layer with
/// stride S: z_ij = Σ w_pq a_{(i−1)S+p, (j−1)S+q} + b, so w_pq meets a_{(i−1)S+p, (j−1)S+q}
/// in every output z_ij (weight sharing), and the chain rule collects δ_ij times that a.
inline std::vector<Term> weight_formula(int p, int q, int out_h, int out_w, int S = 1) {
    std::vector<Term> terms;
    for (int i = 1; i <= out_h; ++i)
        for (int j = 1; j <= out_w; ++j) terms.push_back({i, j, (i - 1) * S + p, (j - 1) * S + q});
    return terms;
}

/// "δz11·a11 + δz12·a12 + …", the way 000 §17.3.5 writes it.
inline std::string to_string(const std::vector<Term>& terms) {
    return ch02::join_terms(terms, [](const Term& t) {
        return "δz" + std::to_string(t.i) + std::to_string(t.j) + "·a" + std::to_string(t.u) +
               std::to_string(t.v);
    });
}

inline double evaluate(const std::vector<Term>& terms, const Map& a, const Map& delta_in) {
    return ch02::sum_terms(
        terms, [&](const Term& t) { return delta_in(t.i - 1, t.j - 1) * a(t.u - 1, t.v - 1); });
}

/// 001 §6.1.2's general rule in the section's own 1-based numbering (w_{1,1}, δ_{1,1} and
/// a^{l−1}_{1,1} are first elements): ∂E/∂w_{i,j} = Σ_m Σ_n δ_{m,n} a^{l−1}_{i+m−1, j+n−1}.
/// The note prints a^{l−1}_{i+m, j+n}, one off from its own examples 1–2 just above it.
inline Map grad_w_001_rule(const Map& a, const Map& delta, int F1, int F2) {
    Map dw(wb::Shape{1, 1, F1, F2});
    for (int i = 1; i <= F1; ++i)
        for (int j = 1; j <= F2; ++j)
            for (int m = 1; m <= delta.h(); ++m)
                for (int n = 1; n <= delta.w(); ++n)  // a 1-based index k is a(k − 1)
                    dw(i - 1, j - 1) += delta(m - 1, n - 1) * a(i + m - 1 - 1, j + n - 1 - 1);
    return dw;
}

/// ∂J/∂W built element by element from the formulas (an F₁×F₂ map).
inline Map grad_w_by_elements(const Map& a, const Map& delta_in, int F1, int F2, int S = 1) {
    Map dw(wb::Shape{1, 1, F1, F2});
    for (int p = 1; p <= F1; ++p)
        for (int q = 1; q <= F2; ++q)
            dw(p - 1, q - 1) =
                evaluate(weight_formula(p, q, delta_in.h(), delta_in.w(), S), a, delta_in);
    return dw;
}
// [weight-formula]

// [rule]
/// 000 §17.3.5 eq 11, 001 §6.1.2: δ_w = A ⋆ δ_in — the error map used as the kernel and
/// slid over the input with stride 1 (one channel, no padding, forward stride 1).
inline Map grad_w_rule(const Map& a, const Map& delta_in) {
    return wb::cross_correlate(a, delta_in);
}
// [rule]

// [rule-strided]
/// The same with a forward stride S and padding P: pad A, restore δ to stride 1 by zero
/// insertion (chapter 03), then A ⋆ δ₁ with stride 1. `w` is the kernel's shape.
inline Map grad_w_strided(const Map& a, const Map& delta_in, const wb::Shape& w,
                          wb::ConvSpec spec) {
    const Map d1 = wb::restore_stride(delta_in, a.shape(), w, spec);
    return wb::cross_correlate(wb::pad(a, spec.pad), d1);
}
// [rule-strided]

// [bias]
/// 000 §17.3.6 eq 12, 001 §6.1.2, 002: ∂J/∂b = Σ_ij δ_ij, one number per kernel.
inline double grad_b_sum(const Map& delta_in) {
    double s = 0;
    for (double v : delta_in) s += v;
    return s;
}

/// 003 §3.2 eq 31: the same sum written as a cross-correlation, 1_{n_H×n_W} ⋆ δ (a 1×1 map).
inline Map grad_b_003(const Map& delta_in) {
    return wb::cross_correlate(Map(delta_in.shape(), 1.0), delta_in);
}
// [bias]

// [eq28-003]
/// 003 §3.1 eq 28 as a loop, 0-based like 003: ∂J/∂w[a,b] = Σ_x Σ_y ∂J/∂z[x,y]·a[x+a, y+b],
/// x and y over the n_H × n_W outputs (0 … n_H−1; eq 25 prints the upper limit as n_H).
inline Map grad_w_003_eq28(const Map& a_prev, const Map& dz, int f) {
    Map dw(wb::Shape{1, 1, f, f});
    for (int r = 0; r < f; ++r)
        for (int c = 0; c < f; ++c)
            for (int x = 0; x < dz.h(); ++x)
                for (int y = 0; y < dz.w(); ++y) dw(r, c) += dz(x, y) * a_prev(x + r, y + c);
    return dw;
}

/// 003 §3.1 eq 29 with its operands as printed, ∂J/∂Z ⋆ A. δ is smaller than A, so the
/// product is defined only with zeros around δ (here f−1 rings, which gives an f×f map);
/// under eq 26's own convention (first operand slid over, second the kernel) the sum of
/// eq 28 is A ⋆ δ, the order 003 §3.3 uses.
inline Map grad_w_003_eq29_as_printed(const Map& a_prev, const Map& dz) {
    const int f = a_prev.h() - dz.h() + 1;
    return wb::cross_correlate(wb::pad(dz, f - 1), a_prev);
}

/// 003 §3.1 eq 29's bracketed form as printed, ∂J/∂Z * ROT180(A) with * the true (full)
/// convolution: the turn is on the wrong operand. The result is (n_H^[l] + n_H^[l−1] − 1)
/// high, not f; its f×f block at offset n_H^[l] − 1 is rot180(∂J/∂W). The right form is
/// A * ROT180(∂J/∂Z) (valid), which is A ⋆ ∂J/∂Z.
inline Map grad_w_003_eq29_bracket_as_printed(const Map& a_prev, const Map& dz) {
    return wb::convolve_full(dz, wb::rot180(a_prev));
}
/// The bracket as it should read: A * ROT180(∂J/∂Z), a valid convolution, which is A ⋆ ∂J/∂Z.
inline Map grad_w_003_eq29_bracket(const Map& a_prev, const Map& dz) {
    return ch01::convolve_valid(a_prev, wb::rot180(dz));
}

/// 004 §四.1.2.2 eq 4.4 as printed, δ^l * σ(z^l), in 004's notation (kernel first, and *
/// the cross-correlation): δ^l slid over the layer's own output. z^l has δ^l's shape, so
/// the result is 1×1, not the m×n kernel; the input σ(z^{l−1}) = a^{l−1} is meant.
inline Map grad_w_as_printed_in_004(const Map& z_out, const Map& delta) {
    return wb::cross_correlate(z_out, delta);
}
// [eq28-003]

// [eq37-003]
/// 003 §3.3 eq 37: the error of the layer before, through an activation g = tanh:
/// ∂J/∂Z^[l] = (∂J/∂Z^[l+1] full-convolved with W^[l+1]) ⊙ g′(Z^[l]). The full convolution
/// (wb::convolve_full) equals chapter 02's pad(δ, f−1) ⋆ rot180(W).
inline Map dz_prev_003(const Map& dz_next, const Map& w_next, const Map& z_prev) {
    return wb::tanh_backward(z_prev, wb::convolve_full(dz_next, w_next));  // ⊙ g′(Z^[l])
}
// [eq37-003]

// [all-three]
/// The three rules of 002's summary, one call for a whole layer (any stride, padding,
/// channels, kernels, batch): what a convolution layer's backward() returns.
///  - the error passed back: the turned kernel over the zero-padded error (000 eq 8/9/14);
///  - the kernel gradient: the layer's input ⋆ its error map (000 eq 11);
///  - the bias gradient: each kernel's error map summed (000 eq 12).
/// δ_in is restored to stride 1 first (chapter 03) inside the reference rules.
inline wb::ConvGrads<double> layer_gradients(const Map& a, const Map& w, const Map& delta_in,
                                             wb::ConvSpec spec) {
    return {wb::delta_out_by_rule(delta_in, w, a.shape(), spec),
            wb::grad_w_by_rule(a, delta_in, w.shape(), spec), wb::grad_b(delta_in)};
}
// [all-three]

// [examples]
/// 001 §5.1.2's stride-2 layer (chapter 01's 5×5 image and 3×3 filter) with an error map
/// of our choosing, to show ∂J/∂W through a stride.
inline Map stride_delta() { return {{1, -1}, {2, 3}}; }
// [examples]

}  // namespace ch05
