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
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

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

/// Where each window's δ goes, recorded by the forward pass: the position p·size + q of the
/// window's first maximum (the first NaN, if any), one byte per image in the pooled map's
/// layout; or `nowhere` when fused ReLU drops δ. A quarter of the bytes of the pooled map
/// and a sixteenth of its input's, which the backward pass then never reads.
template <class T>
using WindowArgmax = Batch<std::uint8_t, lanes<T>>;
inline constexpr std::uint8_t nowhere = 255;

namespace detail {

/// The shape of max pooling's output from its input's: checks that the window fits, and
/// that each position in it has a byte (a window of at most 254 positions).
inline Shape pool_shape(const char* where, Shape a, PoolSpec s) {
    const Shape out = wb::detail::pool_output_shape(where, a, s);
    if (s.size * s.size >= nowhere)
        shape_error(where, "a " + std::to_string(s.size) + "×" + std::to_string(s.size) +
                               " window has more positions than a byte can name (at most 254)");
    return out;
}

/// L window positions as the mask type M of a comparison of vectors (one lane per image).
template <class M, int L>
M unpack(const std::uint8_t* at) {
    using Bytes [[gnu::vector_size(L)]] = std::uint8_t;
    Bytes b;
    std::memcpy(&b, at, sizeof b);
    return __builtin_convertvector(b, M);
}
template <class M, int L>
void pack(std::uint8_t* at, M m) {
    using Bytes [[gnu::vector_size(L)]] = std::uint8_t;
    const Bytes b = __builtin_convertvector(m, Bytes);
    std::memcpy(at, &b, sizeof b);
}

/// load(p) in the lanes whose window position (a byte at `at`) is t, 0 in the others: a byte
/// compare into a mask register and a masked load with AVX-512BW, a widening compare and an
/// AND with AVX2. The generic unpack, for which GCC moves each byte through a scalar
/// register, made C1's ∂J/∂W 4× slower (bench/README.md).
template <class T>
Vec<T> load_where(const std::uint8_t* at, int t, const T* p) {
    constexpr int L = lanes<T>;
#if defined(__AVX2__)
    constexpr bool f = std::is_same_v<T, float>, d = std::is_same_v<T, double>;
    [[maybe_unused]] const auto bytes = [&] {  // the L bytes, in the low lanes of an __m128i
        if constexpr (L == 16) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        if constexpr (L == 8) return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(at));
        std::int32_t four;
        std::memcpy(&four, at, sizeof four);
        return _mm_cvtsi32_si128(four);
    };
#endif
#if defined(__AVX512BW__) && defined(__AVX512VL__)
    if constexpr ((f || d) && L >= 4) {
        const __mmask16 m = _mm_cmpeq_epi8_mask(bytes(), _mm_set1_epi8(static_cast<char>(t)));
        if constexpr (f && L == 16) return (Vec<T>)_mm512_maskz_loadu_ps(m, p);
        if constexpr (d && L == 8)
            return (Vec<T>)_mm512_maskz_loadu_pd(static_cast<__mmask8>(m), p);
        if constexpr (f && L == 8)
            return (Vec<T>)_mm256_maskz_loadu_ps(static_cast<__mmask8>(m), p);
        if constexpr (d && L == 4)
            return (Vec<T>)_mm256_maskz_loadu_pd(static_cast<__mmask8>(m), p);
    }
#elif defined(__AVX2__)
    if constexpr (f && L == 8) {
        const __m256i m = _mm256_cmpeq_epi32(_mm256_cvtepu8_epi32(bytes()), _mm256_set1_epi32(t));
        return (Vec<T>)_mm256_and_ps(_mm256_castsi256_ps(m), _mm256_loadu_ps(p));
    }
    if constexpr (d && L == 4) {
        const __m256i m = _mm256_cmpeq_epi64(_mm256_cvtepu8_epi64(bytes()), _mm256_set1_epi64x(t));
        return (Vec<T>)_mm256_and_pd(_mm256_castsi256_pd(m), _mm256_loadu_pd(p));
    }
#endif
    using Mask = decltype(Vec<T>{} > Vec<T>{});
    return unpack<Mask, L>(at) == t ? simd::load(p) : Vec<T>{};
}

