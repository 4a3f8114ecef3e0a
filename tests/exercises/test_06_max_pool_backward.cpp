// Verdict for exercise 06_max_pool_backward.
#include <doctest/doctest.h>

#include "06_max_pool_backward/max_pool_backward.hpp"
#include "check.hpp"
#include "pooling.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("002's slide: residual [[7,3],[1,4]] on [[1,8,4,3],[7,2,1,9],[6,1,2,4],[8,7,6,0]]") {
    const Map a{{1, 8, 4, 3}, {7, 2, 1, 9}, {6, 1, 2, 4}, {8, 7, 6, 0}};
    CHECK_EXACT(ex::max_pool_backward(a, Map{{7, 3}, {1, 4}}, 2, 2),
                (Map{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 4, 0}}));
}

TEST_CASE("ties go to the first maximum in row-major order") {
    CHECK_EXACT(ex::max_pool_backward(Map{{1, 7}, {7, 2}}, Map{{3}}, 2, 2), (Map{{0, 3}, {0, 0}}));
    CHECK_EXACT(ex::max_pool_backward(Map{{5, 5}, {5, 5}}, Map{{3}}, 2, 2), (Map{{3, 0}, {0, 0}}));
}

TEST_CASE("overlapping windows add up (size 2, stride 1)") {
    CHECK_EXACT(ex::max_pool_backward(Map{{1, 2, 1}, {2, 9, 2}, {1, 2, 1}}, Map{{1, 2}, {3, 4}}, 2, 1),
                (Map{{0, 0, 0}, {0, 10, 0}, {0, 0, 0}}));
}

TEST_CASE("random maps, sizes and strides match the reference layer") {
    wb::Rng rng(606);
    for (int trial = 0; trial < 40; ++trial) {
        const int size = 1 + rng.below(3), stride = 1 + rng.below(3);
        const Map a = wbtest::random_int_map(wb::Shape{1, 1, size + rng.below(6), size + rng.below(6)}, rng, -9, 9);
        const Map d = wbtest::random_int_map(wb::max_pool_forward(a, {size, stride}).shape(), rng);
        CAPTURE(size); CAPTURE(stride);
        INFO("inputs: " << wbtest::shapes({{"a", a.shape()}, {"δ", d.shape()}}));
        CHECK_EXACT(ex::max_pool_backward(a, d, size, stride), wb::max_pool_backward(a, d, {size, stride}));
    }
}
