/// \file im2col_layers.hpp
/// \brief Convolution and dense layers as im2col + a blocked matrix product, optionally on
/// several threads: rung 2 of the speed ladder (bench/lenet_profile.cpp), kept here for the
/// ladder only. LeNet trains on the batch-innermost layers (chapters/11_lenet/fast_lenet.hpp),
/// which replaced this path.
///
/// The naive loops in conv.hpp and dense.hpp are the truth; every function here computes
/// the same formula and is tested equal to them (tests/reference/test_im2col_layers.cpp:
/// exactly, on whole-number inputs in double, and to ~1e-6 in float).
///
/// Threads never change a result: each output element is always summed in the same order,
/// and the work is split so that no two threads add into the same element (columns of a
/// product, whole samples for col2im, rows for the kernel gradient). So a run gives the same
/// bits on 1 thread and on 2.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <thread>
#include <vector>

#include "conv.hpp"
#include "dense.hpp"

namespace wb::im2col {

/// Runs body(begin, end) over [0, n) split into `threads` contiguous parts (the calling
/// thread takes the first). threads ≤ 1 or small n runs inline.
template <class F>
void parallel_for(int threads, std::size_t n, F&& body) {
    const std::size_t parts = std::min<std::size_t>(threads < 1 ? 1 : threads, n);
    if (parts <= 1) {
        body(std::size_t{0}, n);
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(parts - 1);
    const auto at = [&](std::size_t p) { return n * p / parts; };
    for (std::size_t p = 1; p < parts; ++p)
        pool.emplace_back([&, p] { body(at(p), at(p + 1)); });
    body(at(0), at(1));
    for (auto& t : pool) t.join();
}

/// C (m×n) = op(A) · B, row-major and contiguous, op(A)(i, p) = A[i·k + p] or, with
/// TransA, A[p·m + i] (A stored k×m). Columns are split between threads; within a block of
/// columns the loops run i, p, j so the inner loop streams contiguous rows of B and C
/// (vectorisable), and each C element sums over p in order.
template <bool TransA, class T>
void gemm_op(int m, int n, int k, const T* A, const T* B, T* C, int threads) {
    constexpr std::size_t block = 256;
    const std::size_t blocks = (static_cast<std::size_t>(n) + block - 1) / block;
    parallel_for(threads, blocks, [&](std::size_t b0, std::size_t b1) {
        for (std::size_t b = b0; b < b1; ++b) {
            const std::size_t j0 = b * block, j1 = std::min<std::size_t>(j0 + block, n);
            for (int i = 0; i < m; ++i) {
                T* c = C + static_cast<std::size_t>(i) * n;
                for (std::size_t j = j0; j < j1; ++j) c[j] = T{};
                for (int p = 0; p < k; ++p) {
                    const T a = TransA ? A[static_cast<std::size_t>(p) * m + i]
                                       : A[static_cast<std::size_t>(i) * k + p];
                    const T* bp = B + static_cast<std::size_t>(p) * n;
                    for (std::size_t j = j0; j < j1; ++j) c[j] += a * bp[j];
                }
            }
        }
    });
}

/// C (m×n) = A (m×k) · B (k×n), all row-major and contiguous.
template <class T>
void gemm_nn(int m, int n, int k, const T* A, const T* B, T* C, int threads = 1) {
    gemm_op<false>(m, n, k, A, B, C, threads);
}

/// C (m×n) = Aᵀ · B with A stored k×m and B k×n.
template <class T>
void gemm_tn(int m, int n, int k, const T* A, const T* B, T* C, int threads = 1) {
    gemm_op<true>(m, n, k, A, B, C, threads);
}

/// Σᵢ x[i]·y[i], vectorised by hand with GCC/Clang vector extensions: two vectors of
/// running sums (64 bytes each), combined lane by lane in a fixed order, then the tail.
/// The same bits every time for a given build.
template <class T>
T dot(const T* x, const T* y, std::size_t len) {
    using V [[gnu::vector_size(64)]] = T;
    constexpr std::size_t L = 64 / sizeof(T);
    V acc0{}, acc1{};
    std::size_t i = 0;
    for (; i + 2 * L <= len; i += 2 * L) {
        V a0, b0, a1, b1;
        std::memcpy(&a0, x + i, sizeof(V));
        std::memcpy(&b0, y + i, sizeof(V));
        std::memcpy(&a1, x + i + L, sizeof(V));
        std::memcpy(&b1, y + i + L, sizeof(V));
        acc0 += a0 * b0;
        acc1 += a1 * b1;
    }
    const V acc = acc0 + acc1;
    T sum{};
    for (std::size_t l = 0; l < L; ++l) sum += acc[l];
    for (; i < len; ++i) sum += x[i] * y[i];
    return sum;
}

/// C (m×n) = A · Bᵀ with A stored m×k and B n×k: every element a dot product of two
/// contiguous rows. Rows of C are split between threads.
template <class T>
void gemm_nt(int m, int n, int k, const T* A, const T* B, T* C, int threads = 1) {
    parallel_for(threads, static_cast<std::size_t>(m), [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            for (int j = 0; j < n; ++j)
                C[i * n + j] = dot(A + i * k, B + static_cast<std::size_t>(j) * k,
                                   static_cast<std::size_t>(k));
    });
}

/// im2col: the (C·F₁·F₂) × (N·H'·W') matrix whose column (n, i, j) is the padded input
/// window that output z(n, ·, i, j) sees, row (c, p, q) = a_pad(n, c, iS+p, jS+q).
/// Then Z = W·col, with W read as K × (C·F₁·F₂).
template <class T>
std::vector<T> im2col(const Tensor<T>& a, const Shape& w, ConvSpec spec, int threads = 1) {
    const Shape z = detail::conv_output_shape(a.shape(), w, spec);
    const std::size_t hw = static_cast<std::size_t>(z.h) * z.w, cols = hw * a.n();
    std::vector<T> col(static_cast<std::size_t>(w.c) * w.h * w.w * cols);
    parallel_for(threads, static_cast<std::size_t>(a.n()), [&](std::size_t n0, std::size_t n1) {
        for (std::size_t n = n0; n < n1; ++n)
            for (int c = 0; c < w.c; ++c)
                for (int p = 0; p < w.h; ++p)
                    for (int q = 0; q < w.w; ++q) {
                        T* row = col.data() + ((static_cast<std::size_t>(c) * w.h + p) * w.w + q) *
                                                  cols + n * hw;
                        const T* plane = a.data() + (n * a.c() + c) * a.h() * a.w();
                        // Output columns j whose input column x = jS + q − P is inside
                        // the image: j_lo ≤ j < j_hi; the rest read the zero padding.
                        const int S = spec.stride, off = q - spec.pad;
                        const int j_lo = std::min(z.w, off >= 0 ? 0 : (-off + S - 1) / S);
                        const int j_hi = std::max(j_lo, std::min(z.w, (a.w() - off + S - 1) / S));
                        for (int i = 0; i < z.h; ++i) {
                            T* dst = row + i * z.w;
                            const int y = i * S + p - spec.pad;
                            if (y < 0 || y >= a.h()) {
                                std::fill(dst, dst + z.w, T{});
                                continue;
                            }
                            const T* src = plane + y * a.w();
                            std::fill(dst, dst + j_lo, T{});
                            if (S == 1)
                                std::copy(src + (j_lo + off), src + (j_hi + off), dst + j_lo);
                            else
                                for (int j = j_lo; j < j_hi; ++j) dst[j] = src[j * S + off];
                            std::fill(dst + j_hi, dst + z.w, T{});
                        }
                    }
    });
    return col;
}

/// col2im: the inverse bookkeeping of im2col for gradients. Every entry of dcol is added
/// back onto the input position it was copied from (padding positions are dropped).
/// Samples are independent, so they are split between threads.
template <class T>
Tensor<T> col2im(const std::vector<T>& dcol, const Shape& a, const Shape& w, ConvSpec spec,
                 int threads = 1) {
    const Shape z = detail::conv_output_shape(a, w, spec);
    const std::size_t hw = static_cast<std::size_t>(z.h) * z.w, cols = hw * a.n;
    Tensor<T> d(a);
    parallel_for(threads, static_cast<std::size_t>(a.n), [&](std::size_t n0, std::size_t n1) {
        for (std::size_t n = n0; n < n1; ++n)
            for (int c = 0; c < w.c; ++c)
                for (int p = 0; p < w.h; ++p)
                    for (int q = 0; q < w.w; ++q) {
                        const T* row = dcol.data() +
                                       ((static_cast<std::size_t>(c) * w.h + p) * w.w + q) * cols +
                                       n * hw;
                        T* plane = d.data() + (n * a.c + c) * a.h * a.w;
                        for (int i = 0; i < z.h; ++i) {
                            const int y = i * spec.stride + p - spec.pad;
                            if (y < 0 || y >= a.h) continue;
                            for (int j = 0; j < z.w; ++j) {
                                const int x = j * spec.stride + q - spec.pad;
                                if (x >= 0 && x < a.w) plane[y * a.w + x] += row[i * z.w + j];
                            }
                        }
                    }
    });
    return d;
}

/// Same result as wb::conv2d_forward (conv.hpp): Z = W ⋆ pad(A, P) + b, stride S.
template <class T>
Tensor<T> conv2d_forward(const Tensor<T>& a, const Tensor<T>& w, const std::vector<T>& b,
                         ConvSpec spec = {}, int threads = 1) {
    detail::check_conv("im2col::conv2d_forward", a.shape(), w.shape(), b.size(), spec);
    const Shape zs = detail::conv_output_shape(a.shape(), w.shape(), spec);
    const std::vector<T> col = im2col(a, w.shape(), spec, threads);
    const int K = w.n(), CFF = w.c() * w.h() * w.w();
    const std::size_t hw = static_cast<std::size_t>(zs.h) * zs.w, cols = hw * zs.n;
    std::vector<T> zb(static_cast<std::size_t>(K) * cols);
    gemm_nn(K, static_cast<int>(cols), CFF, w.data(), col.data(), zb.data(), threads);
    Tensor<T> z(zs);
    for (int n = 0; n < zs.n; ++n)
        for (int k = 0; k < K; ++k) {
            const T* src = zb.data() + static_cast<std::size_t>(k) * cols + n * hw;
            T* dst = z.data() + (static_cast<std::size_t>(n) * K + k) * hw;
            const T bias = b[static_cast<std::size_t>(k)];
            for (std::size_t p = 0; p < hw; ++p) dst[p] = src[p] + bias;
        }
    return z;
}

/// Same result as wb::conv2d_backward (conv.hpp): ∂J/∂W = δ_in·colᵀ, ∂J/∂b = Σ δ_in,
/// δ_out = col2im(Wᵀ·δ_in). With `need_delta_out` false (the first layer, whose input is
/// the image) δ_out is left empty and its work skipped.
template <class T>
ConvGrads<T> conv2d_backward(const Tensor<T>& a, const Tensor<T>& w, const Tensor<T>& delta_in,
                             ConvSpec spec = {}, int threads = 1, bool need_delta_out = true) {
    detail::check_conv("im2col::conv2d_backward", a.shape(), w.shape(),
                       static_cast<std::size_t>(w.n()), spec);
    const Shape zs = detail::conv_output_shape(a.shape(), w.shape(), spec);
    require_shape("im2col::conv2d_backward", "delta_in", delta_in.shape(), zs);
    const int K = w.n(), CFF = w.c() * w.h() * w.w();
    const std::size_t hw = static_cast<std::size_t>(zs.h) * zs.w, cols = hw * zs.n;
    // δ_in as a K × (N·H'·W') matrix, columns in the same (n, i, j) order as im2col.
    std::vector<T> db(static_cast<std::size_t>(K) * cols);
    for (int n = 0; n < zs.n; ++n)
        for (int k = 0; k < K; ++k)
            std::copy_n(delta_in.data() + (static_cast<std::size_t>(n) * K + k) * hw, hw,
                        db.data() + static_cast<std::size_t>(k) * cols + n * hw);
    ConvGrads<T> g{Tensor<T>{}, Tensor<T>(w.shape()), std::vector<T>(K, T{})};
    for (int k = 0; k < K; ++k) {
        T s{};
        for (int n = 0; n < zs.n; ++n) {
            const T* src = delta_in.data() + (static_cast<std::size_t>(n) * K + k) * hw;
            for (std::size_t p = 0; p < hw; ++p) s += src[p];
        }
        g.db[static_cast<std::size_t>(k)] = s;
    }
    const std::vector<T> col = im2col(a, w.shape(), spec, threads);
    gemm_nt(K, CFF, static_cast<int>(cols), db.data(), col.data(), g.dW.data(), threads);
    if (need_delta_out) {
        std::vector<T> dcol(static_cast<std::size_t>(CFF) * cols);
        gemm_tn(CFF, static_cast<int>(cols), K, w.data(), db.data(), dcol.data(), threads);
        g.delta_out = col2im(dcol, a.shape(), w.shape(), spec, threads);
    }
    return g;
}

/// Same result as wb::matmul (dense.hpp).
template <class T>
Tensor<T> matmul(const Tensor<T>& A, const Tensor<T>& B, int threads = 1) {
    wb::detail::require_product("im2col::matmul", A.shape(), B.shape());
    Tensor<T> C(Shape{1, 1, A.h(), B.w()});
    gemm_nn(A.h(), B.w(), A.w(), A.data(), B.data(), C.data(), threads);
    return C;
}

/// Same result as wb::dense_forward (dense.hpp): Z = W A + b·1ᵀ.
template <class T>
Tensor<T> dense_forward(const Tensor<T>& W, const Tensor<T>& A, const std::vector<T>& b,
                        int threads = 1) {
    wb::detail::require_dense("im2col::dense_forward", W.shape(), A.shape(), b.size());
    Tensor<T> Z = matmul(W, A, threads);
    wb::detail::add_bias(Z, b);
    return Z;
}

/// Same result as wb::dense_backward (dense.hpp): dA = Wᵀ dZ, dW = dZ Aᵀ, db = row sums.
template <class T>
DenseGrads<T> dense_backward(const Tensor<T>& W, const Tensor<T>& A, const Tensor<T>& dZ,
                             int threads = 1) {
    wb::detail::require_dense("im2col::dense_backward", W.shape(), A.shape(), {}, dZ.shape());
    DenseGrads<T> g{Tensor<T>(A.shape()), Tensor<T>(W.shape()), wb::detail::row_sums(dZ)};
    gemm_tn(W.w(), A.w(), W.h(), W.data(), dZ.data(), g.dA.data(), threads);
    gemm_nt(W.h(), W.w(), A.w(), dZ.data(), A.data(), g.dW.data(), threads);
    return g;
}

}  // namespace wb::im2col
