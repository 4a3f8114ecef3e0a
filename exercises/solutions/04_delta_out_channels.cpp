// Solution to exercise 04_delta_out_channels.
#include "04_delta_out_channels/delta_out_channels.hpp"

#include "ops.hpp"

wb::Tensor<double> ex::delta_out_channels(const wb::Tensor<double>& delta_in,
                                          const wb::Tensor<double>& w) {
    wb::Tensor<double> out(wb::Shape{1, w.c(), delta_in.h() + w.h() - 1, delta_in.w() + w.w() - 1});
    for (int c = 0; c < w.c(); ++c)          // one δ per input channel …
        for (int k = 0; k < w.n(); ++k) {    // … summed over the kernels, each through slice c
            const auto padded = wb::pad(delta_in.plane(0, k), w.h() - 1, w.w() - 1);
            out.add_to_plane(0, c, wb::cross_correlate(padded, wb::rot180(w.plane(k, c))));
        }
    return out;
}
