/// \file delta_2x2.hpp
/// \brief Chapter 02: the error term δ through a 2×2 kernel (000 §17.3.1, 001 §6.1.1, 002).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "conv.hpp"
#include "ops.hpp"

namespace ch02 {

using Map = wb::Tensor<double>;

// [symbolic]
/// One term δ_{ij}·w_{pq} of an element formula, 1-based like the notes.
struct Term {
    int i, j, p, q;
};

/// Which products make up ∂J/∂a_{uv} (1-based) for a stride-1 cross-correlation of an
/// H×W input with an F₁×F₂ kernel. Read off the forward pass z_{ij} = Σ w_{pq} a_{i+p−1, j+q−1}:
/// a_{uv} appears in z_{ij} exactly when i + p − 1 = u and j + q − 1 = v, with weight w_{pq},
/// so the chain rule collects δ_{ij}·w_{pq} over those (i, j, p, q).
inline std::vector<Term> element_formula(int u, int v, int H, int W, int F1, int F2) {
    std::vector<Term> terms;
    for (int i = 1; i <= H - F1 + 1; ++i)
        for (int j = 1; j <= W - F2 + 1; ++j)
            for (int p = 1; p <= F1; ++p)
                for (int q = 1; q <= F2; ++q)
                    if (i + p - 1 == u && j + q - 1 == v) terms.push_back({i, j, p, q});
    return terms;
}

/// An element formula as the notes write it, "t₁ + t₂ + …", each term written by
/// `write`. Chapters 04 and 05 write theirs through it too, with their own symbols.
template <class T, class Write>
std::string join_terms(const std::vector<T>& terms, Write write) {
    std::string s;
    for (const auto& t : terms) s += (s.empty() ? "" : " + ") + write(t);
    return s;
}

/// An element formula's value: the sum of `value(term)` over its terms.
template <class T, class Value>
double sum_terms(const std::vector<T>& terms, Value value) {
    double sum = 0;
    for (const auto& t : terms) sum += value(t);
    return sum;
}

/// "δ11·w22 + δ12·w21 + …", the way 000 eqs 5–7 write it.
inline std::string to_string(const std::vector<Term>& terms) {
    return join_terms(terms, [](const Term& t) {
        return "δ" + std::to_string(t.i) + std::to_string(t.j) + "·w" + std::to_string(t.p) +
               std::to_string(t.q);
    });
}

/// Evaluates an element formula with numbers.
inline double evaluate(const std::vector<Term>& terms, const Map& delta_in, const Map& w) {
    return sum_terms(
        terms, [&](const Term& t) { return delta_in(t.i - 1, t.j - 1) * w(t.p - 1, t.q - 1); });
}
// [symbolic]

// [element-map]
/// δ_out built element by element from the element formulas (eqs 5–7 and their siblings).
inline Map delta_out_by_elements(const Map& delta_in, const Map& w, int H, int W) {
    Map out(wb::Shape{1, 1, H, W});
    for (int u = 1; u <= H; ++u)
        for (int v = 1; v <= W; ++v)
            out(u - 1, v - 1) = evaluate(element_formula(u, v, H, W, w.h(), w.w()), delta_in, w);
    return out;
}
// [element-map]

// [rule]
/// 000 eq 8: δ_out = pad(δ_in, F−1) ⋆ rot180(W), for stride 1 and one channel.
inline Map delta_out_eq8(const Map& delta_in, const Map& w) {
    return wb::cross_correlate(wb::pad(delta_in, w.h() - 1, w.w() - 1), wb::rot180(w));
}
// [rule]

// [example]
/// A numeric instance of 000 §17.3.1's figure: a 3×3 input A, a 2×2 kernel W and the 2×2
/// error δ_in arriving from the next layer. The notes keep these symbolic; any values with
/// no symmetry show the pattern.
inline Map example_a() { return {{1, 2, 0}, {3, -1, 2}, {0, 4, 1}}; }
inline Map example_w() { return {{1, 2}, {3, 4}}; }
inline Map example_delta_in() { return {{1, -2}, {3, 5}}; }
// [example]

// [printed-sums]
/// The sum Σ_m Σ_n w_{m,n} δ_{i + dir·m, j + dir·n} over the H×W input (0-based, δ outside
/// its map read as 0). 001 §6.1.1 prints it with dir = +1, which slides the unturned
/// kernel forward over δ; the index must run backwards, dir = −1, which is exactly what
/// the 180° turn expresses.
inline Map delta_out_sum(const Map& delta_in, const Map& w, int H, int W, int dir) {
    Map out(wb::Shape{1, 1, H, W});
    for (int i = 0; i < H; ++i)
        for (int j = 0; j < W; ++j)
            for (int m = 0; m < w.h(); ++m)
                for (int n = 0; n < w.w(); ++n) {
                    const int u = i + dir * m, v = j + dir * n;
                    if (u >= 0 && v >= 0 && u < delta_in.h() && v < delta_in.w())
                        out(i, j) += w(m, n) * delta_in(u, v);
                }
    return out;
}
inline Map delta_out_as_printed_in_001(const Map& delta_in, const Map& w, int H, int W) {
    return delta_out_sum(delta_in, w, H, W, +1);
}
inline Map delta_out_corrected_sum(const Map& delta_in, const Map& w, int H, int W) {
    return delta_out_sum(delta_in, w, H, W, -1);
}

/// 004 §四.1.2.1's sum δ^{l−1}_{i,j} = Σ_{i'} Σ_{j'} δ^l_{i',j'} w_{i−i',j−j'} with the
/// bounds it prints, i' = 1…m and j' = 1…n (the kernel's size, here 0…m−1), w outside the
/// kernel read as 0. The sum must run over every output position of layer l.
inline Map delta_out_as_printed_in_004(const Map& delta_in, const Map& w, int H, int W) {
    Map out(wb::Shape{1, 1, H, W});
    for (int i = 0; i < H; ++i)
        for (int j = 0; j < W; ++j)
            for (int ip = 0; ip < std::min(w.h(), delta_in.h()); ++ip)
                for (int jp = 0; jp < std::min(w.w(), delta_in.w()); ++jp) {
                    const int m = i - ip, n = j - jp;
                    if (m >= 0 && n >= 0 && m < w.h() && n < w.w())
                        out(i, j) += delta_in(ip, jp) * w(m, n);
                }
    return out;
}
// [printed-sums]

}  // namespace ch02
