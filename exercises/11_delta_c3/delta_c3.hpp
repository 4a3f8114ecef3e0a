// Exercise 11_delta_c3 — see docs page "Chapter 11", section "Try it".
#pragma once

#include "11_lenet/lenet.hpp"

namespace ex {

/// The hinge of LeNet's backward pass, from the dense part back into the convolutional
/// part. Given the forward pass `f` and dF = ∂J/∂f, the gradient with respect to the
/// flattened maps (400×N, one sample per column), return δ of C3, ∂J/∂z3 (N×16×10×10):
/// undo the flatten, route through the 2×2 max pooling, then through the ReLU.
wb::Tensor<double> delta_c3(const ch11::Forward<double>& f, const wb::Tensor<double>& dF);

}  // namespace ex