/// One window's maximum and where it is, from value(t) for its n positions t = p·size + q:
/// the first maximum, a NaN the maximum (the first NaN), as the naive loops decide. With
/// Relu, relu(maximum), and nowhere unless relu(maximum) > 0, where relu_backward's [a > 0]
/// would drop δ.
template <bool Relu, class T, class Value>
auto window_max(int n, Value value) {
    using Mask = decltype(Vec<T>{} > Vec<T>{});
    // The running maximum moves on only past a larger value, so it holds the first maximum;
    // without a NaN (the window's sum is a number) that is the first position holding it,
    // found after the scan. The scan that lets a NaN win keeps three masks a step, and in
    // conv_relu_pool_forward's tiles, six windows at once, they spilled (bench/README.md).
    Vec<T> best = value(0), sum = best;
    for (int t = 1; t < n; ++t) {
        const Vec<T> v = value(t);
        best = v > best ? v : best;
        sum += v;
    }
    Mask arg = Mask{} + (n - 1);
    if (!simd::any(sum != sum)) {
        for (int t = n - 2; t >= 0; --t) arg = value(t) == best ? Mask{} + t : arg;
    } else {  // a NaN, or ∞ and −∞: the scan that lets a NaN win, position by position
        best = value(0);
        arg = Mask{};
        for (int t = 1; t < n; ++t) {
            const Vec<T> v = value(t);
            const auto beats = (v > best) | ((v != v) & (best == best));  // wb::detail::beats
            best = beats ? v : best;
            arg = beats ? Mask{} + t : arg;
        }
    }
    if constexpr (Relu) {
        arg = best > Vec<T>{} ? arg : Mask{} + nowhere;
        best = ((best > Vec<T>{}) | (best != best)) ? best : Vec<T>{};
    }
    return std::pair{best, arg};
}

/// window_max of a 2×2 window (n = 4) as a tournament: the larger of positions 0, 1 against
/// the larger of 2, 3, a tie going to the earlier each time, so the first maximum, as the
/// scan finds it. Without a NaN the same result in fewer steps (no second pass for the
/// position); with one, window_max itself.
template <bool Relu, class T, class Value>
auto window_max_2x2(Value value) {
    using Mask = decltype(Vec<T>{} > Vec<T>{});
    const Vec<T> v[4] = {value(0), value(1), value(2), value(3)};
    const Vec<T> sum = (v[0] + v[1]) + (v[2] + v[3]);
    if (simd::any(sum != sum)) return window_max<Relu, T>(4, [&](int t) { return v[t]; });
    // A true comparison is −1 in every lane: 0 − top is position 1 where v1 won.
    const Mask top = v[1] > v[0], bottom = v[3] > v[2];
    const Vec<T> upper = top ? v[1] : v[0], lower = bottom ? v[3] : v[2];
    const Mask second = lower > upper;
    Vec<T> best = second ? lower : upper;
    Mask arg = second ? Mask{} + 2 - bottom : Mask{} - top;
    if constexpr (Relu) {  // no NaN here: relu(best) > 0 exactly where best > 0
        const Mask kept = best > Vec<T>{};
        arg = kept ? arg : Mask{} + nowhere;
        best = kept ? best : Vec<T>{};
    }
    return std::pair{best, arg};
}

}  // namespace detail

/// The shape of max pooling's output: checks that the window fits.
template <class T>
Shape pool_shape(const Batch<T>& a, PoolSpec s) {
    return detail::pool_shape("batch::max_pool", a.shape(), s);
}

/// Max pooling with ReLU fused before it (the template argument of max_pool_forward):
/// p = max_pool(relu(z)), relu(z) never stored, and a WindowArgmax for the backward pass of
/// both. The two passes over C1's maps moved bytes and did no arithmetic (16% of a step);
/// one pass moves half as many.
inline constexpr bool fused_relu = true;

