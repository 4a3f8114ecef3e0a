// Solution to exercise 05_grad_w.
#include "05_grad_w/grad_w.hpp"

wb::Tensor<double> ex::grad_w(const wb::Tensor<double>& a, const wb::Tensor<double>& delta_in) {
    const int F1 = a.h() - delta_in.h() + 1, F2 = a.w() - delta_in.w() + 1;
    wb::Tensor<double> dw(wb::Shape{1, 1, F1, F2});
    for (int p = 0; p < F1; ++p)
        for (int q = 0; q < F2; ++q)
            for (int i = 0; i < delta_in.h(); ++i)
                for (int j = 0; j < delta_in.w(); ++j) dw(p, q) += delta_in(i, j) * a(i + p, j + q);
    return dw;
}
