/// \file fast/conv.hpp
/// \brief The convolution layer on the batch-innermost layout (fast/batch.hpp): the same
/// formulas as conv.hpp, each on a vector of images at once.
///
/// - Forward is the notes' cross-correlation Z = W ⋆ pad(A, P) + b, computed by the
///   register-blocked micro-kernel kernels::correlate on one block of images at a time.
/// - Its backward pass is the notes' rules, unchanged: δ_out = pad(zero-insert(δ, S),
///   F − 1 − P) ⋆ rot180(W) with kernels and channels swapped (chapters 02–04), and
///   δw = A ⋆ δ (chapter 05), each block's share summed separately.
///
/// Tested equal to wb::conv2d_forward and wb::conv2d_backward (tests/reference/test_fast.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "../conv.hpp"  // the naive layer ("conv.hpp" alone would name this file)
#include "batch.hpp"
#include "kernels.hpp"
#include "pooling.hpp"

namespace wb::batch {

namespace detail {

/// pad(A, P) of one block (chapter 01's zero border): A's pixels into the interior of
/// `out` ((H+2P)×(W+2P) pixels), whose border is already zero (framed_scratch).
template <class T>
void pad_block(const T* in, int C, int H, int W, int P, T* out) {
    constexpr int L = lanes<T>;
    const int Hp = H + 2 * P, Wp = W + 2 * P;
    for (int c = 0; c < C; ++c)
        for (int h = 0; h < H; ++h)
            std::copy_n(in + ((static_cast<std::size_t>(c) * H + h) * W) * L,
                        static_cast<std::size_t>(W) * L,
                        out + ((static_cast<std::size_t>(c) * Hp + h + P) * Wp + P) * L);
}

/// Block b of A, padded by P (a pointer into A itself when P = 0).
template <class T>
const T* padded_block(const Batch<T>& a, int b, int P) {
    if (P == 0) return a.block(b);
    const Shape s = a.shape();
    const std::size_t pixels = static_cast<std::size_t>(s.c) * (s.h + 2 * P) * (s.w + 2 * P);
    T* out =
        framed_scratch<T, Scratch::padded_input>(pixels * lanes<T>, std::array{s.c, s.h, s.w, P});
    pad_block(a.block(b), s.c, s.h, s.w, P, out);
    return out;
}

/// The correlation of conv(A) on pad(A, P): outside rows and columns P … P + H − 1 the
/// padded input is zero.
inline kernels::Correlation correlation(const Shape& a, const Shape& w, ConvSpec spec) {
    const Shape z = wb::detail::conv_output_shape(a, w, spec);
    const int P = spec.pad;
    return {.C = a.c,
            .H = a.h + 2 * P,
            .W = a.w + 2 * P,
            .K = w.n,
            .F1 = w.h,
            .F2 = w.w,
            .S = spec.stride,
            .Ho = z.h,
            .Wo = z.w,
            .first_row = P,
            .last_row = P + a.h - 1,
            .first_col = P,
            .last_col = P + a.w - 1};
}

}  // namespace detail

/// The shape of Z = conv(A): checks A, W, the number of biases and the spec.
template <class T>
Shape conv_forward_shape(const Batch<T>& a, const Tensor<T>& w, std::size_t biases, ConvSpec spec) {
    wb::detail::check_conv("batch::conv_forward", a.shape(), w.shape(), biases, spec);
    return wb::detail::conv_output_shape(a.shape(), w.shape(), spec);
}

/// Block b of conv_forward, into z (of conv_forward_shape).
template <class T>
void conv_forward(const Batch<T>& a, const Tensor<T>& w, const std::vector<T>& b, ConvSpec spec,
                  Batch<T>& z, int blk) {
    kernels::correlate(detail::correlation(a.shape(), w.shape(), spec),
                       detail::padded_block(a, blk, spec.pad), w.data(), b.data(), z.block(blk));
}

/// Same result as wb::conv2d_forward: Z = W ⋆ pad(A, P) + b with stride S, per block.
template <class T>
void conv_forward(const Batch<T>& a, const Tensor<T>& w, const std::vector<T>& b, ConvSpec spec,
                  Batch<T>& z, ThreadPool& pool) {
    z.reshape(conv_forward_shape(a, w, b.size(), spec));
    for_each_block(pool, a.blocks(), [&](int blk) { conv_forward(a, w, b, spec, z, blk); });
}

/// The shape of max_pool(relu(conv(A))) done in one pass: checks A, W, the biases and the
/// spec, and that the pooling is one conv_relu_pool_forward does in registers: 2×2 windows,
/// stride 2, on a map of even sides (LeNet's C1 and C3).
template <class T>
Shape conv_relu_pool_shape(const Batch<T>& a, const Tensor<T>& w, std::size_t biases, ConvSpec spec,
                           PoolSpec s) {
    const Shape z = conv_forward_shape(a, w, biases, spec);
    if (s.size != 2 || s.stride != 2 || z.h % 2 || z.w % 2)
        shape_error("batch::conv_relu_pool_forward",
                    "pools 2×2 windows with stride 2 on maps of even sides, not " +
                        wb::detail::pool_str(s) + " on " + z.str());
    return detail::pool_shape("batch::conv_relu_pool_forward", z, s);
}

/// Block b of max_pool(relu(conv(A))) in one pass (shaped by conv_relu_pool_shape): each 2×2 window
/// of Z is summed in registers (kernels::correlate_windows) and pooled there (window_max), so Z
/// goes to memory only when `z` is given (shaped by conv_forward_shape), for the pictures. The same
/// sums and comparisons as conv_forward then max_pool_forward<fused_relu>: the same bits, p and at
/// shaped as that pair shapes them.
template <class T>
void conv_relu_pool_forward(const Batch<T>& a, const Tensor<T>& w, const std::vector<T>& b,
                            ConvSpec spec, std::type_identity_t<Batch<T>>* z, Batch<T>& p,
                            WindowArgmax<T>& at, int blk) {
    constexpr int L = lanes<T>;
    using Mask = decltype(Vec<T>{} > Vec<T>{});
    const kernels::Correlation g = detail::correlation(a.shape(), w.shape(), spec);
    const int Hp = g.Ho / 2, Wp = g.Wo / 2;
    T* zb = z ? z->block(blk) : nullptr;
    T* pb = p.block(blk);
    std::uint8_t* where = at.block(blk);
    kernels::correlate_windows(
        g, detail::padded_block(a, blk, spec.pad), w.data(), b.data(),
        [&](int k, int i, int j, const Vec<T>(&out)[4]) {
            if (zb)
                for (int t = 0; t < 4; ++t)
                    simd::store(
                        zb + ((static_cast<std::size_t>(k) * g.Ho + i + t / 2) * g.Wo + j + t % 2) *
                                 L,
                        out[t]);
            const auto [best, arg] =
                wb::batch::detail::window_max_2x2<fused_relu, T>([&](int t) { return out[t]; });
            const std::size_t o = (static_cast<std::size_t>(k) * Hp + i / 2) * Wp + j / 2;
            simd::store(pb + o * L, best);
            wb::batch::detail::pack<Mask, L>(where + o * L, arg);
        });
}

/// Same result as max_pool_forward<fused_relu>(conv_forward(A)), per block in one pass: p and
/// at as that pair gives them, and Z itself when z is not null.
template <class T>
void conv_relu_pool_forward(const Batch<T>& a, const Tensor<T>& w, const std::vector<T>& b,
                            ConvSpec spec, PoolSpec s, std::type_identity_t<Batch<T>>* z,
                            Batch<T>& p, WindowArgmax<T>& at, ThreadPool& pool) {
    p.reshape(conv_relu_pool_shape(a, w, b.size(), spec, s));
    at.reshape(p.shape());
    if (z) z->reshape(conv_forward_shape(a, w, b.size(), spec));
    for_each_block(pool, a.blocks(),
                   [&](int blk) { conv_relu_pool_forward(a, w, b, spec, z, p, at, blk); });
}

/// conv_backward's gradients in shares, one share of (∂J/∂W, ∂J/∂b) per block of images,
/// added in block order by conv_backward_sum, so a result never depends on the number of
/// threads; with what the blocks share: the geometry and rot180(W) with kernels and channels
/// swapped (for δ_out). Not wb::ConvGrads, the naive layer's result. Kept from step to
/// step: nothing is allocated once it is big enough.
template <class T>
struct ConvGradShares {
    ConvSpec spec;
    kernels::Correlation g{}, back{};  ///< the forward correlation, and δ_out's
    /// Whether δ_in is copied into a zero-filled map first (zero-insertion, stride > 1, or a
    /// padding past F − 1 that crops it); with stride 1 δ_out's correlation reads it in place.
    bool spread = false;
    std::size_t weights = 0, share = 0, blocks = 0;
    simd::Buffer<T> rotated, shares;
};

/// Prepares `cg` for the blocks of one batch, whose δ_in has shape `delta_in`; rot180(W)
/// only when δ_out is wanted.
template <class T>
void conv_backward_begin(const Batch<T>& a, const Tensor<T>& w, Shape delta_in, ConvSpec spec,
                         bool delta_out, ConvGradShares<T>& cg) {
    wb::detail::check_conv("batch::conv_backward", a.shape(), w.shape(),
                           static_cast<std::size_t>(w.n()), spec);
    require_shape("batch::conv_backward", "delta_in", delta_in,
                  wb::detail::conv_output_shape(a.shape(), w.shape(), spec));
    const kernels::Correlation g = detail::correlation(a.shape(), w.shape(), spec);
    const int K = g.K, F1 = g.F1, F2 = g.F2, C = g.C;
    const Shape as = a.shape();
    cg.spec = spec;
    cg.g = g;
    // δ_out = pad(zero-insert(δ_in, S), F − 1 − P) ⋆ rot180(W), a stride-1 correlation of
    // K channels with C kernels; δ_in's entries land S apart from row and column F − 1 − P.
    const int P = spec.pad;
    cg.spread = g.S != 1 || P > F1 - 1 || P > F2 - 1;
    cg.back = {.C = K,
               .H = as.h + F1 - 1,
               .W = as.w + F2 - 1,
               .K = C,
               .F1 = F1,
               .F2 = F2,
               .S = 1,
               .Ho = as.h,
               .Wo = as.w,
               .first_row = F1 - 1 - P,
               .last_row = (g.Ho - 1) * g.S + F1 - 1 - P,
               .first_col = F2 - 1 - P,
               .last_col = (g.Wo - 1) * g.S + F2 - 1 - P};
    if (!cg.spread) {  // only δ_in's rows and columns are stored: the border is skipped anyway
        cg.back.H = g.Ho;
        cg.back.W = g.Wo;
        cg.back.row0 = cg.back.first_row;
        cg.back.col0 = cg.back.first_col;
    }
    cg.weights = w.size();
    cg.share = cg.weights + static_cast<std::size_t>(K);
    cg.blocks = static_cast<std::size_t>(a.blocks());
    cg.shares.resize(cg.blocks * cg.share);
    if (!delta_out) return;
    cg.rotated.resize(cg.weights);
    for (int k = 0; k < K; ++k)
        for (int c = 0; c < C; ++c)
            for (int p = 0; p < F1; ++p)
                for (int q = 0; q < F2; ++q)
                    cg.rotated[((static_cast<std::size_t>(c) * K + k) * F1 + p) * F2 + q] =
                        w(k, c, F1 - 1 - p, F2 - 1 - q);
}

/// Block b of conv_backward: its share of ∂J/∂W (chapter 05's δw = A ⋆ δ) and ∂J/∂b, and,
/// when delta_out is not null (shaped as a), its δ_out.
template <class T>
void conv_backward(const Batch<T>& a, const Batch<T>& delta_in,
                   std::type_identity_t<Batch<T>>* delta_out, ConvGradShares<T>& cg, int blk) {
    constexpr int L = lanes<T>;
    const kernels::Correlation& g = cg.g;
    const kernels::Correlation& back = cg.back;
    const int K = g.K, F1 = g.F1, F2 = g.F2, P = cg.spec.pad;
    T* mine = cg.shares.data() + static_cast<std::size_t>(blk) * cg.share;
    const T* d = delta_in.block(blk);
    kernels::weight_grad(g, detail::padded_block(a, blk, P), kernels::DeltaMaps<T>{d, g.Ho, g.Wo},
                         mine, mine + cg.weights);
    if (!delta_out) return;
    if (!cg.spread)
        return kernels::correlate(back, d, cg.rotated.data(), static_cast<const T*>(nullptr),
                                  delta_out->block(blk));
    const std::size_t spread = static_cast<std::size_t>(K) * back.H * back.W * L;
    T* D = detail::framed_scratch<T, Scratch::spread_delta>(spread, std::pair{g, back});
    for (int k = 0; k < K; ++k)
        for (int i = 0; i < g.Ho; ++i) {
            const int y = i * g.S + F1 - 1 - P;
            if (y < 0 || y >= back.H) continue;
            for (int j = 0; j < g.Wo; ++j) {
                const int x = j * g.S + F2 - 1 - P;
                if (x < 0 || x >= back.W) continue;
                std::copy_n(d + ((static_cast<std::size_t>(k) * g.Ho + i) * g.Wo + j) * L, L,
                            D + ((static_cast<std::size_t>(k) * back.H + y) * back.W + x) * L);
            }
        }
    kernels::correlate(back, D, cg.rotated.data(), static_cast<const T*>(nullptr),
                       delta_out->block(blk));
}

/// The δ of a 2×2, stride-2 max pooling's input, read in place from the pooled δ and the
/// window argmax (conv_relu_pool_forward's): δ[k][i][j] = the window's δ where its argmax is
/// (i mod 2, j mod 2), else 0, the values max_pool_backward writes. C1's δ stored so is
/// 6×28×28 floats a block, four times the pooled δ, written once and read five times.
template <class T>
struct PooledDelta {
    const T* delta;             ///< the pooled δ, K×Hp×Wp
    const std::uint8_t* where;  ///< its windows' argmax, in the same layout
    int Hp, Wp;

