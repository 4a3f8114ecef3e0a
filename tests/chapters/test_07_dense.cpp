// Chapter 07: the dense layer in matrix form. 003 §2's identities and Jacobian checked
// numerically; 004 §四.4's MSE network against values computed independently (plain Python
// floats, scalar loops, no code of this repo) and against finite differences.
#include <doctest/doctest.h>

#include "07_dense/dense_matrix.hpp"
#include "check.hpp"
#include "random.hpp"

using namespace ch07;

TEST_CASE("vec stacks columns: vec([[1,2],[3,4]]) = (1, 3, 2, 4)") {
    CHECK_EXACT(vec(Map{{1, 2}, {3, 4}}), (Map{{1}, {3}, {2}, {4}}));
}

TEST_CASE("003 §2.3.1: vec(ABC) = (Cᵀ ⊗ A) vec(B) on random matrices of random shapes") {
    wb::Rng rng(71);
    for (int trial = 0; trial < 30; ++trial) {
        const int m = 1 + rng.below(4), k = 1 + rng.below(4), l = 1 + rng.below(4), n = 1 + rng.below(4);
        const Map A = wbtest::random_int_map(wb::Shape{1, 1, m, k}, rng);
        const Map B = wbtest::random_int_map(wb::Shape{1, 1, k, l}, rng);
        const Map C = wbtest::random_int_map(wb::Shape{1, 1, l, n}, rng);
        // integers: both sides exact
        CHECK_EXACT(wb::matmul(wb::kron(wb::transpose(C), A), vec(B)), vec(wb::matmul(wb::matmul(A, B), C)));
    }
}

TEST_CASE("003 eq 13: ∂vec(Z)/∂vec(W) = A^[l−1]ᵀ ⊗ I_{n_l}, by finite differences, random shapes") {
    wb::Rng rng(72);
    for (int trial = 0; trial < 20; ++trial) {
        const int out = 1 + rng.below(4), in = 1 + rng.below(4), m = 1 + rng.below(3);
        const Map A = wb::random_tensor<double>(wb::Shape{1, 1, in, m}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{1, 1, out, in}, rng);
        const std::vector<double> b(static_cast<std::size_t>(out), 0.3);
        const Map J = numerical_jacobian([&](const Map& Wx) { return wb::dense_forward(Wx, A, b); }, W);
        CHECK_CLOSE(J, eq13_jacobian(A, out), 1e-9);
    }
}

TEST_CASE("003 eqs 16–18: (A ⊗ I) vec(∂J/∂Z) is vec(∂J/∂Z Aᵀ), a column — eq 17 needs vec on the right") {
    const Map A{{1, 2}, {3, 4}, {5, 6}};
    const Map dZ{{1, -1}, {2, 3}};
    const Map lhs = wb::matmul(wb::kron(A, identity(2)), vec(dZ));
    CHECK(lhs.shape() == wb::Shape{1, 1, 6, 1});
    const Map dW = wb::matmul(dZ, wb::transpose(A));  // (eq 18) the 2×3 matrix itself
    CHECK(dW.shape() == wb::Shape{1, 1, 2, 3});
    CHECK_EXACT(lhs, vec(dW));
    CHECK_EXACT(dW, wb::dense_backward(Map{{1, 0, -1}, {2, 1, 0}}, A, dZ).dW);
}

TEST_CASE("004 eqs 4.11–4.12: the MSE network's forward pass (values from an independent computation)") {
    const MseForward f = mse_forward(example_net(), example_x(), example_y());
    CHECK_CLOSE(f.z2, (Map{{1.1}, {-0.45}, {-1.45}}), 1e-15);
    CHECK_CLOSE(f.a3, (Map{{0.690632961568477}, {0.4309409508308587}}), 1e-14);
    CHECK(std::abs(f.J - 0.14070903378544802) < 1e-15);
}

