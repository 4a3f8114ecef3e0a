/// \file dense_matrix.hpp
/// \brief Chapter 07: the fully connected layer (全连接层) in matrix form (003 §2,
/// 004 §四.4, 002).
///
/// The layer itself is reference/dense.hpp. Here: vec and the vec–Kronecker identity of
/// 003 eq 12, the Jacobian of eq 13 by finite differences, and 004's two-layer network with
/// a mean-squared-error output (eqs 4.11–4.19), every gradient computed the notes' way.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "activation.hpp"
#include "dense.hpp"
#include "gradcheck.hpp"

namespace ch07 {

using Map = wb::Tensor<double>;

// [vec]
/// vec(M): the columns of an m×n matrix stacked into one mn×1 column (column-major), the
/// convention under which vec(ABC) = (Cᵀ ⊗ A) vec(B) holds.
inline Map vec(const Map& M) {
    Map v(wb::Shape{1, 1, M.h() * M.w(), 1});
    for (int j = 0; j < M.w(); ++j)
        for (int i = 0; i < M.h(); ++i) v(j * M.h() + i, 0) = M(i, j);
    return v;
}

/// The n×n identity matrix I_n.
inline Map identity(int n) {
    Map I(wb::Shape{1, 1, n, n});
    for (int i = 0; i < n; ++i) I(i, i) = 1;
    return I;
}
// [vec]

// [jacobian]
/// The Jacobian ∂vec(f(X))/∂vec(X) by centred differences: column k is the change of
/// vec(f) when element k of vec(X) moves. `f` maps a matrix shaped like X to a matrix.
inline Map numerical_jacobian(const std::function<Map(const Map&)>& f, Map X, double h = 1e-3) {
    const int rows = static_cast<int>(f(X).size()), cols = static_cast<int>(X.size());
    Map J(wb::Shape{1, 1, rows, cols});
    for (int j = 0; j < X.w(); ++j)
        for (int i = 0; i < X.h(); ++i) {
            const int k = j * X.h() + i;  // position of X(i, j) in vec(X)
            const double keep = X(i, j);
            X(i, j) = keep + h;
            const Map plus = vec(f(X));
            X(i, j) = keep - h;
            const Map minus = vec(f(X));
            X(i, j) = keep;
            for (int r = 0; r < rows; ++r) J(r, k) = (plus(r, 0) - minus(r, 0)) / (2 * h);
        }
    return J;
}

/// 003 eq 13: ∂vec(Z)/∂vec(W) = A^{[l−1]ᵀ} ⊗ I_{n_l} for Z = W A (+ b·1ᵀ).
inline Map eq13_jacobian(const Map& A, int n_l) {
    return wb::kron(wb::transpose(A), identity(n_l));
}
// [jacobian]

// [mse-net]
/// 004 §四.4's network with L = 3: input a¹ = x (eq 4.11), a hidden layer 2 and the output
/// layer 3, both a^l = σ(W^l a^{l−1} + b^l) (eq 4.12), loss J = ½‖a³ − y‖².
struct MseNet {
    Map W2, W3;  ///< W^l maps layer l−1 to layer l
    std::vector<double> b2, b3;
};

/// One sample (a column). Small numbers, no symmetry: 2 inputs, 3 hidden, 2 outputs.
inline MseNet example_net() {
    return {Map{{0.5, -0.25}, {0.75, 0.5}, {-1.0, 0.25}},
            Map{{1.0, -0.5, 0.25}, {-0.75, 0.5, 1.0}},
            {0.1, -0.2, 0.05},
            {0.2, -0.1}};
}
inline Map example_x() { return Map{{1.0}, {-2.0}}; }
inline Map example_y() { return Map{{1.0}, {0.0}}; }

struct MseForward {
    Map z2, a2, z3, a3;
    double J = 0;
};

inline MseForward mse_forward(const MseNet& n, const Map& x, const Map& y) {
    MseForward f;
    f.z2 = wb::dense_forward(n.W2, x, n.b2);
    f.a2 = wb::sigmoid(f.z2);
    f.z3 = wb::dense_forward(n.W3, f.a2, n.b3);  // 004 prints W^{L−1} here; W^L is meant
    f.a3 = wb::sigmoid(f.z3);
    for (int i = 0; i < y.h(); ++i) f.J += 0.5 * (f.a3(i, 0) - y(i, 0)) * (f.a3(i, 0) - y(i, 0));
    return f;
}

/// The gradients, eq by eq.
struct MseGrads {
    Map delta3, dW3, delta2, dW2;
    std::vector<double> db3, db2;
};

inline std::vector<double> column(const Map& m) { return {m.begin(), m.end()}; }

inline MseGrads mse_backward(const MseNet& n, const Map& x, const Map& y, const MseForward& f) {
    MseGrads g;
    Map diff = f.a3;
    for (int i = 0; i < y.h(); ++i) diff(i, 0) -= y(i, 0);
    g.delta3 = wb::sigmoid_backward(f.z3, diff);        // δ^L = (a^L − y) ⊙ σ′(z^L)
    g.dW3 = wb::matmul(g.delta3, wb::transpose(f.a2));  // (4.13) δ^L (a^{L−1})ᵀ
    g.db3 = column(g.delta3);                           // (4.14) δ^L
    g.delta2 = wb::sigmoid_backward(f.z2, wb::matmul(wb::transpose(n.W3), g.delta3));  // (4.17)
    g.dW2 = wb::matmul(g.delta2, wb::transpose(x));  // (4.18) δ^l (a^{l−1})ᵀ
    g.db2 = column(g.delta2);                        // (4.19) δ^l
    return g;
}
// [mse-net]

// [chain-4.15]
/// 004 eq 4.15 on a deeper net of σ layers, z^k = W^k a^{k−1} + b^k, a^k = σ(z^k), a⁰ = x,
/// J = ½‖a^L − y‖²: δ^l = ∂J/∂z^l as the product ∂J/∂z^L · ∂z^L/∂z^{L−1} · … · ∂z^{l+1}/∂z^l,
/// one factor per layer, each ∂z^{k+1}/∂z^k = W^{k+1} diag(σ′(z^k)) (eq 4.17's step). `W`
/// and `z` are indexed 1 … L (entry 0 unused); `aL` is the output.
inline Map delta_by_chain(const std::vector<Map>& W, const std::vector<Map>& z, const Map& aL,
                          const Map& y, int l) {
    const int L = static_cast<int>(W.size()) - 1;
    Map diff = aL;
    for (int i = 0; i < y.h(); ++i) diff(i, 0) -= y(i, 0);
    Map d = wb::sigmoid_backward(z[static_cast<std::size_t>(L)], diff);  // ∂J/∂z^L
    for (int k = L - 1; k >= l; --k) {  // times ∂z^{k+1}/∂z^k
        const auto K = static_cast<std::size_t>(k);
        d = wb::sigmoid_backward(z[K], wb::matmul(wb::transpose(W[K + 1]), d));
    }
    return d;
}
// [chain-4.15]

/// The same four gradients by centred differences of J (h = 1e-5: J is not linear).
inline MseGrads mse_numerical(MseNet n, const Map& x, const Map& y) {
    auto J = [&] { return mse_forward(n, x, y).J; };
    MseGrads g;
    g.dW3 = Map(n.W3.shape());
    g.dW2 = Map(n.W2.shape());
    g.dW3.values() = wb::numerical_gradient(J, std::span<double>(n.W3.values()));
    g.dW2.values() = wb::numerical_gradient(J, std::span<double>(n.W2.values()));
    g.db3 = wb::numerical_gradient(J, std::span<double>(n.b3));
    g.db2 = wb::numerical_gradient(J, std::span<double>(n.b2));
    return g;
}

}  // namespace ch07
