// Verdict for exercise 07_dense_backward.
#include <doctest/doctest.h>

#include "07_dense_backward/dense_backward.hpp"
#include "check.hpp"
#include "dense.hpp"

using Map = wb::Tensor<double>;

namespace {
const Map W{{1, 0, -1}, {2, 1, 0}};
const Map A{{1, 2}, {3, 4}, {5, 6}};
const Map dZ{{1, -1}, {2, 3}};
}  // namespace

TEST_CASE("003 eq 8: dA = Wᵀ dZ on a hand example") {
    CHECK_EXACT(ex::dense_backward(W, A, dZ).dA, (Map{{5, 5}, {2, 3}, {-1, 1}}));
}

TEST_CASE("003 eq 20: dW = dZ Aᵀ on a hand example") {
    CHECK_EXACT(ex::dense_backward(W, A, dZ).dW, (Map{{-1, -1, -1}, {8, 18, 28}}));
}

TEST_CASE("003 eq 24: db = row sums of dZ") {
    CHECK_EXACT(ex::dense_backward(W, A, dZ).db, (std::vector<double>{0, 5}));
}

TEST_CASE("random shapes match the reference layer") {
    wb::Rng rng(707);
    for (int trial = 0; trial < 30; ++trial) {
        const int out = 1 + rng.below(5), in = 1 + rng.below(5), m = 1 + rng.below(4);
        const Map Wr = wbtest::random_int_map(wb::Shape{1, 1, out, in}, rng);
        const Map Ar = wbtest::random_int_map(wb::Shape{1, 1, in, m}, rng);
        const Map G = wbtest::random_int_map(wb::Shape{1, 1, out, m}, rng);
        const auto ref = wb::dense_backward(Wr, Ar, G);
        INFO("inputs: " << wbtest::shapes({{"W", Wr.shape()}, {"A", Ar.shape()}, {"dZ", G.shape()}}));
        CHECK_EXACT(ex::dense_backward(Wr, Ar, G).dA, ref.dA);
        CHECK_EXACT(ex::dense_backward(Wr, Ar, G).dW, ref.dW);
        CHECK_EXACT(ex::dense_backward(Wr, Ar, G).db, ref.db);
    }
}