    auto row(int k0, int i) const {
        constexpr int L = lanes<T>;
        const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(Hp) * Wp;
        const std::ptrdiff_t first = k0 * plane + static_cast<std::ptrdiff_t>(i / 2) * Wp;
        const T* d = delta + first * L;
        const std::uint8_t* w = where + first * L;
        const int p = i % 2 * 2;  // the window position of row i: p·2 + q
        return [d, w, plane, p](int kk, int j) {
            const std::ptrdiff_t o = (kk * plane + j / 2) * L;
            return detail::load_where(w + o, p + j % 2, d + o);
        };
    }
};

/// Block b of conv_backward without δ_out (the first layer's), its δ that of the 2×2 max
/// pooling conv_relu_pool_forward did, read through the pooling's argmax `at` from the
/// pooled δ (PooledDelta) instead of spread by max_pool_backward first: the same values
/// in the same order, so the same bits. Shaped as conv_relu_pool_shape shapes the pooling.
template <class T>
void conv_backward(const Batch<T>& a, const WindowArgmax<T>& at, const Batch<T>& pooled_delta,
                   ConvGradShares<T>& cg, int blk) {
    const kernels::Correlation& g = cg.g;
    const Shape s = pooled_delta.shape();  // conv_relu_pool_shape checked it, with `at`
    T* mine = cg.shares.data() + static_cast<std::size_t>(blk) * cg.share;
    kernels::weight_grad(g, detail::padded_block(a, blk, cg.spec.pad),
                         PooledDelta<T>{pooled_delta.block(blk), at.block(blk), s.h, s.w}, mine,
                         mine + cg.weights);
}

/// ∂J/∂W and ∂J/∂b: the blocks' shares added in block order.
template <class T>
void conv_backward_sum(const ConvGradShares<T>& cg, Tensor<T>& dW, std::vector<T>& db,
                       ThreadPool& pool) {
    detail::resize(dW, Shape{cg.g.K, cg.g.C, cg.g.F1, cg.g.F2});
    detail::resize(db, static_cast<std::size_t>(cg.g.K));
    pool.run(cg.share, [&](std::size_t x0, std::size_t x1) {
        for (std::size_t x = x0; x < x1; ++x) {
            T s{};
            for (std::size_t blk = 0; blk < cg.blocks; ++blk) s += cg.shares[blk * cg.share + x];
            (x < cg.weights ? dW.data()[x] : db[x - cg.weights]) = s;
        }
    });
}

/// Same result as wb::conv2d_backward: the kernel and bias gradients, and (when delta_out
/// is not null) δ_out. The first layer passes null: its input is the image.
template <class T>
void conv_backward(const Batch<T>& a, const Tensor<T>& w, const Batch<T>& delta_in, ConvSpec spec,
                   std::type_identity_t<Batch<T>>* delta_out, Tensor<T>& dW, std::vector<T>& db,
                   ThreadPool& pool) {
    static thread_local ConvGradShares<T> kept;
    ConvGradShares<T>& cg = kept;  // the workers must see this one (by name, each finds its own)
    conv_backward_begin(a, w, delta_in.shape(), spec, delta_out != nullptr, cg);
    if (delta_out) delta_out->reshape(a.shape());
    for_each_block(pool, a.blocks(),
                   [&](int blk) { conv_backward(a, delta_in, delta_out, cg, blk); });
    conv_backward_sum(cg, dW, db, pool);
}

/// Same as conv_backward without δ_out on the δ max_pool_backward would spread from
/// `pooled_delta` through `at` (conv_relu_pool_forward's 2×2 pooling), read in place.
template <class T>
void conv_backward(const Batch<T>& a, const Tensor<T>& w, const WindowArgmax<T>& at,
                   const Batch<T>& pooled_delta, ConvSpec spec, Tensor<T>& dW, std::vector<T>& db,
                   ThreadPool& pool) {
    const Shape pooled = conv_relu_pool_shape(a, w, static_cast<std::size_t>(w.n()), spec, {2, 2});
    require_shape("batch::conv_backward", "the pooled delta", pooled_delta.shape(), pooled);
    require_shape("batch::conv_backward", "its argmax", at.shape(), pooled);
    static thread_local ConvGradShares<T> kept;
    ConvGradShares<T>& cg = kept;  // the workers must see this one (by name, each finds its own)
    conv_backward_begin(a, w, wb::detail::conv_output_shape(a.shape(), w.shape(), spec), spec,
                        false, cg);
    for_each_block(pool, a.blocks(), [&](int blk) { conv_backward(a, at, pooled_delta, cg, blk); });
    conv_backward_sum(cg, dW, db, pool);
}

}  // namespace wb::batch
