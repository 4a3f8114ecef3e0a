/// \file lenet.hpp
/// \brief LeNet-5 built from the reference layers: parameters, forward, backward, the loss
/// with L2, and one SGD-with-momentum step (004 §五).
///
/// Every layer is a call into reference/: conv2d_forward/backward (conv.hpp, chapters 02–05),
/// max_pool_forward/backward (pooling.hpp, chapter 06), dense_forward/backward and flatten
/// (dense.hpp, chapter 07), relu/relu_backward (activation.hpp, chapter 08), softmax,
/// cross_entropy and softmax_ce_backward (softmax.hpp, chapter 09). fast_lenet.hpp runs the
/// same list on the fast layers (reference/fast/), tested equal to this one.
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "activation.hpp"
#include "conv.hpp"
#include "dense.hpp"
#include "pooling.hpp"
#include "random.hpp"
#include "softmax.hpp"

namespace ch11 {

using wb::Shape;
using wb::Tensor;

/// The input: one 28×28 grey image per sample, and the ten classes of the output.
inline constexpr int image_side = 28;
inline constexpr int image_pixels = image_side * image_side;
inline constexpr int classes = 10;

/// A layer with weights. A convolution's weight is K×C×F×F (stride 1, padded by `pad`,
/// then ReLU and 2×2 max pooling), a dense layer's {1,1,out,in} (then ReLU, except the
/// last, which feeds the softmax). One bias per kernel or output.
struct LayerSpec {
    const char* name;  ///< the checkpoint's prefix: "c1" → c1.weight, c1.bias
    Shape weight;
    int pad = 0;

