// Exercise 08_relu_backward — see docs page "Chapter 08", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// dZ = dA ⊙ [Z > 0], elementwise (the derivative at exactly 0 is taken as 0).
wb::Tensor<double> relu_backward(const wb::Tensor<double>& Z, const wb::Tensor<double>& dA);

}  // namespace ex
