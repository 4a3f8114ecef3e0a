// Exercise 04_delta_out_layer — see docs page "Chapter 04", section "Try it".
#pragma once

#include "conv.hpp"

namespace ex {

/// The error passed back through a whole convolution layer (000 §17.3.2–17.3.4): input
/// shape a (N×C×H×W), kernels w (K×C×F₁×F₂), stride and padding in spec, δ_in shaped like
/// the layer's output (N×K×H'×W'). Returns ∂J/∂A, shaped like A.
wb::Tensor<double> delta_out_layer(const wb::Tensor<double>& delta_in, const wb::Tensor<double>& w,
                                   const wb::Shape& a, wb::ConvSpec spec);

}  // namespace ex
