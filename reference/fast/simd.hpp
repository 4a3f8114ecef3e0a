/// \file fast/simd.hpp
/// \brief The vector type the fast kernels compute with, and the few operations on it.
///
/// One vector holds `lanes<T>` numbers: 64 bytes (16 floats) when the build targets
/// AVX-512, 32 bytes (8 floats) otherwise. The kernels are written once with GCC/Clang
/// vector extensions; without AVX the compiler splits each vector into what the machine
/// has, so the same source builds and gives correct results on any x86-64 (or other) CPU.
/// `-DWB_VECTOR_BYTES=32` forces 256-bit vectors on an AVX-512 machine (bench/README.md
/// measures both).
///
/// Loads and stores go through memcpy, which compiles to one unaligned vector move and is
/// defined behaviour for any address (UBSan stays quiet).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__FMA__)
#include <immintrin.h>
#endif

// Without AVX, GCC warns that passing 32-byte vectors by value has a different ABI than
// with AVX. These functions are all inline templates, never an interface between builds.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace wb::simd {

#if defined(WB_VECTOR_BYTES)
inline constexpr int vector_bytes = WB_VECTOR_BYTES;
#elif defined(__AVX512F__)
inline constexpr int vector_bytes = 64;
#else
inline constexpr int vector_bytes = 32;
#endif

/// The instruction set the kernels were compiled for, as the bench prints it.
inline const char* isa() {
#if defined(__AVX512F__) && defined(__FMA__)
    return vector_bytes == 64 ? "AVX-512 (512-bit FMA)" : "AVX2 + FMA (256-bit; AVX-512 present but not used)";
#elif defined(__AVX2__) && defined(__FMA__)
    return "AVX2 + FMA (256-bit)";
#else
    return "portable vector code (no FMA instructions)";
#endif
}

/// Numbers of type T in one vector.
template <class T>
inline constexpr int lanes = vector_bytes / static_cast<int>(sizeof(T));

template <class T>
struct VecOf {
    using type [[gnu::vector_size(vector_bytes), gnu::may_alias]] = T;
};
/// One vector of `lanes<T>` numbers.
template <class T>
using Vec = typename VecOf<T>::type;

template <class T>
inline Vec<T> load(const T* p) {
    Vec<T> v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T>
inline void store(T* p, Vec<T> v) {
    std::memcpy(p, &v, sizeof v);
}
/// Every lane = x. As x − 0, which is x for every x, so the compiler broadcasts x alone
/// (often straight from memory into an FMA); 0 + x turns −0 into +0, and GCC kept an add
/// before every broadcast.
template <class T>
inline Vec<T> splat(T x) {
    return x - Vec<T>{};
}

/// a·b + c, one rounding per lane where the machine has FMA (also exact on whole numbers).
template <class V>
inline V madd(V a, V b, V c) {
    using T [[maybe_unused]] = std::remove_cvref_t<decltype(a[0])>;
#if defined(__AVX512F__)
    if constexpr (sizeof(V) == 64 && std::is_same_v<T, float>)
        return (V)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
    if constexpr (sizeof(V) == 64 && std::is_same_v<T, double>)
        return (V)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
#endif
#if defined(__FMA__)
    if constexpr (sizeof(V) == 32 && std::is_same_v<T, float>)
        return (V)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
    if constexpr (sizeof(V) == 32 && std::is_same_v<T, double>)
        return (V)_mm256_fmadd_pd((__m256d)a, (__m256d)b, (__m256d)c);
#endif
    return a * b + c;
}

/// Whether any lane of m, the result of a comparison, is true.
template <class M>
inline bool any(M m) {
#if defined(__AVX512F__)
    if constexpr (sizeof(M) == 64) return _mm512_test_epi32_mask((__m512i)m, (__m512i)m) != 0;
#endif
#if defined(__AVX__)
    if constexpr (sizeof(M) == 32) return !_mm256_testz_si256((__m256i)m, (__m256i)m);
#endif
    bool some = false;
    for (std::size_t l = 0; l < sizeof(M) / sizeof(m[0]); ++l) some |= m[l] != 0;
    return some;
}

namespace detail {
template <class V, std::size_t... I>
auto lower_half(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, I...);
}
template <class V, std::size_t... I>
auto upper_half(V v, std::index_sequence<I...>) {
    return __builtin_shufflevector(v, v, (I + sizeof...(I))...);
}
}  // namespace detail

