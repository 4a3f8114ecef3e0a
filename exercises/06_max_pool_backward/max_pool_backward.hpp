// Exercise 06_max_pool_backward — see docs page "Chapter 06", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Max pooling backward on one 2-D map a (H×W) with size×size windows moved by `stride`:
/// each δ(i, j) goes to the position of the maximum of window (i, j); ties go to the first
/// maximum in row-major order; overlapping windows add up. The result is shaped like a.
wb::Tensor<double> max_pool_backward(const wb::Tensor<double>& a, const wb::Tensor<double>& delta,
                                     int size, int stride);

}  // namespace ex
