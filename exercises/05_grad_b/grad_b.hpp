// Exercise 05_grad_b — see docs page "Chapter 05", section "Try it".
#pragma once

#include <vector>

#include "tensor.hpp"

namespace ex {

/// The bias gradients of a convolution layer (000 §17.3.6, 002): δ_in is N×K×H'×W' (a batch
/// of N samples, K kernels); returns K numbers, ∂J/∂b_k = the sum of every δ of kernel k.
std::vector<double> grad_b(const wb::Tensor<double>& delta_in);

}  // namespace ex
