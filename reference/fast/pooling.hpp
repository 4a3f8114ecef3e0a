/// \file fast/pooling.hpp
/// \brief ReLU and max pooling on the batch-innermost layout (fast/batch.hpp), and the two
/// fused into one pass: the same formulas as activation.hpp and pooling.hpp, each on a
/// vector of images at once, a NaN passed on as the naive loops pass it.
///
/// Tested equal to wb::relu, wb::relu_backward, wb::max_pool_forward and
/// wb::max_pool_backward (tests/reference/test_fast.cpp).
#pragma once

#include <algorithm>
#include <cstddef>

#include "../pooling.hpp"  // the naive layer ("pooling.hpp" alone would name this file)
#include "batch.hpp"

namespace wb::batch {

namespace detail {

/// f.template operator()<Size>() with Size = 2 for 2×2 windows (LeNet's, whose loops the
/// compiler then unrolls: the forward pass went from 0.44 to 0.33 ns per window and
/// image), else Size = 0, meaning "s.size, at run time".
template <class F>
void with_window(int size, F&& f) {
    if (size == 2) return f.template operator()<2>();
    f.template operator()<0>();
}

}  // namespace detail

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
    detail::with_window(s.size, [&]<int Size>() {
        constexpr int L = lanes<T>;
        const int size = Size ? Size : s.size;
        const Shape as = a.shape(), zs = z.shape();
        const T* in = a.block(blk);
        T* out = z.block(blk);
        for (int c = 0; c < zs.c; ++c)
            for (int i = 0; i < zs.h; ++i)
                for (int j = 0; j < zs.w; ++j) {
                    const auto px = [&](int y, int x) {
                        return simd::load(
                            in + ((static_cast<std::size_t>(c) * as.h + y) * as.w + x) * L);
                    };
                    Vec<T> best = px(i * s.stride, j * s.stride);
                    for (int p = 0; p < size; ++p)
                        for (int q = 0; q < size; ++q) {
                            const Vec<T> v = px(i * s.stride + p, j * s.stride + q);
                            const auto beats =
                                (v > best) | ((v != v) & (best == best));  // detail::beats
                            best = beats ? v : best;
                        }
                    if constexpr (Relu)
                        best = ((best > Vec<T>{}) | (best != best)) ? best : Vec<T>{};
                    simd::store(out + ((static_cast<std::size_t>(c) * zs.h + i) * zs.w + j) * L,
                                best);
                }
    });
}

/// Block b of max_pool_backward, and (Relu) of relu_backward(a, max_pool_backward(relu(a),
/// δ)) in the same pass: the first maximum of a window of a is the first maximum of
/// relu(a) whenever it is positive; when it is not, [a > 0] is 0 across the window, so δ
/// is dropped either way.
///
/// `z` is the forward pass's output (max_pool_forward<Relu> of a): each window's maximum,
/// so the backward pass only looks for where it is. The forward scan (strict >, a NaN the
/// maximum) keeps the first position holding the maximum, the first NaN if any; with
/// Relu, z = relu(maximum) is the maximum wherever it is positive, and δ is dropped
/// elsewhere.
template <bool Relu = false, class T>
void max_pool_backward(const Batch<T>& a, const Batch<T>& z, const Batch<T>& delta_in, PoolSpec s,
                       Batch<T>& d, int blk) {
    detail::with_window(s.size, [&]<int Size>() {
        constexpr int L = lanes<T>;
        const int size = Size ? Size : s.size;
        const Shape as = a.shape(), zs = delta_in.shape();
        const T* in = a.block(blk);
        const T* top = z.block(blk);
        const T* din = delta_in.block(blk);
        T* out = d.block(blk);
        // Windows that tile the input exactly (LeNet's 2×2, stride 2) write every position
        // once: no need to clear first and add.
        const bool tiles = s.stride == size && as.h == zs.h * size && as.w == zs.w * size;
        if (!tiles) std::fill(out, out + a.block_size(), T{});
        for (int c = 0; c < zs.c; ++c)
            for (int i = 0; i < zs.h; ++i)
                for (int j = 0; j < zs.w; ++j) {
                    const std::size_t o = ((static_cast<std::size_t>(c) * zs.h + i) * zs.w + j) * L;
                    const Vec<T> best = simd::load(top + o);
                    Vec<T> delta = simd::load(din + o);
                    if constexpr (Relu) delta = best > Vec<T>{} ? delta : Vec<T>{};
                    using Mask = decltype(best > best);
                    Mask taken{};
                    for (int p = 0; p < size; ++p)
                        for (int q = 0; q < size; ++q) {
                            const int y = i * s.stride + p, x = j * s.stride + q;
                            const std::size_t at =
                                ((static_cast<std::size_t>(c) * as.h + y) * as.w + x) * L;
                            const Vec<T> v = simd::load(in + at);
                            const Mask first = ((v == best) | ((v != v) & (best != best))) & ~taken;
                            taken |= first;
                            const Vec<T> mine = first ? delta : Vec<T>{};
                            simd::store(out + at, tiles ? mine : simd::load(out + at) + mine);
                        }
                }
    });
}

/// Same as wb::max_pool_forward (each output the largest element of its window), block by
/// block on the pool; max_pool_forward<fused_relu> is max_pool_forward(relu(a)).
template <bool Relu = false, class T>
void max_pool_forward(const Batch<T>& a, PoolSpec s, Batch<T>& z, ThreadPool& pool) {
    z.reshape(pool_shape(a, s));
    for_each_block(pool, a.blocks(), [&](int blk) { max_pool_forward<Relu>(a, s, z, blk); });
}

/// Same as wb::max_pool_backward: δ goes to the first maximum of its window (a scan with a
/// strict >, per lane; a NaN is the maximum), overlapping windows add up; z is the forward
/// output max_pool_forward<Relu>(a), which holds each window's maximum.
/// max_pool_backward<fused_relu> is relu_backward(a, max_pool_backward(relu(a), δ)).
template <bool Relu = false, class T>
void max_pool_backward(const Batch<T>& a, const Batch<T>& z, const Batch<T>& delta_in, PoolSpec s,
                       Batch<T>& d, ThreadPool& pool) {
    require_shape("batch::max_pool_backward", "delta_in", delta_in.shape(), pool_shape(a, s));
    require_shape("batch::max_pool_backward", "z", z.shape(), pool_shape(a, s));
    d.reshape(a.shape());
    for_each_block(pool, a.blocks(),
                   [&](int blk) { max_pool_backward<Relu>(a, z, delta_in, s, d, blk); });
}

}  // namespace wb::batch
