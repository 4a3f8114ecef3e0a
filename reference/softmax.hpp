/// \file softmax.hpp
/// \brief Softmax over classes and the cross-entropy (交叉熵) loss, with their joint
/// gradient (004 §三, §四.3, §四.5).
///
/// Column convention of dense.hpp: Z is {1,1,classes,batch}, one sample per column.
/// \f[ P_{k,n} = \frac{e^{Z_{k,n}}}{\sum_j e^{Z_{j,n}}}, \qquad
///     J = -\frac{1}{m}\sum_{n} \log P_{y_n,\,n}, \qquad
///     \frac{\partial J}{\partial Z} = \frac{1}{m}(P - T) \f]
/// with T the one-hot matrix of the labels y and m the batch size.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace wb {

namespace detail {
inline void check_labels(const char* where, const Shape& P, const std::vector<int>& labels) {
    if (P.n != 1 || P.c != 1)
        shape_error(where, "P must be a matrix (classes×batch), got " + P.str());
    if (labels.size() != static_cast<std::size_t>(P.w))
        shape_error(where, "P is " + P.str() + " (classes×batch) but " +
                               std::to_string(labels.size()) + " labels were given");
    for (std::size_t n = 0; n < labels.size(); ++n)
        if (labels[n] < 0 || labels[n] >= P.h)
            shape_error(where, "label " + std::to_string(labels[n]) + " of sample " +
                                   std::to_string(n) + " is outside 0.." +
                                   std::to_string(P.h - 1) + " (P is " + P.str() + ")");
}
}  // namespace detail

// [softmax]
/// Softmax of every column. Subtracting the column's maximum first changes nothing
/// mathematically (the factor e^{−max} cancels) but keeps every exponent ≤ 0, so logits
/// like 1000 give finite probabilities instead of inf/inf = NaN.
/// Derived in \ref ch09_softmax.
template <class T>
Tensor<T> softmax(const Tensor<T>& Z) {
    if (Z.n() != 1 || Z.c() != 1 || Z.h() < 1)
        shape_error("softmax", "Z must be a matrix (classes×batch) with ≥ 1 class, got " +
                                   Z.shape().str());
    Tensor<T> P(Z.shape());
    for (int n = 0; n < Z.w(); ++n) {
        T mx = Z(0, n);
        for (int k = 1; k < Z.h(); ++k) mx = Z(k, n) > mx ? Z(k, n) : mx;
        T sum{};
        for (int k = 0; k < Z.h(); ++k) {
            P(k, n) = std::exp(Z(k, n) - mx);
            sum += P(k, n);
        }
        for (int k = 0; k < Z.h(); ++k) P(k, n) /= sum;
    }
    return P;
}
// [softmax]

// [cross_entropy]
/// Cross-entropy averaged over the batch: J = −(1/m) Σ_n log P[label_n, n]. Labels are
/// range-checked. A probability of exactly 0 for the true class gives +inf (honestly):
/// where the logits are at hand, cross_entropy_logits() gives the finite value.
/// Derived in \ref ch09_softmax.
template <class T>
T cross_entropy(const Tensor<T>& P, const std::vector<int>& labels) {
    detail::check_labels("cross_entropy", P.shape(), labels);
    T sum{};
    for (int n = 0; n < P.w(); ++n) sum -= std::log(P(labels[static_cast<std::size_t>(n)], n));
    return sum / static_cast<T>(P.w());
}
// [cross_entropy]

// [cross_entropy_logits]
/// The same J from the logits Z, by log-sum-exp (as PyTorch's cross_entropy computes it):
/// −log P_{y,n} = (M_n − Z_{y,n}) + log Σ_j e^{Z_{j,n} − M_n}, M_n the column's maximum.
/// Every exponent is ≤ 0 and the sum is ≥ 1, so the log never meets 0: logits 500 apart
/// give J = 500 in float, where −log of the softmax gives +inf (e^{−500} underflows to 0).
/// Derived in \ref ch09_softmax.
template <class T>
T cross_entropy_logits(const Tensor<T>& Z, const std::vector<int>& labels) {
    detail::check_labels("cross_entropy_logits", Z.shape(), labels);
    T total{};
    for (int n = 0; n < Z.w(); ++n) {
        T mx = Z(0, n);
        for (int k = 1; k < Z.h(); ++k) mx = Z(k, n) > mx ? Z(k, n) : mx;
        T sum{};
        for (int k = 0; k < Z.h(); ++k) sum += std::exp(Z(k, n) - mx);
        total += (mx - Z(labels[static_cast<std::size_t>(n)], n)) + std::log(sum);
    }
    return total / static_cast<T>(Z.w());
}
// [cross_entropy_logits]

// [softmax_ce_backward]
/// ∂J/∂Z of softmax followed by cross_entropy(): (P − T)/m, for every class k, not only the
/// true one: P_k − 1 on the label's row, P_k on every other row.
/// Derived in \ref ch09_softmax.
template <class T>
Tensor<T> softmax_ce_backward(const Tensor<T>& P, const std::vector<int>& labels) {
    detail::check_labels("softmax_ce_backward", P.shape(), labels);
    const T m = static_cast<T>(P.w());
    Tensor<T> dZ(P.shape());
    for (int n = 0; n < P.w(); ++n)
        for (int k = 0; k < P.h(); ++k) {
            const T t = (k == labels[static_cast<std::size_t>(n)]) ? T(1) : T(0);
            dZ(k, n) = (P(k, n) - t) / m;
        }
    return dZ;
}
// [softmax_ce_backward]

}  // namespace wb