/// Block b of max_pool_forward, and (Relu) of max_pool_forward(relu(a)) in the same pass:
/// max(0, ·) commutes with max, so pool(relu(a)) = relu(pool(a)), the same numbers, and
/// relu(a) is never written out. `at` gets where each window's δ goes (window_max).
template <bool Relu = false, class T>
void max_pool_forward(const Batch<T>& a, PoolSpec s, Batch<T>& z, WindowArgmax<T>& at, int blk) {
    detail::with_window(s.size, [&]<int Size>() {
        constexpr int L = lanes<T>;
        using Mask = decltype(Vec<T>{} > Vec<T>{});
        const int size = Size ? Size : s.size;
        const Shape as = a.shape(), zs = z.shape();
        const T* in = a.block(blk);
        T* out = z.block(blk);
        std::uint8_t* where = at.block(blk);
        for (int c = 0; c < zs.c; ++c)
            for (int i = 0; i < zs.h; ++i)
                for (int j = 0; j < zs.w; ++j) {
                    const auto px = [&](int y, int x) {
                        return simd::load(
                            in + ((static_cast<std::size_t>(c) * as.h + y) * as.w + x) * L);
                    };
                    const auto [best, arg] = detail::window_max<Relu, T>(size * size, [&](int t) {
                        return px(i * s.stride + t / size, j * s.stride + t % size);
                    });
                    const std::size_t o = (static_cast<std::size_t>(c) * zs.h + i) * zs.w + j;
                    simd::store(out + o * L, best);
                    detail::pack<Mask, L>(where + o * L, arg);
                }
    });
}

/// Block b of max_pool_backward (of relu_backward(a, max_pool_backward(relu(a), δ)) when
/// the forward pass fused ReLU): each window's δ to the position `at` names, none where it
/// says nowhere. `d` is shaped like the forward pass's input.
template <class T>
void max_pool_backward(const WindowArgmax<T>& at, const Batch<T>& delta_in, PoolSpec s, Batch<T>& d,
                       int blk) {
    detail::with_window(s.size, [&]<int Size>() {
        constexpr int L = lanes<T>;
        using Mask = decltype(Vec<T>{} > Vec<T>{});
        const int size = Size ? Size : s.size;
        const Shape as = d.shape(), zs = delta_in.shape();
        const std::uint8_t* where = at.block(blk);
        const T* din = delta_in.block(blk);
        T* out = d.block(blk);
        // Windows that tile the input exactly (LeNet's 2×2, stride 2) write every position
        // once: no need to clear first and add.
        const bool tiles = s.stride == size && as.h == zs.h * size && as.w == zs.w * size;
        if (!tiles) std::fill(out, out + d.block_size(), T{});
        for (int c = 0; c < zs.c; ++c)
            for (int i = 0; i < zs.h; ++i)
                for (int j = 0; j < zs.w; ++j) {
                    const std::size_t o = (static_cast<std::size_t>(c) * zs.h + i) * zs.w + j;
                    const Mask arg = detail::unpack<Mask, L>(where + o * L);
                    const Vec<T> delta = simd::load(din + o * L);
                    for (int p = 0; p < size; ++p)
                        for (int q = 0; q < size; ++q) {
                            const int y = i * s.stride + p, x = j * s.stride + q;
                            const std::size_t a =
                                ((static_cast<std::size_t>(c) * as.h + y) * as.w + x) * L;
                            const Vec<T> mine = arg == (p * size + q) ? delta : Vec<T>{};
                            simd::store(out + a, tiles ? mine : simd::load(out + a) + mine);
                        }
                }
    });
}

/// Same as wb::max_pool_forward (each output the largest element of its window), block by
/// block on the pool, with where each window's δ goes in `at`; max_pool_forward<fused_relu>
/// is max_pool_forward(relu(a)).
template <bool Relu = false, class T>
void max_pool_forward(const Batch<T>& a, PoolSpec s, Batch<T>& z, WindowArgmax<T>& at,
                      ThreadPool& pool) {
    z.reshape(pool_shape(a, s));
    at.reshape(z.shape());
    for_each_block(pool, a.blocks(), [&](int blk) { max_pool_forward<Relu>(a, s, z, at, blk); });
}

/// Same as wb::max_pool_backward, from the forward pass's `at` (max_pool_forward<Relu> of an
/// input of shape `in`): δ goes to the first maximum of its window, overlapping windows add
/// up. After max_pool_forward<fused_relu> it is relu_backward(a, max_pool_backward(relu(a), δ)).
template <class T>
void max_pool_backward(Shape in, const WindowArgmax<T>& at, const Batch<T>& delta_in, PoolSpec s,
                       Batch<T>& d, ThreadPool& pool) {
    const Shape out = detail::pool_shape("batch::max_pool_backward", in, s);
    require_shape("batch::max_pool_backward", "delta_in", delta_in.shape(), out);
    require_shape("batch::max_pool_backward", "at", at.shape(), out);
    d.reshape(in);
    for_each_block(pool, d.blocks(), [&](int blk) { max_pool_backward(at, delta_in, s, d, blk); });
}

}  // namespace wb::batch
