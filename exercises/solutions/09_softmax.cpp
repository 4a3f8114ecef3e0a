// Solution to exercise 09_softmax.
#include "09_softmax/softmax.hpp"

#include <algorithm>
#include <cmath>

wb::Tensor<double> ex::softmax(const wb::Tensor<double>& Z) {
    wb::Tensor<double> P(Z.shape());
    for (int n = 0; n < Z.w(); ++n) {
        double mx = Z(0, n), sum = 0;
        for (int k = 1; k < Z.h(); ++k) mx = std::max(mx, Z(k, n));
        for (int k = 0; k < Z.h(); ++k) sum += P(k, n) = std::exp(Z(k, n) - mx);
        for (int k = 0; k < Z.h(); ++k) P(k, n) /= sum;
    }
    return P;
}
