// Exercise 05_grad_w_layer — see docs page "Chapter 05", section "Try it".
#pragma once

#include "conv.hpp"

namespace ex {

/// The kernel gradient of a whole convolution layer (000 §17.3.5, 001 §6.1.2): input a
/// (N×C×H×W), δ_in shaped like the output (N×K×H'×W'), the kernels' shape w (K×C×F₁×F₂),
/// stride and padding in spec. Returns ∂J/∂W, shaped like w.
wb::Tensor<double> grad_w_layer(const wb::Tensor<double>& a, const wb::Tensor<double>& delta_in,
                                const wb::Shape& w, wb::ConvSpec spec);

}  // namespace ex
