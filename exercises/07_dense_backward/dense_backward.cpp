// Exercise 07_dense_backward: replace the throw with your code, then run
//   ./workbook check 07_dense_backward
#include "07_dense_backward/dense_backward.hpp"

#include "not_implemented.hpp"

ex::DenseGrads ex::dense_backward([[maybe_unused]] const wb::Tensor<double>& W,
                                    [[maybe_unused]] const wb::Tensor<double>& A,
                                    [[maybe_unused]] const wb::Tensor<double>& dZ) {
    throw NotImplemented("07_dense_backward", "Chapter 07");
}
