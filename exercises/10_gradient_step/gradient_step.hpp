// Exercise 10_gradient_step — see docs page "Chapter 10", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// One iteration of the kernel fit of 000 §17.3.7 (b = 0), for any kernel size:
///   z  = x ⋆ w            (valid cross-correlation)
///   dw = x ⋆ (z − y)      (the kernel gradient, m times ∂loss/∂w)
///   return w − lr·dw/m    (m = the number of pixels of y)
/// x is H×W, w is F₁×F₂, y is (H−F₁+1)×(W−F₂+1).
wb::Tensor<double> gradient_step(const wb::Tensor<double>& x, const wb::Tensor<double>& y,
                                 const wb::Tensor<double>& w, double lr);

}  // namespace ex
