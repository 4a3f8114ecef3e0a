// A random convolution of whole numbers and the naive loops' results for it: the cases both
// fast paths (test_im2col_layers.cpp, test_fast.cpp) are checked against exactly.
#pragma once

#include <algorithm>
#include <vector>

#include "check.hpp"
#include "conv.hpp"

namespace wbtest {

/// n whole numbers in [-5, 5].
inline std::vector<double> int_vector(int n, wb::Rng& rng) {
    std::vector<double> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = rng.below(11) - 5;
    return v;
}

struct ConvCase {
    wb::Tensor<double> a, w;
    std::vector<double> b;
    wb::ConvSpec spec;
    wb::Tensor<double> z, d;    ///< the naive forward result, and a δ_in for the backward
    wb::ConvGrads<double> g;    ///< the naive backward result
};

/// Batch 1..max_n, channels 1..4, kernels 1..max_k of 1..max_f1 × 1..max_f2, stride 1–3,
/// padding 0–2, and up to `extra` − 1 rows and columns beyond the smallest input that fits
/// (so the stride often does not divide the size).
inline ConvCase random_conv_case(wb::Rng& rng, int max_n, int max_k, int max_f1, int max_f2, int extra) {
    const int N = 1 + rng.below(max_n), C = 1 + rng.below(4), K = 1 + rng.below(max_k);
    const int F1 = 1 + rng.below(max_f1), F2 = 1 + rng.below(max_f2);
    ConvCase c;
    c.spec = {1 + rng.below(3), rng.below(3)};
    const int H = std::max(1, F1 - 2 * c.spec.pad) + rng.below(extra);
    const int W = std::max(1, F2 - 2 * c.spec.pad) + rng.below(extra);
    c.a = random_int_map(wb::Shape{N, C, H, W}, rng);
    c.w = random_int_map(wb::Shape{K, C, F1, F2}, rng);
    c.b = int_vector(K, rng);
    c.z = wb::conv2d_forward(c.a, c.w, c.b, c.spec);
    c.d = random_int_map(c.z.shape(), rng);
    c.g = wb::conv2d_backward(c.a, c.w, c.d, c.spec);
    return c;
}

}  // namespace wbtest
