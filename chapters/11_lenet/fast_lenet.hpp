/// \file fast_lenet.hpp
/// \brief LeNet-5 on the fast layers: the same network, parameters and formulas as
/// lenet.hpp, on the batch-innermost layers of reference/fast/ (conv.hpp, pooling.hpp,
/// dense.hpp there), with every buffer allocated once and one persistent pool of threads.
///
/// forward() and backward() are flat lists, one layer per line (the convolutional part
/// inside a loop over blocks of images); backward runs the same layers in exactly the
/// reverse order, each δ named after the forward value it belongs to (dz3 = ∂J/∂z3). The
/// tests prove the gradients equal to lenet.hpp's naive ones.
#pragma once

#include <algorithm>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "11_lenet/lenet.hpp"
#include "fast/conv.hpp"
#include "fast/dense.hpp"
#include "fast/pooling.hpp"
#include "thread_pool.hpp"

namespace ch11 {

using wb::batch::Batch;

/// The dense layers' values and δs for one part of the batch: the images of one thread's
/// blocks. The dense layers mix no images except in their ∂J/∂W and ∂J/∂b, so each thread
/// takes its own images from p3 to the δ of p3 on its own core, where its p3 was made:
/// split layer by layer instead, a dense layer on 2 threads took longer than on 1 at batch
/// 64 (cores share data slowly here: 64 KB of another core's writes read in 1.9 µs, of
/// one's own in 0.6). Each part has its own storage, so no cache line holds two parts.
template <class T>
struct DensePart {
    int b0 = 0, b1 = 0;  ///< its blocks of images
    std::vector<int> labels;
    Tensor<T> f, z5, a5, z6, a6, z7, prob;
    Tensor<T> dz7, da6, dz6, da5, dz5, df;
    Tensor<T> ft, a5t, a6t;  ///< f, a5, a6 transposed: the B of each ∂J/∂W = Σ δ Aᵀ
    /// F5's, F6's, F7's weights transposed, for the δs: each part's own copy, made by its
    /// thread from the weights its forward pass has just read (a copy shared by the threads,
    /// half made on each core, sent half of it from core to core every step).
    Tensor<T> w5t, w6t, w7t;
    /// The weights and momentum this part trains with in train_step, unless it is part 0
    /// (which trains the caller's): each part updates its own copy on its own core, so that
    /// no weights cross between cores (the update on the calling thread sent all 247 kB of
    /// them to the other core every step). They hold w's and v's bits while `current`.
    Params<T> w, v;
    bool current = false;
};

/// Every value the forward pass computes and every δ the backward pass computes, for one
/// minibatch, plus the gradient: allocated on the first step, reused by every later one.
template <class T>
struct FastNet {
    explicit FastNet(int threads = 1) : pool(threads) {}

