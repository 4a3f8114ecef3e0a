/// \file activation.hpp
/// \brief Activation functions (激活函数), elementwise on any tensor (001 §2, 003 §2,
/// 004 §四.4).
///
/// Each layer is a pair: forward a = g(z), and backward dZ = dA ⊙ g′(Z), with the
/// derivative evaluated at the layer's input Z (003 §2: ∂J/∂Z = ∂J/∂A ⊙ g′(Z)). Every
/// backward function of the workbook takes the forward pass's input(s) first and the
/// gradient arriving from above last: relu_backward(Z, dA), like
/// max_pool_backward(a, δ) and conv2d_backward(a, w, δ).
///
/// ReLU's derivative at exactly z = 0 does not exist; this workbook takes it as 0 (the
/// gradient flows only where z > 0), as PyTorch does.
#pragma once

#include <cmath>

#include "tensor.hpp"

namespace wb {

/// The scalar functions and their derivatives, written out once.
/// ReLU passes a NaN on (as PyTorch's does), so that it reaches the loss and stops the run.
template <class T>
T relu_scalar(T z) { return z > T(0) || z != z ? z : T(0); }
/// ReLU′(z) = 1 for z > 0, 0 for z ≤ 0 (0 at the kink, by this workbook's choice).
/// Derived in \ref ch08_activations.
template <class T>
T relu_prime(T z) { return z > T(0) ? T(1) : T(0); }
/// σ(z) = 1/(1+e^{−z}), evaluated without overflow for large |z|.
template <class T>
T sigmoid_scalar(T z) {
    if (z >= T(0)) return T(1) / (T(1) + std::exp(-z));
    const T e = std::exp(z);
    return e / (T(1) + e);
}
/// σ′(z) = σ(z)(1 − σ(z)), at most 1/4 (at z = 0).
/// Derived in \ref ch08_activations.
template <class T>
T sigmoid_prime(T z) {
    const T s = sigmoid_scalar(z);
    return s * (T(1) - s);
}
/// tanh′(z) = 1 − tanh²(z), at most 1 (at z = 0).
template <class T>
T tanh_prime(T z) {
    const T t = std::tanh(z);
    return T(1) - t * t;
}

namespace detail {
template <class T, class F>
Tensor<T> map_elements(const Tensor<T>& x, F f) {
    Tensor<T> y(x.shape());
    for (std::size_t i = 0; i < x.size(); ++i) y.data()[i] = f(x.data()[i]);
    return y;
}
template <class T, class F>
Tensor<T> times_prime(const char* where, const Tensor<T>& Z, const Tensor<T>& dA, F prime) {
    require_shape(where, "dA (for Z " + Z.shape().str() + ")", dA.shape(), Z.shape());
    Tensor<T> dZ(Z.shape());
    for (std::size_t i = 0; i < Z.size(); ++i) dZ.data()[i] = dA.data()[i] * prime(Z.data()[i]);
    return dZ;
}
}  // namespace detail

// [relu]
/// ReLU: a = max(0, z), elementwise.
template <class T>
Tensor<T> relu(const Tensor<T>& Z) {
    return detail::map_elements(Z, relu_scalar<T>);
}
/// dZ = dA ⊙ [Z > 0] (the derivative at exactly 0 is taken as 0).
template <class T>
Tensor<T> relu_backward(const Tensor<T>& Z, const Tensor<T>& dA) {
    return detail::times_prime("relu_backward", Z, dA, relu_prime<T>);
}
// [relu]

// [sigmoid]
/// Sigmoid: a = σ(z) = 1/(1+e^{−z}), elementwise.
template <class T>
Tensor<T> sigmoid(const Tensor<T>& Z) {
    return detail::map_elements(Z, sigmoid_scalar<T>);
}
/// dZ = dA ⊙ σ(Z)(1 − σ(Z)).
template <class T>
Tensor<T> sigmoid_backward(const Tensor<T>& Z, const Tensor<T>& dA) {
    return detail::times_prime("sigmoid_backward", Z, dA, sigmoid_prime<T>);
}
// [sigmoid]

// [tanh]
/// tanh: a = tanh(z), elementwise (named tanh_forward so it never hides std::tanh).
template <class T>
Tensor<T> tanh_forward(const Tensor<T>& Z) {
    return detail::map_elements(Z, [](T z) { return std::tanh(z); });
}
/// dZ = dA ⊙ (1 − tanh²(Z)).
template <class T>
Tensor<T> tanh_backward(const Tensor<T>& Z, const Tensor<T>& dA) {
    return detail::times_prime("tanh_backward", Z, dA, tanh_prime<T>);
}
// [tanh]

}  // namespace wb
