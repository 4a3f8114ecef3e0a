// Exercise 11_sgd_momentum_step — see docs page "Chapter 11", section "Try it".
#pragma once

#include <vector>

namespace ex {

/// One step of SGD with momentum and L2 on a parameter tensor, element by element:
///   g' = g + λ·w          (the gradient of the L2 term (λ/2)·w² added)
///   v  ← μ·v + g'         (the velocity remembers past gradients)
///   w  ← w − η·v
/// w, v and g have the same length; w and v are updated in place.
void sgd_momentum_step(std::vector<float>& w, std::vector<float>& v, const std::vector<float>& g,
                       float lr, float momentum, float l2);

}  // namespace ex