    constexpr bool conv() const { return weight.n != 1 || weight.c != 1; }
    constexpr int outputs() const { return conv() ? weight.n : weight.h; }
    constexpr int fan_in() const { return conv() ? weight.c * weight.h * weight.w : weight.w; }
    constexpr int parameters() const {
        return weight.n * weight.c * weight.h * weight.w + outputs();
    }
};

// [layer_specs]
/// LeNet-5's layers with weights, in order: the one list from which the parameters'
/// shapes, their names in a checkpoint, the initialisation's fan-ins and the
/// architecture line are made.
inline constexpr std::array<LayerSpec, 5> layer_specs{{
    {"c1", Shape{6, 1, 5, 5}, 2},  // pad 2: the 28×28 output keeps the image's size
    {"c3", Shape{16, 6, 5, 5}},
    {"f5", Shape{1, 1, 120, 400}},
    {"f6", Shape{1, 1, 84, 120}},
    {"f7", Shape{1, 1, classes, 84}},
}};
// [layer_specs]

/// Each layer's settings, named once and used by the forward and the backward pass;
/// both pools are 2×2 with stride 2.
inline constexpr wb::ConvSpec c1_spec{1, layer_specs[0].pad};
inline constexpr wb::ConvSpec c3_spec{1, layer_specs[1].pad};
inline constexpr wb::PoolSpec pool_spec{2, 2};

/// The architecture, as --help and the checkpoints state it (a checkpoint of another
/// architecture is refused): "LeNet-5: input 1@28x28 -> C1 conv 6@5x5 pad 2 (6@28x28) ->
/// ReLU -> 2x2 max pool (6@14x14) -> … -> FC 10 -> softmax + cross-entropy".
inline std::string architecture() {
    const auto maps = [](int k, int side) {
        return std::to_string(k) + "@" + std::to_string(side) + "x" + std::to_string(side);
    };
    std::string s = "LeNet-5: input " + maps(1, image_side);
    int side = image_side, flat = 0;
    for (const LayerSpec& l : layer_specs) {
        if (l.conv()) {
            side += 2 * l.pad - l.weight.h + 1;
            s += " -> " + std::string(1, static_cast<char>(l.name[0] - 'a' + 'A')) + (l.name + 1) +
                 " conv " + std::to_string(l.weight.n) + "@" + std::to_string(l.weight.h) + "x" +
                 std::to_string(l.weight.w) + (l.pad ? " pad " + std::to_string(l.pad) : "") +
                 " (" + maps(l.weight.n, side) + ") -> ReLU";
            side /= pool_spec.stride;
            s += " -> " + std::to_string(pool_spec.size) + "x" + std::to_string(pool_spec.size) +
                 " max pool (" + maps(l.weight.n, side) + ")";
            flat = l.weight.n * side * side;
            continue;
        }
        if (flat) s += " -> flatten (" + std::to_string(flat) + ")";
        flat = 0;
        const bool last = &l == &layer_specs.back();  // the logits: no ReLU
        s += " -> FC " + std::to_string(l.outputs()) + (last ? "" : " -> ReLU");
    }
    return s + " -> softmax + cross-entropy";
}

/// How a forward pass is computed: the naive reference loops, or the fast path
/// (fast_lenet.hpp, which has forward(p, x, Engine): same formulas, tested equal) on
/// `threads` threads.
struct Engine {
    bool fast = true;
    int threads = 1;
};

// [params]
/// The weights of LeNet-5, shaped as `layer_specs` says: 61,706 numbers.
template <class T>
struct Params {
    Tensor<T> c1w{layer_specs[0].weight};
    std::vector<T> c1b = std::vector<T>(layer_specs[0].outputs());
    Tensor<T> c3w{layer_specs[1].weight};
    std::vector<T> c3b = std::vector<T>(layer_specs[1].outputs());
    Tensor<T> f5w{layer_specs[2].weight};
    std::vector<T> f5b = std::vector<T>(layer_specs[2].outputs());
    Tensor<T> f6w{layer_specs[3].weight};
    std::vector<T> f6b = std::vector<T>(layer_specs[3].outputs());
    Tensor<T> f7w{layer_specs[4].weight};
    std::vector<T> f7b = std::vector<T>(layer_specs[4].outputs());
};
// [params]

/// One parameter tensor seen generically: its name, shape (as the file stores it) and values.
template <class T>
struct ParamView {
    std::string name;
    std::vector<int> shape;
    std::span<T> values;
};

/// The values of the ten parameter tensors in a fixed order (the checkpoint's and the
/// optimiser's), without names: nothing is allocated, so a training step can use it.
template <class P>
auto param_spans(P& p) {
    using T = std::remove_cvref_t<decltype(*p.c1w.data())>;
    using V = std::conditional_t<std::is_const_v<P>, const T, T>;
    const auto t = [](auto& x) { return std::span<V>(x.data(), x.size()); };
    return std::array<std::span<V>, 10>{t(p.c1w), t(p.c1b), t(p.c3w), t(p.c3b), t(p.f5w),
                                        t(p.f5b), t(p.f6w), t(p.f6b), t(p.f7w), t(p.f7b)};
}

/// The same ten tensors with their names and shapes (a dense weight stored as out×in).
template <class P>
auto param_views(P& p) {
    const auto s = param_spans(p);
    using V = typename decltype(s)::value_type::element_type;
    std::vector<ParamView<V>> views;
    for (std::size_t i = 0; i < layer_specs.size(); ++i) {
        const LayerSpec& l = layer_specs[i];
        const Shape w = l.weight;
        views.push_back(
            {std::string(l.name) + ".weight",
             l.conv() ? std::vector<int>{w.n, w.c, w.h, w.w} : std::vector<int>{w.h, w.w},
             s[2 * i]});
        views.push_back({std::string(l.name) + ".bias", {l.outputs()}, s[2 * i + 1]});
    }
    return views;
}

/// He initialisation for ReLU layers: weights from N(0, 2/fan_in), biases 0.
template <class T>
Params<T> init_params(wb::Rng& rng) {
    Params<T> p;
    const auto s = param_spans(p);
    for (std::size_t i = 0; i < layer_specs.size(); ++i) {
        const double sigma = std::sqrt(2.0 / layer_specs[i].fan_in());
        for (auto& v : s[2 * i]) v = static_cast<T>(rng.normal(0, sigma));
    }
    return p;
}

// [forward]
/// Everything the forward pass computes, kept for the backward pass and the pictures.
template <class T>
struct Forward {
    Tensor<T> x;       ///< N×1×28×28 input
    Tensor<T> z1, a1;  ///< C1: N×6×28×28 before and after ReLU
    Tensor<T> p1;      ///< N×6×14×14 after max pooling
    Tensor<T> z3, a3;  ///< C3: N×16×10×10
    Tensor<T> p3;      ///< N×16×5×5
    Tensor<T> f;       ///< 400×N, the flattened maps, one sample per column
    Tensor<T> z5, a5;  ///< FC 120: 120×N
    Tensor<T> z6, a6;  ///< FC 84: 84×N
    Tensor<T> z7;      ///< FC 10: the logits, 10×N
    Tensor<T> prob;    ///< softmax(z7), 10×N
};

/// The forward pass with the naive reference layers: the truth the fast path is tested
/// against (fast_lenet.hpp has the same list on the fast layers).
template <class T>
Forward<T> forward(const Params<T>& p, const Tensor<T>& x) {
    Forward<T> f;
    f.x = x;
    f.z1 = wb::conv2d_forward(f.x, p.c1w, p.c1b, c1_spec);
    f.a1 = wb::relu(f.z1);
    f.p1 = wb::max_pool_forward(f.a1, pool_spec);
    f.z3 = wb::conv2d_forward(f.p1, p.c3w, p.c3b, c3_spec);
    f.a3 = wb::relu(f.z3);
    f.p3 = wb::max_pool_forward(f.a3, pool_spec);
    f.f = wb::flatten(f.p3);
    f.z5 = wb::dense_forward(p.f5w, f.f, p.f5b);
    f.a5 = wb::relu(f.z5);
    f.z6 = wb::dense_forward(p.f6w, f.a5, p.f6b);
    f.a6 = wb::relu(f.z6);
    f.z7 = wb::dense_forward(p.f7w, f.a6, p.f7b);
    f.prob = wb::softmax(f.z7);
    return f;
}
// [forward]

/// Sum of squares of every parameter: the L2 term is (λ/2)·this.
template <class T>
double squared_norm(const Params<T>& p) {
    double s = 0;
    for (const auto& v : param_views(p))
        for (T x : v.values) s += static_cast<double>(x) * x;
    return s;
}

/// The training loss: mean cross-entropy over the batch plus (λ/2)·Σ w² over all parameters
/// (L2, which 004 §五 names as l2_regulation but never uses).
template <class T>
T loss(const Params<T>& p, const Forward<T>& f, const std::vector<int>& labels, double l2) {
    return wb::cross_entropy_logits(f.z7, labels) + static_cast<T>(0.5 * l2 * squared_norm(p));
}

/// The error terms δ the backward pass sends down, layer by layer (δ = ∂loss/∂z, or ∂loss/∂p
/// for a pooled map). backward() fills them only when asked; the live docs draw them.
template <class T>
struct Deltas {
    Tensor<T> dz7, dz6, dz5;  ///< FC 10, FC 84, FC 120: out×N
    Tensor<T> dp3, dz3;       ///< into the second pooling (N×16×5×5) and C3 (N×16×10×10)
    Tensor<T> dp1, dz1;       ///< into the first pooling (N×6×14×14) and C1 (N×6×28×28)
};

// [backward]
/// ∂(mean cross-entropy)/∂(every parameter): the chain rule layer by layer, from the
/// softmax-CE error (P − T)/m at the top down to C1, each step the reference layer's own
/// backward, in exactly the reverse order of forward(). δs are named after the forward
/// value they belong to: dz3 = ∂J/∂z3. The L2 term is not part of this chain: add_l2().
template <class T>
Params<T> backward(const Params<T>& p, const Forward<T>& f, const std::vector<int>& labels,
                   Deltas<T>* keep = nullptr) {
    Params<T> g;
    const Tensor<T> dz7 = wb::softmax_ce_backward(f.prob, labels);
    auto g7 = wb::dense_backward(p.f7w, f.a6, dz7);
    const Tensor<T> dz6 = wb::relu_backward(f.z6, g7.dA);
    auto g6 = wb::dense_backward(p.f6w, f.a5, dz6);
    const Tensor<T> dz5 = wb::relu_backward(f.z5, g6.dA);
    auto g5 = wb::dense_backward(p.f5w, f.f, dz5);
    const Tensor<T> dp3 = wb::unflatten(g5.dA, f.p3.shape());  // flatten only reshapes
    const Tensor<T> da3 = wb::max_pool_backward(f.a3, dp3, pool_spec);
    const Tensor<T> dz3 = wb::relu_backward(f.z3, da3);
    auto g3 = wb::conv2d_backward(f.p1, p.c3w, dz3, c3_spec);
    const Tensor<T> da1 = wb::max_pool_backward(f.a1, g3.delta_out, pool_spec);
    const Tensor<T> dz1 = wb::relu_backward(f.z1, da1);
    auto g1 = wb::conv2d_backward(f.x, p.c1w, dz1, c1_spec);
    if (keep) *keep = {dz7, dz6, dz5, dp3, dz3, g3.delta_out, dz1};
    g.c1w = std::move(g1.dW), g.c1b = std::move(g1.db);
    g.c3w = std::move(g3.dW), g.c3b = std::move(g3.db);
    g.f5w = std::move(g5.dW), g.f5b = std::move(g5.db);
    g.f6w = std::move(g6.dW), g.f6b = std::move(g6.db);
    g.f7w = std::move(g7.dW), g.f7b = std::move(g7.db);
    return g;
}
// [backward]

// [add_l2]
/// Adds the gradient of the L2 term (λ/2)·Σw² to g: λ·w for every parameter. It is not
/// part of the chain rule through the layers, so it is added here, after backward().
template <class T>
void add_l2(std::span<T> g, std::span<const T> w, double l2) {
    if (l2 == 0) return;  // so that λ = 0 leaves g exactly as it was (−0 stays −0)
    for (std::size_t i = 0; i < g.size(); ++i) g[i] += static_cast<T>(l2) * w[i];
}
template <class T>
void add_l2(Params<T>& g, const Params<T>& p, double l2) {
    const auto gs = param_spans(g);
    const auto ws = param_spans(p);
    for (std::size_t t = 0; t < gs.size(); ++t) add_l2(gs[t], ws[t], l2);
}
// [add_l2]

// [sgd_momentum_step]
/// One step of SGD with momentum μ (the form PyTorch's torch.optim.SGD uses):
/// \f[ v \leftarrow \mu v + g, \qquad w \leftarrow w - \eta\, v \f]
/// `g` already contains the L2 term λw.
template <class T>
void sgd_momentum_step(std::span<T> w, std::span<T> v, std::span<const T> g, T lr, T momentum) {
    if (w.size() != v.size() || w.size() != g.size())
        throw std::invalid_argument("sgd_momentum_step: w, v and g have " +
                                    std::to_string(w.size()) + ", " + std::to_string(v.size()) +
                                    " and " + std::to_string(g.size()) + " values");
    for (std::size_t i = 0; i < w.size(); ++i) {
        v[i] = momentum * v[i] + g[i];
        w[i] -= lr * v[i];
    }
}
// [sgd_momentum_step]

/// The learning rate at step t of `total` with cosine decay from `lr0` to 0:
/// \f$ \eta_t = \tfrac12 \eta_0 (1 + \cos(\pi t / T)) \f$.
inline double cosine_lr(double lr0, long t, long total) {
    if (total <= 0) return lr0;
    return 0.5 * lr0 * (1 + std::cos(3.14159265358979323846 * static_cast<double>(t) / total));
}

/// Index of the largest probability in column n of a 10×N matrix: the predicted class.
template <class T>
int predicted(const Tensor<T>& prob, int n) {
    int best = 0;
    for (int k = 1; k < prob.h(); ++k)
        if (prob(k, n) > prob(best, n)) best = k;
    return best;
}

}  // namespace ch11
