// Exercise 08_sigmoid_backward: replace the throw with your code, then run
//   ./workbook check 08_sigmoid_backward
#include "08_sigmoid_backward/sigmoid_backward.hpp"

#include "not_implemented.hpp"

wb::Tensor<double> ex::sigmoid_backward([[maybe_unused]] const wb::Tensor<double>& Z,
                                        [[maybe_unused]] const wb::Tensor<double>& dA) {
    throw NotImplemented("08_sigmoid_backward", "Chapter 08");
}
