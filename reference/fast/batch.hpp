/// \file fast/batch.hpp
/// \brief The layout of the fast layers: a batch with a block of images innermost, so every
/// formula of the notes runs on a vector of images at once; the loop over its blocks; and
/// the layers' scratch buffers.
///
/// A `Batch` stores N×C×H×W as ⌈N/L⌉ blocks of C×H×W "pixels", each pixel L = lanes<T>
/// numbers: the same (c, h, w) in L consecutive images (NCHW8n with AVX2, NCHW16n with
/// AVX-512). The layers on it sit beside their naive namesakes: fast/conv.hpp beside
/// conv.hpp, fast/pooling.hpp beside pooling.hpp and activation.hpp, fast/dense.hpp beside
/// dense.hpp and softmax.hpp; the naive loops stay the truth, and every fast layer is tested
/// equal to them (tests/reference/test_fast.cpp), exactly on whole numbers in double.
///
/// A layer that never mixes images has a whole-batch function (blocks split between the
/// pool's threads) and a function for one block, b, whose output the caller has shaped:
/// chapters/11_lenet/fast_lenet.hpp runs a block through several layers in a row while its
/// maps are still in the core's cache.
///
/// Threads: blocks of images are split between the pool's threads. Gradients of shared
/// weights are summed per block, then the blocks' sums are added in block order, so a
/// result never depends on the number of threads. Outputs are resized, never reallocated
/// once big enough: a training step allocates nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "../tensor.hpp"
#include "../thread_pool.hpp"
#include "simd.hpp"

namespace wb::batch {

using simd::lanes;
using simd::Vec;

/// N×C×H×W with a block of Lanes images innermost (see the file comment). Lanes is
/// lanes<T> but for a batch of bytes that go with a batch of numbers (one byte per image:
/// fast/pooling.hpp's WindowArgmax).
template <class T, int Lanes = lanes<T>>
class Batch {
public:
    static constexpr int L = Lanes;

    Batch() = default;
    explicit Batch(Shape s) { reshape(s); }

    /// Takes shape `s`; storage grows when needed and is otherwise reused (values stale).
    void reshape(Shape s) {
        shape_ = s;
        blocks_ = (s.n + L - 1) / L;
        one_block_ = false;
        data_.resize(static_cast<std::size_t>(blocks_) * block_size());
    }

    /// Takes shape `s` but stores a single block, which block(b) returns for every b: for a
    /// value that lives only while one block of images is worked on (a thread's scratch),
    /// so that it stays in the core's cache however large the batch. Only the per-block
    /// layer functions may use such a batch.
    void reshape_one_block(Shape s) {
        shape_ = s;
        blocks_ = (s.n + L - 1) / L;
        one_block_ = true;
        data_.resize(block_size());
    }

    const Shape& shape() const { return shape_; }
    int blocks() const { return blocks_; }
    /// Numbers in one block: C·H·W pixels of L lanes.
    std::size_t block_size() const {
        return static_cast<std::size_t>(shape_.c) * shape_.h * shape_.w * L;
    }
    T* block(int b) { return data_.data() + offset(b); }
    const T* block(int b) const { return data_.data() + offset(b); }
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
        const std::size_t pixels = block_size() / L, whole = pixels / L * L;
        const std::size_t count = chw.size();
        // L pixels of the L images at a time, transposed in registers: element by element
        // this took 2.6% of a training step (16 scalar stores a pixel)
        static constexpr T zeros[L] = {};
        for (std::size_t i = 0; i < whole; i += L)
            simd::transpose_block<T>([&](std::size_t l) { return l < count ? chw[l] + i : zeros; },
                                     dst + i * L, L);
        for (std::size_t i = whole; i < pixels; ++i) {  // the pixels past the last whole block
            for (std::size_t l = 0; l < L; ++l) dst[i * L + l] = l < count ? chw[l][i] : T{};
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
    std::size_t offset(int b) const {
        return one_block_ ? 0 : static_cast<std::size_t>(b) * block_size();
    }
    std::size_t index(int n, int c, int h, int w) const {
        const std::size_t block = static_cast<std::size_t>(n / L);
        const std::size_t pixel = ((block * shape_.c + c) * shape_.h + h) * shape_.w + w;
        return pixel * L + static_cast<std::size_t>(n % L);
    }
    Shape shape_{0, 0, 0, 0};
    int blocks_ = 0;
    bool one_block_ = false;  // reshape_one_block: every block(b) is the one stored
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

/// The uses of a scratch buffer: each has its own buffer on each thread.
enum class Scratch {
    padded_input,        ///< pad(A, P) of one block (fast/conv.hpp)
    spread_delta,        ///< δ zero-inserted and padded, for δ_out (fast/conv.hpp)
    transposed_input,    ///< Aᵀ, for a dense layer's ∂J/∂W (fast/dense.hpp)
    transposed_weights,  ///< Wᵀ, for a dense layer's δ (fast/dense.hpp)
    softmax_columns,     ///< each column's maximum and sum (fast/dense.hpp)
};

namespace detail {

/// The scratch buffer for `use` on this thread, kept between calls: with a persistent
/// thread pool it is allocated once.
template <class T, Scratch use>
simd::Buffer<T>& scratch(std::size_t n) {
    static thread_local simd::Buffer<T> buf;
    buf.resize(n);
    return buf;
}

/// A scratch buffer of n zeros around the numbers each call writes, on this thread: for a
/// padded input's interior or a spread δ's entries, which sit at the same places whenever
/// `layout` (what decides those places) is the same. The zeros are then written once, not
/// at every call (for C3's spread δ, 331 KB per block of images).
template <class T, Scratch use, class Layout>
T* framed_scratch(std::size_t n, const Layout& layout) {
    struct Kept {
        simd::Buffer<T> buf;
        Layout layout{};
        bool framed = false;
    };
    static thread_local Kept kept;
    if (!kept.framed || kept.buf.size() != n || !(kept.layout == layout)) {
        kept.buf.resize(n);
        kept.buf.zero();
        kept.layout = layout;
        kept.framed = true;
    }
    return kept.buf.data();
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

}  // namespace wb::batch
