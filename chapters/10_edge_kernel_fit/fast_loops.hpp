/// \file fast_loops.hpp
/// \brief Chapter 10: the two cross-correlations of the fit, written for their shapes.
///
/// The naive wb::cross_correlate is the truth; these compute the same sums faster for a
/// 3×3 kernel over the picture and for the 78×78 error map as a "kernel".
#pragma once

#include <cstddef>

#include "tensor.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [fast-loops]
/// z = x ⋆ w for a 2-D map and a small kernel, written so the innermost loop runs along a
/// row of z: for each kernel element w_pq, add w_pq times x shifted by (p, q). The same
/// sum as wb::cross_correlate (the naive loop, the truth), tested equal to it.
inline void correlate_small_kernel(const Map& x, const Map& w, Map& z) {
    const int ho = x.h() - w.h() + 1, wo = x.w() - w.w() + 1;
    wb::require_shape("correlate_small_kernel", "z", z.shape(), wb::Shape{1, 1, ho, wo});
    const double* xd = x.data();
    for (int i = 0; i < ho; ++i) {
        double* zi = z.data() + static_cast<std::size_t>(i) * wo;
        for (int j = 0; j < wo; ++j) zi[j] = 0;
        for (int p = 0; p < w.h(); ++p) {
            const double* xrow = xd + static_cast<std::size_t>(i + p) * x.w();
            for (int q = 0; q < w.w(); ++q) {
                const double wpq = w(p, q);
                const double* xs = xrow + q;
                for (int j = 0; j < wo; ++j) zi[j] += wpq * xs[j];
            }
        }
    }
}

/// dw = x ⋆ d for a large "kernel" d (the error map z − y) and a small result: each
/// element dw_pq is the dot product of d with x shifted by (p, q), row by row. Four
/// running sums (columns j ≡ 0, 1, 2, 3 mod 4) instead of one let the additions overlap.
inline void correlate_large_kernel(const Map& x, const Map& d, Map& dw) {
    const int ho = x.h() - d.h() + 1, wo = x.w() - d.w() + 1;
    wb::require_shape("correlate_large_kernel", "dw", dw.shape(), wb::Shape{1, 1, ho, wo});
    for (int p = 0; p < ho; ++p)
        for (int q = 0; q < wo; ++q) {
            double s[4] = {0, 0, 0, 0};
            for (int i = 0; i < d.h(); ++i) {
                const double* xs = x.data() + static_cast<std::size_t>(i + p) * x.w() + q;
                const double* di = d.data() + static_cast<std::size_t>(i) * d.w();
                int j = 0;
                for (; j + 4 <= d.w(); j += 4)
                    for (int k = 0; k < 4; ++k) s[k] += di[j + k] * xs[j + k];
                for (; j < d.w(); ++j) s[j % 4] += di[j] * xs[j];
            }
            dw(p, q) = (s[0] + s[1]) + (s[2] + s[3]);
        }
}
// [fast-loops]

}  // namespace ch10
