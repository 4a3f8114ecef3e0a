// Exercise 04_delta_out_channels — see docs page "Chapter 04", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// The error passed back through a stride-1, unpadded layer of K kernels over C input
/// channels (000 eqs 9, 14, 15): δ_in is 1×K×h×w, w is K×C×F₁×F₂. Returns the
/// 1×C×(h+F₁−1)×(w+F₂−1) tensor whose channel c is Σ_k pad(δ_in,k, F−1) ⋆ rot180(W_k,c).
wb::Tensor<double> delta_out_channels(const wb::Tensor<double>& delta_in,
                                      const wb::Tensor<double>& w);

}  // namespace ex
