// Exercise 02_delta_out — see docs page "Chapter 02", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// The error passed back through a stride-1, one-channel cross-correlation (000 eq 8):
/// δ_out = pad(δ_in, F−1) ⋆ rot180(W). δ_in is (H−F₁+1)×(W−F₂+1); the result is H×W.
wb::Tensor<double> delta_out(const wb::Tensor<double>& delta_in, const wb::Tensor<double>& w);

}  // namespace ex
