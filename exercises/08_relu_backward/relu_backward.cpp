// Exercise 08_relu_backward: replace the throw with your code, then run
//   ./workbook check 08_relu_backward
#include "08_relu_backward/relu_backward.hpp"

#include "not_implemented.hpp"

wb::Tensor<double> ex::relu_backward([[maybe_unused]] const wb::Tensor<double>& Z,
                                     [[maybe_unused]] const wb::Tensor<double>& dA) {
    throw NotImplemented("08_relu_backward", "Chapter 08");
}
