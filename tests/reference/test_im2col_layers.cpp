// The ladder's im2col rung (bench/im2col_layers.hpp: im2col + blocked products, threads)
// against the naive truth of conv.hpp and dense.hpp. Whole-number inputs in double make
// every sum exact whatever the order, so the two must agree bit for bit; in float they
// agree to rounding.
#include <doctest/doctest.h>

#include "check.hpp"
#include "conv_case.hpp"
#include "conv.hpp"
#include "dense.hpp"
#include "im2col_layers.hpp"

using wbtest::random_int_map;

using wbtest::int_vector;

TEST_CASE("im2col conv forward and backward equal the naive loops exactly (random shapes, "
          "strides 1-3, padding 0-2, 1 and 2 threads)") {
    wb::Rng rng(11);
    for (int trial = 0; trial < 40; ++trial) {
        const auto [a, w, b, spec, z, d, g] = wbtest::random_conv_case(rng, 3, 4, 4, 4, 7);
        for (int threads : {1, 2}) {
            CAPTURE(trial);
            CAPTURE(threads);
            CHECK_EXACT(wb::im2col::conv2d_forward(a, w, b, spec, threads), z);
            const auto f = wb::im2col::conv2d_backward(a, w, d, spec, threads);
            CHECK_EXACT(f.delta_out, g.delta_out);
            CHECK_EXACT(f.dW, g.dW);
            CHECK_EXACT(f.db, g.db);
        }
    }
}

TEST_CASE("im2col conv in float matches the naive loops to rounding (LeNet's C3 shape)") {
    wb::Rng rng(12);
    const auto a = wb::random_tensor<float>(wb::Shape{4, 6, 14, 14}, rng);
    const auto w = wb::random_tensor<float>(wb::Shape{16, 6, 5, 5}, rng);
    std::vector<float> b(16, 0.25f);
    const auto z = wb::conv2d_forward(a, w, b, {1, 0});
    const auto d = wb::random_tensor<float>(z.shape(), rng);
    const auto g = wb::conv2d_backward(a, w, d, {1, 0});
    const auto f = wb::im2col::conv2d_backward(a, w, d, {1, 0}, 2);
    // Elements near zero by cancellation get a larger relative error, so compare each
    // against the size of what was summed: |fast − naive| ≤ 1e-5 · max|naive|.
    const auto close = [](const auto& x, const auto& y) {
        double worst = 0, scale = 0;
        for (std::size_t i = 0; i < std::size(x); ++i) {
            worst = std::max(worst, std::abs(double(std::data(x)[i]) - double(std::data(y)[i])));
            scale = std::max(scale, std::abs(double(std::data(y)[i])));
        }
        return worst / scale;
    };
    CHECK(close(wb::im2col::conv2d_forward(a, w, b, {1, 0}, 2), z) < 1e-6);
    CHECK(close(f.delta_out, g.delta_out) < 1e-6);
    CHECK(close(f.dW, g.dW) < 1e-6);
    CHECK(close(f.db, g.db) < 1e-6);
}

TEST_CASE("im2col conv: the first layer may skip δ_out, and dW and db stay the same") {
    wb::Rng rng(13);
    const auto a = random_int_map(wb::Shape{2, 1, 8, 8}, rng);
    const auto w = random_int_map(wb::Shape{3, 1, 5, 5}, rng);
    const auto d = random_int_map(wb::Shape{2, 3, 8, 8}, rng);
    const auto f = wb::im2col::conv2d_backward(a, w, d, {1, 2}, 1, false);
    const auto g = wb::conv2d_backward(a, w, d, {1, 2});
    CHECK(f.delta_out.size() == 0);
    CHECK_EXACT(f.dW, g.dW);
    CHECK_EXACT(f.db, g.db);
}

TEST_CASE("im2col dense forward and backward equal the naive matrix forms exactly") {
    wb::Rng rng(14);
    for (int trial = 0; trial < 20; ++trial) {
        const int out = 1 + rng.below(40), in = 1 + rng.below(70), m = 1 + rng.below(9);
        const auto W = random_int_map(wb::Shape{1, 1, out, in}, rng);
        const auto A = random_int_map(wb::Shape{1, 1, in, m}, rng);
        const auto b = int_vector(out, rng);
        const auto dZ = random_int_map(wb::Shape{1, 1, out, m}, rng);
        const auto g = wb::dense_backward(W, A, dZ);
        for (int threads : {1, 2}) {
            CHECK_EXACT(wb::im2col::matmul(W, A, threads), wb::matmul(W, A));
            CHECK_EXACT(wb::im2col::dense_forward(W, A, b, threads), wb::dense_forward(W, A, b));
            const auto f = wb::im2col::dense_backward(W, A, dZ, threads);
            CHECK_EXACT(f.dA, g.dA);
            CHECK_EXACT(f.dW, g.dW);
            CHECK_EXACT(f.db, g.db);
        }
    }
}

TEST_CASE("im2col layers check shapes like the naive ones") {
    const wb::Tensor<double> a(wb::Shape{1, 2, 5, 5}), w(wb::Shape{1, 3, 3, 3});
    CHECK_THROWS_AS(wb::im2col::conv2d_forward(a, w, {0.0}), std::invalid_argument);
    const wb::Tensor<double> W(wb::Shape{1, 1, 3, 4}), A(wb::Shape{1, 1, 5, 2});
    CHECK_THROWS_AS(wb::im2col::matmul(W, A), std::invalid_argument);
    CHECK_THROWS_AS(wb::im2col::dense_backward(W, A, wb::Tensor<double>(wb::Shape{1, 1, 3, 2})),
                    std::invalid_argument);
}
