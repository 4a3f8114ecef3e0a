// Exercise 06_mean_pool_backward — see docs page "Chapter 06", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Mean pooling backward for an H×W input with size×size windows moved by `stride`: every
/// cell of window (i, j) receives δ(i, j)/size²; overlapping windows add up; cells no
/// window covers get 0. Returns an H×W map.
wb::Tensor<double> mean_pool_backward(int H, int W, const wb::Tensor<double>& delta, int size,
                                      int stride);

}  // namespace ex
