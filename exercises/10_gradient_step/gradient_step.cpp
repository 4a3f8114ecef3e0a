// Exercise 10_gradient_step: replace the throw with your code, then run
//   ./workbook check 10_gradient_step
// You may use wb::cross_correlate from reference/ops.hpp, or write the loops yourself.
#include "10_gradient_step/gradient_step.hpp"

#include "not_implemented.hpp"
#include "ops.hpp"

wb::Tensor<double> ex::gradient_step([[maybe_unused]] const wb::Tensor<double>& x,
                                     [[maybe_unused]] const wb::Tensor<double>& y,
                                     [[maybe_unused]] const wb::Tensor<double>& w,
                                     [[maybe_unused]] double lr) {
    throw NotImplemented("10_gradient_step", "Chapter 10");
}
