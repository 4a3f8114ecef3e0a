// Exercise 09_softmax_ce_backward — see docs page "Chapter 09", section "Try it".
#pragma once

#include <vector>

#include "tensor.hpp"

namespace ex {

/// ∂J/∂Z for J = mean over the batch of −log P[label_n, n], P = softmax(Z) ({1,1,classes,
/// batch}): (P − T)/batch, T the one-hot matrix of the labels.
wb::Tensor<double> softmax_ce_backward(const wb::Tensor<double>& P, const std::vector<int>& labels);

}  // namespace ex
