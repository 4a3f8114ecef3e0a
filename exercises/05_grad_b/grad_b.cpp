// Exercise 05_grad_b: replace the throw with your code, then run
//   ./workbook check 05_grad_b
// Write the loops yourself (wb::grad_b in reference/conv.hpp is the answer).
#include "05_grad_b/grad_b.hpp"

#include "not_implemented.hpp"

std::vector<double> ex::grad_b([[maybe_unused]] const wb::Tensor<double>& delta_in) {
    throw NotImplemented("05_grad_b", "Chapter 05");
}
