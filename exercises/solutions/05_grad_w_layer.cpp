// Solution to exercise 05_grad_w_layer.
#include "05_grad_w_layer/grad_w_layer.hpp"

#include "ops.hpp"

wb::Tensor<double> ex::grad_w_layer(const wb::Tensor<double>& a, const wb::Tensor<double>& delta_in,
                                    const wb::Shape& w, wb::ConvSpec spec) {
    const int S = spec.stride, P = spec.pad;
    const auto a_pad = wb::pad(a, P);
    const auto d1 = wb::zero_insert(delta_in, S, (a.h() + 2 * P - w.h) % S, (a.w() + 2 * P - w.w) % S);
    wb::Tensor<double> dw(w);
    for (int k = 0; k < w.n; ++k)
        for (int c = 0; c < w.c; ++c)
            for (int n = 0; n < a.n(); ++n)
                dw.add_to_plane(k, c, wb::cross_correlate(a_pad.plane(n, c), d1.plane(n, k)));
    return dw;
}
