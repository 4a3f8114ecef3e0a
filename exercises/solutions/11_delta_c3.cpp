// Solution to exercise 11_delta_c3.
#include "11_delta_c3/delta_c3.hpp"

wb::Tensor<double> ex::delta_c3(const ch11::Forward<double>& f, const wb::Tensor<double>& dF) {
    const wb::Tensor<double> dp3 = wb::unflatten(dF, f.p3.shape());           // flatten⁻¹
    const wb::Tensor<double> da3 = wb::max_pool_backward(f.a3, dp3, wb::PoolSpec{2, 2});
    return wb::relu_backward(f.z3, da3);                                      // ⊙ ReLU′(z3)
}
