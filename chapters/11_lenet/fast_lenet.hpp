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
#include <utility>
#include <vector>

#include "11_lenet/lenet.hpp"
#include "fast/conv.hpp"
#include "fast/dense.hpp"
#include "fast/pooling.hpp"
#include "thread_pool.hpp"

namespace ch11 {

using wb::batch::Batch;

/// Every value the forward pass computes and every δ the backward pass computes, for one
/// minibatch, plus the gradient: allocated on the first step, reused by every later one.
template <class T>
struct FastNet {
    explicit FastNet(int threads = 1) : pool(threads) {}

    wb::ThreadPool pool;
    /// The calling thread alone: the dense layers' pool at small batches (dense_pool).
    wb::ThreadPool serial{1};
    Batch<T> x;  ///< the images, N×1×28×28
    /// C1's and C3's maps: whole only when keep_maps (for the pictures); otherwise they hold
    /// just their shape, never stored (conv_relu_pool_forward pools them in registers), since
    /// the backward pass reads argmax1 and argmax3 in their place.
    Batch<T> z1, z3;
    bool keep_maps = false;
    Batch<T> p1, p3;  ///< max_pool(relu(z1)), max_pool(relu(z3)) (relu(z) is never stored)
    wb::batch::WindowArgmax<T> argmax1, argmax3;  ///< where each window of p1, p3 sends its δ
    Tensor<T> f;                                  ///< 400×N, p3 flattened
    Tensor<T> z5, a5, z6, a6, z7;                 ///< the dense layers
    Tensor<T> prob;                               ///< softmax(z7)
    Tensor<T> dz7, da6, dz6, da5, dz5, df;
    Batch<T> dp3;  ///< (the convolutional part's other δs: BlockScratch)
    /// per-block shares of C3's and C1's gradients
    wb::batch::ConvGradShares<T> c3_shares, c1_shares;
    Params<T> grad;
};

/// The maps of one block of images inside the convolutional part that no later block needs:
/// the δs (dz3, dp1, dz1), each made and used up within its block. Each thread keeps one
/// block of each (Batch::reshape_one_block), in its core's cache whatever the batch size.
template <class T>
struct BlockScratch {
    Batch<T> dz3, dp1, dz1;
};

/// This thread's BlockScratch, shaped for net's batch.
template <class T>
BlockScratch<T>& block_scratch(const FastNet<T>& net) {
    static thread_local BlockScratch<T> m;
    for (auto [mine, like] : {std::pair{&m.dz3, &net.z3}, {&m.dp1, &net.p1}, {&m.dz1, &net.z1}})
        mine->reshape_one_block(like->shape());
    return m;
}

/// The pool the dense layers (flatten to the loss and back) run on. Their operands are
/// small and made or used by both cores, and on this project's machine, where cores share
/// data slowly (a 64 KB read of another core's writes: 1.9 µs, of one's own: 0.6), a dense
/// layer split between 2 threads took longer than on one at batch 64 (forward 67 µs a
/// step against 45, backward 144 against 114); at batch 256 the backward gained 15%. So
/// each thread's share must have at least 128 images; otherwise the calling thread does
/// all of it. The result is the same either way (same bits on any number of threads).
template <class T>
wb::ThreadPool& dense_pool(FastNet<T>& n) {
    constexpr int min_images = 128;  // a thread's share
    return n.x.shape().n >= min_images * n.pool.size() ? n.pool : n.serial;
}

// [fast_forward]
/// The forward pass of lenet.hpp's forward(), on net.x. The convolutional part never mixes
/// images, so each block of images goes through all four of its layers in one go, while
/// its maps are still in the core's cache; the dense layers then take the whole batch (on
/// dense_pool).
template <class T>
void forward(const Params<T>& p, FastNet<T>& net) {
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
    // Checked before the blocks run: the pooling is one the convolution can do in registers
    conv_relu_pool_shape(n.x, p.c1w, p.c1b.size(), c1_spec, pool_spec);
    conv_relu_pool_shape(n.p1, p.c3w, p.c3b.size(), c3_spec, pool_spec);
    Batch<T>* z1 = n.keep_maps ? &n.z1 : nullptr;
    Batch<T>* z3 = n.keep_maps ? &n.z3 : nullptr;
    for_each_block(n.pool, n.x.blocks(), [&](int b) {
        // Convolution, ReLU and pooling in one pass, each 2×2 window of z pooled in
        // registers; it also notes where each window's δ will go
        conv_relu_pool_forward(n.x, p.c1w, p.c1b, c1_spec, z1, n.p1, n.argmax1, b);
        conv_relu_pool_forward(n.p1, p.c3w, p.c3b, c3_spec, z3, n.p3, n.argmax3, b);
    });
    wb::ThreadPool& dense = dense_pool(n);
    flatten(n.p3, n.f, dense);
    dense_forward(p.f5w, n.f, p.f5b, n.z5, dense);
    relu(n.z5, n.a5, dense);
    dense_forward(p.f6w, n.a5, p.f6b, n.z6, dense);
    relu(n.z6, n.a6, dense);
    dense_forward(p.f7w, n.a6, p.f7b, n.z7, dense);
    softmax(n.z7, n.prob);
}
// [fast_forward]

// [fast_backward]
/// The chain rule of lenet.hpp's backward(), into net.grad: ∂(mean cross-entropy)/∂θ. The
/// convolutional part again runs block by block, its δs in the thread's BlockScratch; each
/// block leaves its share of C3's and C1's kernel and bias gradients, added in block order
/// at the end (same bits on any number of threads).
template <class T>
void backward(const Params<T>& p, FastNet<T>& net, const std::vector<int>& labels) {
    using namespace wb::batch;
    auto& n = net;
    Params<T>& g = n.grad;
    softmax_ce_backward(n.prob, labels, n.dz7);
    wb::ThreadPool& dense = dense_pool(n);
    dense_backward(p.f7w, n.a6, n.dz7, &n.da6, g.f7w, g.f7b, dense);
    relu_backward(n.z6, n.da6, n.dz6, dense);
    dense_backward(p.f6w, n.a5, n.dz6, &n.da5, g.f6w, g.f6b, dense);
    relu_backward(n.z5, n.da5, n.dz5, dense);
    dense_backward(p.f5w, n.f, n.dz5, &n.df, g.f5w, g.f5b, dense);
    unflatten(n.df, n.p3.shape(), n.dp3, dense);
    const BlockScratch<T>& shapes = block_scratch(n);
    conv_backward_begin(n.p1, p.c3w, shapes.dz3, c3_spec, true, n.c3_shares);
    conv_backward_begin(n.x, p.c1w, shapes.dz1, c1_spec, false, n.c1_shares);  // no δ for the image
    for_each_block(n.pool, n.x.blocks(), [&](int b) {
        BlockScratch<T>& d = block_scratch(n);
        max_pool_backward(n.argmax3, n.dp3, pool_spec, d.dz3, b);  // ReLU's too (fused_relu)
        conv_backward(n.p1, d.dz3, &d.dp1, n.c3_shares, b);
        max_pool_backward(n.argmax1, d.dp1, pool_spec, d.dz1, b);
        conv_backward(n.x, d.dz1, nullptr, n.c1_shares, b);
    });
    conv_backward_sum(n.c3_shares, g.c3w, g.c3b, n.pool);
    conv_backward_sum(n.c1_shares, g.c1w, g.c1b, n.pool);
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