/// Σ of the lanes, always in the same order (so the same bits every time): a tree, the
/// upper half of the lanes added to the lower half until one is left (log2(lanes) vector
/// additions, not a chain of lanes − 1 scalar ones: the kernel-gradient tiles of C3 spent
/// a quarter of their time in the chain).
template <class V>
inline auto sum_lanes(V v) {
    constexpr std::size_t n = sizeof(V) / sizeof(v[0]);
    if constexpr (n == 1) {
        return v[0];
    } else {
        constexpr auto half = std::make_index_sequence<n / 2>{};
        return sum_lanes(detail::lower_half(v, half) + detail::upper_half(v, half));
    }
}

namespace detail {
/// Stage w of a transpose, on rows a (bit w of its index 0) and b = the row w further on:
/// each element whose row and column differ in bit w moves across, (r, c) → (c, r) one bit
/// at a time. Lane c of the results: a' from a, or b's lane c − w; b' from b, or a's c + w.
template <std::size_t w, class V, std::size_t... C>
[[gnu::always_inline]] inline void swap_bit(V& a, V& b, std::index_sequence<C...>) {
    constexpr std::size_t n = sizeof...(C);
    const V a2 = __builtin_shufflevector(a, b, ((C & w) ? n + C - w : C)...);
    b = __builtin_shufflevector(a, b, ((C & w) ? n + C : C + w)...);
    a = a2;
}
/// Inlined (GCC did not: the L rows then went through the stack, as much time again).
template <std::size_t w, class V, std::size_t L>
[[gnu::always_inline]] inline void transpose_stages(V (&r)[L]) {
    if constexpr (w < L) {
        for (std::size_t i = 0; i < L; ++i)
            if (!(i & w)) swap_bit<w>(r[i], r[i + w], std::make_index_sequence<L>{});
        transpose_stages<2 * w>(r);
    }
}
}  // namespace detail

/// out (lanes<T> rows, row stride ld_out) = the transpose of the lanes<T> × lanes<T> block
/// whose row i starts at row(i): log2(lanes) stages of shuffles in registers, a sixth of the
/// time of element by element (a load and a store each).
template <class T, class Row>
void transpose_block(Row&& row, T* out, std::ptrdiff_t ld_out) {
    constexpr std::size_t L = lanes<T>;
    Vec<T> r[L];
    for (std::size_t i = 0; i < L; ++i) r[i] = load(static_cast<const T*>(row(i)));
    detail::transpose_stages<1>(r);
    for (std::size_t i = 0; i < L; ++i) store(out + static_cast<std::ptrdiff_t>(i) * ld_out, r[i]);
}

/// The same, the block's rows ld_in apart from in.
template <class T>
void transpose_block(const T* in, std::ptrdiff_t ld_in, T* out, std::ptrdiff_t ld_out) {
    transpose_block<T>([=](std::size_t i) { return in + static_cast<std::ptrdiff_t>(i) * ld_in; },
                       out, ld_out);
}

/// A zero-filled array of T aligned to a whole vector, for the blocked tensors and scratch.
template <class T>
class Buffer {
public:
    Buffer() = default;
    explicit Buffer(std::size_t n) { resize(n); }
    /// Grows (zero-filled) when n exceeds the capacity; never shrinks, so a buffer reused
    /// every step allocates only the first time.
    void resize(std::size_t n) {
        if (n > cap_) {
            data_.reset(static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(vector_bytes))));
            std::memset(static_cast<void*>(data_.get()), 0, n * sizeof(T));
            cap_ = n;
        }
        size_ = n;
    }
    void zero() { std::memset(static_cast<void*>(data_.get()), 0, size_ * sizeof(T)); }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    std::size_t size() const { return size_; }
    T& operator[](std::size_t i) { return data_.get()[i]; }
    const T& operator[](std::size_t i) const { return data_.get()[i]; }

private:
    struct Free {
        void operator()(T* p) const { ::operator delete(p, std::align_val_t(vector_bytes)); }
    };
    std::unique_ptr<T, Free> data_;
    std::size_t size_ = 0, cap_ = 0;
};

}  // namespace wb::simd
