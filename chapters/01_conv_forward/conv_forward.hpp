/// \file conv_forward.hpp
/// \brief Chapter 01: the convolution forward pass (001 §5.1, 002, 004 §三).
///
/// The notes' example data and the derivation's steps as plain functions. main.cpp prints
/// them; tests/chapters/test_01_conv_forward.cpp asserts the notes' numbers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "activation.hpp"
#include "conv.hpp"
#include "ops.hpp"

namespace ch01 {

using Map = wb::Tensor<double>;

// [example-5x5]
/// 001 §5.1.1: the 5×5 binary image x and the 3×3 filter w (bias w_b = 0) of the worked
/// example. The notes show them only as a picture; the values are the ones it draws.
inline Map image_5x5() {
    return {{1, 1, 1, 0, 0}, {0, 1, 1, 1, 0}, {0, 0, 1, 1, 1}, {0, 0, 1, 1, 0}, {0, 1, 1, 0, 0}};
}
inline Map filter_3x3() { return {{1, 0, 1}, {0, 1, 0}, {1, 0, 1}}; }
// [example-5x5]

// [element]
/// The F·F products w_{m,n}·x_{iS+m, jS+n} that make up one element a_{i,j} before the
/// bias and activation, in the order 001 writes them (row by row of the filter).
inline std::vector<double> element_terms(const Map& x, const Map& w, int i, int j, int S = 1) {
    std::vector<double> terms;
    for (int m = 0; m < w.h(); ++m)
        for (int n = 0; n < w.w(); ++n) terms.push_back(w(m, n) * x(i * S + m, j * S + n));
    return terms;
}
// [element]

// [feature-map]
/// a = f(x ⋆ w + w_b) with stride S and padding P: the whole feature map, with f = ReLU,
/// max(0, z), the activation of 001 §5.1.1 (wb::relu, chapter 08).
inline Map feature_map(const Map& x, const Map& w, double bias, int S = 1, int P = 0) {
    return wb::relu(wb::conv2d_forward(x, w, {bias}, {S, P}));
}
// [feature-map]

/// One use of the output-size formula in the notes, with where it comes from.
struct SizeExample {
    std::string source, what;
    int n, f, p, s;
};

// [size-examples]
/// Every output-size example the notes give, as (n, f, p, s).
inline std::vector<SizeExample> size_examples() {
    return {
        {"001 §5.1.1", "5×5 image, 3×3 filter", 5, 3, 0, 1},
        {"001 §5.1.2", "5×5 image, 3×3 filter, stride 2", 5, 3, 0, 2},
        {"001 §5.1.3", "5×5×3 input, 3×3×3 filters, pad 1, stride 2", 5, 3, 1, 2},
        {"004 §三 1.5", "3×3 image, 2×2 kernel", 3, 2, 0, 1},
        {"004 §三 2.2", "6×6 map, 3×3 pooling window, stride 3", 6, 3, 0, 3},
        {"000 §17.3.1", "10×8 input, 5×5 kernel (height)", 10, 5, 0, 1},
        {"000 §17.3.1", "10×8 input, 5×5 kernel (width)", 8, 5, 0, 1},
        {"000 §17.3.7", "80×80 picture, 3×3 kernel", 80, 3, 0, 1},
    };
}
// [size-examples]

// [depth]
/// INDEX.md's multi-channel test vectors (the configuration drawn in 001 §5.1.3): input
/// 3×5×5 (shown padded to 7×7×3), two 3×3×3 filters with biases 1 and 0, stride 2, pad 1.
inline Map depth_input() {
    return Map::from(wb::Shape{1, 3, 5, 5},
                     {0, 1, 1, 0, 2, 2, 2, 2, 2, 1, 1, 0, 0, 2, 0, 0, 1, 1, 0, 0, 1, 2, 0, 0, 2,
                      1, 0, 2, 2, 0, 0, 0, 0, 2, 0, 1, 2, 1, 2, 1, 1, 0, 0, 0, 0, 1, 2, 1, 1, 1,
                      2, 1, 2, 0, 0, 1, 0, 0, 1, 0, 0, 2, 1, 0, 1, 0, 1, 2, 2, 2, 2, 1, 0, 0, 1});
}
inline Map depth_filters() {
    return Map::from(wb::Shape{2, 3, 3, 3},
                     {-1, 1,  0,  0,  1,  0, 0,  1,  1, -1, -1, 0,  0,  0,
                      0,  0,  -1, 0,  0,  0, -1, 0,  1, 0,  1,  -1, -1,  // filter 0
                      1,  1,  -1, -1, -1, 1, 0,  -1, 1, 0,  1,  0,  -1, 0,
                      -1, -1, 1,  0,  -1, 0, 0,  -1, 0, 1,  -1, 0,  0});  // filter 1
}
inline std::vector<double> depth_bias() { return {1, 0}; }
inline constexpr wb::ConvSpec depth_spec{2, 1};
// [depth]

// [pattern]
/// 001 §4's architecture pattern INPUT -> [[CONV]*N -> POOL?]*M -> [FC]*K, written out:
/// M times (N convolution layers, then one pooling layer), then K fully connected layers.
inline std::string layer_pattern(int N, int M, int K) {
    std::string s = "INPUT";
    for (int m = 0; m < M; ++m) {
        for (int n = 0; n < N; ++n) s += " -> CONV";
        s += " -> POOL";
    }
    for (int k = 0; k < K; ++k) s += " -> FC";
    return s;
}
// [pattern]

// [counts]
/// Parameters of a convolution layer: K filters of F×F×D weights plus one bias each
/// (001 §5.1.4: two 3×3×3 filters → (3·3·3 + 1)·2 = 56), whatever the image size.
inline std::int64_t conv_parameters(std::int64_t F, std::int64_t D, std::int64_t K) {
    return (F * F * D + 1) * K;
}

/// Connections and weights between an n×n input and the (n−f+1)×(n−f+1) output of one
/// f×f kernel (002, 004 §三 1.3), without biases.
struct Counts {
    int connections, parameters;
};
/// Fully connected: every output sees every input, each connection its own weight.
inline Counts fully_connected_counts(int n, int f) {
    const int inputs = n * n, outputs = (n - f + 1) * (n - f + 1);
    return {inputs * outputs, inputs * outputs};
}
/// Locally connected with shared weights: each output sees f×f inputs through the same
/// f×f weights.
inline Counts convolution_counts(int n, int f) {
    const int outputs = (n - f + 1) * (n - f + 1);
    return {outputs * f * f, f * f};
}
// [counts]

// [flip]
/// 004 §三 1.1's arithmetic 1×(−1) + 3×0 + 2×0 + 6×1 = 5: a true convolution turns the
/// kernel by 180° before sliding it. The 2×2 window of the picture is [[1,3],[2,6]]; the
/// kernel whose turned copy is [[−1,0],[0,1]] is w = [[1,0],[0,−1]].
inline Map flip_window() { return {{1, 3}, {2, 6}}; }
inline Map flip_kernel() { return {{1, 0}, {0, -1}}; }

/// Valid-mode true convolution of x with w: the slice of convolve_full() where w lies
/// wholly inside x. Equals cross_correlate(x, rot180(w)).
inline Map convolve_valid(const Map& x, const Map& w) {
    const Map full = wb::convolve_full(x, w);
    Map valid(wb::Shape{1, 1, x.h() - w.h() + 1, x.w() - w.w() + 1});
    for (int i = 0; i < valid.h(); ++i)
        for (int j = 0; j < valid.w(); ++j) valid(i, j) = full(i + w.h() - 1, j + w.w() - 1);
    return valid;
}
// [flip]

}  // namespace ch01
