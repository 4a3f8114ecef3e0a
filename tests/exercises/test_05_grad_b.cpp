// Verdict for exercise 05_grad_b.
#include <doctest/doctest.h>

#include "04_channels/channels.hpp"
#include "05_grad_b/grad_b.hpp"
#include "check.hpp"
#include "conv.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("000 §17.3.6 eq 12: one kernel, ∂J/∂b = δ11 + δ12 + δ21 + δ22") {
    CHECK_EXACT(ex::grad_b(Map{{1, -2}, {3, 5}}), (std::vector<double>{7}));
}

TEST_CASE("INDEX.md's sensitivity map: two kernels, one bias each → [9, 7]") {
    CHECK_EXACT(ex::grad_b(ch04::depth_delta_in()), (std::vector<double>{9, 7}));
}

TEST_CASE("a batch of 3 samples and 4 kernels: each kernel sums over every sample") {
    wb::Rng rng(52);
    const Map d = wbtest::random_int_map(wb::Shape{3, 4, 2, 3}, rng);
    std::vector<double> expected(4, 0.0);
    for (int n = 0; n < 3; ++n)
        for (int k = 0; k < 4; ++k)
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 3; ++j) expected[static_cast<std::size_t>(k)] += d(n, k, i, j);
    CHECK_EXACT(ex::grad_b(d), expected);
    const Map a(wb::Shape{3, 1, 4, 5}), w(wb::Shape{4, 1, 3, 3});
    CHECK_EXACT(ex::grad_b(d), wb::conv2d_backward(a, w, d).db);
}
