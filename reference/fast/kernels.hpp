/// \file fast/kernels.hpp
/// \brief The matrix product and the convolution micro-kernels of the fast path, apart
/// from the layers that call them (fast/conv.hpp, fast/dense.hpp).
///
/// Each micro-kernel computes a small tile of outputs whose partial sums stay in vector
/// registers for the whole reduction (register blocking): loads are shared between many
/// fused multiply-adds, which is what lets a kernel approach the machine's FMA peak.
/// Every output element is summed by one tile, in a fixed order (over the reduction index
/// p, or c, p, q), whatever thread runs it: threads never change a result.
///
/// Tiles whose size is a compile-time constant keep their accumulators in registers; at
/// the edges one dispatcher, `dispatch_tile`, runs a smaller instantiation of the same tile.
/// Every output element is summed alike by any size of tile, so the edges never change a
/// result.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include "../thread_pool.hpp"
#include "simd.hpp"

namespace wb::kernels {

using simd::lanes;
using simd::load;
using simd::madd;
using simd::splat;
using simd::store;
using simd::Vec;

/// The tile dispatcher of every kernel here: tile.template operator()<R, C>() with R = rows
/// ≤ MaxR and C = cols ≤ MaxC, sizes known at run time turned into compile-time ones (a
/// tile at an edge keeps its accumulators in registers like a whole one).
template <int MaxR, int MaxC, class Tile>
void dispatch_tile(int rows, int cols, Tile&& tile) {
    if constexpr (MaxR > 1)
        if (rows < MaxR) return dispatch_tile<MaxR - 1, MaxC>(rows, cols, tile);
    if constexpr (MaxC > 1)
        if (cols < MaxC) return dispatch_tile<MaxR, MaxC - 1>(rows, cols, tile);
    tile.template operator()<MaxR, MaxC>();
}

/// f(begin, size) for each part of [0, n) in the fewest parts of at most `most`, their sizes
/// as equal as possible: C3's 16 kernel gradients in tiles of at most 5 go 4 × 4, not 5, 5,
/// 5, 1, whose 1-kernel tile does a fifth of a tile's FMAs per input it loads; C1's 6 go
/// 3, 3, not 5, 1 (bench/README.md).
template <class F>
void balanced_parts(int n, int most, F&& f) {
    const int parts = (n + most - 1) / most;
    for (int t = 0; t < parts; ++t) {
        const int begin = n * t / parts;
        f(begin, n * (t + 1) / parts - begin);
    }
}

// ---- the matrix product ---------------------------------------------------------------

/// A matrix read through strides: element (i, p) is at data[i·row + p·col]. A row-major
/// m×k matrix has (row, col) = (k, 1); its transpose (stored k×m) has (1, m).
template <class T>
struct MatrixView {
    const T* data;
    std::ptrdiff_t row, col;
    T operator()(std::ptrdiff_t i, std::ptrdiff_t p) const { return data[i * row + p * col]; }
};

/// Rows of A per tile, and vectors of columns per tile: MR·NR accumulators in registers
/// (24 of AVX-512's 32 vector registers, 12 of AVX2's 16).
inline constexpr int gemm_mr = simd::vector_bytes == 64 ? 12 : 6;
inline constexpr int gemm_nr = 2;

/// The micro-kernel: C[i0 + r][j0 + v·L + l] (+)= Σ_p A(i0 + r, p) · B[p][j0 + v·L + l] for
/// r < MR, v < NR. Each A element is broadcast to a vector, each B row segment loaded once.
template <int MR, int NR, class T>
void gemm_tile(int k, MatrixView<T> A, std::ptrdiff_t i0, const T* B, std::ptrdiff_t ldb, T* C,
               std::ptrdiff_t ldc, bool accumulate) {
    constexpr int L = lanes<T>;
    Vec<T> acc[MR][NR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 16
        for (int v = 0; v < NR; ++v) acc[r][v] = accumulate ? load(C + r * ldc + v * L) : Vec<T>{};
    for (int p = 0; p < k; ++p) {
        Vec<T> b[NR];
#pragma GCC unroll 16
        for (int v = 0; v < NR; ++v) b[v] = load(B + p * ldb + v * L);
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            const Vec<T> a = splat(A(i0 + r, p));
#pragma GCC unroll 16
            for (int v = 0; v < NR; ++v) acc[r][v] = madd(a, b[v], acc[r][v]);
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 16
        for (int v = 0; v < NR; ++v) store(C + r * ldc + v * L, acc[r][v]);
}

/// The last w < L columns of C's rows [i, i + MR): B's w columns are copied into a strip L
/// wide padded with zeros and C's into a tile, so they too run on vectors (one by one they
/// took a quarter of F6's time: its ∂J/∂W has 120 columns, 7 vectors and 8 left over).
template <int MR, class T>
void gemm_tail(int k, MatrixView<T> A, std::ptrdiff_t i, const T* B, std::ptrdiff_t ldb, int w,
               T* C, std::ptrdiff_t ldc, bool accumulate) {
    constexpr int L = lanes<T>;
    static thread_local simd::Buffer<T> strip;
    strip.resize(static_cast<std::size_t>(k) * L);
    for (int p = 0; p < k; ++p)
        for (int l = 0; l < L; ++l)
            strip[static_cast<std::size_t>(p) * L + l] = l < w ? B[p * ldb + l] : T{};
    T tile[MR * L] = {};
    for (int r = 0; r < MR; ++r)
        for (int l = 0; l < w && accumulate; ++l) tile[r * L + l] = C[r * ldc + l];
    gemm_tile<MR, 1>(k, A, i, strip.data(), L, tile, L, accumulate);
    for (int r = 0; r < MR; ++r)
        for (int l = 0; l < w; ++l) C[r * ldc + l] = tile[r * L + l];
}

/// Rows [i0, i1) and columns [j0, j1) of C (row stride ldc) = (C +) A·B, B row-major k×n
/// (row stride ldb), j0 a multiple of L: tiles of up to MR rows × NR vectors, then the
/// columns past the last whole vector.
template <class T>
void gemm_block(std::ptrdiff_t i0, std::ptrdiff_t i1, int j0, int j1, int k, MatrixView<T> A,
                const T* B, std::ptrdiff_t ldb, T* C, std::ptrdiff_t ldc, bool accumulate) {
    constexpr int L = lanes<T>, MR = gemm_mr, NR = gemm_nr;
    const int j_vec = j0 + (j1 - j0) / L * L;
    for (std::ptrdiff_t i = i0; i < i1; i += MR) {
        const int rows = static_cast<int>(std::min<std::ptrdiff_t>(MR, i1 - i));
        for (int j = j0; j < j_vec; j += NR * L)
            dispatch_tile<MR, NR>(rows, std::min(NR, (j_vec - j) / L), [&]<int R, int V>() {
                gemm_tile<R, V>(k, A, i, B + j, ldb, C + i * ldc + j, ldc, accumulate);
            });
        if (j_vec < j1)
            dispatch_tile<MR, 1>(rows, 1, [&]<int R, int>() {
                gemm_tail<R>(k, A, i, B + j_vec, ldb, j1 - j_vec, C + i * ldc + j_vec, ldc,
                             accumulate);
            });
    }
}

/// Columns of C per block of the threaded product: one tile's width.
template <class T>
inline constexpr int gemm_width = (gemm_nr * lanes<T>);  // (brackets: clang-format reads a pointer)

/// One term A·B of a product C = Σ A·B: A any MatrixView of m×k, B row-major k×n (row
/// stride ldb). The terms of a dense layer's ∂J/∂W are its parts of the batch.
template <class T>
struct Term {
    int k;
    MatrixView<T> A;
    const T* B;
    std::ptrdiff_t ldb;
};

/// C (m×n) = (C +) Σ_t A_t·B_t, the terms in order. C is cut into blocks of MR rows ×
/// gemm_width columns, split between the pool's threads so that each reads part of the
/// larger operand: by rows when m ≥ n (each thread reads its rows of A, all of B), else by
/// columns (its columns of B, all of A). A skinny product such as F7's 10 rows still has
/// parts for every thread. Each element's sum runs over p in order, term after term
/// (stored and loaded again between terms: the same float, so the same bits as one term of
/// all the rows), whoever computes it.
template <class T>
void gemm(int m, int n, std::span<const Term<T>> terms, T* C, std::ptrdiff_t ldc, bool accumulate,
          ThreadPool& pool) {
    constexpr int width = gemm_width<T>;
    const std::size_t panels = (static_cast<std::size_t>(m) + gemm_mr - 1) / gemm_mr;
    const std::size_t chunks = (static_cast<std::size_t>(n) + width - 1) / width;
    const bool by_rows = m >= n;
    const std::size_t run = by_rows ? chunks : panels;  // blocks in a row (a column) of blocks
    pool.run(panels * chunks, [&](std::size_t b0, std::size_t b1) {
        // A part's blocks, one gemm_block call per row (column) of blocks it holds.
        for (std::size_t b = b0, e; b < b1; b = e) {
            e = std::min(b1, (b / run + 1) * run);
            const std::size_t first = b % run, last = (e - 1) % run;
            const std::size_t p0 = by_rows ? b / run : first, p1 = by_rows ? p0 : last;
            const std::size_t c0 = by_rows ? first : b / run, c1 = by_rows ? last : c0;
            for (std::size_t t = 0; t < terms.size(); ++t)
                gemm_block(
                    static_cast<std::ptrdiff_t>(p0) * gemm_mr,
                    std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(p1 + 1) * gemm_mr, m),
                    static_cast<int>(c0) * width, std::min(static_cast<int>(c1 + 1) * width, n),
                    terms[t].k, terms[t].A, terms[t].B, terms[t].ldb, C, ldc, accumulate || t > 0);
        }
    });
}

/// C (m×n) = (C +) A·B with A any MatrixView of m×k and B row-major k×n: one term.
template <class T>
void gemm(int m, int n, int k, MatrixView<T> A, const T* B, std::ptrdiff_t ldb, T* C,
          std::ptrdiff_t ldc, bool accumulate, ThreadPool& pool) {
    const Term<T> term{k, A, B, ldb};
    gemm(m, n, std::span<const Term<T>>(&term, 1), C, ldc, accumulate, pool);
}

// ---- convolution in the batch-innermost layout ------------------------------------------
//
// A "pixel" is `lanes<T>` numbers, the same position in lanes<T> different images, so each
// formula of the notes runs unchanged on a whole vector of images at once.

/// Sizes of one correlation, set by name (`{.C = …, .H = …}`): input C×H×W pixels, kernels
/// K×C×F1×F2, stride S, output K×Ho×Wo pixels (Ho = (H − F1)/S + 1 when the input is
/// stored padded).
struct Correlation {
    int C, H, W;    ///< the input as stored: channels, rows, columns
    int K, F1, F2;  ///< the kernels: how many, rows, columns
    int S;          ///< the stride
    int Ho, Wo;     ///< the output: rows, columns
    /// Input rows outside [first_row, last_row] and columns outside [first_col, last_col]
    /// are known to be zero (the border of a padded δ): the kernel skips the rows, and the
    /// kernel columns that meet only zeros in a whole tile, instead of multiplying zeros.
    int first_row = 0, last_row = 1 << 30, first_col = 0, last_col = 1 << 30;
    /// Where the stored input's first row and column sit in the padded input. A zero border
    /// the kernel skips need not be stored: correlate() alone reads δ this way, in place
    /// (row0 = first_row, col0 = first_col, H × W the rows and columns between).
    int row0 = 0, col0 = 0;
    friend bool operator==(const Correlation&, const Correlation&) = default;
};

/// Output tile: kernels k0..k0+KB, row i, columns j0..j0+JB (Down: column j0, rows i..i+JB):
/// out[k][i][j] = init[k] + Σ_c Σ_p Σ_q w[k][c][p][q] · in[c][i·S+p][j·S+q].
/// KB·JB accumulators; per (c, p, q) JB input loads and KB weight broadcasts feed KB·JB FMAs.
template <int KB, int JB, bool Down = false, class T>
void correlate_tile(const Correlation& g, const T* in, const T* w, const T* init, int k0, int i,
                    int j0, T* out) {
    constexpr int L = lanes<T>;
    const std::ptrdiff_t kernel = static_cast<std::ptrdiff_t>(g.C) * g.F1 * g.F2;
    // The tile's outputs step along the row, or down the column: (di, dj) per output.
    constexpr int di = Down ? 1 : 0, dj = Down ? 0 : 1;
    const std::ptrdiff_t step = static_cast<std::ptrdiff_t>(g.S) * (Down ? g.W : 1);  // in pixels
    Vec<T> acc[KB][JB];
#pragma GCC unroll 16
    for (int kk = 0; kk < KB; ++kk)
#pragma GCC unroll 16
        for (int jj = 0; jj < JB; ++jj) acc[kk][jj] = init ? splat(init[k0 + kk]) : Vec<T>{};
    const int p0 = std::max(0, g.first_row - (i + (JB - 1) * di) * g.S);
    const int p1 = std::min(g.F1, g.last_row + 1 - i * g.S);
    const int q0 = std::max(0, g.first_col - (j0 + (JB - 1) * dj) * g.S);
    const int q1 = std::min(g.F2, g.last_col + 1 - j0 * g.S);
    // Offsets, not pointers: row + q may start before the stored input, at columns skipped
    const std::ptrdiff_t origin = static_cast<std::ptrdiff_t>(g.row0) * g.W + g.col0;
    // Whether the tile reaches into a zero border (a spread δ's): there its outputs meet
    // zeros at different kernel columns (kernel rows, down a column), and each output skips
    // its own; δ_out of C3 multiplied 18% more zeros than numbers when whole tiles did not.
    const bool edge =
        Down ? i * g.S + p0 < g.first_row || (i + JB - 1) * g.S + p1 - 1 > g.last_row
             : j0 * g.S + q0 < g.first_col || (j0 + JB - 1) * g.S + q1 - 1 > g.last_col;
    const auto sum = [&]<bool Edge>() {
        for (int c = 0; c < g.C; ++c)
            for (int p = p0; p < p1; ++p) {
                const std::ptrdiff_t row =
                    ((static_cast<std::ptrdiff_t>(c) * g.H + i * g.S + p) * g.W +
                     static_cast<std::ptrdiff_t>(j0) * g.S - origin) *
                    L;
                const T* wk =
                    w + ((k0 * kernel) + (static_cast<std::ptrdiff_t>(c) * g.F1 + p) * g.F2);
                for (int q = q0; q < q1; ++q) {
                    if constexpr (Edge) {  // output by output, each kernel's weight held
                        Vec<T> wv[KB];
#pragma GCC unroll 16
                        for (int kk = 0; kk < KB; ++kk) wv[kk] = splat(wk[kk * kernel + q]);
#pragma GCC unroll 16
                        for (int jj = 0; jj < JB; ++jj) {
                            // The tile's outputs share the other coordinate, whose
                            // range [p0, p1) (or [q0, q1)) is already exact.
                            const int y = (i + jj) * g.S + p, x = (j0 + jj) * g.S + q;
                            if (Down ? y > g.last_row || y < g.first_row
                                     : x > g.last_col || x < g.first_col)
                                continue;
                            const Vec<T> xv = load(in + (row + (jj * step + q) * L));
#pragma GCC unroll 16
                            for (int kk = 0; kk < KB; ++kk)
                                acc[kk][jj] = madd(wv[kk], xv, acc[kk][jj]);
                        }
                    } else {
                        Vec<T> x[JB];
#pragma GCC unroll 16
                        for (int jj = 0; jj < JB; ++jj)
                            x[jj] = load(in + (row + (jj * step + q) * L));
#pragma GCC unroll 16
                        for (int kk = 0; kk < KB; ++kk) {
                            const Vec<T> wv = splat(wk[kk * kernel + q]);
#pragma GCC unroll 16
                            for (int jj = 0; jj < JB; ++jj)
                                acc[kk][jj] = madd(wv, x[jj], acc[kk][jj]);
                        }
                    }
                }
            }
    };
    edge ? sum.template operator()<true>() : sum.template operator()<false>();
#pragma GCC unroll 16
    for (int kk = 0; kk < KB; ++kk)
#pragma GCC unroll 16
        for (int jj = 0; jj < JB; ++jj)
            store(out + ((static_cast<std::ptrdiff_t>(k0 + kk) * g.Ho + i + jj * di) * g.Wo + j0 +
                         jj * dj) *
                            L,
                  acc[kk][jj]);
}

/// Tiles of the correlation, kernels × columns, chosen by measurement (bench/README.md):
/// 8 × 3 (24 accumulators) with AVX-512, 4 × 3 with AVX2; a correlation of 6 kernels or
/// fewer (C1's, and δ_out's of C3 with its 6 channels) takes 6 × 4, the same 24
/// accumulators, where 8 × 3 would leave a quarter of them idle.
inline constexpr int conv_kb = simd::vector_bytes == 64 ? 8 : 4;
inline constexpr int conv_jb = 3;
inline constexpr int few_kb = simd::vector_bytes == 64 ? 6 : 4;
inline constexpr int few_jb = simd::vector_bytes == 64 ? 4 : 3;

/// The whole correlation of one block of images, in tiles of up to KBmax × JBmax.
/// `init` (one per kernel, may be null) starts each sum: the bias. The columns a row's
/// whole tiles leave over go in tiles down their column: C3's 10 columns in tiles of 3
/// left one, whose 1-wide tiles did a third of a tile's FMAs per load (C3 forward 2.59 →
/// 2.41 µs per image, its δ_out 3.01 → 2.88; bench/README.md).
template <int KBmax, int JBmax, class T>
void correlate_tiles(const Correlation& g, const T* in, const T* w, const T* init, T* out) {
    const int whole = g.Wo - g.Wo % JBmax;  // columns in whole tiles along a row
    for (int k0 = 0; k0 < g.K; k0 += KBmax) {
        const int kb = std::min(KBmax, g.K - k0);
        for (int i = 0; i < g.Ho; ++i)
            for (int j0 = 0; j0 < whole; j0 += JBmax)
                dispatch_tile<KBmax, JBmax>(kb, JBmax, [&]<int KB, int JB>() {
                    correlate_tile<KB, JB>(g, in, w, init, k0, i, j0, out);
                });
        // The columns left over, in tiles down the column: whole tiles there too.
        for (int j = whole; j < g.Wo; ++j)
            for (int i0 = 0; i0 < g.Ho; i0 += JBmax)
                dispatch_tile<KBmax, JBmax>(kb, std::min(JBmax, g.Ho - i0), [&]<int KB, int JB>() {
                    correlate_tile<KB, JB, true>(g, in, w, init, k0, i0, j, out);
                });
    }
}

/// The whole correlation of one block of images: every output pixel, tile by tile, in the
/// tiles that suit its number of kernels. Any tile sums an output alike (c, p, q in order).
template <class T>
void correlate(const Correlation& g, const T* in, const T* w, const T* init, T* out) {
    if (g.K <= few_kb) return correlate_tiles<few_kb, few_jb>(g, in, w, init, out);
    correlate_tiles<conv_kb, conv_jb>(g, in, w, init, out);
}

/// The kernel side whose one-channel windows (C1's) correlate_window sums in straight-line
/// code, its p and q loops unrolled: such a window's whole reduction is 25 steps, and the
/// loops' bookkeeping cost 6% of C1 forward (1.39 → 1.30 µs an image). Unrolled for C3's
/// six channels too, the longer code made two threads at batch 32 5% slower (bench/README.md).
inline constexpr int window_unrolled = 5;

/// Window tile: kernels k0..k0+KB, the 2×2 outputs at rows i, i + 1 and columns j, j + 1,
/// summed as correlate_tile sums them (c, p, q in order); emit(k, i, j, out) gets kernel
/// k's four outputs, row by row, in registers instead of stored, for the 2×2 max pooling
/// that follows the layer. Per (c, p, q) 4 input loads and KB weight broadcasts feed 4·KB FMAs.
template <int KB, class T, class Emit>
void correlate_window(const Correlation& g, const T* in, const T* w, const T* init, int k0, int i,
                      int j, Emit&& emit) {
    constexpr int L = lanes<T>;
    const std::ptrdiff_t kernel = static_cast<std::ptrdiff_t>(g.C) * g.F1 * g.F2;
    const std::ptrdiff_t down = static_cast<std::ptrdiff_t>(g.S) * g.W * L, right = g.S * L;
    Vec<T> acc[KB][4];
#pragma GCC unroll 16
    for (int kk = 0; kk < KB; ++kk)
#pragma GCC unroll 4
        for (int t = 0; t < 4; ++t) acc[kk][t] = init ? splat(init[k0 + kk]) : Vec<T>{};
    const int p0 = std::max(0, g.first_row - (i + 1) * g.S);
    const int p1 = std::min(g.F1, g.last_row + 1 - i * g.S);
    const int q0 = std::max(0, g.first_col - (j + 1) * g.S);
    const int q1 = std::min(g.F2, g.last_col + 1 - j * g.S);
    const auto step = [&](const T* at, const T* wk) {
        const Vec<T> x[4] = {load(at), load(at + right), load(at + down), load(at + down + right)};
#pragma GCC unroll 16
        for (int kk = 0; kk < KB; ++kk) {
            const Vec<T> wv = splat(wk[kk * kernel]);
#pragma GCC unroll 4
            for (int t = 0; t < 4; ++t) acc[kk][t] = madd(wv, x[t], acc[kk][t]);
        }
    };
    const T* corner =
        in +
        (static_cast<std::ptrdiff_t>(i) * g.S * g.W + static_cast<std::ptrdiff_t>(j) * g.S) * L;
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(g.H) * g.W * L;
    const std::ptrdiff_t line = static_cast<std::ptrdiff_t>(g.W) * L;
    constexpr int F = window_unrolled;
    if (g.C == 1 && g.F1 == F && g.F2 == F && p0 == 0 && p1 == F && q0 == 0 && q1 == F) {
        // One channel and a window inside the zero border: the whole kernel, straight
#pragma GCC unroll 8
        for (int p = 0; p < F; ++p)
#pragma GCC unroll 8
            for (int q = 0; q < F; ++q)
                step(corner + p * line + q * L, w + (k0 * kernel + p * F + q));
    } else {
        for (int c = 0; c < g.C; ++c)
            for (int p = p0; p < p1; ++p) {
                const T* row = corner + c * plane + p * line;
                const T* wk =
                    w + ((k0 * kernel) + (static_cast<std::ptrdiff_t>(c) * g.F1 + p) * g.F2);
                for (int q = q0; q < q1; ++q) step(row + q * L, wk + q);
            }
    }
#pragma GCC unroll 16
    for (int kk = 0; kk < KB; ++kk) emit(k0 + kk, i, j, acc[kk]);
}

/// Kernels per window tile: 6 × 4 = 24 accumulators with AVX-512 (C1's 6 kernels in one
/// tile, C3's 16 in 6, 5, 5), 2 × 4 with AVX2.
inline constexpr int window_kb = simd::vector_bytes == 64 ? 6 : 2;

/// The whole correlation of one block, Ho and Wo even, as 2×2 windows of outputs handed to
/// emit (correlate_window) and never stored here.
template <class T, class Emit>
void correlate_windows(const Correlation& g, const T* in, const T* w, const T* init, Emit&& emit) {
    balanced_parts(g.K, window_kb, [&](int k0, int kb) {
        for (int i = 0; i < g.Ho; i += 2)
            for (int j = 0; j < g.Wo; j += 2)
                dispatch_tile<window_kb, 1>(kb, 1, [&]<int KB, int>() {
                    correlate_window<KB>(g, in, w, init, k0, i, j, emit);
                });
    });
}

/// Kernel-gradient tile: kernels k0..k0+KB, channel c, row p, columns q0..q0+QB:
/// dw[k][c][p][q] = Σ_lanes Σ_i Σ_j δ[k][i][j] · in[c][i·S+p][j·S+q] (chapter 05's
/// δw = A ⋆ δ, every image of the block added). Lanes are summed last (simd::sum_lanes).
/// With Bias, also db[k] = Σ_lanes Σ_i Σ_j δ[k][i][j], from the δ the tile loads anyway
/// (a pass of its own over C1's δ took 0.21 µs an image, a sixth of its ∂J/∂W).
/// `delta` gives the δs a row at a time (DeltaMaps, or a pooled layer's δ read in place).
template <int KB, int QB, bool Unit, bool Bias, class T, class Delta>
void weight_grad_tile(const Correlation& g, const T* in, const Delta& delta, int k0, int c, int p,
                      int q0, T* dw, T* db) {
    constexpr int L = lanes<T>;
    Vec<T> acc[KB][QB] = {};
    Vec<T> bias[KB] = {};
    for (int i = 0; i < g.Ho; ++i) {
        const T* row = in + ((static_cast<std::ptrdiff_t>(c) * g.H + i * g.S + p) * g.W + q0) * L;
        const auto d = delta.row(k0, i);  // d(kk, j) = δ[k0 + kk][i][j]
        // Stride 1: the window slides one pixel per column j, so the QB inputs of column j
        // are those of j − 1 moved down one, plus one load.
        Vec<T> x[QB];
        if constexpr (Unit)
#pragma GCC unroll 16
            for (int qq = 0; qq + 1 < QB; ++qq) x[qq] = load(row + qq * L);
        const auto column = [&](int j) {
            if constexpr (Unit) {
                x[QB - 1] = load(row + static_cast<std::ptrdiff_t>(j + QB - 1) * L);
            } else {
#pragma GCC unroll 16
                for (int qq = 0; qq < QB; ++qq)
                    x[qq] = load(row + (static_cast<std::ptrdiff_t>(j) * g.S + qq) * L);
            }
#pragma GCC unroll 16
            for (int kk = 0; kk < KB; ++kk) {
                const Vec<T> dv = d(kk, j);
                if constexpr (Bias) bias[kk] += dv;
#pragma GCC unroll 16
                for (int qq = 0; qq < QB; ++qq) acc[kk][qq] = madd(dv, x[qq], acc[kk][qq]);
            }
            if constexpr (Unit)
#pragma GCC unroll 16
                for (int qq = 0; qq + 1 < QB; ++qq) x[qq] = x[qq + 1];
        };
        // Columns in pairs, 2m and 2m + 1: a pooled δ (PooledDelta) finds both in one 2×2
        // window, so its index and argmax tests are worked out once a pair.
        for (int m = 0; m < g.Wo / 2; ++m) {
            column(2 * m);
            column(2 * m + 1);
        }
        if (g.Wo % 2) column(g.Wo - 1);
    }
#pragma GCC unroll 16
    for (int kk = 0; kk < KB; ++kk)
#pragma GCC unroll 16
        for (int qq = 0; qq < QB; ++qq)
            dw[((static_cast<std::ptrdiff_t>(k0 + kk) * g.C + c) * g.F1 + p) * g.F2 + q0 + qq] =
                simd::sum_lanes(acc[kk][qq]);
    if constexpr (Bias)
#pragma GCC unroll 16
        for (int kk = 0; kk < KB; ++kk) db[k0 + kk] = simd::sum_lanes(bias[kk]);
}

/// At most 5 kernels × 5 columns (25 accumulators) with AVX-512, 2 × 5 with AVX2: measured,
/// 5 × 5 ran C3's ∂J/∂W at 75–80% of the peak where 4 × 5 ran at 58% (one of 4 × 5's
/// accumulators went to the stack; no longer, now that the window slides). weight_grad
/// splits the kernels into balanced_parts of at most grad_kb.
inline constexpr int grad_kb = simd::vector_bytes == 64 ? 5 : 2;
inline constexpr int grad_qb = 5;

/// The δ maps K×Ho×Wo of one block, as weight_grad_tile reads them: a row at a time.
template <class T>
struct DeltaMaps {
    const T* delta;
    int Ho, Wo;

    auto row(int k0, int i) const {
        constexpr int L = lanes<T>;
        const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(Ho) * Wo;
        const T* d = delta + (k0 * plane + static_cast<std::ptrdiff_t>(i) * Wo) * L;
        return [d, plane](int kk, int j) { return load(d + (kk * plane + j) * L); };
    }
};

/// Every kernel gradient of one block: dw (K×C×F1×F2) = this block's share of δw, and
/// db (K) its share of ∂J/∂b = Σ δ, summed by each kernel's first tile. `delta`: DeltaMaps
/// of g's K×Ho×Wo, or anything else whose row(k0, i)(kk, j) is δ[k0 + kk][i][j].
template <class T, class Delta>
void weight_grad(const Correlation& g, const T* in, const Delta& delta, T* dw, T* db) {
    balanced_parts(g.K, grad_kb, [&](int k0, int kb) {
        for (int c = 0; c < g.C; ++c)
            for (int p = 0; p < g.F1; ++p)
                balanced_parts(g.F2, grad_qb, [&](int q0, int qb) {
                    dispatch_tile<grad_kb, grad_qb>(kb, qb, [&]<int KB, int QB>() {
                        const auto tile = [&]<bool Unit, bool Bias>() {
                            weight_grad_tile<KB, QB, Unit, Bias>(g, in, delta, k0, c, p, q0, dw,
                                                                 db);
                        };
                        const bool first = c == 0 && p == 0 && q0 == 0;
                        if (g.S == 1)
                            first ? tile.template operator()<true, true>()
                                  : tile.template operator()<true, false>();
                        else
                            first ? tile.template operator()<false, true>()
                                  : tile.template operator()<false, false>();
                    });
                });
    });
}

}  // namespace wb::kernels
