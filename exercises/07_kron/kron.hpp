// Exercise 07_kron — see docs page "Chapter 07", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Kronecker product of an m×n matrix A and a p×q matrix B: the mp×nq matrix whose block
/// (i, j) is A(i, j)·B.
wb::Tensor<double> kron(const wb::Tensor<double>& A, const wb::Tensor<double>& B);

}  // namespace ex
