// Verdict for exercise 06_mean_pool_backward.
#include <doctest/doctest.h>

#include "06_mean_pool_backward/mean_pool_backward.hpp"
#include "check.hpp"
#include "pooling.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("002's slide: residual [[8,4],[16,4]] → δ/4 over each 2×2 window") {
    CHECK_EXACT(ex::mean_pool_backward(4, 4, Map{{8, 4}, {16, 4}}, 2, 2),
                (Map{{2, 2, 1, 1}, {2, 2, 1, 1}, {4, 4, 1, 1}, {4, 4, 1, 1}}));
}

TEST_CASE("overlapping windows add up — uncovered cells stay 0") {
    CHECK_EXACT(ex::mean_pool_backward(3, 3, Map{{4, 4}, {4, 4}}, 2, 1), (Map{{1, 2, 1}, {2, 4, 2}, {1, 2, 1}}));
    CHECK_EXACT(ex::mean_pool_backward(3, 3, Map{{4}}, 2, 2), (Map{{1, 1, 0}, {1, 1, 0}, {0, 0, 0}}));
}

TEST_CASE("random shapes match the reference layer") {
    wb::Rng rng(607);
    for (int trial = 0; trial < 40; ++trial) {
        const int size = 1 + rng.below(3), stride = 1 + rng.below(3);
        const wb::Shape s{1, 1, size + rng.below(6), size + rng.below(6)};
        const Map d = wbtest::random_int_map(wb::mean_pool_forward(Map(s), {size, stride}).shape(), rng);
        CAPTURE(s.h); CAPTURE(s.w); CAPTURE(size); CAPTURE(stride);
        INFO("inputs: " << wbtest::shapes({{"δ", d.shape()}}));
        CHECK_CLOSE(ex::mean_pool_backward(s.h, s.w, d, size, stride),
                    wb::mean_pool_backward(s, d, {size, stride}), 1e-15);
    }
}
