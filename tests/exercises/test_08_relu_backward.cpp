// Verdict for exercise 08_relu_backward.
#include <doctest/doctest.h>

#include "08_relu_backward/relu_backward.hpp"
#include "activation.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("passes dA where z > 0, blocks it where z < 0, and at exactly 0") {
    INFO("note: 001 §2 says ReLU's derivative is 1; it is 1 only where z > 0, and 0 below and at 0 "
         "(docs/errata.md, errata_001_relu)");
    CHECK_EXACT(ex::relu_backward(Map{{-1, 0, 2, 0.5}}, Map{{5, 6, 7, 8}}), (Map{{0, 0, 7, 8}}));
}

TEST_CASE("random 4-D tensors match the reference layer") {
    wb::Rng rng(809);
    for (int trial = 0; trial < 20; ++trial) {
        const wb::Shape s{1 + rng.below(2), 1 + rng.below(3), 1 + rng.below(4), 1 + rng.below(4)};
        const Map z = wbtest::random_int_map(s, rng, -3, 3);
        // dA of both signs: a negative dA passes where z > 0 as much as a positive one.
        const Map g = wbtest::random_int_map(s, rng, -9, 9);
        INFO("inputs: " << wbtest::shapes({{"Z", z.shape()}, {"dA", g.shape()}}));
        CHECK_EXACT(ex::relu_backward(z, g), wb::relu_backward(z, g));
    }
}
