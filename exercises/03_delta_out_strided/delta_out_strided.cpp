// Exercise 03_delta_out_strided: replace the throw with your code, then run
//   ./workbook check 03_delta_out_strided
// You may use wb::pad, wb::rot180, wb::zero_insert and wb::cross_correlate from
// reference/ops.hpp (not wb::restore_stride or the conv.hpp rules: they are the answer).
#include "03_delta_out_strided/delta_out_strided.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::delta_out_strided([[maybe_unused]] const wb::Tensor<double>& delta_in,
                                         [[maybe_unused]] const wb::Tensor<double>& w,
                                         [[maybe_unused]] int H, [[maybe_unused]] int W,
                                         [[maybe_unused]] int S) {
    throw NotImplemented("03_delta_out_strided", "Chapter 03");
}
