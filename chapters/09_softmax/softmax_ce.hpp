/// \file softmax_ce.hpp
/// \brief Chapter 09: softmax with cross-entropy (交叉熵), and flatten (扁平化)
/// (004 §三.5, §四.3, §四.5).
#pragma once

#include <cmath>
#include <span>
#include <vector>

#include "dense.hpp"
#include "gradcheck.hpp"
#include "softmax.hpp"

namespace ch09 {

using Map = wb::Tensor<double>;

// [example]
/// 004 §三.5's logits (3, 1, −3), one sample as a column.
inline Map example_logits() { return Map{{3}, {1}, {-3}}; }
// [example]

// [naive]
/// Softmax exactly as eq 4.20 reads, without subtracting the maximum: e^{1000} overflows to
/// inf and inf/inf is NaN. Shown only to be compared with wb::softmax.
inline Map softmax_naive(const Map& Z) {
    Map P(Z.shape());
    for (int n = 0; n < Z.w(); ++n) {
        double sum = 0;
        for (int k = 0; k < Z.h(); ++k) sum += std::exp(Z(k, n));
        for (int k = 0; k < Z.h(); ++k) P(k, n) = std::exp(Z(k, n)) / sum;
    }
    return P;
}
// [naive]

// [per-class]
/// ∂Loss/∂z_k for one sample with true class `label`, Loss = −ln y_label (eq 4.22), class by
/// class: y_k − 1 for the true class (the case 004 derives), y_k for every other class
/// (the case 004 leaves out: −∂ln y_i/∂z_k = −(−y_k) = y_k for k ≠ i).
inline std::vector<double> ce_gradient_by_class(const Map& P, int label) {
    std::vector<double> g;
    for (int k = 0; k < P.h(); ++k) g.push_back(k == label ? P(k, 0) - 1 : P(k, 0));
    return g;
}
// [per-class]

// [lines-004]
/// 004 §四.5.2's last three lines for the true class i, evaluated on logits z:
/// −Σ_{j≠i} e^{z_j}/Σ_j e^{z_j}, then "1 − e^{z_i}/Σ_j e^{z_j}" (the sign dropped), then
/// y_i − 1. The first and last are ∂Loss/∂z_i; the middle one is its negative.
struct Derivation004 {
    double minus_rest_over_sum, one_minus_y, y_minus_one;
};
inline Derivation004 derivation_004_last_lines(const Map& Z, int i) {
    double all = 0, rest = 0;
    for (int j = 0; j < Z.h(); ++j) {
        all += std::exp(Z(j, 0));
        if (j != i) rest += std::exp(Z(j, 0));
    }
    const double y = std::exp(Z(i, 0)) / all;
    return {-rest / all, 1 - y, y - 1};
}
// [lines-004]

/// Centred differences of J(Z) = cross_entropy(softmax(Z), labels) for every logit.
/// Step 1e-4 rather than 1e-5: a class with a tiny probability p_k has a gradient of only
/// p_k/m, and the round-off of J (about 1e-16·J/h) would dominate it. The truncation error
/// stays near h²/6 ≈ 2e-9 relative. Over the test's 50 random batches: worst 3.6e-7 with 1e-5,
/// 4.2e-8 with 1e-4 (tests/chapters/test_09_softmax.cpp asserts the gap).
inline Map ce_numerical(Map Z, const std::vector<int>& labels, double h = 1e-4) {
    Map g(Z.shape());
    g.values() = wb::numerical_gradient([&] { return wb::cross_entropy(wb::softmax(Z), labels); },
                                        std::span<double>(Z.values()), h);
    return g;
}

}  // namespace ch09
