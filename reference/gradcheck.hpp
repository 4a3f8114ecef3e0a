/// \file gradcheck.hpp
/// \brief Centred finite differences and cs231n's relative error: the independent judge
/// of every backward pass in the workbook.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wb {

/// Evaluates f at x + h·eᵢ and x − h·eᵢ, leaving x as it was.
template <class T, class F>
auto centred_pair(F&& f, std::span<T> x, std::size_t i, T h) {
    const T keep = x[i];
    x[i] = keep + h;
    auto plus = f();
    x[i] = keep - h;
    auto minus = f();
    x[i] = keep;
    return std::pair{std::move(plus), std::move(minus)};
}

/// ∂J/∂x by centred differences: (J(x + h·eᵢ) − J(x − h·eᵢ)) / 2h for every element of x.
/// `loss` must read x through the span's storage (x is changed in place and restored).
/// Error O(h²), so h ≈ 1e-5 in double leaves about 1e-10 of truncation and rounding.
template <class T, class Loss>
std::vector<T> numerical_gradient(Loss&& loss, std::span<T> x, T h = T(1e-5)) {
    std::vector<T> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const auto [plus, minus] = centred_pair(loss, x, i, h);
        g[i] = (plus - minus) / (2 * h);
    }
    return g;
}

/// Gᵀ·∂f/∂x by centred differences, for a vector-valued f and a fixed weighting G: the
/// gradient of J = Σ_k G_k f_k(x). The same centred difference as numerical_gradient() on J,
/// but the outputs are differenced before they are weighted and summed, so outputs that x_i
/// does not touch cancel exactly instead of adding round-off. `f` returns a container of T.
template <class T, class F>
std::vector<T> numerical_vjp(F&& f, std::span<T> x, std::span<const T> G, T h = T(1e-5)) {
    std::vector<T> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const auto [plus, minus] = centred_pair(f, x, i, h);
        if (std::size(plus) != G.size())
            throw std::invalid_argument("numerical_vjp: f has " + std::to_string(std::size(plus)) +
                                        " outputs, G has " + std::to_string(G.size()));
        T sum{};
        for (std::size_t k = 0; k < G.size(); ++k)
            sum += G[k] * (std::data(plus)[k] - std::data(minus)[k]);
        g[i] = sum / (2 * h);
    }
    return g;
}

/// cs231n's relative error, the largest over all elements:
/// \f[ \max_i \frac{|a_i - b_i|}{\max(10^{-8},\ |a_i| + |b_i|)} \f]
/// About 1e-7 or below means the analytic gradient is right; 1e-2 means it is wrong.
/// A NaN or infinity on either side makes the result NaN, so every `<` and `>` on it fails:
/// a gradient that is not finite never passes a check.
template <class T>
double relative_error(std::span<const T> a, std::span<const T> b) {
    if (a.size() != b.size())
        throw std::invalid_argument("relative_error: " + std::to_string(a.size()) + " values vs " +
                                    std::to_string(b.size()));
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double x = a[i], y = b[i];
        if (!std::isfinite(x) || !std::isfinite(y)) return std::numeric_limits<double>::quiet_NaN();
        worst = std::max(worst, std::abs(x - y) / std::max(1e-8, std::abs(x) + std::abs(y)));
    }
    return worst;
}

/// Convenience overload for any two containers of the same scalar (vectors, tensors).
template <class A, class B>
double relative_error(const A& a, const B& b) {
    using T = std::remove_cvref_t<decltype(*std::data(a))>;
    return relative_error<T>(std::span<const T>(std::data(a), std::size(a)),
                             std::span<const T>(std::data(b), std::size(b)));
}

}  // namespace wb
