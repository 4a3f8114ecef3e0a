// Verdict for exercise 07_kron.
#include <doctest/doctest.h>

#include "07_kron/kron.hpp"
#include "check.hpp"
#include "dense.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("block (i, j) is A(i, j)·B") {
    CHECK_EXACT(ex::kron(Map{{1, 2}}, Map{{1}, {10}}), (Map{{1, 2}, {10, 20}}));
    CHECK_EXACT(ex::kron(Map{{1, 2}, {3, 4}}, Map{{0, 5}, {6, 7}}),
                (Map{{0, 5, 0, 10}, {6, 7, 12, 14}, {0, 15, 0, 20}, {18, 21, 24, 28}}));
}

TEST_CASE("001 §6.2.2: δ ⊗ (1/4)·𝟙(2×2) is mean pooling's backward on 002's residual") {
    CHECK_EXACT(ex::kron(Map{{8, 4}, {16, 4}}, Map(wb::Shape{1, 1, 2, 2}, 0.25)),
                (Map{{2, 2, 1, 1}, {2, 2, 1, 1}, {4, 4, 1, 1}, {4, 4, 1, 1}}));
}

TEST_CASE("003 §2.3.1: vec(ABC) = (Cᵀ ⊗ A) vec(B) with your kron, random integer matrices") {
    wb::Rng rng(71);
    auto vec = [](const Map& M) {
        Map v(wb::Shape{1, 1, M.h() * M.w(), 1});
        for (int j = 0; j < M.w(); ++j)
            for (int i = 0; i < M.h(); ++i) v(j * M.h() + i, 0) = M(i, j);
        return v;
    };
    for (int trial = 0; trial < 20; ++trial) {
        const Map A = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(3), 1 + rng.below(3)}, rng);
        const Map B = wbtest::random_int_map(wb::Shape{1, 1, A.w(), 1 + rng.below(3)}, rng);
        const Map C = wbtest::random_int_map(wb::Shape{1, 1, B.w(), 1 + rng.below(3)}, rng);
        INFO("inputs: " << wbtest::shapes({{"A", A.shape()}, {"B", B.shape()}, {"C", C.shape()}}));
        CHECK_EXACT(wb::matmul(ex::kron(wb::transpose(C), A), vec(B)), vec(wb::matmul(wb::matmul(A, B), C)));
    }
}
