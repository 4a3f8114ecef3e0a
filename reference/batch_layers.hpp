/// \file batch_layers.hpp
/// \brief The fast layers of LeNet: the notes' formulas on a layout that puts a block of
/// images innermost, so every formula runs on a vector of images at once.
///
/// A `Batch` stores N×C×H×W as ⌈N/L⌉ blocks of C×H×W "pixels", each pixel L = lanes<T>
/// numbers: the same (c, h, w) in L consecutive images (NCHW8n with AVX2, NCHW16n with
/// AVX-512). The naive loops of conv.hpp, pooling.hpp, activation.hpp, dense.hpp and
/// softmax.hpp stay the truth: every function here is tested equal to them
/// (tests/reference/test_batch_layers.cpp), exactly on whole numbers in double.
///
/// - Convolution is the notes' cross-correlation Z = W ⋆ pad(A, P) + b, computed by the
///   register-blocked micro-kernel kernels::correlate on one block of images at a time.
/// - Its backward pass is the notes' rules, unchanged: δ_out = pad(zero-insert(δ, S),
///   F − 1 − P) ⋆ rot180(W) with kernels and channels swapped (chapters 02–04), and
///   δw = A ⋆ δ (chapter 05), each block's share summed separately.
/// - Dense layers keep the matrix form of chapter 07 (features × batch) on the matrix
///   product of kernels.hpp.
///
/// Threads: blocks of images are split between the pool's threads. Gradients of shared
/// weights are summed per block, then the blocks' sums are added in block order, so a
/// result never depends on the number of threads. Outputs are resized, never reallocated
/// once big enough: a training step allocates nothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include "activation.hpp"
#include "conv.hpp"
#include "dense.hpp"
#include "kernels.hpp"
#include "pooling.hpp"
#include "simd.hpp"
#include "softmax.hpp"
#include "tensor.hpp"
#include "thread_pool.hpp"

namespace wb::batch {

using simd::lanes;
using simd::Vec;

/// N×C×H×W with a block of lanes<T> images innermost (see the file comment).
template <class T>
class Batch {
public:
    static constexpr int L = lanes<T>;

    Batch() = default;
    explicit Batch(Shape s) { reshape(s); }

    /// Takes shape `s`; storage grows when needed and is otherwise reused (values stale).
    void reshape(Shape s) {
        shape_ = s;
        blocks_ = (s.n + L - 1) / L;
        data_.resize(static_cast<std::size_t>(blocks_) * block_size());
    }

    const Shape& shape() const { return shape_; }
    int blocks() const { return blocks_; }
    /// Numbers in one block: C·H·W pixels of L lanes.
    std::size_t block_size() const {
        return static_cast<std::size_t>(shape_.c) * shape_.h * shape_.w * L;
    }
    T* block(int b) { return data_.data() + static_cast<std::size_t>(b) * block_size(); }
    const T* block(int b) const { return data_.data() + static_cast<std::size_t>(b) * block_size(); }
    T* data() { return data_.data(); }
    const T* data() const { return data_.data(); }
    std::size_t size() const { return data_.size(); }

    /// Element (n, c, h, w).
    T& at(int n, int c, int h, int w) { return data_[index(n, c, h, w)]; }
    const T& at(int n, int c, int h, int w) const { return data_[index(n, c, h, w)]; }

    /// Block b from the images of its lanes, image l's C·H·W numbers (C, H, W order) at
    /// chw[l]. Lanes past chw.size() (≤ L) become 0, so padding never adds to a gradient.
    void set_block(int b, std::span<const T* const> chw) {
        T* dst = block(b);
        const std::size_t pixels = block_size() / L;
        const int count = static_cast<int>(chw.size());
        for (std::size_t i = 0; i < pixels; ++i, dst += L) {  // writes in order, reads L rows
            for (int l = 0; l < count; ++l) dst[l] = chw[static_cast<std::size_t>(l)][i];
            for (int l = count; l < L; ++l) dst[l] = T{};
        }
    }

