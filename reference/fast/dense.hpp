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
#include <initializer_list>
#include <span>
#include <type_traits>
#include <vector>

#include "../activation.hpp"
#include "../dense.hpp"  // the naive layer ("dense.hpp" alone would name this file)
#include "../softmax.hpp"
#include "batch.hpp"
#include "kernels.hpp"

namespace wb::batch {

namespace detail {
/// The first `count` (≤ L) of L numbers copied; all L as one vector (flatten's 400 rows of
/// 16 floats a block, one call to memmove each, took as long as the copying itself).
template <class T>
void copy_lanes(const T* from, int count, T* to) {
    if (count == lanes<T>)
        simd::store(to, simd::load(from));
    else
        std::copy_n(from, count, to);
}
}  // namespace detail

/// Same as wb::flatten: N×C×H×W → the (C·H·W)×N matrix, one sample per column.
template <class T>
void flatten(const Batch<T>& a, Tensor<T>& m, ThreadPool& pool) {
    constexpr int L = lanes<T>;
    const Shape s = a.shape();
    const int rows = s.c * s.h * s.w;
    detail::resize(m, Shape{1, 1, rows, s.n});
    // Split by rows of m: each thread writes whole rows, so no cache line of m (whose rows
    // need not start on one) is written by two threads (×3 slower when split by blocks).
    pool.run(static_cast<std::size_t>(rows), [&](std::size_t r0, std::size_t r1) {
        for (int blk = 0; blk < a.blocks(); ++blk) {
            const T* in = a.block(blk);
            const int n0 = blk * L, count = std::min(L, s.n - n0);
            for (std::size_t r = r0; r < r1; ++r)
                detail::copy_lanes(in + r * L, count,
                                   m.data() + r * static_cast<std::size_t>(s.n) + n0);
        }
    });
}

/// Blocks b0 … b1 − 1 of a, from m: its columns from image m0·L on (the whole batch's, m0 =
/// 0, or a part's whose first block is m0). Padding lanes become 0.
template <class T>
void unflatten_blocks(const Tensor<T>& m, int m0, int b0, int b1, Batch<T>& a) {
    constexpr int L = lanes<T>;
    const Shape s = a.shape();
    const int rows = s.c * s.h * s.w;
    const std::size_t cols = static_cast<std::size_t>(m.w());
    for (int blk = b0; blk < b1; ++blk) {
        T* out = a.block(blk);
        const std::size_t first = static_cast<std::size_t>(blk - m0) * L;
        const int count = std::min(L, s.n - blk * L);
        for (int r = 0; r < rows; ++r) {
            T* px = out + static_cast<std::size_t>(r) * L;
            detail::copy_lanes(m.data() + static_cast<std::size_t>(r) * cols + first, count, px);
            std::fill(px + count, px + L, T{});
        }
    }
}

/// Same as wb::unflatten: the matrix back to N×C×H×W (`s`); padding lanes become 0.
template <class T>
void unflatten(const Tensor<T>& m, const Shape& s, Batch<T>& a, ThreadPool& pool) {
    if (!(m.shape() == Shape{1, 1, s.c * s.h * s.w, s.n}))
        require_shape("batch::unflatten", "matrix (to become " + s.str() + ")", m.shape(),
                      Shape{1, 1, s.c * s.h * s.w, s.n});
    a.reshape(s);
    pool.run(static_cast<std::size_t>(a.blocks()), [&](std::size_t b0, std::size_t b1) {
        unflatten_blocks(m, 0, static_cast<int>(b0), static_cast<int>(b1), a);
    });
}

/// flatten of blocks b0 … b1 − 1 alone: m = their images' columns of the (C·H·W)×N matrix,
/// for a part of the batch that one thread takes through the dense layers.
template <class T>
void flatten_blocks(const Batch<T>& a, int b0, int b1, Tensor<T>& m) {
    constexpr int L = lanes<T>;
    const Shape s = a.shape();
    const int rows = s.c * s.h * s.w, n0 = b0 * L, cols = std::min(b1 * L, s.n) - n0;
    detail::resize(m, Shape{1, 1, rows, cols});
    for (int blk = b0; blk < b1; ++blk) {
        const T* in = a.block(blk);
        const int count = std::min(L, s.n - blk * L);
        T* to = m.data() + (blk * L - n0);
        for (int r = 0; r < rows; ++r)
            detail::copy_lanes(in + static_cast<std::size_t>(r) * L, count,
                               to + static_cast<std::size_t>(r) * cols);
    }
}

namespace detail {

/// A matrix `rows` × `cols` (row-major) at `from`, and where its transpose goes.
template <class T>
struct Transposition {
    const T* from;
    std::size_t rows, cols;
    T* to;
};

/// Strip `i0`…`i1` of rows of t.from into t.to: whole lanes × lanes blocks in registers
/// (simd::transpose_block), the edges one by one.
template <class T>
void transpose_rows(const Transposition<T>& t, std::size_t i0, std::size_t i1) {
    constexpr std::size_t L = lanes<T>;
    const std::size_t whole_rows = i0 + (i1 - i0) / L * L, whole_cols = t.cols / L * L;
    const auto one_by_one = [&](std::size_t ia, std::size_t ib, std::size_t ja, std::size_t jb) {
        for (std::size_t j = ja; j < jb; ++j)
            for (std::size_t i = ia; i < ib; ++i) t.to[j * t.rows + i] = t.from[i * t.cols + j];
    };
    for (std::size_t i = i0; i < whole_rows; i += L)
        for (std::size_t j = 0; j < whole_cols; j += L)
            simd::transpose_block(t.from + i * t.cols + j, static_cast<std::ptrdiff_t>(t.cols),
                                  t.to + j * t.rows + i, static_cast<std::ptrdiff_t>(t.rows));
    one_by_one(i0, whole_rows, whole_cols, t.cols);  // the columns past the last block
    one_by_one(whole_rows, i1, 0, t.cols);           // the rows past it
}

/// Every transposition of `ts`, in one split between the pool's threads (one wait, not
/// one each): strips of one product block's width of rows, so that when a product is split
/// by columns each thread reads back the part of the transpose it wrote.
template <class T>
void transpose(std::initializer_list<Transposition<T>> ts, ThreadPool& pool) {
    constexpr std::size_t width = kernels::gemm_width<T>;
    const auto strips = [](const Transposition<T>& t) { return (t.rows + width - 1) / width; };
    std::size_t all = 0;
    for (const auto& t : ts) all += strips(t);
    pool.run(all, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c) {
            std::size_t s = c;  // strip s of the matrix strip c falls in
            for (const auto& t : ts) {
                if (s < strips(t)) {
                    transpose_rows(t, s * width, std::min((s + 1) * width, t.rows));
                    break;
                }
                s -= strips(t);
            }
        }
    });
}

}  // namespace detail

