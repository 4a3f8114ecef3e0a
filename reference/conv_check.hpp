/// \file conv_check.hpp
/// \brief Finite-difference check of a whole convolution layer, used by chapters (to print
/// the relative errors) and by tests (to assert them).
#pragma once

#include <span>
#include <vector>

#include "conv.hpp"
#include "gradcheck.hpp"

namespace wb {

/// Numerical gradients of J = Σ G ⊙ Z(A, W, b), whose exact ∂J/∂Z is G.
template <class T>
struct ConvNumerical {
    Tensor<T> delta_out, dW;
    std::vector<T> db;
};

/// Centred differences of J = Σ G ⊙ conv2d_forward(A, W, b) with respect to A, W and b.
/// Since ∂J/∂Z = G exactly, backward(δ_in = G) must reproduce these.
///
/// Step h = 2⁻¹⁰ ≈ 1e-3, not the usual 1e-5: Z is linear in every single element of A, W
/// and b, so the centred difference has no truncation error at all and only round-off
/// (∝ 1/h) is left. Over 300 random layers (a test in tests/reference/test_conv.cpp): worst
/// relative error 5.8e-9 with h = 2⁻¹⁰, 1.9e-6 with h = 1e-5 (where near-zero gradient
/// elements amplify the round-off).
/// A power of two rather than 1e-3 itself: on the notes' integer examples x ± h and every
/// product are then exact in double, so a gradient element that is exactly 0 (terms that
/// cancel) comes out exactly 0, instead of ~1e-12 of round-off that the relative error's
/// 1e-8 floor would turn into 1e-4.
template <class T>
ConvNumerical<T> conv_numerical_gradients(Tensor<T> a, Tensor<T> w, std::vector<T> b,
                                          const Tensor<T>& G, ConvSpec spec, T h = T(0x1p-10)) {
    auto Z = [&] { return conv2d_forward(a, w, b, spec); };
    require_shape("conv_numerical_gradients", "G", G.shape(), Z().shape());
    const std::span<const T> g(G.data(), G.size());
    ConvNumerical<T> num{Tensor<T>(a.shape()), Tensor<T>(w.shape()), {}};
    num.delta_out.values() = numerical_vjp(Z, std::span<T>(a.values()), g, h);
    num.dW.values() = numerical_vjp(Z, std::span<T>(w.values()), g, h);
    num.db = numerical_vjp(Z, std::span<T>(b), g, h);
    return num;
}

/// The worst relative error of each analytic gradient against finite differences.
struct ConvGradErrors {
    double delta_out = 0, dW = 0, db = 0;
    double worst() const { return std::max({delta_out, dW, db}); }
};

template <class T>
ConvGradErrors conv_gradient_errors(const ConvGrads<T>& g, const ConvNumerical<T>& num) {
    return {relative_error(g.delta_out, num.delta_out), relative_error(g.dW, num.dW),
            relative_error(g.db, num.db)};
}

}  // namespace wb