    static Batch from(const Tensor<T>& t) {
        Batch b(t.shape());
        const std::size_t chw = b.block_size() / L;
        for (int blk = 0; blk < b.blocks(); ++blk) {
            const T* lanes_in[L];
            const int count = std::min(L, t.n() - blk * L);
            for (int l = 0; l < count; ++l) lanes_in[l] = t.data() + (blk * L + l) * chw;
            b.set_block(blk, {lanes_in, static_cast<std::size_t>(count)});
        }
        return b;
    }
    Tensor<T> tensor() const {
        Tensor<T> t(shape_);
        for (int n = 0; n < shape_.n; ++n)
            for (int c = 0; c < shape_.c; ++c)
                for (int h = 0; h < shape_.h; ++h)
                    for (int w = 0; w < shape_.w; ++w) t(n, c, h, w) = at(n, c, h, w);
        return t;
    }

private:
    std::size_t index(int n, int c, int h, int w) const {
        return ((((static_cast<std::size_t>(n / L) * shape_.c + c) * shape_.h + h) * shape_.w) + w) * L +
               static_cast<std::size_t>(n % L);
    }
    Shape shape_{0, 0, 0, 0};
    int blocks_ = 0;
    simd::Buffer<T> data_;
};

/// f(b) for every block b of a batch, the blocks split between the pool's threads (a
/// block's images are one vector's lanes: a layer that never mixes images can run on each
/// block alone).
template <class F>
void for_each_block(ThreadPool& pool, int blocks, F&& f) {
    pool.run(static_cast<std::size_t>(blocks), [&](std::size_t b0, std::size_t b1) {
        for (std::size_t b = b0; b < b1; ++b) f(static_cast<int>(b));
    });
}

namespace detail {

/// A scratch buffer per thread and per use (Slot), kept between calls: with a persistent
/// thread pool it is allocated once.
template <class T, int Slot>
simd::Buffer<T>& scratch(std::size_t n) {
    static thread_local simd::Buffer<T> buf;
    buf.resize(n);
    return buf;
}

/// pad(A, P) of one block (chapter 01's zero border), into `out` ((H+2P)×(W+2P) pixels).
template <class T>
void pad_block(const T* in, int C, int H, int W, int P, T* out) {
    constexpr int L = lanes<T>;
    const int Hp = H + 2 * P, Wp = W + 2 * P;
    std::fill(out, out + static_cast<std::size_t>(C) * Hp * Wp * L, T{});
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
    auto& buf = scratch<T, 0>(static_cast<std::size_t>(s.c) * (s.h + 2 * P) * (s.w + 2 * P) * lanes<T>);
    pad_block(a.block(b), s.c, s.h, s.w, P, buf.data());
    return buf.data();
}

/// The correlation of conv(A) on pad(A, P): outside rows and columns P … P + H − 1 the
/// padded input is zero.
inline kernels::Correlation correlation(const Shape& a, const Shape& w, ConvSpec spec) {
    const Shape z = wb::detail::conv_output_shape(a, w, spec);
    const int P = spec.pad;
    return {a.c, a.h + 2 * P, a.w + 2 * P, w.n, w.h, w.w, spec.stride, z.h, z.w,
            P, P + a.h - 1, P, P + a.w - 1};
}

template <class T>
void resize(Tensor<T>& t, Shape s) {
    t.resize(s);
}
template <class T>
void resize(std::vector<T>& v, std::size_t n) {
    v.resize(n);
}

}  // namespace detail

// ---- convolution ------------------------------------------------------------------------
//
// Each layer has a whole-batch function (blocks split between the pool's threads) and a
// function for one block, b, whose output the caller has shaped: fast_lenet.hpp runs a
// block through several layers in a row while its maps are still in the core's cache.

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

/// What the blocks of conv_backward share: the geometry, rot180(W) with kernels and
/// channels swapped (for δ_out), and one share of (∂J/∂W, ∂J/∂b) per block, added in block
/// order by conv_backward_sum, so a result never depends on the number of threads. Kept
/// from step to step: nothing is allocated once it is big enough.
template <class T>
struct ConvGrads {
    ConvSpec spec;
    kernels::Correlation g{}, back{};  ///< the forward correlation, and δ_out's
    std::size_t weights = 0, share = 0, blocks = 0;
    simd::Buffer<T> rotated, shares;
};

/// Prepares `cg` for the blocks of one batch; rot180(W) only when δ_out is wanted.
template <class T>
void conv_backward_begin(const Batch<T>& a, const Tensor<T>& w, const Batch<T>& delta_in,
                         ConvSpec spec, bool delta_out, ConvGrads<T>& cg) {
    wb::detail::check_conv("batch::conv_backward", a.shape(), w.shape(),
                           static_cast<std::size_t>(w.n()), spec);
    require_shape("batch::conv_backward", "delta_in", delta_in.shape(),
                  wb::detail::conv_output_shape(a.shape(), w.shape(), spec));
    const kernels::Correlation g = detail::correlation(a.shape(), w.shape(), spec);
    const int K = g.K, F1 = g.F1, F2 = g.F2, C = g.C;
    const Shape as = a.shape();
    cg.spec = spec;
    cg.g = g;
    // δ_out = pad(zero-insert(δ_in, S), F − 1 − P) ⋆ rot180(W), a stride-1 correlation.
    cg.back = {K, as.h + F1 - 1, as.w + F2 - 1, C, F1, F2, 1, as.h, as.w,
               F1 - 1 - spec.pad, (g.Ho - 1) * g.S + F1 - 1 - spec.pad,
               F2 - 1 - spec.pad, (g.Wo - 1) * g.S + F2 - 1 - spec.pad};
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
                   std::type_identity_t<Batch<T>>* delta_out, ConvGrads<T>& cg, int blk) {
    constexpr int L = lanes<T>;
    const kernels::Correlation& g = cg.g;
    const kernels::Correlation& back = cg.back;
    const int K = g.K, F1 = g.F1, F2 = g.F2, P = cg.spec.pad;
    T* mine = cg.shares.data() + static_cast<std::size_t>(blk) * cg.share;
    const T* d = delta_in.block(blk);
    kernels::weight_grad(g, detail::padded_block(a, blk, P), d, mine);
    const std::size_t plane = static_cast<std::size_t>(g.Ho) * g.Wo;
    for (int k = 0; k < K; ++k) {  // ∂J/∂b = Σ δ
        Vec<T> s{};
        for (std::size_t i = 0; i < plane; ++i) s += simd::load(d + (k * plane + i) * L);
        mine[cg.weights + static_cast<std::size_t>(k)] = simd::sum_lanes(s);
    }
    if (!delta_out) return;
    auto& ds = detail::scratch<T, 3>(static_cast<std::size_t>(K) * back.H * back.W * L);
    T* D = ds.data();
    std::fill(D, D + ds.size(), T{});
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
    kernels::correlate(back, D, cg.rotated.data(), static_cast<const T*>(nullptr), delta_out->block(blk));
}

/// ∂J/∂W and ∂J/∂b: the blocks' shares added in block order.
template <class T>
void conv_backward_sum(const ConvGrads<T>& cg, Tensor<T>& dW, std::vector<T>& db, ThreadPool& pool) {
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
void conv_backward(const Batch<T>& a, const Tensor<T>& w, const Batch<T>& delta_in,
                   ConvSpec spec, std::type_identity_t<Batch<T>>* delta_out, Tensor<T>& dW,
                   std::vector<T>& db, ThreadPool& pool) {
    static thread_local ConvGrads<T> grads;
    ConvGrads<T>& cg = grads;  // the workers must see this one: by name they would find their own
    conv_backward_begin(a, w, delta_in, spec, delta_out != nullptr, cg);
    if (delta_out) delta_out->reshape(a.shape());
    for_each_block(pool, a.blocks(), [&](int blk) { conv_backward(a, delta_in, delta_out, cg, blk); });
    conv_backward_sum(cg, dW, db, pool);
}

// ---- activation and pooling ------------------------------------------------------------

/// Same as wb::relu, elementwise: a = max(0, z).
template <class T>
void relu(const Batch<T>& z, Batch<T>& a, ThreadPool& pool) {
    a.reshape(z.shape());
    pool.run(static_cast<std::size_t>(z.blocks()), [&](std::size_t b0, std::size_t b1) {
        const T* in = z.data() + b0 * z.block_size();
        T* out = a.data() + b0 * z.block_size();
        for (std::size_t i = 0; i < (b1 - b0) * z.block_size(); i += lanes<T>) {
            const Vec<T> v = simd::load(in + i);
            simd::store(out + i,
                        ((v > Vec<T>{}) | (v != v)) ? v : Vec<T>{});  // NaN passes, as relu_scalar
        }
    });
}

/// Same as wb::relu_backward (forward input first, arriving gradient second): dZ = dA ⊙ [Z > 0].
template <class T>
void relu_backward(const Batch<T>& z, const Batch<T>& da, Batch<T>& dz, ThreadPool& pool) {
    require_shape("batch::relu_backward", "dA", da.shape(), z.shape());
    dz.reshape(z.shape());
    pool.run(static_cast<std::size_t>(z.blocks()), [&](std::size_t b0, std::size_t b1) {
        for (std::size_t i = b0 * z.block_size(); i < b1 * z.block_size(); i += lanes<T>) {
            const Vec<T> zv = simd::load(z.data() + i);
            simd::store(dz.data() + i, zv > Vec<T>{} ? simd::load(da.data() + i) : Vec<T>{});
        }
    });
}

/// The shape of max pooling's output: checks that the window fits.
template <class T>
Shape pool_shape(const Batch<T>& a, PoolSpec s) {
    return wb::detail::pool_output_shape("batch::max_pool", a.shape(), s);
}

/// Max pooling with ReLU fused before it (the template argument of max_pool_forward and
/// max_pool_backward): p = max_pool(relu(z)) and its backward, relu(z) never stored. The
/// two passes over C1's maps moved bytes and did no arithmetic (16% of a step); one pass
/// moves half as many.
inline constexpr bool fused_relu = true;

/// Block b of max_pool_forward, and (Relu) of max_pool_forward(relu(a)) in the same pass:
/// max(0, ·) commutes with max, so pool(relu(a)) = relu(pool(a)), the same numbers, and
/// relu(a) is never written out.
template <bool Relu = false, class T>
void max_pool_forward(const Batch<T>& a, PoolSpec s, Batch<T>& z, int blk) {
    constexpr int L = lanes<T>;
    const Shape as = a.shape(), zs = z.shape();
    const T* in = a.block(blk);
    T* out = z.block(blk);
    for (int c = 0; c < zs.c; ++c)
        for (int i = 0; i < zs.h; ++i)
            for (int j = 0; j < zs.w; ++j) {
                const auto px = [&](int y, int x) {
                    return simd::load(in + ((static_cast<std::size_t>(c) * as.h + y) * as.w + x) * L);
                };
                Vec<T> best = px(i * s.stride, j * s.stride);
                for (int p = 0; p < s.size; ++p)
                    for (int q = 0; q < s.size; ++q) {
                        const Vec<T> v = px(i * s.stride + p, j * s.stride + q);
                        best =
                            ((v > best) | ((v != v) & (best == best))) ? v : best;  // detail::beats
                    }
                if constexpr (Relu) best = ((best > Vec<T>{}) | (best != best)) ? best : Vec<T>{};
                simd::store(out + ((static_cast<std::size_t>(c) * zs.h + i) * zs.w + j) * L, best);
            }
}

/// Block b of max_pool_backward, and (Relu) of relu_backward(a, max_pool_backward(relu(a),
/// δ)) in the same pass: the first maximum of a window of a is the first maximum of
/// relu(a) whenever it is positive; when it is not, [a > 0] is 0 across the window, so δ
/// is dropped either way.
template <bool Relu = false, class T>
void max_pool_backward(const Batch<T>& a, const Batch<T>& delta_in, PoolSpec s, Batch<T>& d,
                       int blk) {
    constexpr int L = lanes<T>;
    const Shape as = a.shape(), zs = delta_in.shape();
    const T* in = a.block(blk);
    const T* din = delta_in.block(blk);
    T* out = d.block(blk);
    // Windows that tile the input exactly (LeNet's 2×2, stride 2) write every position
    // once: no need to clear first and add.
    const bool tiles = s.stride == s.size && as.h == zs.h * s.size && as.w == zs.w * s.size;
    if (!tiles) std::fill(out, out + a.block_size(), T{});
    for (int c = 0; c < zs.c; ++c)
        for (int i = 0; i < zs.h; ++i)
            for (int j = 0; j < zs.w; ++j) {
                const auto at = [&](int p, int q) {
                    return ((static_cast<std::size_t>(c) * as.h + i * s.stride + p) * as.w + j * s.stride + q) * L;
                };
                Vec<T> best = simd::load(in + at(0, 0));
                using Index = decltype(best > best);
                Index arg{};  // window position p·size + q of each lane's maximum
                for (int t = 1; t < s.size * s.size; ++t) {
                    const Vec<T> v = simd::load(in + at(t / s.size, t % s.size));
                    const Index gt = (v > best) | ((v != v) & (best == best));  // detail::beats
                    best = gt ? v : best;
                    arg = gt ? Index{} + t : arg;
                }
                Vec<T> delta = simd::load(din + ((static_cast<std::size_t>(c) * zs.h + i) * zs.w + j) * L);
                if constexpr (Relu) delta = best > Vec<T>{} ? delta : Vec<T>{};
                for (int t = 0; t < s.size * s.size; ++t) {
                    T* o = out + at(t / s.size, t % s.size);
                    const Vec<T> mine = arg == t ? delta : Vec<T>{};
                    simd::store(o, tiles ? mine : simd::load(o) + mine);
                }
            }
}

/// Same as wb::max_pool_forward (each output the largest element of its window), block by
/// block on the pool; max_pool_forward<fused_relu> is max_pool_forward(relu(a)).
template <bool Relu = false, class T>
void max_pool_forward(const Batch<T>& a, PoolSpec s, Batch<T>& z, ThreadPool& pool) {
    z.reshape(pool_shape(a, s));
    for_each_block(pool, a.blocks(), [&](int blk) { max_pool_forward<Relu>(a, s, z, blk); });
}

/// Same as wb::max_pool_backward: δ goes to the first maximum of its window (a scan with a
/// strict >, per lane; a NaN is the maximum), overlapping windows add up.
/// max_pool_backward<fused_relu> is relu_backward(a, max_pool_backward(relu(a), δ)).
template <bool Relu = false, class T>
void max_pool_backward(const Batch<T>& a, const Batch<T>& delta_in, PoolSpec s, Batch<T>& d,
                       ThreadPool& pool) {
    require_shape("batch::max_pool_backward", "delta_in", delta_in.shape(), pool_shape(a, s));
    d.reshape(a.shape());
    for_each_block(pool, a.blocks(), [&](int blk) { max_pool_backward<Relu>(a, delta_in, s, d, blk); });
}

// ---- flatten and the dense layers (chapter 07's matrix form) ----------------------------

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
                std::copy_n(in + r * L, count, m.data() + r * static_cast<std::size_t>(s.n) + n0);
        }
    });
}

