// Exercise 04_delta_out_layer: replace the throw with your code, then run
//   ./workbook check 04_delta_out_layer
// You may use wb::pad, wb::crop, wb::rot180, wb::zero_insert, wb::cross_correlate and
// Tensor::plane / add_to_plane (not conv2d_backward or delta_out_by_rule: they are the answer).
#include "04_delta_out_layer/delta_out_layer.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::delta_out_layer([[maybe_unused]] const wb::Tensor<double>& delta_in,
                                       [[maybe_unused]] const wb::Tensor<double>& w,
                                       [[maybe_unused]] const wb::Shape& a,
                                       [[maybe_unused]] wb::ConvSpec spec) {
    throw NotImplemented("04_delta_out_layer", "Chapter 04");
}
