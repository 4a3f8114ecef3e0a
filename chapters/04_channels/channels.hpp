/// \file channels.hpp
/// \brief Chapter 04: the error term with several kernels and several input channels
/// (000 §17.3.3–17.3.4, 001 §6.1.1 "输入层深度为D" and "filter数量为N").
///
/// The derivation's steps as plain functions. main.cpp prints them;
/// tests/chapters/test_04_channels.cpp asserts them.
#pragma once

#include <string>
#include <vector>

#include "02_delta_2x2/delta_2x2.hpp"
#include "conv.hpp"
#include "ops.hpp"

namespace ch04 {

using Map = wb::Tensor<double>;

// [kernels-formula]
/// One term δ_{z,k,i,j}·w_{k,p,q} of ∂J/∂a_uv when K kernels read the same one-channel
/// input (000 §17.3.3): the chapter-02 element formula, once per kernel k (1-based).
struct KernelTerm {
    int k;
    ch02::Term t;
};

inline std::vector<KernelTerm> several_kernels_formula(int u, int v, int H, int W, int F1, int F2,
                                                       int K) {
    std::vector<KernelTerm> terms;
    for (int k = 1; k <= K; ++k)
        for (const auto& t : ch02::element_formula(u, v, H, W, F1, F2)) terms.push_back({k, t});
    return terms;
}

/// "δz111·w122 + δz112·w121 + …", the way 000 §17.3.3 writes ∂J/∂a22.
inline std::string to_string(const std::vector<KernelTerm>& terms) {
    return ch02::join_terms(terms, [](const KernelTerm& kt) {
        const auto& [k, t] = kt;
        return "δz" + std::to_string(k) + std::to_string(t.i) + std::to_string(t.j) + "·w" +
               std::to_string(k) + std::to_string(t.p) + std::to_string(t.q);
    });
}

/// Evaluates the formula: δ_in is 1×K×h×w, the kernels K×1×F₁×F₂.
inline double evaluate(const std::vector<KernelTerm>& terms, const Map& delta_in, const Map& w) {
    return ch02::sum_terms(terms, [&](const KernelTerm& kt) {
        const auto& [k, t] = kt;
        return delta_in(0, k - 1, t.i - 1, t.j - 1) * w(k - 1, 0, t.p - 1, t.q - 1);
    });
}
// [kernels-formula]

// [channels-formula]
/// One term δ_{z,i,j}·w_{c,p,q} of ∂J/∂a_{c,u,v} when one kernel with C slices reads a
/// C-channel input (000 §17.3.4, eqs 10–13): only slice c of the kernel ever touches
/// channel c, so it is the chapter-02 formula with that slice (c, u, v 1-based).
struct ChannelTerm {
    int c;
    ch02::Term t;
};

inline std::vector<ChannelTerm> several_channels_formula(int c, int u, int v, int H, int W, int F1,
                                                         int F2) {
    std::vector<ChannelTerm> terms;
    for (const auto& t : ch02::element_formula(u, v, H, W, F1, F2)) terms.push_back({c, t});
    return terms;
}

/// "δz11·w122 + δz12·w121 + …", the way 000 §17.3.4 writes it.
inline std::string to_string(const std::vector<ChannelTerm>& terms) {
    return ch02::join_terms(terms, [](const ChannelTerm& ct) {
        const auto& [c, t] = ct;
        return "δz" + std::to_string(t.i) + std::to_string(t.j) + "·w" + std::to_string(c) +
               std::to_string(t.p) + std::to_string(t.q);
    });
}

/// Evaluates the formula: δ_in is one h×w map, the kernel 1×C×F₁×F₂.
inline double evaluate(const std::vector<ChannelTerm>& terms, const Map& delta_in, const Map& w) {
    return ch02::sum_terms(terms, [&](const ChannelTerm& ct) {
        const auto& [c, t] = ct;
        return delta_in(t.i - 1, t.j - 1) * w(0, c - 1, t.p - 1, t.q - 1);
    });
}
// [channels-formula]

// [rule]
/// δ for input channel c (stride 1, no padding): the sum over the K kernels of chapter 02's
/// rule, each kernel contributing through its own slice c (000 eqs 9, 14, 15):
/// δ_out,c = Σ_k pad(δ_in,k, F−1) ⋆ rot180(W_k,c). δ_in is 1×K×h×w, W is K×C×F₁×F₂.
inline Map delta_out_channel(const Map& delta_in, const Map& w, int c) {
    Map sum;
    for (int k = 0; k < w.n(); ++k) {
        const Map part = ch02::delta_out_eq8(delta_in.plane(0, k), w.plane(k, c));
        if (k == 0)
            sum = part;
        else
            sum.add_to_plane(0, 0, part);
    }
    return sum;
}

/// All C channels of δ_out, stacked into a 1×C×H×W tensor.
inline Map delta_out_all_channels(const Map& delta_in, const Map& w) {
    Map first = delta_out_channel(delta_in, w, 0);
    Map out(wb::Shape{1, w.c(), first.h(), first.w()});
    for (int c = 0; c < w.c(); ++c) out.add_to_plane(0, c, delta_out_channel(delta_in, w, c));
    return out;
}
// [rule]

// [eq9-001]
/// 001 §6.1.1 eq 9 with its printed bounds: a sum over d = 0 … D (D+1 terms, D the input
/// depth), pairing sensitivity map d with filter d. The sum belongs over the N filters,
/// n = 0 … N−1; this version throws when D+1 > N (there is no map d) and silently drops
/// filters when D+1 < N.
inline Map delta_out_summing_0_to_D(const Map& delta_in, const Map& w) {
    const int D = w.c();
    Map out(wb::Shape{1, D, delta_in.h() + w.h() - 1, delta_in.w() + w.w() - 1});
    for (int d = 0; d <= D; ++d)
        for (int c = 0; c < D; ++c)
            out.add_to_plane(0, c, ch02::delta_out_eq8(delta_in.plane(0, d), w.plane(d, c)));
    return out;
}
// [eq9-001]

// [examples]
/// Numeric instances of the notes' symbolic figures. 000 §17.3.3: one 3×3 input, two 2×2
/// kernels, two 2×2 error maps.
inline Map kernels_a() { return {{1, 2, 0}, {3, -1, 2}, {0, 4, 1}}; }
inline Map kernels_w() { return Map::from(wb::Shape{2, 1, 2, 2}, {1, 2, 3, 4, -1, 0, 2, 1}); }
inline Map kernels_delta() { return Map::from(wb::Shape{1, 2, 2, 2}, {1, -2, 3, 5, 2, 1, -1, 3}); }

/// 000 §17.3.4: a two-channel 3×3 input, one kernel of two 2×2 slices, one 2×2 error map.
inline Map channels_a() {
    return Map::from(wb::Shape{1, 2, 3, 3},
                     {1, 2, 0, 3, -1, 2, 0, 4, 1, 2, 0, 1, -1, 3, 0, 1, 1, -2});
}
inline Map channels_w() { return Map::from(wb::Shape{1, 2, 2, 2}, {1, 2, 3, 4, 0, -1, 2, 1}); }
inline Map channels_delta() { return {{1, -2}, {3, 5}}; }

/// INDEX.md's sensitivity map fed back to the multi-channel layer of chapter 01
/// (ch01::depth_input(), depth_filters(), depth_bias(), depth_spec): 1×2×3×3.
inline Map depth_delta_in() {
    return Map::from(wb::Shape{1, 2, 3, 3}, {0, 1, 1, 2, 2, 2, 1, 0, 0, 1, 0, 2, 0, 0, 0, 1, 2, 1});
}
// [examples]

}  // namespace ch04