    wb::ThreadPool pool;
    /// The calling thread alone: each part's dense layers, on the thread that took it.
    wb::ThreadPool serial{1};
    Batch<T> x;  ///< the images, N×1×28×28
    /// C1's and C3's maps: whole only when keep_maps (for the pictures); otherwise they hold
    /// just their shape, never stored (conv_relu_pool_forward pools them in registers), since
    /// the backward pass reads argmax1 and argmax3 in their place.
    Batch<T> z1, z3;
    bool keep_maps = false;
    Batch<T> p1, p3;  ///< max_pool(relu(z1)), max_pool(relu(z3)) (relu(z) is never stored)
    wb::batch::WindowArgmax<T> argmax1, argmax3;  ///< where each window of p1, p3 sends its δ
    /// The batch's parts, one a thread (DensePart), in the pool's split of the blocks.
    std::vector<DensePart<T>> parts;
    /// The whole batch's logits and probabilities, gathered from the parts (for the loss);
    /// with keep_maps also f (400×N, p3 flattened), z5, a5, z6 and a6.
    Tensor<T> f, z5, a5, z6, a6, z7, prob;
    Batch<T> dp3;  ///< (the convolutional part's other δs: BlockScratch)
    /// per-block shares of C3's and C1's gradients
    wb::batch::ConvGradShares<T> c3_shares, c1_shares;
    Params<T> grad;
    /// While set (train_step), each part computes with its own weights (DensePart::w).
    bool own_weights = false;
    /// To call when the weights or momentum change other than by train_step on this net:
    /// each part copies them again before its next step.
    void weights_changed() {
        for (DensePart<T>& d : parts) d.current = false;
    }
};

/// The maps of one block of images inside the convolutional part that no later block needs:
/// the δs dz3 and dp1, each made and used up within its block (C1's dz1 is never stored: its
/// ∂J/∂W reads dp1 through argmax1). Each thread keeps one block of each
/// (Batch::reshape_one_block), in its core's cache whatever the batch size.
template <class T>
struct BlockScratch {
    Batch<T> dz3, dp1;
};

/// This thread's BlockScratch, shaped for net's batch.
template <class T>
BlockScratch<T>& block_scratch(const FastNet<T>& net) {
    static thread_local BlockScratch<T> m;
    for (auto [mine, like] : {std::pair{&m.dz3, &net.z3}, {&m.dp1, &net.p1}})
        mine->reshape_one_block(like->shape());
    return m;
}

/// net.parts as the pool splits net.x's blocks (ThreadPool::run): part t holds blocks
/// B·t/P … B·(t+1)/P − 1, P = min(threads, B) (an empty batch: one empty part).
template <class T>
void shape_parts(FastNet<T>& n) {
    const int B = n.x.blocks(), P = std::max(1, std::min(n.pool.size(), B));  // 1 when empty
    n.parts.resize(static_cast<std::size_t>(P));
    for (int t = 0; t < P; ++t) {
        n.parts[static_cast<std::size_t>(t)].b0 = B * t / P;
        n.parts[static_cast<std::size_t>(t)].b1 = B * (t + 1) / P;
    }
}

/// f(part) for every part of the batch, each on the thread that ran its blocks before.
template <class T, class F>
void for_each_part(FastNet<T>& n, F&& f) {
    n.pool.run(static_cast<std::size_t>(n.x.blocks()), [&](std::size_t b0, std::size_t) {
        for (DensePart<T>& part : n.parts)
            if (part.b0 == static_cast<int>(b0)) f(part);
    });
}

/// The weights part d computes with: its own copy in train_step, else p.
template <class T>
const Params<T>& weights_of(const FastNet<T>& n, const DensePart<T>& d, const Params<T>& p) {
    return n.own_weights && &d != &n.parts.front() ? d.w : p;
}

/// FastNet::own_weights set for as long as it lives, even when a pass throws.
template <class T>
struct OwnWeights {
    FastNet<T>& net;
    explicit OwnWeights(FastNet<T>& n) : net(n) { net.own_weights = true; }
    ~OwnWeights() { net.own_weights = false; }
    OwnWeights(const OwnWeights&) = delete;
    OwnWeights& operator=(const OwnWeights&) = delete;
};

/// Matrix m (rows × N) from the parts' own (member `of` of each part), side by side.
template <class T>
void gather(const FastNet<T>& n, Tensor<T> DensePart<T>::*of, Tensor<T>& m) {
    const int rows = (n.parts.front().*of).h(), N = n.x.shape().n;
    wb::batch::detail::resize(m, Shape{1, 1, rows, N});
    for (const DensePart<T>& part : n.parts) {
        const Tensor<T>& mine = part.*of;
        const int n0 = part.b0 * Batch<T>::L, cols = mine.w();
        for (int r = 0; r < rows; ++r)
            std::copy_n(mine.data() + static_cast<std::size_t>(r) * cols, cols,
                        m.data() + static_cast<std::size_t>(r) * N + n0);
    }
}

// [fast_forward]
/// The forward pass's work before the parts run, on the calling thread: every map shaped,
/// every layer's shape checked (a bad one throws here, never on a pool thread).
template <class T>
void forward_begin(const Params<T>& p, FastNet<T>& net) {
    using namespace wb::batch;
    auto& n = net;
    const auto shape = [&](Batch<T>& z, Shape s) {
        n.keep_maps ? z.reshape(s) : z.reshape_one_block(s);
    };
    shape(n.z1, conv_forward_shape(n.x, p.c1w, p.c1b.size(), c1_spec));
    n.p1.reshape(pool_shape(n.z1, pool_spec));
    n.argmax1.reshape(n.p1.shape());
    shape(n.z3, conv_forward_shape(n.p1, p.c3w, p.c3b.size(), c3_spec));
    n.p3.reshape(pool_shape(n.z3, pool_spec));
    n.argmax3.reshape(n.p3.shape());
    // The pooling must be one the convolution can do in registers, and each dense layer
    // must fit its input
    conv_relu_pool_shape(n.x, p.c1w, p.c1b.size(), c1_spec, pool_spec);
    conv_relu_pool_shape(n.p1, p.c3w, p.c3b.size(), c3_spec, pool_spec);
    const Shape p3 = n.p3.shape();
    for (auto [w, b, in] : {std::tuple{&p.f5w, &p.f5b, p3.c * p3.h * p3.w},
                            {&p.f6w, &p.f6b, p.f5w.h()},
                            {&p.f7w, &p.f7b, p.f6w.h()}})
        wb::detail::require_dense("batch::dense_forward", w->shape(), Shape{1, 1, in, 1},
                                  b->size());
    shape_parts(n);
}

/// Part d's forward pass, on its thread: its blocks of images through the convolutional
/// part, each block through all four of its layers while its maps are in the core's cache,
/// then its images through the dense layers (DensePart).
template <class T>
void forward_part(const Params<T>& p, FastNet<T>& net, DensePart<T>& d) {
    using namespace wb::batch;
    auto& n = net;
    const Params<T>& q = weights_of(n, d, p);
    Batch<T>* z1 = n.keep_maps ? &n.z1 : nullptr;
    Batch<T>* z3 = n.keep_maps ? &n.z3 : nullptr;
    for (int b = d.b0; b < d.b1; ++b) {
        // Convolution, ReLU and pooling in one pass, each 2×2 window of z pooled in
        // registers; it also notes where each window's δ will go
        conv_relu_pool_forward(n.x, q.c1w, q.c1b, c1_spec, z1, n.p1, n.argmax1, b);
        conv_relu_pool_forward(n.p1, q.c3w, q.c3b, c3_spec, z3, n.p3, n.argmax3, b);
    }
    flatten_blocks(n.p3, d.b0, d.b1, d.f);
    dense_forward(q.f5w, d.f, q.f5b, d.z5, n.serial);
    relu(d.z5, d.a5, n.serial);
    dense_forward(q.f6w, d.a5, q.f6b, d.z6, n.serial);
    relu(d.z6, d.a6, n.serial);
    dense_forward(q.f7w, d.a6, q.f7b, d.z7, n.serial);
    softmax(d.z7, d.prob);
}

/// The whole batch's logits and probabilities (and with keep_maps the dense layers'
/// values), gathered from the parts.
template <class T>
void forward_end(FastNet<T>& net) {
    auto& n = net;
    gather(n, &DensePart<T>::z7, n.z7);
    gather(n, &DensePart<T>::prob, n.prob);
    if (n.keep_maps)
        for (auto [of, m] : {std::pair{&DensePart<T>::f, &n.f},
                             {&DensePart<T>::z5, &n.z5},
                             {&DensePart<T>::a5, &n.a5},
                             {&DensePart<T>::z6, &n.z6},
                             {&DensePart<T>::a6, &n.a6}})
            gather(n, of, *m);
}

/// The forward pass of lenet.hpp's forward(), on net.x: each thread takes its part of
/// the batch through every layer (forward_part).
template <class T>
void forward(const Params<T>& p, FastNet<T>& net) {
    forward_begin(p, net);
    for_each_part(net, [&](DensePart<T>& d) { forward_part(p, net, d); });
    forward_end(net);
}
// [fast_forward]

// [fast_backward]
/// The backward pass's work before the parts run, on the calling thread: the labels and
/// shapes checked, C3's and C1's gradient shares set up (C3's with rot180(W) for its δ).
template <class T>
void backward_begin(const Params<T>& p, FastNet<T>& net, const std::vector<int>& labels) {
    using namespace wb::batch;
    auto& n = net;
    wb::detail::check_labels("batch::softmax_ce_backward", Shape{1, 1, p.f7w.h(), n.x.shape().n},
                             labels);
    n.dp3.reshape(n.p3.shape());
    conv_backward_begin(n.p1, p.c3w, n.z3.shape(), c3_spec, true, n.c3_shares);
    // No δ for the image: C1's δ_out is not wanted
    conv_backward_begin(n.x, p.c1w, n.z1.shape(), c1_spec, false, n.c1_shares);
}

/// Part d's chain rule, on the thread that ran its forward pass: its images back through
/// the dense layers and on through the convolutional part, block by block, the δs in the
/// thread's BlockScratch, each block's shares of C3's and C1's gradients kept apart.
template <class T>
void backward_part(const Params<T>& p, FastNet<T>& net, const std::vector<int>& labels,
                   DensePart<T>& d) {
    using namespace wb::batch;
    using detail::Transposition;
    auto& n = net;
    const auto transposition = [](const Tensor<T>& a, Tensor<T>& t) {
        detail::resize(t, Shape{1, 1, a.w(), a.h()});
        return Transposition<T>{a.data(), static_cast<std::size_t>(a.h()),
                                static_cast<std::size_t>(a.w()), t.data()};
    };
    const auto first = labels.begin() + d.b0 * Batch<T>::L;
    d.labels.assign(first, first + d.prob.w());
    softmax_ce_backward(d.prob, d.labels, d.dz7, n.x.shape().n);
    const Params<T>& q = weights_of(n, d, p);
    detail::transpose(
        {transposition(q.f7w, d.w7t), transposition(q.f6w, d.w6t), transposition(q.f5w, d.w5t)},
        n.serial);
    dense_delta(d.w7t.data(), q.f7w.w(), q.f7w.h(), d.dz7, d.da6, n.serial);
    relu_backward(d.z6, d.da6, d.dz6, n.serial);
    dense_delta(d.w6t.data(), q.f6w.w(), q.f6w.h(), d.dz6, d.da5, n.serial);
    relu_backward(d.z5, d.da5, d.dz5, n.serial);
    dense_delta(d.w5t.data(), q.f5w.w(), q.f5w.h(), d.dz5, d.df, n.serial);
    unflatten_blocks(d.df, d.b0, d.b0, d.b1, n.dp3);
    detail::transpose(
        {transposition(d.a6, d.a6t), transposition(d.a5, d.a5t), transposition(d.f, d.ft)},
        n.serial);
    BlockScratch<T>& s = block_scratch(n);
    for (int b = d.b0; b < d.b1; ++b) {
        max_pool_backward(n.argmax3, n.dp3, pool_spec, s.dz3, b);  // ReLU's too (fused_relu)
        conv_backward(n.p1, s.dz3, &s.dp1, n.c3_shares, b);
        conv_backward(n.x, n.argmax1, s.dp1, n.c1_shares, b);  // dz1 read through argmax1
    }
}

/// The gradients, which add up every image: the dense layers' over the parts in order,
/// C3's and C1's from each block's share in block order (same bits on any number of
/// threads), into net.grad.
template <class T>
void backward_end(const Params<T>& p, FastNet<T>& net) {
    using namespace wb::batch;
    auto& n = net;
    Params<T>& g = n.grad;
    const auto dense_grads = [&](Tensor<T> DensePart<T>::*dz, Tensor<T> DensePart<T>::*at,
                                 const Tensor<T>& w, Tensor<T>& dw, std::vector<T>& db,
                                 wb::ThreadPool& pool) {
        static thread_local std::vector<GradPart<T>> parts;
        parts.clear();
        for (const DensePart<T>& d : n.parts)
            parts.push_back({(d.*dz).data(), (d.*at).data(), (d.*dz).w()});
        dense_weight_grad(std::span<const GradPart<T>>(parts), w.h(), w.w(), dw, db, pool);
    };
    // F7's ∂J/∂W (840 weights) and C1's sum of shares (156) on the calling thread alone:
    // split, each took longer on two threads than on one (2–6 µs against 1.3 and 0.2).
    dense_grads(&DensePart<T>::dz7, &DensePart<T>::a6t, p.f7w, g.f7w, g.f7b, n.serial);
    dense_grads(&DensePart<T>::dz6, &DensePart<T>::a5t, p.f6w, g.f6w, g.f6b, n.pool);
    dense_grads(&DensePart<T>::dz5, &DensePart<T>::ft, p.f5w, g.f5w, g.f5b, n.pool);
    conv_backward_sum(n.c3_shares, g.c3w, g.c3b, n.pool);
    conv_backward_sum(n.c1_shares, g.c1w, g.c1b, n.serial);
}

/// The chain rule of lenet.hpp's backward(), into net.grad: ∂(mean cross-entropy)/∂θ. Each
/// thread takes its part of the batch back through every layer (backward_part); then the
/// parts' gradients are added up (backward_end).
template <class T>
void backward(const Params<T>& p, FastNet<T>& net, const std::vector<int>& labels) {
    backward_begin(p, net, labels);
    for_each_part(net, [&](DensePart<T>& d) { backward_part(p, net, labels, d); });
    backward_end(p, net);
}
// [fast_backward]

/// One forward and backward pass on `batch` blank images, the gradient discarded: every
/// buffer, the pool threads' scratch included, is allocated and touched (page faults) before
/// the first timed step, as the PyTorch side of the bench does with an untimed step.
template <class T>
void warm_up(const Params<T>& p, FastNet<T>& net, int batch) {
    net.x.reshape(Shape{batch, 1, image_side, image_side});
    std::fill(net.x.data(), net.x.data() + net.x.size(), T{});
    forward(p, net);
    backward(p, net, std::vector<int>(static_cast<std::size_t>(batch), 0));
}

/// forward() as plain tensors, computed by the naive layers or the fast ones (for the
/// pictures and the tests; training uses a FastNet directly).
template <class T>
Forward<T> forward(const Params<T>& p, const Tensor<T>& x, Engine e) {
    if (!e.fast) return forward(p, x);
    FastNet<T> n(e.threads);
    n.keep_maps = true;
    n.x = Batch<T>::from(x);
    forward(p, n);
    Forward<T> f;
    f.x = x;
    f.z1 = n.z1.tensor(), f.a1 = wb::relu(f.z1), f.p1 = n.p1.tensor();
    f.z3 = n.z3.tensor(), f.a3 = wb::relu(f.z3), f.p3 = n.p3.tensor();
    f.f = n.f, f.z5 = n.z5, f.a5 = n.a5, f.z6 = n.z6, f.a6 = n.a6, f.z7 = n.z7, f.prob = n.prob;
    return f;
}

}  // namespace ch11