TEST_CASE("004 eqs 4.13–4.19: δ³, ∂J/∂W³, ∂J/∂b³, δ², ∂J/∂W², ∂J/∂b² (independent values)") {
    const MseNet net = example_net();
    const MseGrads g = mse_backward(net, example_x(), example_y(), mse_forward(net, example_x(), example_y()));
    CHECK_CLOSE(g.delta3, (Map{{-0.06609907494615043}, {0.10568001469289899}}), 1e-13);
    CHECK_CLOSE(g.dW3, (Map{{-0.04959149894883842, -0.02573638645628092, -0.012558927751932122},
                            {0.07928749898278799, 0.04114765147708463, 0.020079368288172094}}), 1e-13);
    CHECK_CLOSE(g.db3, (std::vector<double>{-0.06609907494615043, 0.10568001469289899}), 1e-13);
    CHECK_CLOSE(g.delta2, (Map{{-0.02723591442855425}, {0.020421008843530517}, {0.01372107891592322}}), 1e-13);
    CHECK_CLOSE(g.dW2, (Map{{-0.02723591442855425, 0.0544718288571085},
                            {0.020421008843530517, -0.040842017687061034},
                            {0.01372107891592322, -0.02744215783184644}}), 1e-13);
    CHECK_CLOSE(g.db2, (std::vector<double>{-0.02723591442855425, 0.020421008843530517, 0.01372107891592322}), 1e-13);
}

TEST_CASE("004 eqs 4.13–4.19 vs finite differences of J (< 1e-7)") {
    const MseNet net = example_net();
    const MseGrads g = mse_backward(net, example_x(), example_y(), mse_forward(net, example_x(), example_y()));
    const MseGrads num = mse_numerical(net, example_x(), example_y());
    CHECK_CLOSE(g.dW3, num.dW3, 1e-7);
    CHECK_CLOSE(g.db3, num.db3, 1e-7);
    CHECK_CLOSE(g.dW2, num.dW2, 1e-7);
    CHECK_CLOSE(g.db2, num.db2, 1e-7);
}

TEST_CASE("004 §四.4 index slips: W^{L−1} in the output layer and b^l in layer l+1 do not fit the shapes") {
    const MseNet net = example_net();
    const MseForward f = mse_forward(net, example_x(), example_y());
    // as printed: a^L = σ(W^{L−1} a^{L−1} + b^L) — W² is 3×2, a² has 3 rows
    CHECK_THROWS_AS(wb::dense_forward(net.W2, f.a2, net.b3), std::invalid_argument);
    // as printed: z^{l+1} = W^{l+1} a^l + b^l — b² has 3 values, z³ has 2 rows
    CHECK_THROWS_AS(wb::dense_forward(net.W3, f.a2, net.b2), std::invalid_argument);
    // as meant: W^L and b^L
    CHECK_EXACT(wb::dense_forward(net.W3, f.a2, net.b3), f.z3);
}

TEST_CASE("004 eq 4.15 on four σ layers: δ^l as the product of one factor ∂z^{k+1}/∂z^k per layer = finite differences, every l") {
    // Deeper than 004's example: eq 4.15's printed product skips ∂z^{L−1}/∂z^{L−2}, which
    // first matters for l = L − 2. Widths 3 → 4 → 5 → 3 → 2, so a skipped factor cannot fit.
    wb::Rng rng(415);
    const int width[5] = {3, 4, 5, 3, 2};
    std::vector<Map> W(5);
    std::vector<std::vector<double>> b(5);
    for (int k = 1; k <= 4; ++k) {
        W[static_cast<std::size_t>(k)] = wb::random_tensor<double>(wb::Shape{1, 1, width[k], width[k - 1]}, rng);
        for (int i = 0; i < width[k]; ++i) b[static_cast<std::size_t>(k)].push_back(rng.uniform(-0.5, 0.5));
    }
    const Map x = wb::random_tensor<double>(wb::Shape{1, 1, 3, 1}, rng), y{{0.3}, {0.8}};
    // forward(zl, l): z^L from z^l onward; z^l itself comes from the input.
    std::vector<Map> z(5);
    Map a = x;
    for (std::size_t k = 1; k <= 4; ++k) a = wb::sigmoid(z[k] = wb::dense_forward(W[k], a, b[k]));
    const Map aL = a;
    for (int l = 1; l <= 4; ++l) {
        CAPTURE(l);
        Map zl = z[static_cast<std::size_t>(l)];
        const auto J = [&] {
            Map act = wb::sigmoid(zl);
            for (std::size_t k = static_cast<std::size_t>(l) + 1; k <= 4; ++k)
                act = wb::sigmoid(wb::dense_forward(W[k], act, b[k]));
            double j = 0;
            for (int i = 0; i < 2; ++i) j += 0.5 * (act(i, 0) - y(i, 0)) * (act(i, 0) - y(i, 0));
            return j;
        };
        const auto num = wb::numerical_gradient(J, std::span<double>(zl.data(), zl.size()));
        const Map d = delta_by_chain(W, z, aL, y, l);
        CHECK(wb::relative_error(std::vector<double>(d.begin(), d.end()), num) < 1e-7);
    }
}
