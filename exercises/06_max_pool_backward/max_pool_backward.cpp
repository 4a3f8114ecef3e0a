// Exercise 06_max_pool_backward: replace the throw with your code, then run
//   ./workbook check 06_max_pool_backward
#include "06_max_pool_backward/max_pool_backward.hpp"

#include "not_implemented.hpp"

wb::Tensor<double> ex::max_pool_backward([[maybe_unused]] const wb::Tensor<double>& a,
                                         [[maybe_unused]] const wb::Tensor<double>& delta,
                                         [[maybe_unused]] int size, [[maybe_unused]] int stride) {
    throw NotImplemented("06_max_pool_backward", "Chapter 06");
}
