/// \file stride.hpp
/// \brief Chapter 03: the error term through a stride S > 1, by zero insertion
/// (000 §17.3.2, 001 §6.1.1 "卷积步长为S时的误差传递").
///
/// The derivation's steps as plain functions. main.cpp prints them;
/// tests/chapters/test_03_stride.cpp asserts them.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "conv.hpp"
#include "ops.hpp"

namespace ch03 {

using Map = wb::Tensor<double>;
using Grid = std::vector<std::vector<std::string>>;

// [layout]
/// The layout the notes draw for an M×N error map δ restored from stride S: δ_ij
/// (1-based, as the notes write it) at row (i−1)·S, column (j−1)·S, zeros between.
/// Built by running wb::zero_insert on a map of element numbers, so the picture is the
/// reference function's own output, not a second implementation.
inline Grid layout(int M, int N, int S, int tail_h = 0, int tail_w = 0) {
    Map numbers(wb::Shape{1, 1, M, N});
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) numbers(i, j) = i * N + j + 1;  // 1, 2, … never 0
    const Map spread = wb::zero_insert(numbers, S, tail_h, tail_w);
    Grid g(static_cast<std::size_t>(spread.h()));
    for (int r = 0; r < spread.h(); ++r)
        for (int c = 0; c < spread.w(); ++c) {
            const int k = static_cast<int>(spread(r, c)) - 1;
            g[static_cast<std::size_t>(r)].push_back(
                k < 0 ? "0" : "δ" + std::to_string(k / N + 1) + std::to_string(k % N + 1));
        }
    return g;
}
// [layout]

/// Prints a grid of symbols as an aligned matrix, like wb::print_map does for numbers.
inline void print_grid(std::ostream& os, std::string_view label, const Grid& g) {
    auto width = [](const std::string& s) {
        return static_cast<std::size_t>(
            std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
    };
    std::size_t w = 1;
    for (const auto& row : g)
        for (const auto& cell : row) w = std::max(w, width(cell));
    os << "  " << label << " (" << g.size() << "×" << (g.empty() ? 0 : g[0].size()) << ") =\n";
    for (const auto& row : g) {
        os << "    [";
        for (const auto& cell : row) os << std::string(w + 1 - width(cell), ' ') << cell;
        os << " ]\n";
    }
}

// [sizes]
/// Three candidate heights (or widths) for the zero-inserted δ of a stride-S layer whose
/// input has n rows, padding P and a kernel of f rows; m = ⌊(n+2P−f)/S⌋ + 1 rows of δ.
struct Sizes {
    int m;       ///< rows of δ_in (the stride-S output)
    int words;   ///< 000 §17.3.2 step 2: m·S
    int drawn;   ///< 000 §17.3.2's drawings: (m−1)·S + 1
    int needed;  ///< what the stride-1 rule needs: the stride-1 output, n + 2P − f + 1
};

inline Sizes zero_insert_sizes(int n, int f, int P, int S) {
    const int m = wb::output_size(n, f, P, S);
    return {m, m * S, (m - 1) * S + 1, wb::output_size(n, f, P, 1)};
}

/// The part the drawings leave out: (n + 2P − f) mod S rows the forward pass never
/// reached, so needed = drawn + remainder. The words (m·S) are right only when the
/// remainder happens to be S − 1; the drawing only when it is 0.
inline int remainder(int n, int f, int P, int S) { return (n + 2 * P - f) % S; }
// [sizes]

// [words]
/// 000 §17.3.2's five steps taken literally: an (M·S)×(N·S) zero matrix with row r of δ
/// put at row r·S, columns 0, S, 2S, … — i.e. S−1 extra zero rows and columns at the end.
inline Map zero_insert_as_worded(const Map& d, int S) { return wb::zero_insert(d, S, S - 1, S - 1); }

/// 000 §17.3.2's drawings: ((M−1)S+1)×((N−1)S+1), nothing after the last δ.
inline Map zero_insert_as_drawn(const Map& d, int S) { return wb::zero_insert(d, S); }
// [words]

// [stride1-rule]
/// The stride-1 rule of chapter 02 (000 eq 8) applied to an already restored δ, then the
/// input's padding ring P cut away: crop(pad(δ₁, F−1) ⋆ rot180(W), P). `back_stride` is the
/// step of that backward cross-correlation; the annotator of 000 asks whether it is
/// always 1 (it is: see main.cpp section 5).
inline Map stride1_rule(const Map& d1, const Map& w, int P, int back_stride = 1) {
    const Map full = wb::cross_correlate(wb::pad(d1, w.h() - 1, w.w() - 1), wb::rot180(w),
                                         back_stride);
    return wb::crop(full, P);
}

/// δ_out through a stride-S layer: restore stride 1 by zero insertion (with the tail of
/// rows and columns the forward pass never reached), then the stride-1 rule.
inline Map delta_out_strided(const Map& delta_in, const Map& w, const wb::Shape& a,
                             wb::ConvSpec spec) {
    return stride1_rule(wb::restore_stride(delta_in, a, w.shape(), spec), w, spec.pad);
}
// [stride1-rule]

// [example]
/// A numeric instance of the notes' 2×3 δ. For S = 2 it comes from a 5×7 input and a 3×3
/// kernel ((5−3)/2+1 = 2, (7−3)/2+1 = 3, no remainder: the case the drawing shows). The
/// notes keep everything symbolic; any values without symmetry show the pattern.
inline Map example_delta() { return {{1, -2, 3}, {2, 1, -1}}; }
inline Map example_w() { return {{1, 0, -1}, {2, 1, 0}, {0, 3, 1}}; }
inline Map example_a() {
    return {{1, 0, 2, -1, 1, 0, 2},
            {0, 3, 1, 1, -2, 1, 0},
            {2, 1, 0, 2, 1, -1, 1},
            {-1, 2, 1, 0, 3, 1, 2},
            {1, 1, -2, 1, 0, 2, 1}};
}
// [example]

}  // namespace ch03
