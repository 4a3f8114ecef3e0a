// Exercise 04_delta_out_channels: replace the throw with your code, then run
//   ./workbook check 04_delta_out_channels
// You may use wb::pad, wb::rot180, wb::cross_correlate and Tensor::plane / add_to_plane
// (not the conv.hpp rules: they are the answer).
#include "04_delta_out_channels/delta_out_channels.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::delta_out_channels([[maybe_unused]] const wb::Tensor<double>& delta_in,
                                          [[maybe_unused]] const wb::Tensor<double>& w) {
    throw NotImplemented("04_delta_out_channels", "Chapter 04");
}
