// Exercise 11_delta_c3: replace the throw with your code, then run
//   ./workbook check 11_delta_c3
// You may use wb::unflatten (dense.hpp), wb::max_pool_backward (pooling.hpp) and
// wb::relu_backward (activation.hpp): this exercise is about chaining them right.
#include "11_delta_c3/delta_c3.hpp"

#include "not_implemented.hpp"

wb::Tensor<double> ex::delta_c3([[maybe_unused]] const ch11::Forward<double>& f,
                                [[maybe_unused]] const wb::Tensor<double>& dF) {
    throw NotImplemented("11_delta_c3", "Chapter 11");
}
