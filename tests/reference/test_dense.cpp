// The dense layer in matrix form (003 §2, 004 §四.4) and flatten (004 §四.3): hand-checked
// products, shape errors, and every gradient against finite differences over random shapes.
#include <doctest/doctest.h>

#include <span>
#include <string>

#include "check.hpp"
#include "dense.hpp"
#include "gradcheck.hpp"
#include "random.hpp"

using wb::Shape;
using M = wb::Tensor<double>;

TEST_CASE("matmul and transpose on hand-computed 2×3 · 3×2") {
    const M A{{1, 2, 3}, {4, 5, 6}};
    const M B{{7, 8}, {9, 10}, {11, 12}};
    // 1·7 + 2·9 + 3·11 = 58, 1·8 + 2·10 + 3·12 = 64, 4·7 + 5·9 + 6·11 = 139, 4·8 + 5·10 + 6·12 = 154
    CHECK_EXACT(wb::matmul(A, B), (M{{58, 64}, {139, 154}}));
    CHECK_EXACT(wb::transpose(A), (M{{1, 4}, {2, 5}, {3, 6}}));
    CHECK_EXACT(wb::transpose(wb::transpose(B)), B);
}

TEST_CASE("003 §2.4: Z = W A + b·1ᵀ adds the same bias to every sample (column)") {
    const M W{{1, 0, -1}, {2, 1, 0}};
    const M A{{1, 2}, {3, 4}, {5, 6}};  // two samples, one per column
    // column 1: (1 − 5, 2 + 3) = (−4, 5); column 2: (2 − 6, 4 + 4) = (−4, 8); plus b = (10, −1)
    CHECK_EXACT(wb::dense_forward(W, A, {10.0, -1.0}), (M{{6, 6}, {4, 7}}));
}

TEST_CASE("003 eqs 8, 20, 24 on a hand example: dA = Wᵀ dZ, dW = dZ Aᵀ, db = row sums") {
    const M W{{1, 0, -1}, {2, 1, 0}};
    const M A{{1, 2}, {3, 4}, {5, 6}};
    const M dZ{{1, -1}, {2, 3}};
    const auto g = wb::dense_backward(W, A, dZ);
    // dA column 1 = 1·(1,0,−1) + 2·(2,1,0) = (5, 2, −1); column 2 = −1·(1,0,−1) + 3·(2,1,0) = (5, 3, 1)
    CHECK_EXACT(g.dA, (M{{5, 5}, {2, 3}, {-1, 1}}));
    // dW row 1 = 1·(1,3,5) − 1·(2,4,6) = (−1, −1, −1); row 2 = 2·(1,3,5) + 3·(2,4,6) = (8, 18, 28)
    CHECK_EXACT(g.dW, (M{{-1, -1, -1}, {8, 18, 28}}));
    CHECK_EXACT(g.db, (std::vector<double>{0, 5}));
}

TEST_CASE("shape errors name both shapes") {
    CHECK_THROWS_WITH_AS(wb::matmul(M(Shape{1, 1, 2, 3}), M(Shape{1, 1, 2, 3})),
                         "matmul: A is 2×3, B is 2×3: A's columns must equal B's rows",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::matmul(M(Shape{2, 1, 2, 3}), M(Shape{1, 1, 3, 3})),
                         "matmul: A must be a matrix (1×1×rows×cols), got 2×1×2×3",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::dense_forward(M(Shape{1, 1, 4, 3}), M(Shape{1, 1, 5, 2}), std::vector<double>(4)),
                         "dense_forward: W is 4×3 (out×in) but A is 5×2 (in×batch): in differs",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::dense_forward(M(Shape{1, 1, 4, 3}), M(Shape{1, 1, 3, 2}), std::vector<double>(3)),
                         "dense_forward: W is 4×3 with 4 outputs but b has 3 values",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::dense_backward(M(Shape{1, 1, 4, 3}), M(Shape{1, 1, 3, 2}), M(Shape{1, 1, 4, 3})),
                         "dense_backward: dZ (for W 4×3, A 3×2) is 4×3, expected 4×2",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::unflatten(M(Shape{1, 1, 12, 2}), Shape{2, 2, 2, 2}),
                         "unflatten: matrix (to become 2×2×2×2) is 12×2, expected 8×2",
                         std::invalid_argument);
}

