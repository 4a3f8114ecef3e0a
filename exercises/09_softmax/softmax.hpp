// Exercise 09_softmax — see docs page "Chapter 09", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Softmax of every column of Z ({1,1,classes,batch}), numerically stable: logits of 1000
/// must give finite probabilities.
wb::Tensor<double> softmax(const wb::Tensor<double>& Z);

}  // namespace ex
