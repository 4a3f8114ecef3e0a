// Solution to exercise 03_delta_out_strided.
#include "03_delta_out_strided/delta_out_strided.hpp"

#include "ops.hpp"

wb::Tensor<double> ex::delta_out_strided(const wb::Tensor<double>& delta_in,
                                         const wb::Tensor<double>& w, int H, int W, int S) {
    // Restore stride 1: the stride-1 output would be (H−F₁+1)×(W−F₂+1); the drawn layout
    // covers (M−1)S+1 of it, the rest are rows and columns the forward pass never reached.
    const int tail_h = (H - w.h()) % S, tail_w = (W - w.w()) % S;
    const wb::Tensor<double> d1 = wb::zero_insert(delta_in, S, tail_h, tail_w);
    // Then the stride-1 rule of chapter 02.
    return wb::cross_correlate(wb::pad(d1, w.h() - 1, w.w() - 1), wb::rot180(w));
}
