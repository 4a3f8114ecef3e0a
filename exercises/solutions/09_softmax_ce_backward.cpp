// Solution to exercise 09_softmax_ce_backward.
#include "09_softmax_ce_backward/softmax_ce_backward.hpp"

wb::Tensor<double> ex::softmax_ce_backward(const wb::Tensor<double>& P, const std::vector<int>& labels) {
    wb::Tensor<double> dZ = P;
    for (int n = 0; n < P.w(); ++n) dZ(labels[static_cast<std::size_t>(n)], n) -= 1;
    for (auto& v : dZ) v /= P.w();
    return dZ;
}
