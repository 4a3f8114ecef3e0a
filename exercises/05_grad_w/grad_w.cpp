// Exercise 05_grad_w: replace the throw with your code, then run
//   ./workbook check 05_grad_w
// Write the four loops yourself (wb::cross_correlate would do it in one line).
#include "05_grad_w/grad_w.hpp"

#include "not_implemented.hpp"

wb::Tensor<double> ex::grad_w([[maybe_unused]] const wb::Tensor<double>& a,
                              [[maybe_unused]] const wb::Tensor<double>& delta_in) {
    throw NotImplemented("05_grad_w", "Chapter 05");
}