/// Same as wb::unflatten: the matrix back to N×C×H×W (`s`); padding lanes become 0.
template <class T>
void unflatten(const Tensor<T>& m, const Shape& s, Batch<T>& a, ThreadPool& pool) {
    constexpr int L = lanes<T>;
    if (!(m.shape() == Shape{1, 1, s.c * s.h * s.w, s.n}))
        require_shape("batch::unflatten", "matrix (to become " + s.str() + ")", m.shape(),
                      Shape{1, 1, s.c * s.h * s.w, s.n});
    a.reshape(s);
    const int rows = s.c * s.h * s.w;
    pool.run(static_cast<std::size_t>(a.blocks()), [&](std::size_t b0, std::size_t b1) {
        for (int blk = static_cast<int>(b0); blk < static_cast<int>(b1); ++blk) {
            T* out = a.block(blk);
            const int n0 = blk * L, count = std::min(L, s.n - n0);
            for (int r = 0; r < rows; ++r) {
                T* px = out + static_cast<std::size_t>(r) * L;
                std::copy_n(m.data() + static_cast<std::size_t>(r) * s.n + n0, count, px);
                std::fill(px + count, px + L, T{});
            }
        }
    });
}

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

/// Same as wb::dense_backward: dA = Wᵀ dZ (when dA is not null), dW = dZ Aᵀ, db = dZ 1.
template <class T>
void dense_backward(const Tensor<T>& W, const Tensor<T>& A, const Tensor<T>& dZ, std::type_identity_t<Tensor<T>>* dA,
                    Tensor<T>& dW, std::vector<T>& db, ThreadPool& pool) {
    wb::detail::require_dense("batch::dense_backward", W.shape(), A.shape(), {}, dZ.shape());
    const int out = W.h(), in = W.w(), n = A.w();
    if (dA) {
        detail::resize(*dA, A.shape());
        kernels::gemm<T>(in, n, out, {W.data(), 1, in}, dZ.data(), n, dA->data(), n, false, pool);
    }
    // dW = dZ Aᵀ: the product wants Aᵀ's rows contiguous, so A is transposed first.
    // The scratch buffer is the calling thread's; the workers only write into it. Split in
    // the product's blocks of columns, so that when the product is split by columns (in > out)
    // each thread reads back the part of Aᵀ it wrote.
    auto& At = detail::scratch<T, 4>(static_cast<std::size_t>(n) * in);
    T* at = At.data();
    constexpr std::size_t width = kernels::gemm_width<T>;
    pool.run((static_cast<std::size_t>(in) + width - 1) / width, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t c = c0; c < c1; ++c) {  // a strip of `width` rows of A at a time
            const std::size_t i0 = c * width, i1 = std::min(i0 + width, static_cast<std::size_t>(in));
            for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j)
                for (std::size_t i = i0; i < i1; ++i)
                    at[j * static_cast<std::size_t>(in) + i] = A.data()[i * static_cast<std::size_t>(n) + j];
        }
    });
    detail::resize(dW, W.shape());
    kernels::gemm<T>(out, in, n, {dZ.data(), n, 1}, at, in, dW.data(), in, false, pool);
    db.assign(static_cast<std::size_t>(out), T{});
    pool.run(static_cast<std::size_t>(out), [&](std::size_t i0, std::size_t i1) {
        for (std::size_t i = i0; i < i1; ++i)
            for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j)
                db[i] += dZ.data()[i * static_cast<std::size_t>(n) + j];
    });
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
        for (std::size_t i = r0 * row; i < r1 * row; ++i)
            dz.data()[i] = z.data()[i] > T(0) ? da.data()[i] : T(0);
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
    auto& top = detail::scratch<T, 5>(static_cast<std::size_t>(2 * N));
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

/// Same as wb::softmax_ce_backward: dZ = (P − T)/m.
template <class T>
void softmax_ce_backward(const Tensor<T>& P, const std::vector<int>& labels, Tensor<T>& dZ) {
    wb::detail::check_labels("batch::softmax_ce_backward", P.shape(), labels);
    detail::resize(dZ, P.shape());
    const T m = static_cast<T>(P.w());
    for (int n = 0; n < P.w(); ++n)
        for (int k = 0; k < P.h(); ++k) {
            const T t = (k == labels[static_cast<std::size_t>(n)]) ? T(1) : T(0);
            dZ(k, n) = (P(k, n) - t) / m;
        }
}

}  // namespace wb::batch
