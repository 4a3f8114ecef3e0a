// Exercise 05_grad_w — see docs page "Chapter 05", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// The kernel gradient of a one-channel, stride-1, unpadded layer (000 §17.3.5 eq 11):
/// ∂J/∂W = A ⋆ δ_in, the error map slid over the input as if it were the kernel. A is H×W,
/// δ_in is (H−F₁+1)×(W−F₂+1); the result is F₁×F₂.
wb::Tensor<double> grad_w(const wb::Tensor<double>& a, const wb::Tensor<double>& delta_in);

}  // namespace ex
