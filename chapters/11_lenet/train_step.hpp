/// \file train_step.hpp
/// \brief One training step of LeNet-5, the one the trainer (train.cpp) and the benchmark
/// (bench/lenet_profile.cpp) both run: the minibatch in, forward, backward, the update.
///
/// Like llm.c's training loop, the step is a flat list of calls (train_step below); each
/// call is a function of fast_lenet.hpp or of this file, tested equal to the naive layers
/// of lenet.hpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "11_lenet/fast_lenet.hpp"
#include "11_lenet/lenet.hpp"
#include "thread_pool.hpp"

namespace ch11 {

/// A translation of an image by dy rows and dx columns, the border filled with 0: the data
/// augmentation (数据增强) of the training images (none by default: {0, 0}).
struct Shift {
    int dy = 0, dx = 0;
};

// [shifted]
/// `image` (28×28) moved by `s` into `out`: out[h][w] = image[h − dy][w − dx], 0 outside.
template <class T>
void shifted(const T* image, Shift s, T* out) {
    for (int h = 0; h < image_side; ++h)
        for (int w = 0; w < image_side; ++w) {
            const int y = h - s.dy, x = w - s.dx;
            out[h * image_side + w] = (y >= 0 && y < image_side && x >= 0 && x < image_side)
                                          ? image[y * image_side + x] : T{};
        }
}
// [shifted]

/// The images of one step: `images` are indices into a data set's `pixels` (784 floats
/// each, C, H, W order), each moved by shifts[i] when `shifts` is given (indexed like
/// the data set), with their `labels` in the same order.
struct Minibatch {
    const float* pixels;
    std::span<const int> images;
    const std::vector<Shift>* shifts;
    const std::vector<int>& labels;

    std::size_t size() const { return images.size(); }
};

/// The minibatch as an N×1×28×28 tensor, shifts applied (for the naive layers).
inline Tensor<float> gathered(const Minibatch& mb) {
    Tensor<float> x(Shape{static_cast<int>(mb.size()), 1, image_side, image_side});
    for (std::size_t n = 0; n < mb.size(); ++n) {
        const float* image = mb.pixels + static_cast<std::size_t>(mb.images[n]) * image_pixels;
        float* out = x.data() + n * image_pixels;
        if (mb.shifts) shifted(image, (*mb.shifts)[static_cast<std::size_t>(mb.images[n])], out);
        else std::copy_n(image, image_pixels, out);
    }
    return x;
}

/// Blocks b0 … b1 − 1 of net.x from the minibatch's images (net.x shaped for it).
inline void set_input_blocks(FastNet<float>& net, const Minibatch& mb, int b0, int b1) {
    constexpr int L = Batch<float>::L;
    static thread_local std::vector<float> moved(static_cast<std::size_t>(L) * image_pixels);
    for (int b = b0; b < b1; ++b) {
        const float* images[L];
        const std::size_t first = static_cast<std::size_t>(b) * L;
        const std::size_t count = std::min<std::size_t>(L, mb.size() - first);
        for (std::size_t l = 0; l < count; ++l) {
            const auto i = static_cast<std::size_t>(mb.images[first + l]);
            images[l] = mb.pixels + i * image_pixels;
            if (!mb.shifts) continue;
            float* mine = moved.data() + l * image_pixels;
            shifted(images[l], (*mb.shifts)[i], mine);
            images[l] = mine;
        }
        net.x.set_block(b, {images, count});
    }
}

/// Puts the minibatch's images into net.x, a block of images per part of the pool.
inline void set_input(FastNet<float>& net, const Minibatch& mb) {
    net.x.reshape(Shape{static_cast<int>(mb.size()), 1, image_side, image_side});
    net.pool.run(static_cast<std::size_t>(net.x.blocks()), [&](std::size_t b0, std::size_t b1) {
        set_input_blocks(net, mb, static_cast<int>(b0), static_cast<int>(b1));
    });
}

/// The optimiser's settings for one step: learning rate η, momentum μ, L2 weight λ.
struct Sgd {
    float lr = 0.03f, momentum = 0.9f;
    double l2 = 5e-4;
};

// [fast_update]
/// add_l2() then sgd_momentum_step() on all 61,706 parameters, in one pass and leaving g as
/// it is: for each parameter the same operations on the same floats, so the same bits,
/// while g can be read by every part at once (sgd_update_parts).
template <class T>
void sgd_update(Params<T>& w, Params<T>& v, const Params<T>& g, const Sgd& s) {
    const auto ws = param_spans(w), vs = param_spans(v);
    const auto gs = param_spans(g);
    const T l2 = static_cast<T>(s.l2), lr = static_cast<T>(s.lr), mu = static_cast<T>(s.momentum);
    for (std::size_t t = 0; t < ws.size(); ++t) {
        T* wt = ws[t].data();
        T* vt = vs[t].data();
        const T* gt = gs[t].data();
        for (std::size_t i = 0; i < ws[t].size(); ++i) {
            const T gi = s.l2 == 0 ? gt[i] : gt[i] + l2 * wt[i];  // add_l2 (λ = 0 keeps −0)
            vt[i] = mu * vt[i] + gi;                              // sgd_momentum_step
            wt[i] -= lr * vt[i];
        }
    }
}
// [fast_update]

/// Gives part d, unless it is the first, its own copy of w and v (DensePart::w), unless it
/// holds one already: made by d's thread, in its core's cache.
template <class T>
void copy_weights(const Params<T>& w, const Params<T>& v, FastNet<T>& net, DensePart<T>& d) {
    if (&d == &net.parts.front() || d.current) return;
    d.w = w;
    d.v = v;
    d.current = true;
}

/// sgd_update on each part's own weights (the first part's are w and v), each on its own
/// core, from the whole gradient: the same arithmetic on the same numbers, so every copy
/// keeps w's bits.
template <class T>
void sgd_update_parts(Params<T>& w, Params<T>& v, FastNet<T>& net, const Sgd& s) {
    if (net.parts.size() == 1) return sgd_update(w, v, net.grad, s);
    for_each_part(net, [&](DensePart<T>& d) {
        const bool first = &d == &net.parts.front();
        sgd_update(first ? w : d.w, first ? v : d.v, net.grad, s);
    });
}

// [train_step]
/// One step of minibatch SGD on the fast path: w and v (the momentum) updated from the
/// minibatch's gradient; net.prob keeps the step's probabilities (for the running loss).
/// Each thread takes its part of the batch from its images to its share of the gradient
/// in one go, with its own copy of the weights (copy_weights): the threads meet only to add
/// up the gradient and to update. After changing w or v otherwise, call
/// net.weights_changed().
inline void train_step(Params<float>& w, Params<float>& v, FastNet<float>& net, const Minibatch& mb,
                       const Sgd& s) {
    net.x.reshape(Shape{static_cast<int>(mb.size()), 1, image_side, image_side});
    forward_begin(w, net);
    backward_begin(w, net, mb.labels);
    {
        const OwnWeights parts_own(net);
        for_each_part(net, [&](DensePart<float>& d) {
            set_input_blocks(net, mb, d.b0, d.b1);
            copy_weights(w, v, net, d);
            forward_part(w, net, d);
            backward_part(w, net, mb.labels, d);
        });
    }
    forward_end(net);
    backward_end(w, net);
    sgd_update_parts(w, v, net, s);
}
// [train_step]

}  // namespace ch11
