// Exercise 01_cross_correlate — see docs page "Chapter 01", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// Valid cross-correlation of a 2-D map x (H×W) with a 2-D kernel w (F₁×F₂), stride S:
/// z(i, j) = Σ_m Σ_n w(m, n) · x(i·S + m, j·S + n)   (001 §5.1.1 eq 1, without f and w_b).
wb::Tensor<double> cross_correlate(const wb::Tensor<double>& x, const wb::Tensor<double>& w, int S);

}  // namespace ex
