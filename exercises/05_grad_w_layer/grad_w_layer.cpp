// Exercise 05_grad_w_layer: replace the throw with your code, then run
//   ./workbook check 05_grad_w_layer
// You may use wb::pad, wb::zero_insert, wb::cross_correlate and Tensor::plane /
// add_to_plane (not conv2d_backward or grad_w_by_rule: they are the answer).
#include "05_grad_w_layer/grad_w_layer.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::grad_w_layer([[maybe_unused]] const wb::Tensor<double>& a,
                                    [[maybe_unused]] const wb::Tensor<double>& delta_in,
                                    [[maybe_unused]] const wb::Shape& w,
                                    [[maybe_unused]] wb::ConvSpec spec) {
    throw NotImplemented("05_grad_w_layer", "Chapter 05");
}
