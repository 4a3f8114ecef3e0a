/// \file dense.hpp
/// \brief The fully connected layer (全连接层) in matrix form (003 §2, 004 §四.4), and
/// flatten (扁平化), which turns feature maps into its input columns.
///
/// Column convention of 003 §2: a batch of m samples is a matrix with one sample per
/// column. A matrix is a `Tensor<T>` of shape {1, 1, rows, cols}.
///
/// Forward: \f$ Z = W A + b\,\mathbf{1}^T \f$ with W out×in, A in×m, b one per output row.
/// Backward, given \f$ dZ = \partial J/\partial Z \f$:
/// \f$ \partial J/\partial A = W^T dZ \f$, \f$ \partial J/\partial W = dZ\,A^T \f$,
/// \f$ \partial J/\partial b = dZ\,\mathbf{1} \f$ (row sums). The activation's
/// \f$ \odot\, g'(Z) \f$ is a separate layer (activation.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace wb {

namespace detail {
inline void require_matrix(const char* where, const std::string& name, const Shape& s) {
    if (s.n != 1 || s.c != 1)
        shape_error(where, name + " must be a matrix (1×1×rows×cols), got " + s.str());
}

/// A·B needs two matrices, A's columns as many as B's rows.
inline void require_product(const char* where, const Shape& A, const Shape& B) {
    require_matrix(where, "A", A);
    require_matrix(where, "B", B);
    if (A.w != B.h)
        shape_error(where,
                    "A is " + A.str() + ", B is " + B.str() + ": A's columns must equal B's rows");
}

/// The shape check of a dense layer Z = W A + b·1ᵀ, one wording for all its implementations
/// (here, reference/fast/dense.hpp, bench/im2col_layers.hpp): W out×in and A in×batch, both
/// matrices with the same in; b, when given, holds `out` values; dZ, when given, is
/// out×batch.
inline void require_dense(const char* where, const Shape& W, const Shape& A,
                          std::optional<std::size_t> b = {}, std::optional<Shape> dZ = {}) {
    require_matrix(where, "W", W);
    require_matrix(where, "A", A);
    if (W.w != A.h)
        shape_error(
            where, "W is " + W.str() + " (out×in) but A is " + A.str() + " (in×batch): in differs");
    if (b && *b != static_cast<std::size_t>(W.h))
        shape_error(where, "W is " + W.str() + " with " + std::to_string(W.h) +
                               " outputs but b has " + std::to_string(*b) + " values");
    // The message only on failure: a training step calls this and allocates nothing.
    if (dZ && *dZ != Shape{1, 1, W.h, A.w})
        shape_error(where, "dZ (for W " + W.str() + ", A " + A.str() + ") is " + dZ->str() +
                               ", expected " + Shape{1, 1, W.h, A.w}.str());
}

/// Z(i, n) += b_i: the same bias for every sample (column).
template <class T>
void add_bias(Tensor<T>& Z, const std::vector<T>& b) {
    for (int i = 0; i < Z.h(); ++i)
        for (int n = 0; n < Z.w(); ++n) Z(i, n) += b[static_cast<std::size_t>(i)];
}

/// db_i = Σ_n dZ(i, n): the bias gradient, one sum per output over the samples.
template <class T>
std::vector<T> row_sums(const Tensor<T>& dZ) {
    std::vector<T> db(static_cast<std::size_t>(dZ.h()), T{});
    for (int i = 0; i < dZ.h(); ++i)
        for (int n = 0; n < dZ.w(); ++n) db[static_cast<std::size_t>(i)] += dZ(i, n);
    return db;
}
}  // namespace detail

// [matmul]
/// Matrix product \f$ C_{i,j} = \sum_k A_{i,k} B_{k,j} \f$: {1,1,m,k}·{1,1,k,n} → {1,1,m,n}.
template <class T>
Tensor<T> matmul(const Tensor<T>& A, const Tensor<T>& B) {
    detail::require_product("matmul", A.shape(), B.shape());
    Tensor<T> C(Shape{1, 1, A.h(), B.w()});
    for (int i = 0; i < A.h(); ++i)
        for (int j = 0; j < B.w(); ++j) {
            T sum{};
            for (int k = 0; k < A.w(); ++k) sum += A(i, k) * B(k, j);
            C(i, j) = sum;
        }
    return C;
}
// [matmul]

/// Transpose of a matrix: \f$ (A^T)_{j,i} = A_{i,j} \f$.
template <class T>
Tensor<T> transpose(const Tensor<T>& A) {
    detail::require_matrix("transpose", "A", A.shape());
    Tensor<T> B(Shape{1, 1, A.w(), A.h()});
    for (int i = 0; i < A.h(); ++i)
        for (int j = 0; j < A.w(); ++j) B(j, i) = A(i, j);
    return B;
}

