// Solution to exercise 02_rot180.
#include "02_rot180/rot180.hpp"

wb::Tensor<double> ex::rot180(const wb::Tensor<double>& w) {
    wb::Tensor<double> r(w.shape());
    for (int i = 0; i < w.h(); ++i)
        for (int j = 0; j < w.w(); ++j) r(w.h() - 1 - i, w.w() - 1 - j) = w(i, j);
    return r;
}
