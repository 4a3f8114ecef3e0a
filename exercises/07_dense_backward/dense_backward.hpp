// Exercise 07_dense_backward — see docs page "Chapter 07", section "Try it".
#pragma once

#include <vector>

#include "tensor.hpp"

namespace ex {

struct DenseGrads {
    wb::Tensor<double> dA, dW;
    std::vector<double> db;
};

/// Backward of Z = W A + b·1ᵀ (W out×in, A in×batch, dZ out×batch; all {1,1,rows,cols}):
/// dA = Wᵀ dZ, dW = dZ Aᵀ, db = the row sums of dZ.
DenseGrads dense_backward(const wb::Tensor<double>& W, const wb::Tensor<double>& A,
                          const wb::Tensor<double>& dZ);

}  // namespace ex