// [kron]
/// Kronecker product (克罗内克积) of two matrices: block (i, j) of the result is A_{i,j}·B,
/// so an m×n A and a p×q B give an mp×nq matrix. 001 §6.2.2 writes mean pooling's backward
/// with it (chapter 06), 003 §2.3.1 the dense layer's Jacobian (chapter 07).
template <class T>
Tensor<T> kron(const Tensor<T>& A, const Tensor<T>& B) {
    if (!A.is_map() || !B.is_map())
        shape_error("kron",
                    "takes two matrices, got " + A.shape().str() + " and " + B.shape().str());
    Tensor<T> K(Shape{1, 1, A.h() * B.h(), A.w() * B.w()});
    for (int i = 0; i < A.h(); ++i)
        for (int j = 0; j < A.w(); ++j)
            for (int p = 0; p < B.h(); ++p)
                for (int q = 0; q < B.w(); ++q) K(i * B.h() + p, j * B.w() + q) = A(i, j) * B(p, q);
    return K;
}
// [kron]

// [dense_forward]
/// Z = W A + b·1ᵀ: W {1,1,out,in}, A {1,1,in,batch}, b of size out → Z {1,1,out,batch}.
/// \f$ Z_{i,n} = \sum_k W_{i,k} A_{k,n} + b_i \f$: the same bias for every sample (column).
/// Derived in \ref ch07_dense.
template <class T>
Tensor<T> dense_forward(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b) {
    detail::require_dense("dense_forward", W.shape(), A.shape(), b.size());
    Tensor<T> Z = matmul(W, A);
    detail::add_bias(Z, b);
    return Z;
}
// [dense_forward]

/// The three gradients of a dense layer.
template <class T>
struct DenseGrads {
    Tensor<T> dA;       ///< ∂J/∂A = Wᵀ dZ, shaped like A (in×batch)
    Tensor<T> dW;       ///< ∂J/∂W = dZ Aᵀ, shaped like W (out×in)
    std::vector<T> db;  ///< ∂J/∂b = row sums of dZ, one per output
};

// [dense_backward]
/// Backward of Z = W A + b·1ᵀ given dZ = ∂J/∂Z (003 §2 eqs 11, 13–15):
/// dA = Wᵀ dZ, dW = dZ Aᵀ, db_i = Σ_n dZ_{i,n}. The batch sums over samples inside dW and
/// db; any 1/m of a mean loss is already in dZ.
/// Derived in \ref ch07_dense.
template <class T>
DenseGrads<T> dense_backward(const Tensor<T>& W, const Tensor<T>& A, const Tensor<T>& dZ) {
    detail::require_dense("dense_backward", W.shape(), A.shape(), {}, dZ.shape());
    return {matmul(transpose(W), dZ), matmul(dZ, transpose(A)), detail::row_sums(dZ)};
}
// [dense_backward]

// [flatten]
/// Flatten (扁平化): N×C×H×W → {1,1,C·H·W,N}. Column n is sample n read in C, H, W order,
/// so row r = (c·H + h)·W + w. Samples become columns, as the dense layer expects.
/// Derived in \ref ch09_softmax.
template <class T>
Tensor<T> flatten(const Tensor<T>& a) {
    const Shape s = a.shape();
    const int len = s.c * s.h * s.w;
    Tensor<T> m(Shape{1, 1, len, s.n});
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int h = 0; h < s.h; ++h)
                for (int w = 0; w < s.w; ++w) m((c * s.h + h) * s.w + w, n) = a(n, c, h, w);
    return m;
}

/// The inverse of flatten(): {1,1,C·H·W,N} → shape `s` (N×C×H×W). Backward of flatten is
/// this: the gradient is only reshaped back, no value changes.
/// Derived in \ref ch09_softmax.
template <class T>
Tensor<T> unflatten(const Tensor<T>& m, const Shape& s) {
    require_shape("unflatten", "matrix (to become " + s.str() + ")", m.shape(),
                  Shape{1, 1, s.c * s.h * s.w, s.n});
    Tensor<T> a(s);
    for (int n = 0; n < s.n; ++n)
        for (int c = 0; c < s.c; ++c)
            for (int h = 0; h < s.h; ++h)
                for (int w = 0; w < s.w; ++w) a(n, c, h, w) = m((c * s.h + h) * s.w + w, n);
    return a;
}
// [flatten]

}  // namespace wb
