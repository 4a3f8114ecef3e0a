// Exercise 02_rot180 — see docs page "Chapter 02", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {

/// The 2-D map w (F₁×F₂) turned by 180°: element (i, j) moves to (F₁−1−i, F₂−1−j).
wb::Tensor<double> rot180(const wb::Tensor<double>& w);

}  // namespace ex
