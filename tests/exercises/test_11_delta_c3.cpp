// Verdict for exercise 11_delta_c3.
#include <doctest/doctest.h>

#include "11_delta_c3/delta_c3.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

namespace {
/// A forward pass cut down to what the hinge needs: one 4×4 map z3 and its pooled 2×2.
ch11::Forward<double> small_forward(const Map& z3) {
    ch11::Forward<double> f;
    f.z3 = z3;
    f.a3 = wb::relu(z3);
    f.p3 = wb::max_pool_forward(f.a3, wb::PoolSpec{2, 2});
    f.f = wb::flatten(f.p3);
    return f;
}
}  // namespace

TEST_CASE("002's max-pooling example: δ (7, 3, 1, 4) goes to 8, 9, 8 and 6") {
    const Map z3{{1, 8, 4, 3}, {7, 2, 1, 9}, {6, 1, 2, 4}, {8, 7, 6, 0}};
    const Map dF = Map::from(wb::Shape{1, 1, 4, 1}, {7, 3, 1, 4});
    CHECK_EXACT(ex::delta_c3(small_forward(z3), dF),
                (Map{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 4, 0}}));
}

TEST_CASE("a window that ReLU switched off passes nothing back") {
    // Bottom-right window all negative: a3 is 0 there, ReLU′(z3) = 0, so δ = 0.
    const Map z3{{1, 8, 4, 3}, {7, 2, 1, 9}, {6, 1, -2, -4}, {8, 7, -6, -1}};
    const Map dF = Map::from(wb::Shape{1, 1, 4, 1}, {7, 3, 1, 4});
    CHECK_EXACT(ex::delta_c3(small_forward(z3), dF),
                (Map{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 0, 0}}));
}

TEST_CASE("inside LeNet: C3's kernel gradient from your δ equals the network's") {
    wb::Rng rng(9);
    const auto p = ch11::init_params<double>(rng);
    const Map x = wb::random_tensor<double>(wb::Shape{3, 1, 28, 28}, rng, 0, 1);
    const std::vector<int> y{1, 7, 4};
    const auto f = ch11::forward(p, x);
    const auto g = ch11::backward(p, f, y);
    // ∂J/∂f from the top three layers, as the network computes it.
    const Map dz7 = wb::softmax_ce_backward(f.prob, y);
    const Map dz6 = wb::relu_backward(f.z6, wb::dense_backward(p.f7w, f.a6, dz7).dA);
    const Map dz5 = wb::relu_backward(f.z5, wb::dense_backward(p.f6w, f.a5, dz6).dA);
    const Map dF = wb::dense_backward(p.f5w, f.f, dz5).dA;
    const auto c3 = [&] { return wb::conv2d_backward(f.p1, p.c3w, ex::delta_c3(f, dF), {1, 0}).dW; };
    CHECK_CLOSE(c3(), g.c3w, 1e-12);
}
