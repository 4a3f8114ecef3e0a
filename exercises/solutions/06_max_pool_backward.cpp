// Solution to exercise 06_max_pool_backward.
#include "06_max_pool_backward/max_pool_backward.hpp"

wb::Tensor<double> ex::max_pool_backward(const wb::Tensor<double>& a, const wb::Tensor<double>& delta,
                                         int size, int stride) {
    wb::Tensor<double> d(a.shape());
    for (int i = 0; i < delta.h(); ++i)
        for (int j = 0; j < delta.w(); ++j) {
            int bi = i * stride, bj = j * stride;
            for (int p = 0; p < size; ++p)
                for (int q = 0; q < size; ++q)
                    if (a(i * stride + p, j * stride + q) > a(bi, bj)) bi = i * stride + p, bj = j * stride + q;
            d(bi, bj) += delta(i, j);
        }
    return d;
}
