// Solution to exercise 07_dense_backward.
#include "07_dense_backward/dense_backward.hpp"

ex::DenseGrads ex::dense_backward(const wb::Tensor<double>& W, const wb::Tensor<double>& A,
                                  const wb::Tensor<double>& dZ) {
    DenseGrads g{wb::Tensor<double>(A.shape()), wb::Tensor<double>(W.shape()),
                 std::vector<double>(static_cast<std::size_t>(W.h()), 0.0)};
    for (int i = 0; i < W.h(); ++i)
        for (int n = 0; n < dZ.w(); ++n) {
            g.db[static_cast<std::size_t>(i)] += dZ(i, n);
            for (int k = 0; k < W.w(); ++k) {
                g.dA(k, n) += W(i, k) * dZ(i, n);  // (Wᵀ dZ)(k, n)
                g.dW(i, k) += dZ(i, n) * A(k, n);  // (dZ Aᵀ)(i, k)
            }
        }
    return g;
}
