// Solution to exercise 04_delta_out_layer.
#include "04_delta_out_layer/delta_out_layer.hpp"

#include "ops.hpp"

wb::Tensor<double> ex::delta_out_layer(const wb::Tensor<double>& delta_in, const wb::Tensor<double>& w,
                                       const wb::Shape& a, wb::ConvSpec spec) {
    const int S = spec.stride, P = spec.pad;
    // 1. Restore stride 1 (chapter 03), including the rows/columns never reached.
    const auto d1 = wb::zero_insert(delta_in, S, (a.h + 2 * P - w.h()) % S, (a.w + 2 * P - w.w()) % S);
    // 2. For each sample and input channel, sum over the kernels (chapter 04).
    wb::Tensor<double> out_pad(wb::Shape{a.n, a.c, a.h + 2 * P, a.w + 2 * P});
    for (int n = 0; n < a.n; ++n)
        for (int c = 0; c < a.c; ++c)
            for (int k = 0; k < w.n(); ++k) {
                const auto padded = wb::pad(d1.plane(n, k), w.h() - 1, w.w() - 1);
                out_pad.add_to_plane(n, c, wb::cross_correlate(padded, wb::rot180(w.plane(k, c))));
            }
    // 3. The padding ring of A is not part of A: cut it off.
    return wb::crop(out_pad, P);
}
