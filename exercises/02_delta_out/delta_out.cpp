// Exercise 02_delta_out: replace the throw with your code, then run
//   ./workbook check 02_delta_out
// You may use wb::pad, wb::rot180 and wb::cross_correlate from reference/ops.hpp, or write
// the loops yourself.
#include "02_delta_out/delta_out.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::delta_out([[maybe_unused]] const wb::Tensor<double>& delta_in,
                                 [[maybe_unused]] const wb::Tensor<double>& w) {
    throw NotImplemented("02_delta_out", "Chapter 02");
}
