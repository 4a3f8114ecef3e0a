// Solution to exercise 08_sigmoid_backward.
#include "08_sigmoid_backward/sigmoid_backward.hpp"

#include <cmath>

wb::Tensor<double> ex::sigmoid_backward(const wb::Tensor<double>& Z, const wb::Tensor<double>& dA) {
    wb::Tensor<double> dZ(Z.shape());
    for (std::size_t i = 0; i < Z.size(); ++i) {
        const double s = 1 / (1 + std::exp(-Z.data()[i]));
        dZ.data()[i] = dA.data()[i] * s * (1 - s);
    }
    return dZ;
}
