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
    Batch<T> x;                   ///< the images, N×1×28×28
    Batch<T> z1, p1;              ///< C1, and max_pool(relu(z1)) (relu(z1) is never stored)
    Batch<T> z3, p3;              ///< C3, and max_pool(relu(z3))
    Tensor<T> f;                  ///< 400×N, p3 flattened
    Tensor<T> z5, a5, z6, a6, z7; ///< the dense layers
    Tensor<T> prob;               ///< softmax(z7)
    Tensor<T> dz7, da6, dz6, da5, dz5, df;
    Tensor<T> a6t, a5t, ft;  ///< a6, a5, f transposed (N×features), for ∂J/∂W = dZ Aᵀ
    Batch<T> dp3, dz3, dp1, dz1;
    /// per-block shares of C3's and C1's gradients
    wb::batch::ConvGradShares<T> c3_shares, c1_shares;
    Params<T> grad;
};

// [fast_forward]
/// The forward pass of lenet.hpp's forward(), on net.x. No layer of it mixes images, so the
/// batch is cut into parts of whole blocks of images, one per thread, and each part goes
/// through every layer in one go: its blocks through the four convolutional layers while
/// their maps are still in the core's cache, then its columns through the dense layers.
template <class T>
void forward(const Params<T>& p, FastNet<T>& net) {
    using namespace wb::batch;
    auto& n = net;
    n.z1.reshape(conv_forward_shape(n.x, p.c1w, p.c1b.size(), c1_spec));
    n.p1.reshape(pool_shape(n.z1, pool_spec));
    n.z3.reshape(conv_forward_shape(n.p1, p.c3w, p.c3b.size(), c3_spec));
    n.p3.reshape(pool_shape(n.z3, pool_spec));
    const Shape s3 = n.p3.shape();
    n.f.resize(Shape{1, 1, s3.c * s3.h * s3.w, s3.n});
    n.z5.resize(dense_forward_shape(p.f5w, n.f, p.f5b)), n.a5.resize(n.z5.shape());
    n.z6.resize(dense_forward_shape(p.f6w, n.a5, p.f6b)), n.a6.resize(n.z6.shape());
    n.z7.resize(dense_forward_shape(p.f7w, n.a6, p.f7b)), n.prob.resize(softmax_shape(n.z7));
    n.pool.run(static_cast<std::size_t>(n.x.blocks()), [&](std::size_t b0, std::size_t b1) {
        for (int b = static_cast<int>(b0); b < static_cast<int>(b1); ++b) {
            conv_forward(n.x, p.c1w, p.c1b, c1_spec, n.z1, b);
            max_pool_forward<fused_relu>(n.z1, pool_spec, n.p1, b);  // ReLU and pooling in one pass
            conv_forward(n.p1, p.c3w, p.c3b, c3_spec, n.z3, b);
            max_pool_forward<fused_relu>(n.z3, pool_spec, n.p3, b);
            flatten(n.p3, n.f, b);
        }
        const Columns c = block_columns<T>(b0, b1, s3.n);  // this part's images
        dense_forward(p.f5w, n.f, p.f5b, n.z5, c);
        relu(n.z5, n.a5, c);
        dense_forward(p.f6w, n.a5, p.f6b, n.z6, c);
        relu(n.z6, n.a6, c);
        dense_forward(p.f7w, n.a6, p.f7b, n.z7, c);
        softmax(n.z7, n.prob, c);
    });
}
// [fast_forward]

// [fast_backward]
/// backward() with nothing to do after the gradient.
struct NothingAfter {
    void operator()(std::size_t, std::size_t) const {}
};

/// The chain rule of lenet.hpp's backward(), into net.grad: ∂(mean cross-entropy)/∂θ.
///
/// Every δ is per image, so the parts of the batch run the layers in exactly the reverse
/// order, each part alone as in forward(); each block leaves its share of C3's and C1's
/// kernel and bias gradients. The sums over images come last, split by the layers'
/// outputs (part_of): the dense layers' dZ Aᵀ and dZ 1, and the blocks' shares added in
/// block order (same bits on any number of threads). `then(part, parts)` runs on the
/// thread that summed that part, as soon as its rows are final: the update, while they
/// are in its core's cache (train_step).
template <class T, class Then = NothingAfter>
void backward(const Params<T>& p, FastNet<T>& net, const std::vector<int>& labels,
              Then&& then = {}) {
    using namespace wb::batch;
    auto& n = net;
    Params<T>& g = n.grad;
    wb::detail::check_labels("batch::softmax_ce_backward", n.prob.shape(), labels);
    n.dz7.resize(n.z7.shape()), n.da6.resize(n.a6.shape()), n.dz6.resize(n.z6.shape());
    n.da5.resize(n.a5.shape()), n.dz5.resize(n.z5.shape()), n.df.resize(n.f.shape());
    n.a6t.resize(transposed(n.a6.shape())), n.a5t.resize(transposed(n.a5.shape()));
    n.ft.resize(transposed(n.f.shape()));
    n.dp3.reshape(n.p3.shape());
    n.dz3.reshape(n.z3.shape());
    n.dp1.reshape(n.p1.shape());
    n.dz1.reshape(n.z1.shape());
    conv_backward_begin(n.p1, p.c3w, n.dz3, c3_spec, true, n.c3_shares);
    conv_backward_begin(n.x, p.c1w, n.dz1, c1_spec, false, n.c1_shares);  // no δ for the image
    n.pool.run(static_cast<std::size_t>(n.x.blocks()), [&](std::size_t b0, std::size_t b1) {
        const Columns c = block_columns<T>(b0, b1, n.x.shape().n);  // this part's images
        softmax_ce_backward(n.prob, labels, n.dz7, c);
        dense_backward_delta(p.f7w, n.dz7, n.da6, c);
        relu_backward(n.z6, n.da6, n.dz6, c);
        dense_backward_delta(p.f6w, n.dz6, n.da5, c);
        relu_backward(n.z5, n.da5, n.dz5, c);
        dense_backward_delta(p.f5w, n.dz5, n.df, c);
        transpose(n.a6, n.a6t.data(), c), transpose(n.a5, n.a5t.data(), c),
            transpose(n.f, n.ft.data(), c);
        for (int b = static_cast<int>(b0); b < static_cast<int>(b1); ++b) {
            unflatten(n.df, n.dp3, b);
            max_pool_backward<fused_relu>(n.z3, n.p3, n.dp3, pool_spec, n.dz3, b);
            conv_backward(n.p1, n.dz3, &n.dp1, n.c3_shares, b);
            max_pool_backward<fused_relu>(n.z1, n.p1, n.dp1, pool_spec, n.dz1, b);
            conv_backward(n.x, n.dz1, nullptr, n.c1_shares, b);
        }
    });
    for_each_thread_part(n.pool, [&](std::size_t part, std::size_t parts) {
        dense_backward_weights(n.a6t.data(), n.dz7, g.f7w, g.f7b, part_of(g.f7w.h(), part, parts));
        dense_backward_weights(n.a5t.data(), n.dz6, g.f6w, g.f6b, part_of(g.f6w.h(), part, parts));
        dense_backward_weights(n.ft.data(), n.dz5, g.f5w, g.f5b, part_of(g.f5w.h(), part, parts));
        conv_backward_sum(n.c3_shares, g.c3w, g.c3b, part_of(g.c3w.n(), part, parts));
        conv_backward_sum(n.c1_shares, g.c1w, g.c1b, part_of(g.c1w.n(), part, parts));
        then(part, parts);
    });
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
