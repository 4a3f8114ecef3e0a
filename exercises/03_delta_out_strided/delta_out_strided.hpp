// Exercise 03_delta_out_strided — see docs page "Chapter 03", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// The error passed back through a one-channel layer with stride S and no padding
/// (000 §17.3.2): δ_in is the stride-S output's error, w the F₁×F₂ kernel, H×W the input's
/// size. Returns the H×W map ∂J/∂A. H − F₁ need not divide by S.
wb::Tensor<double> delta_out_strided(const wb::Tensor<double>& delta_in,
                                     const wb::Tensor<double>& w, int H, int W, int S);

}  // namespace ex
