/// \file chain_004.hpp
/// \brief 004 §五's own network, in the order the note lists its layers: conv1 → pool1 →
/// conv2 → pool2 → flatten → fc1 → relu1 → fc2 → softmax.
///
/// The note names the layers and their order; their sizes are only in its screenshots, so
/// the sizes here are LeNet-5's (conv 6@5×5 with padding 2, conv 16@5×5, 2×2 max pools)
/// with 120 units in fc1. It differs from the network chapter 11 trains (lenet.hpp) in two
/// places: no ReLU after the convolutions, and one hidden dense layer instead of two.
/// Every line is the same reference layer lenet.hpp calls.
#pragma once

#include <array>
#include <span>
#include <type_traits>
#include <vector>

#include "11_lenet/lenet.hpp"

namespace ch11::chain004 {

using wb::Shape;
using wb::Tensor;

/// The parameters of 004's chain, named after its layers: 51,902 numbers.
template <class T>
struct Params {
    Tensor<T> conv1_w{Shape{6, 1, 5, 5}};
    std::vector<T> conv1_b = std::vector<T>(6);
    Tensor<T> conv2_w{Shape{16, 6, 5, 5}};
    std::vector<T> conv2_b = std::vector<T>(16);
    Tensor<T> fc1_w{Shape{1, 1, 120, 400}};
    std::vector<T> fc1_b = std::vector<T>(120);
    Tensor<T> fc2_w{Shape{1, 1, 10, 120}};
    std::vector<T> fc2_b = std::vector<T>(10);
};

// [chain_004]
/// What each layer of the chain computes, for a batch of N images.
template <class T>
struct Forward {
    Tensor<T> x;          ///< N×1×28×28
    Tensor<T> conv1;      ///< N×6×28×28
    Tensor<T> pool1;      ///< N×6×14×14
    Tensor<T> conv2;      ///< N×16×10×10
    Tensor<T> pool2;      ///< N×16×5×5
    Tensor<T> flat;       ///< 400×N
    Tensor<T> fc1;        ///< 120×N
    Tensor<T> relu1;      ///< 120×N
    Tensor<T> fc2;        ///< 10×N, the logits
    Tensor<T> softmax;    ///< 10×N, the probabilities
};

/// 004 §五's chain, one reference layer per name of the note.
template <class T>
Forward<T> forward(const Params<T>& p, const Tensor<T>& x) {
    Forward<T> f;
    f.x = x;
    f.conv1 = wb::conv2d_forward(f.x, p.conv1_w, p.conv1_b, c1_spec);
    f.pool1 = wb::max_pool_forward(f.conv1, pool_spec);
    f.conv2 = wb::conv2d_forward(f.pool1, p.conv2_w, p.conv2_b, c3_spec);
    f.pool2 = wb::max_pool_forward(f.conv2, pool_spec);
    f.flat = wb::flatten(f.pool2);
    f.fc1 = wb::dense_forward(p.fc1_w, f.flat, p.fc1_b);
    f.relu1 = wb::relu(f.fc1);
    f.fc2 = wb::dense_forward(p.fc2_w, f.relu1, p.fc2_b);
    f.softmax = wb::softmax(f.fc2);
    return f;
}

/// ∂(mean cross-entropy)/∂(every parameter): the same list read upwards.
template <class T>
Params<T> backward(const Params<T>& p, const Forward<T>& f, const std::vector<int>& labels) {
    Params<T> g;
    const Tensor<T> d_fc2 = wb::softmax_ce_backward(f.softmax, labels);
    auto g2 = wb::dense_backward(p.fc2_w, f.relu1, d_fc2);
    const Tensor<T> d_fc1 = wb::relu_backward(f.fc1, g2.dA);
    auto g1 = wb::dense_backward(p.fc1_w, f.flat, d_fc1);
    const Tensor<T> d_pool2 = wb::unflatten(g1.dA, f.pool2.shape());
    const Tensor<T> d_conv2 = wb::max_pool_backward(f.conv2, d_pool2, pool_spec);
    auto c2 = wb::conv2d_backward(f.pool1, p.conv2_w, d_conv2, c3_spec);
    const Tensor<T> d_conv1 = wb::max_pool_backward(f.conv1, c2.delta_out, pool_spec);
    auto c1 = wb::conv2d_backward(f.x, p.conv1_w, d_conv1, c1_spec);
    g.conv1_w = std::move(c1.dW), g.conv1_b = std::move(c1.db);
    g.conv2_w = std::move(c2.dW), g.conv2_b = std::move(c2.db);
    g.fc1_w = std::move(g1.dW), g.fc1_b = std::move(g1.db);
    g.fc2_w = std::move(g2.dW), g.fc2_b = std::move(g2.db);
    return g;
}
// [chain_004]

/// The eight parameter tensors' values, in the order of the chain.
template <class P>
auto param_spans(P& p) {
    using T = std::remove_cvref_t<decltype(*p.conv1_w.data())>;
    using V = std::conditional_t<std::is_const_v<P>, const T, T>;
    const auto t = [](auto& x) { return std::span<V>(x.data(), x.size()); };
    return std::array<std::span<V>, 8>{t(p.conv1_w), t(p.conv1_b), t(p.conv2_w), t(p.conv2_b),
                                       t(p.fc1_w),   t(p.fc1_b),   t(p.fc2_w),   t(p.fc2_b)};
}

}  // namespace ch11::chain004
