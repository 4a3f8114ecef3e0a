// Exercise 03_zero_insert — see docs page "Chapter 03", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Undoes a stride S in an M×N error map (000 §17.3.2, the notes' drawings): S−1 zeros
/// between neighbouring elements, so element (i, j) lands on (i·S, j·S) of a
/// ((M−1)·S+1)×((N−1)·S+1) map. S = 1 leaves the map as it is.
wb::Tensor<double> zero_insert(const wb::Tensor<double>& delta, int S);

}  // namespace ex
