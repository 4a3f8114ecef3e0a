/// \file activations.hpp
/// \brief Chapter 08: activation functions (激活函数) and why ReLU trains deeper networks
/// (001 §2), and the parameter counts of 001 §3.
///
/// The layers are reference/activation.hpp; here are the quantities 001 argues with.
#pragma once

#include <cstdint>
#include <vector>

#include "activation.hpp"
#include "random.hpp"

namespace ch08 {

// [vanishing]
/// The best case for a chain of k sigmoid layers: every factor σ′(z) at its peak 1/4.
inline double sigmoid_chain_bound(int k) {
    double p = 1;
    for (int i = 0; i < k; ++i) p *= wb::sigmoid_prime(0.0);
    return p;
}

/// A typical chain: the product of σ′(z_i) for k pre-activations z_i ~ N(0, 1) drawn from
/// `rng`, each factor below 1/4.
inline double sigmoid_chain_sample(int k, wb::Rng& rng) {
    double p = 1;
    for (int i = 0; i < k; ++i) p *= wb::sigmoid_prime(rng.normal());
    return p;
}

/// A chain of k ReLU units that are all active (z > 0): every factor is exactly 1.
inline double relu_chain_active(int k) {
    double p = 1;
    for (int i = 0; i < k; ++i) p *= wb::relu_prime(1.0);
    return p;
}
// [vanishing]

// [counts]
/// 001 §3: a fully connected layer from `inputs` units to `units` units has one weight per
/// pair and one bias per unit: (inputs + 1)·units.
inline std::int64_t dense_parameters(std::int64_t inputs, std::int64_t units) {
    return (inputs + 1) * units;
}

// A convolution layer's count is chapter 01's ch01::conv_parameters.
// [counts]

}  // namespace ch08