TEST_CASE("property: dense backward = finite differences over 100 random shapes (< 1e-7)") {
    wb::Rng rng(707);
    double worst = 0;
    for (int trial = 0; trial < 100; ++trial) {
        const int out = 1 + rng.below(6), in = 1 + rng.below(6), batch = 1 + rng.below(4);
        CAPTURE(out);
        CAPTURE(in);
        CAPTURE(batch);
        M W = wb::random_tensor<double>(Shape{1, 1, out, in}, rng);
        M A = wb::random_tensor<double>(Shape{1, 1, in, batch}, rng);
        std::vector<double> b(static_cast<std::size_t>(out));
        for (auto& v : b) v = rng.uniform(-1, 1);
        const M G = wb::random_tensor<double>(Shape{1, 1, out, batch}, rng);
        auto Z = [&] { return wb::dense_forward(W, A, b).values(); };
        const std::span<const double> g(G.values());
        // Z is linear in each single W, A or b element: no truncation error, step 1e-3.
        const auto dW = wb::numerical_vjp(Z, std::span<double>(W.values()), g, 1e-3);
        const auto dA = wb::numerical_vjp(Z, std::span<double>(A.values()), g, 1e-3);
        const auto db = wb::numerical_vjp(Z, std::span<double>(b), g, 1e-3);
        const auto an = wb::dense_backward(W, A, G);
        const double e = std::max({wb::relative_error(an.dW.values(), dW),
                                   wb::relative_error(an.dA.values(), dA),
                                   wb::relative_error(an.db, db)});
        worst = std::max(worst, e);
        CHECK(e < 1e-7);
    }
    MESSAGE("dense: worst relative error " << wb::sci(worst));
}

TEST_CASE("004 §四.3 flatten: N×C×H×W → {C·H·W, N}, column n = sample n in C, H, W order") {
    const M a = M::from(Shape{2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    // sample 0 = channels (1 2) (3 4) → column (1, 2, 3, 4); sample 1 → (5, 6, 7, 8)
    CHECK_EXACT(wb::flatten(a), (M{{1, 5}, {2, 6}, {3, 7}, {4, 8}}));
    CHECK_EXACT(wb::unflatten(wb::flatten(a), a.shape()), a);
}

TEST_CASE("property: unflatten(flatten(a)) = a and flatten(unflatten(m)) = m, random shapes") {
    wb::Rng rng(708);
    for (int trial = 0; trial < 50; ++trial) {
        const Shape s{1 + rng.below(3), 1 + rng.below(4), 1 + rng.below(5), 1 + rng.below(5)};
        CAPTURE(s.str());
        const M a = wb::random_tensor<double>(s, rng);
        const M m = wb::flatten(a);
        CHECK(m.shape() == Shape{1, 1, s.c * s.h * s.w, s.n});
        CHECK_EXACT(wb::unflatten(m, s), a);
        const M r = wb::random_tensor<double>(m.shape(), rng);
        CHECK_EXACT(wb::flatten(wb::unflatten(r, s)), r);
        // Flatten only moves values, so its backward is unflatten: Σ G ⊙ flatten(a) has
        // gradient unflatten(G).
        const int n = rng.below(s.n), c = rng.below(s.c), h = rng.below(s.h), w = rng.below(s.w);
        CHECK(m((c * s.h + h) * s.w + w, n) == a(n, c, h, w));
    }
}

TEST_CASE("kron: block (i, j) is A(i, j)·B, by hand, and it refuses a non-matrix") {
    CHECK_EXACT(wb::kron(M{{1, 2}, {3, 4}}, M{{0, 5}, {6, 7}}),
                (M{{0, 5, 0, 10}, {6, 7, 12, 14}, {0, 15, 0, 20}, {18, 21, 24, 28}}));
    CHECK_THROWS_AS(wb::kron(M(wb::Shape{1, 2, 2, 2}), M{{1}}), std::invalid_argument);
}
