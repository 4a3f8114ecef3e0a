// Solution to exercise 03_zero_insert.
#include "03_zero_insert/zero_insert.hpp"

wb::Tensor<double> ex::zero_insert(const wb::Tensor<double>& delta, int S) {
    wb::Tensor<double> out(wb::Shape{1, 1, (delta.h() - 1) * S + 1, (delta.w() - 1) * S + 1});
    for (int i = 0; i < delta.h(); ++i)
        for (int j = 0; j < delta.w(); ++j) out(i * S, j * S) = delta(i, j);
    return out;
}
