// Exercise 08_sigmoid_backward — see docs page "Chapter 08", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// dZ = dA ⊙ σ′(Z) with σ′(z) = σ(z)(1 − σ(z)), elementwise; dA and Z have the same shape.
wb::Tensor<double> sigmoid_backward(const wb::Tensor<double>& Z, const wb::Tensor<double>& dA);

}  // namespace ex
