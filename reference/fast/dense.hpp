/// \file fast/dense.hpp
/// \brief Flatten, the dense layers, their ReLU and softmax with cross-entropy for the
/// fast path: chapter 07's matrix form (features × batch) on the matrix product of
/// fast/kernels.hpp, the same formulas as dense.hpp, activation.hpp and softmax.hpp.
///
/// Tested equal to the naive layers (tests/reference/test_fast.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "../activation.hpp"
#include "../dense.hpp"  // the naive layer ("dense.hpp" alone would name this file)
#include "../softmax.hpp"
#include "batch.hpp"
#include "kernels.hpp"

namespace wb::batch {

/// The images [n0, n1) of a batch, the columns of a features × batch matrix. A dense
/// layer's forward pass and its δ never mix images, so each part of the batch runs them on
/// its own (the functions below that take Columns), on the core that computed its maps;
/// only ∂J/∂W and ∂J/∂b add over the images. Those functions write into outputs the caller
/// has shaped (the whole-batch function of the same name checks and shapes them).
struct Columns {
    int n0, n1;
};

/// The columns of blocks [b0, b1) of a batch of n images.
template <class T>
Columns block_columns(std::size_t b0, std::size_t b1, int n) {
    constexpr std::size_t L = lanes<T>;
    return {static_cast<int>(b0 * L), std::min(n, static_cast<int>(b1 * L))};
}

namespace detail {

/// f(Columns) for every part of a batch of n images, parts of whole blocks split between
/// the pool's threads as for_each_block splits a Batch's blocks.
template <class T, class F>
void for_each_part(ThreadPool& pool, int n, F&& f) {
    const std::size_t blocks = (static_cast<std::size_t>(n) + lanes<T> - 1) / lanes<T>;
    pool.run(blocks, [&](std::size_t b0, std::size_t b1) { f(block_columns<T>(b0, b1, n)); });
}

}  // namespace detail

/// Block b of flatten: its images' columns of m (shaped by the whole-batch flatten).
template <class T>
void flatten(const Batch<T>& a, Tensor<T>& m, int blk) {
    constexpr int L = lanes<T>;
    const std::size_t rows = a.block_size() / L, n = static_cast<std::size_t>(a.shape().n);
    const int n0 = blk * L, count = std::min(L, a.shape().n - n0);
    const T* in = a.block(blk);
    for (std::size_t r = 0; r < rows; ++r) std::copy_n(in + r * L, count, m.data() + r * n + n0);
}

/// Same as wb::flatten: N×C×H×W → the (C·H·W)×N matrix, one sample per column.
template <class T>
void flatten(const Batch<T>& a, Tensor<T>& m, ThreadPool& pool) {
    const Shape s = a.shape();
    detail::resize(m, Shape{1, 1, s.c * s.h * s.w, s.n});
    for_each_block(pool, a.blocks(), [&](int blk) { flatten(a, m, blk); });
}

/// Block b of unflatten: its images' columns of m into block b of a (shaped by the
/// whole-batch unflatten); padding lanes become 0.
template <class T>
void unflatten(const Tensor<T>& m, Batch<T>& a, int blk) {
    constexpr int L = lanes<T>;
    const std::size_t rows = a.block_size() / L, n = static_cast<std::size_t>(a.shape().n);
    const int n0 = blk * L, count = std::min(L, a.shape().n - n0);
    T* out = a.block(blk);
    for (std::size_t r = 0; r < rows; ++r) {
        T* px = out + r * L;
        std::copy_n(m.data() + r * n + n0, count, px);
        std::fill(px + count, px + L, T{});
    }
}

/// Same as wb::unflatten: the matrix back to N×C×H×W (`s`); padding lanes become 0.
template <class T>
void unflatten(const Tensor<T>& m, const Shape& s, Batch<T>& a, ThreadPool& pool) {
    if (!(m.shape() == Shape{1, 1, s.c * s.h * s.w, s.n}))
        require_shape("batch::unflatten", "matrix (to become " + s.str() + ")", m.shape(),
                      Shape{1, 1, s.c * s.h * s.w, s.n});
    a.reshape(s);
    for_each_block(pool, a.blocks(), [&](int blk) { unflatten(m, a, blk); });
}

/// The shape of Z = W A + b 1ᵀ: checks W, A and the number of biases.
template <class T>
Shape dense_forward_shape(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b) {
    wb::detail::require_dense("batch::dense_forward", W.shape(), A.shape(), b.size());
    return Shape{1, 1, W.h(), A.w()};
}

/// Columns `c` of dense_forward: each row starts at its bias, then W A.
template <class T>
void dense_forward(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b, Tensor<T>& Z,
                   Columns c) {
    const int out = W.h(), in = W.w(), n = A.w();
    for (int i = 0; i < out; ++i)
        std::fill(Z.data() + static_cast<std::size_t>(i) * n + c.n0,
                  Z.data() + static_cast<std::size_t>(i) * n + c.n1,
                  b[static_cast<std::size_t>(i)]);
    kernels::gemm_block<T>(0, out, c.n0, c.n1, in, {W.data(), in, 1}, A.data(), n, Z.data(), n,
                           true);
}

/// Same as wb::dense_forward: Z = W A + b 1ᵀ.
template <class T>
void dense_forward(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b, Tensor<T>& Z,
                   ThreadPool& pool) {
    detail::resize(Z, dense_forward_shape(W, A, b));
    detail::for_each_part<T>(pool, A.w(), [&](Columns c) { dense_forward(W, A, b, Z, c); });
}

/// Columns `c` of dense_backward's δ: dA = Wᵀ dZ (dA shaped like A).
template <class T>
void dense_backward_delta(const Tensor<T>& W, const Tensor<T>& dZ, Tensor<T>& dA, Columns c) {
    const int out = W.h(), in = W.w(), n = dZ.w();
    kernels::gemm_block<T>(0, in, c.n0, c.n1, out, {W.data(), 1, in}, dZ.data(), n, dA.data(), n,
                           false);
}

/// The shape of a matrix's transpose.
inline Shape transposed(const Shape& m) { return Shape{1, 1, m.w, m.h}; }

/// Columns `c` of A (in×N) into the same rows of At (N×in, A transposed): the product
/// dZ Aᵀ wants Aᵀ's rows contiguous.
template <class T>
void transpose(const Tensor<T>& A, T* at, Columns c) {
    const std::size_t in = static_cast<std::size_t>(A.h()), n = static_cast<std::size_t>(A.w());
    for (std::size_t i = 0; i < in; ++i)  // reads along A's rows; writes ≤ N lines at a time
        for (std::size_t j = static_cast<std::size_t>(c.n0); j < static_cast<std::size_t>(c.n1);
             ++j)
            at[j * in + i] = A.data()[i * n + j];
}

/// Rows `r` of dense_backward's sums over the images: dW = dZ Aᵀ and db = dZ 1, from At
/// (A transposed, N×in); dW and db shaped by the caller.
template <class T>
void dense_backward_weights(const T* at, const Tensor<T>& dZ, Tensor<T>& dW, std::vector<T>& db,
                            Rows r) {
    const int in = dW.w(), n = dZ.w();
    kernels::gemm_block<T>(r.r0, r.r1, 0, in, n, {dZ.data(), n, 1}, at, in, dW.data(), in, false);
    for (int i = r.r0; i < r.r1; ++i) {
        T s{};
        for (int j = 0; j < n; ++j) s += dZ(i, j);
        db[static_cast<std::size_t>(i)] = s;
    }
}

/// dense_backward's gradients: dW = dZ Aᵀ and db = dZ 1, sums over the images.
template <class T>
void dense_backward_weights(const Tensor<T>& A, const Tensor<T>& dZ, Tensor<T>& dW,
                            std::vector<T>& db, ThreadPool& pool) {
    const int out = dZ.h(), in = A.h(), n = A.w();
    // The calling thread's scratch buffer; the workers only write into it.
    auto& at = detail::scratch<T, Scratch::transposed_input>(static_cast<std::size_t>(n) * in);
    detail::for_each_part<T>(pool, n, [&](Columns c) { transpose(A, at.data(), c); });
    detail::resize(dW, Shape{1, 1, out, in});
    detail::resize(db, static_cast<std::size_t>(out));
    for_each_thread_part(pool, [&](std::size_t part, std::size_t parts) {
        dense_backward_weights(at.data(), dZ, dW, db, part_of(out, part, parts));
    });
}

/// Same as wb::dense_backward: dA = Wᵀ dZ (when dA is not null), dW = dZ Aᵀ, db = dZ 1.
template <class T>
void dense_backward(const Tensor<T>& W, const Tensor<T>& A, const Tensor<T>& dZ,
                    std::type_identity_t<Tensor<T>>* dA, Tensor<T>& dW, std::vector<T>& db,
                    ThreadPool& pool) {
    wb::detail::require_dense("batch::dense_backward", W.shape(), A.shape(), {}, dZ.shape());
    if (dA) {
        detail::resize(*dA, A.shape());
        detail::for_each_part<T>(pool, A.w(),
                                 [&](Columns c) { dense_backward_delta(W, dZ, *dA, c); });
    }
    dense_backward_weights(A, dZ, dW, db, pool);
}

/// Columns `c` of relu on a matrix.
template <class T>
void relu(const Tensor<T>& z, Tensor<T>& a, Columns c) {
    const std::size_t n = static_cast<std::size_t>(z.w());
    for (std::size_t r = 0; r < static_cast<std::size_t>(z.h()); ++r)
        for (std::size_t i = r * n + c.n0; i < r * n + c.n1; ++i)
            a.data()[i] = relu_scalar(z.data()[i]);
}

/// Same as wb::relu on a matrix.
template <class T>
void relu(const Tensor<T>& z, Tensor<T>& a, ThreadPool& pool) {
    detail::resize(a, z.shape());
    detail::for_each_part<T>(pool, z.w(), [&](Columns c) { relu(z, a, c); });
}

/// Columns `c` of relu_backward on a matrix.
template <class T>
void relu_backward(const Tensor<T>& z, const Tensor<T>& da, Tensor<T>& dz, Columns c) {
    const std::size_t n = static_cast<std::size_t>(z.w());
    for (std::size_t r = 0; r < static_cast<std::size_t>(z.h()); ++r)
        for (std::size_t i = r * n + c.n0; i < r * n + c.n1; ++i) {
            const T d = da.data()[i];  // read always: a select, not a branch the signs mispredict
            dz.data()[i] = z.data()[i] > T(0) ? d : T(0);
        }
}

/// Same as wb::relu_backward on a matrix.
template <class T>
void relu_backward(const Tensor<T>& z, const Tensor<T>& da, Tensor<T>& dz, ThreadPool& pool) {
    require_shape("batch::relu_backward", "dA", da.shape(), z.shape());
    detail::resize(dz, z.shape());
    detail::for_each_part<T>(pool, z.w(), [&](Columns c) { relu_backward(z, da, dz, c); });
}

/// The shape of softmax(Z): checks that Z is a matrix (classes×batch).
template <class T>
Shape softmax_shape(const Tensor<T>& Z) {
    if (Z.n() != 1 || Z.c() != 1 || Z.h() < 1)
        shape_error("batch::softmax", "Z must be a matrix (classes×batch), got " + Z.shape().str());
    return Z.shape();
}

/// Columns `c` of softmax. The loops run row by row, so the inner loop sweeps the batch
/// (contiguous in the features × batch matrix); each column still takes its maximum, its
/// sum over k = 0, 1, … and its divisions in the naive order, so the result is the same
/// to the bit.
template <class T>
void softmax(const Tensor<T>& Z, Tensor<T>& P, Columns c) {
    const int K = Z.h(), n0 = c.n0, w = c.n1 - c.n0;
    auto& top = detail::scratch<T, Scratch::softmax_columns>(static_cast<std::size_t>(2 * w));
    T* mx = top.data();  // column n0 + j's maximum and sum at j
    T* sum = top.data() + w;
    for (int j = 0; j < w; ++j) mx[j] = Z(0, n0 + j), sum[j] = T{};
    for (int k = 1; k < K; ++k)
        for (int j = 0; j < w; ++j) mx[j] = Z(k, n0 + j) > mx[j] ? Z(k, n0 + j) : mx[j];
    for (int k = 0; k < K; ++k)
        for (int j = 0; j < w; ++j) sum[j] += P(k, n0 + j) = std::exp(Z(k, n0 + j) - mx[j]);
    for (int k = 0; k < K; ++k)
        for (int j = 0; j < w; ++j) P(k, n0 + j) /= sum[j];
}

/// Same as wb::softmax, every column, into P.
template <class T>
void softmax(const Tensor<T>& Z, Tensor<T>& P) {
    detail::resize(P, softmax_shape(Z));
    softmax(Z, P, Columns{0, Z.w()});
}

/// Columns `c` of softmax_ce_backward: dZ = (P − T)/m, m the whole batch.
template <class T>
void softmax_ce_backward(const Tensor<T>& P, const std::vector<int>& labels, Tensor<T>& dZ,
                         Columns c) {
    const T m = static_cast<T>(P.w());
    for (int n = c.n0; n < c.n1; ++n)
        for (int k = 0; k < P.h(); ++k) {
            const T t = (k == labels[static_cast<std::size_t>(n)]) ? T(1) : T(0);
            dZ(k, n) = (P(k, n) - t) / m;
        }
}

/// Same as wb::softmax_ce_backward: dZ = (P − T)/m.
template <class T>
void softmax_ce_backward(const Tensor<T>& P, const std::vector<int>& labels, Tensor<T>& dZ) {
    wb::detail::check_labels("batch::softmax_ce_backward", P.shape(), labels);
    detail::resize(dZ, P.shape());
    softmax_ce_backward(P, labels, dZ, Columns{0, P.w()});
}

}  // namespace wb::batch