/// Same as wb::dense_forward: Z = W A + b 1ᵀ (each row starts at its bias, then W A).
template <class T>
void dense_forward(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b, Tensor<T>& Z,
                   ThreadPool& pool) {
    wb::detail::require_dense("batch::dense_forward", W.shape(), A.shape(), b.size());
    const int out = W.h(), in = W.w(), n = A.w();
    detail::resize(Z, Shape{1, 1, out, n});
    for (int i = 0; i < out; ++i)
        std::fill_n(Z.data() + static_cast<std::size_t>(i) * n, n, b[static_cast<std::size_t>(i)]);
    kernels::gemm<T>(out, n, in, {W.data(), in, 1}, A.data(), n, Z.data(), n, true, pool);
}

/// A dense layer's δ for its input, dA = Wᵀ dZ, from Wᵀ stored row by row (`wt`, in × out):
/// read through strides, W's columns took F5's δ 0.65 µs an image, not 0.47.
template <class T>
void dense_delta(const T* wt, int in, int out, const Tensor<T>& dZ, Tensor<T>& dA,
                 ThreadPool& pool) {
    const int n = dZ.w();
    detail::resize(dA, Shape{1, 1, in, n});
    kernels::gemm<T>(in, n, out, {wt, out, 1}, dZ.data(), n, dA.data(), n, false, pool);
}

/// A part of the batch in a dense layer's ∂J/∂W and ∂J/∂b: its δ (out × n, row stride n)
/// and its input transposed, Aᵀ (n × in).
template <class T>
struct GradPart {
    const T* dZ;
    const T* At;
    int n;
};

/// dW = Σ dZ Aᵀ and db = Σ dZ 1 over the parts, in order: every element summed over the
/// batch's images in order, as one part of all of them sums it (the same bits).
template <class T>
void dense_weight_grad(std::span<const GradPart<T>> parts, int out, int in, Tensor<T>& dW,
                       std::vector<T>& db, ThreadPool& pool) {
    static thread_local std::vector<kernels::Term<T>> terms;
    terms.clear();
    for (const GradPart<T>& g : parts) terms.push_back({g.n, {g.dZ, g.n, 1}, g.At, in});
    detail::resize(dW, Shape{1, 1, out, in});
    kernels::gemm<T>(out, in, std::span<const kernels::Term<T>>(terms), dW.data(), in, false, pool);
    // db = dZ 1: each row summed in column order, eight rows side by side (one row's sum
    // alone had each addition wait for the last).
    db.assign(static_cast<std::size_t>(out), T{});
    pool.run(static_cast<std::size_t>(out), [&](std::size_t i0, std::size_t i1) {
        constexpr std::size_t R = 8;
        for (const GradPart<T>& g : parts) {
            const std::size_t cols = static_cast<std::size_t>(g.n);
            std::size_t i = i0;
            for (; i + R <= i1; i += R) {
                T s[R];
                std::copy_n(db.begin() + static_cast<std::ptrdiff_t>(i), R, s);
                for (std::size_t j = 0; j < cols; ++j)
#pragma GCC unroll 8
                    for (std::size_t r = 0; r < R; ++r) s[r] += g.dZ[(i + r) * cols + j];
                std::copy_n(s, R, db.begin() + static_cast<std::ptrdiff_t>(i));
            }
            for (; i < i1; ++i)
                for (std::size_t j = 0; j < cols; ++j) db[i] += g.dZ[i * cols + j];
        }
    });
}

/// Same as wb::dense_backward: dA = Wᵀ dZ (when dA is not null), dW = dZ Aᵀ, db = dZ 1.
template <class T>
void dense_backward(const Tensor<T>& W, const Tensor<T>& A, const Tensor<T>& dZ,
                    std::type_identity_t<Tensor<T>>* dA, Tensor<T>& dW, std::vector<T>& db,
                    ThreadPool& pool) {
    wb::detail::require_dense("batch::dense_backward", W.shape(), A.shape(), {}, dZ.shape());
    const int out = W.h(), in = W.w(), n = A.w();
    // Both products want a transposed operand stored row by row: dA's Wᵀ and dW's Aᵀ (the
    // product's rows of B). The scratch buffers are the calling thread's; the workers only
    // write into them.
    T* at = detail::scratch<T, Scratch::transposed_input>(static_cast<std::size_t>(n) * in).data();
    T* wt = dA ? detail::scratch<T, Scratch::transposed_weights>(W.size()).data() : nullptr;
    const detail::Transposition<T> a_t{A.data(), static_cast<std::size_t>(in),
                                       static_cast<std::size_t>(n), at},
        w_t{W.data(), static_cast<std::size_t>(out), static_cast<std::size_t>(in), wt};
    if (dA)
        detail::transpose({a_t, w_t}, pool);
    else
        detail::transpose({a_t}, pool);
    if (dA) dense_delta(wt, in, out, dZ, *dA, pool);
    const GradPart<T> all{dZ.data(), at, n};
    dense_weight_grad(std::span<const GradPart<T>>(&all, 1), out, in, dW, db, pool);
}

/// Same as wb::relu on a matrix; split by rows, as the product that made z was.
template <class T>
void relu(const Tensor<T>& z, Tensor<T>& a, ThreadPool& pool) {
    detail::resize(a, z.shape());
    const std::size_t row = static_cast<std::size_t>(z.w());
    pool.run(static_cast<std::size_t>(z.h()), [&](std::size_t r0, std::size_t r1) {
        for (std::size_t i = r0 * row; i < r1 * row; ++i) a.data()[i] = relu_scalar(z.data()[i]);
    });
}

/// Same as wb::relu_backward on a matrix.
template <class T>
void relu_backward(const Tensor<T>& z, const Tensor<T>& da, Tensor<T>& dz, ThreadPool& pool) {
    require_shape("batch::relu_backward", "dA", da.shape(), z.shape());
    detail::resize(dz, z.shape());
    const std::size_t row = static_cast<std::size_t>(z.w());
    pool.run(static_cast<std::size_t>(z.h()), [&](std::size_t r0, std::size_t r1) {
        for (std::size_t i = r0 * row; i < r1 * row; ++i) {
            const T d = da.data()[i];  // read always: a select, not a branch the signs mispredict
            dz.data()[i] = z.data()[i] > T(0) ? d : T(0);
        }
    });
}

/// Same as wb::softmax, every column, into P. The loops run row by row, so the inner loop
/// sweeps the batch (contiguous in the features × batch matrix); each column still takes
/// its maximum, its sum over k = 0, 1, … and its divisions in the naive order, so the
/// result is the same to the bit.
template <class T>
void softmax(const Tensor<T>& Z, Tensor<T>& P) {
    if (Z.n() != 1 || Z.c() != 1 || Z.h() < 1)
        shape_error("batch::softmax", "Z must be a matrix (classes×batch), got " + Z.shape().str());
    detail::resize(P, Z.shape());
    const int K = Z.h(), N = Z.w();
    auto& top = detail::scratch<T, Scratch::softmax_columns>(static_cast<std::size_t>(2 * N));
    T* mx = top.data();
    T* sum = top.data() + N;
    std::copy_n(Z.data(), N, mx);
    std::fill_n(sum, N, T{});
    for (int k = 1; k < K; ++k)
        for (int n = 0; n < N; ++n) mx[n] = Z(k, n) > mx[n] ? Z(k, n) : mx[n];
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) sum[n] += P(k, n) = std::exp(Z(k, n) - mx[n]);
    for (int k = 0; k < K; ++k)
        for (int n = 0; n < N; ++n) P(k, n) /= sum[n];
}

/// Same as wb::softmax_ce_backward: dZ = (P − T)/m, m the minibatch's size: P's columns,
/// or `m` when P holds a part of the minibatch.
template <class T>
void softmax_ce_backward(const Tensor<T>& P, const std::vector<int>& labels, Tensor<T>& dZ,
                         int m = 0) {
    wb::detail::check_labels("batch::softmax_ce_backward", P.shape(), labels);
    detail::resize(dZ, P.shape());
    const T size = static_cast<T>(m ? m : P.w());
    for (int n = 0; n < P.w(); ++n)
        for (int k = 0; k < P.h(); ++k) {
            const T t = (k == labels[static_cast<std::size_t>(n)]) ? T(1) : T(0);
            dZ(k, n) = (P(k, n) - t) / size;
        }
}

}  // namespace wb::batch
