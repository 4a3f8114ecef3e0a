// The batch-innermost fast layers (reference/fast/: conv, pooling, dense and their kernels)
// against the naive truth of conv.hpp, pooling.hpp, activation.hpp, dense.hpp and
// softmax.hpp. Whole numbers in double make every sum exact in any order, so the two must
// agree bit for bit; in float they agree to rounding. Batches of 1 to 2·L + 3 images cover partial blocks of L = lanes<T> images.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <tuple>
#include <type_traits>
#include <vector>

#include "fast/conv.hpp"
#include "fast/dense.hpp"
#include "fast/pooling.hpp"
#include "check.hpp"
#include "conv_case.hpp"

using wb::batch::Batch;
using Argmax = wb::batch::WindowArgmax<double>;
using wbtest::int_vector;
using wbtest::random_int_map;

namespace {

constexpr int L = wb::simd::lanes<double>;

// |fast − naive| / max|naive|: elements that cancel to near zero would make an
// element-wise relative error meaningless, so the error is measured against the scale of
// what was summed.
template <class X, class Y>
double scaled_error(const X& x, const Y& y) {
    double worst = 0, scale = 0;
    for (std::size_t i = 0; i < std::size(y); ++i) {
        worst = std::max(worst, std::abs(double(std::data(x)[i]) - double(std::data(y)[i])));
        scale = std::max(scale, std::abs(double(std::data(y)[i])));
    }
    return scale > 0 ? worst / scale : worst;
}

}  // namespace

TEST_CASE("batch conv forward and backward equal the naive loops exactly (random shapes, "
          "strides 1-3, padding 0-2, sizes the stride does not divide, 1 and 2 threads)") {
    wb::Rng rng(21);
    for (int trial = 0; trial < 60; ++trial) {
        const auto [a, w, b, spec, z, d, g] = wbtest::random_conv_case(rng, 2 * L + 3, 10, 5, 6, 8);
        const Batch<double> ab = Batch<double>::from(a), db = Batch<double>::from(d);
        for (int threads : {1, 2}) {
            CAPTURE(trial);
            CAPTURE(threads);
            wb::ThreadPool pool(threads);
            Batch<double> zb, dout;
            wb::batch::conv_forward(ab, w, b, spec, zb, pool);
            CHECK_EXACT(zb.tensor(), z);
            wb::Tensor<double> dW;
            std::vector<double> dbias;
            wb::batch::conv_backward(ab, w, db, spec, &dout, dW, dbias, pool);
            CHECK_EXACT(dout.tensor(), g.delta_out);
            CHECK_EXACT(dW, g.dW);
            CHECK_EXACT(dbias, g.db);
        }
    }
}

TEST_CASE("batch conv in float is within 1e-6 of the naive loops run in double on the same "
          "numbers, with the same bits on 1, 2 and 3 threads (LeNet's C1 and C3)") {
    // The naive loops in float add 29,000 terms one by one and are themselves off by
    // ~1e-5 for these sizes; the truth to compare with is the same formula in double.
    const auto in_double = [](const wb::Tensor<float>& t) {
        wb::Tensor<double> d(t.shape());
        std::copy(t.begin(), t.end(), d.begin());
        return d;
    };
    wb::Rng rng(22);
    struct Layer {
        wb::Shape a, w;
        wb::ConvSpec spec;
    };
    for (const Layer& layer : {Layer{{37, 1, 28, 28}, {6, 1, 5, 5}, {1, 2}},
                               Layer{{37, 6, 14, 14}, {16, 6, 5, 5}, {1, 0}}}) {
        const auto a = wb::random_tensor<float>(layer.a, rng);
        const auto w = wb::random_tensor<float>(layer.w, rng);
        const std::vector<float> b(static_cast<std::size_t>(layer.w.n), 0.25f);
        const auto d = wb::random_tensor<float>(wb::conv2d_forward(a, w, b, layer.spec).shape(), rng);
        const auto z = wb::conv2d_forward(in_double(a), in_double(w),
                                          std::vector<double>(b.begin(), b.end()), layer.spec);
        const auto g = wb::conv2d_backward(in_double(a), in_double(w), in_double(d), layer.spec);
        const auto ab = Batch<float>::from(a), db = Batch<float>::from(d);
        std::vector<wb::Tensor<float>> dWs;
        for (int threads : {1, 2, 3}) {
            wb::ThreadPool pool(threads);
            Batch<float> zb, dout;
            wb::Tensor<float> dW;
            std::vector<float> dbias;
            wb::batch::conv_forward(ab, w, b, layer.spec, zb, pool);
            wb::batch::conv_backward(ab, w, db, layer.spec, &dout, dW, dbias, pool);
            CHECK(scaled_error(zb.tensor(), z) < 1e-6);
            CHECK(scaled_error(dout.tensor(), g.delta_out) < 1e-6);
            CHECK(scaled_error(dW, g.dW) < 1e-6);
            CHECK(scaled_error(dbias, g.db) < 1e-6);
            dWs.push_back(dW);
        }
        CHECK(dWs[0] == dWs[1]);
        CHECK(dWs[0] == dWs[2]);
    }
}

TEST_CASE("batch max pooling and ReLU, apart and fused, equal the naive loops exactly (ties, "
          "overlapping windows, sizes the stride does not divide)") {
    wb::Rng rng(23);
    wb::ThreadPool pool(2);
    for (int trial = 0; trial < 40; ++trial) {
        CAPTURE(trial);
        const int N = 1 + rng.below(2 * L + 3), C = 1 + rng.below(3);
        const wb::PoolSpec s{1 + rng.below(3), 1 + rng.below(3)};
        const int H = s.size + rng.below(6), W = s.size + rng.below(6);
        // Values in [-2, 2]: many ties inside a window.
        const auto a = random_int_map(wb::Shape{N, C, H, W}, rng, -2, 2);
        const auto z = wb::max_pool_forward(a, s);
        const auto d = random_int_map(z.shape(), rng);
        const auto ab = Batch<double>::from(a), db = Batch<double>::from(d);
        Batch<double> zb, back, r;
        Argmax at;
        wb::batch::max_pool_forward(ab, s, zb, at, pool);
        CHECK_EXACT(zb.tensor(), z);
        wb::batch::max_pool_backward(a.shape(), at, db, s, back, pool);
        CHECK_EXACT(back.tensor(), wb::max_pool_backward(a, d, s));
        wb::batch::relu(ab, r, pool);
        CHECK_EXACT(r.tensor(), wb::relu(a));
        // Fused: pool(relu(a)) and relu_backward(a, pool_backward(relu(a), δ)), one pass each.
        Batch<double> fused, dfused;
        wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, s, fused, at, pool);
        CHECK_EXACT(fused.tensor(), wb::max_pool_forward(wb::relu(a), s));
        wb::batch::max_pool_backward(a.shape(), at, db, s, dfused, pool);
        CHECK_EXACT(dfused.tensor(), wb::relu_backward(a, wb::max_pool_backward(wb::relu(a), d, s)));
    }
    // LeNet's 2×2 windows with stride 2 tile its maps exactly (the path that skips clearing).
    for (const wb::Shape shape : {wb::Shape{L + 1, 6, 28, 28}, wb::Shape{3, 16, 10, 10}}) {
        const auto a = random_int_map(shape, rng, -2, 2);
        const auto d = random_int_map(wb::max_pool_forward(a, {2, 2}).shape(), rng);
        const auto ab = Batch<double>::from(a), db = Batch<double>::from(d);
        Batch<double> z, zfused, back, fused;
        Argmax at;
        wb::batch::max_pool_forward(ab, {2, 2}, z, at, pool);
        wb::batch::max_pool_backward(a.shape(), at, db, {2, 2}, back, pool);
        CHECK_EXACT(back.tensor(), wb::max_pool_backward(a, d, {2, 2}));
        wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, {2, 2}, zfused, at, pool);
        wb::batch::max_pool_backward(a.shape(), at, db, {2, 2}, fused, pool);
        CHECK_EXACT(fused.tensor(), wb::relu_backward(a, wb::max_pool_backward(wb::relu(a), d, {2, 2})));
    }
}

TEST_CASE("a NaN (or ∞ and −∞) in a pooling window: batch max pooling and ReLU, apart and fused, "
          "give the naive loops' NaNs at the same places and route δ the same way") {
    wb::Rng rng(25);
    wb::ThreadPool pool(2);
    // NaN ≠ NaN, so each NaN is marked by a value the whole numbers below never take.
    const auto marked = [](wb::Tensor<double> t) {
        for (auto& v : t) v = std::isnan(v) ? -999.0 : v;
        return t;
    };
    int nans_out = 0;
    for (int trial = 0; trial < 40; ++trial) {
        CAPTURE(trial);
        const int N = 1 + rng.below(2 * L + 3), C = 1 + rng.below(3);
        const wb::PoolSpec s{1 + rng.below(3), 1 + rng.below(3)};
        const int H = s.size + rng.below(6), W = s.size + rng.below(6);
        auto a = random_int_map(wb::Shape{N, C, H, W}, rng, -2, 2);
        for (int k = 0; k < 1 + rng.below(4); ++k) a.values()[rng.below(static_cast<int>(a.size()))] = std::nan("");
        // ∞ and −∞ in one window add up to a NaN too, with no NaN in the window.
        for (int k = 0; k < rng.below(3); ++k)
            a.values()[rng.below(static_cast<int>(a.size()))] = rng.below(2) ? HUGE_VAL : -HUGE_VAL;
        const auto z = wb::max_pool_forward(a, s);
        for (double v : z) nans_out += std::isnan(v);
        const auto d = random_int_map(z.shape(), rng);
        const auto ab = Batch<double>::from(a), db = Batch<double>::from(d);
        Batch<double> zb, back, r, fused, dfused;
        Argmax at;
        wb::batch::max_pool_forward(ab, s, zb, at, pool);
        CHECK_EXACT(marked(zb.tensor()), marked(z));
        wb::batch::max_pool_backward(a.shape(), at, db, s, back, pool);
        CHECK_EXACT(back.tensor(), wb::max_pool_backward(a, d, s));
        wb::batch::relu(ab, r, pool);
        CHECK_EXACT(marked(r.tensor()), marked(wb::relu(a)));
        wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, s, fused, at, pool);
        CHECK_EXACT(marked(fused.tensor()), marked(wb::max_pool_forward(wb::relu(a), s)));
        wb::batch::max_pool_backward(a.shape(), at, db, s, dfused, pool);
        CHECK_EXACT(dfused.tensor(), wb::relu_backward(a, wb::max_pool_backward(wb::relu(a), d, s)));
    }
    CHECK(nans_out > 40);  // the NaNs reached the outputs, not only the inputs
    // Windows holding ∞ and −∞ (their sums NaN, no NaN in them): the first ∞ is the maximum.
    wb::Tensor<double> a(wb::Shape{1, 1, 2, 4});
    const double inf = HUGE_VAL, in[] = {1, -inf, -inf, 3, inf, inf, inf, 2};
    std::copy(std::begin(in), std::end(in), a.begin());
    const auto d = random_int_map(wb::Shape{1, 1, 1, 2}, rng);
    const auto ab = Batch<double>::from(a), db = Batch<double>::from(d);
    Batch<double> z, back;
    Argmax at;
    wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, {2, 2}, z, at, pool);
    CHECK_EXACT(z.tensor(), wb::max_pool_forward(wb::relu(a), {2, 2}));
    wb::batch::max_pool_backward(a.shape(), at, db, {2, 2}, back, pool);
    CHECK_EXACT(back.tensor(), wb::relu_backward(a, wb::max_pool_backward(wb::relu(a), d, {2, 2})));
}

TEST_CASE("the 2×2 window's tournament finds the scan's maximum and position, bit for bit, in "
          "every window of −∞, −1, −0, +0, 1, ∞ and NaN (ties, signed zeros), with and without ReLU") {
    const auto same = []<class T, bool Relu>() {
        constexpr int N = wb::simd::lanes<T>;
        using V = wb::simd::Vec<T>;
        constexpr T inf = std::numeric_limits<T>::infinity();
        const T values[] = {-inf, -1, T(-0.0), 0, 1, inf, std::numeric_limits<T>::quiet_NaN()};
        constexpr int K = std::size(values), windows = K * K * K * K;
        int checked = 0;
        for (int w0 = 0; w0 < windows; w0 += N) {
            T in[4][N];
            for (int l = 0; l < N; ++l)  // lane l: window w0 + l, its digits base K
                for (int t = 0, w = (w0 + l) % windows; t < 4; ++t, w /= K) in[t][l] = values[w % K];
            using wb::simd::load;
            const V v[4] = {load(in[0]), load(in[1]), load(in[2]), load(in[3])};
            const auto value = [&](int t) { return v[t]; };
            const auto [best, arg] = wb::batch::detail::window_max<Relu, T>(4, value);
            const auto [best4, arg4] = wb::batch::detail::window_max_2x2<Relu, T>(value);
            for (int l = 0; l < N; ++l, ++checked) {
                CAPTURE(w0 + l);
                CHECK(std::memcmp(&best[l], &best4[l], sizeof(T)) == 0);
                CHECK(arg[l] == arg4[l]);
            }
        }
        CHECK(checked >= windows);
    };
    same.template operator()<float, false>();
    same.template operator()<float, true>();
    same.template operator()<double, false>();
    same.template operator()<double, true>();
}

TEST_CASE("convolution, ReLU and 2×2 max pooling in one pass equal the naive layers one after "
          "another exactly, route δ as they do (spread, or read in place for ∂J/∂W), and refuse a "
          "pooling they cannot do in registers") {
    wb::Rng rng(45);
    int cases = 0;
    for (int trial = 0; cases < 40 && trial < 2000; ++trial) {
        // Up to 14 kernels: tiles of 6 kernels and the smaller ones at the end.
        const auto c = wbtest::random_conv_case(rng, 2 * L + 3, 14, 5, 5, 8);
        if (c.z.shape().h % 2 || c.z.shape().w % 2) continue;
        ++cases;
        CAPTURE(trial);
        const auto pooled = wb::max_pool_forward(wb::relu(c.z), {2, 2});
        const auto d = random_int_map(pooled.shape(), rng);
        const auto dz = wb::relu_backward(c.z, wb::max_pool_backward(wb::relu(c.z), d, {2, 2}));
        const auto ab = Batch<double>::from(c.a), db = Batch<double>::from(d);
        for (int threads : {1, 2}) {
            CAPTURE(threads);
            wb::ThreadPool pool(threads);
            Batch<double> p, z, back;
            Argmax at;
            wb::batch::conv_relu_pool_forward(ab, c.w, c.b, c.spec, {2, 2}, threads == 1 ? &z : nullptr, p, at, pool);
            CHECK_EXACT(p.tensor(), pooled);
            if (threads == 1) CHECK_EXACT(z.tensor(), c.z);
            wb::batch::max_pool_backward(c.z.shape(), at, db, {2, 2}, back, pool);
            CHECK_EXACT(back.tensor(), dz);
            // ∂J/∂W and ∂J/∂b with δ read through the argmax (PooledDelta, as chapter 11's C1
            // does): the same bits as from the δ max_pool_backward spreads
            wb::Tensor<double> dw, dw_spread;
            std::vector<double> dbias, dbias_spread;
            wb::batch::conv_backward(ab, c.w, back, c.spec, nullptr, dw_spread, dbias_spread, pool);
            wb::batch::conv_backward(ab, c.w, at, db, c.spec, dw, dbias, pool);
            CHECK_EXACT(dw, dw_spread);
            CHECK(dbias == dbias_spread);
        }
    }
    CHECK(cases == 40);
    // In float, LeNet's C1 and C3: the same bits as conv_forward then fused max pooling.
    for (const auto& [as, ws, spec] : {std::tuple{wb::Shape{37, 1, 28, 28}, wb::Shape{6, 1, 5, 5}, wb::ConvSpec{1, 2}},
                                       std::tuple{wb::Shape{37, 6, 14, 14}, wb::Shape{16, 6, 5, 5}, wb::ConvSpec{1, 0}}}) {
        const auto a = Batch<float>::from(wb::random_tensor<float>(as, rng));
        const auto w = wb::random_tensor<float>(ws, rng);
        const std::vector<float> b(static_cast<std::size_t>(ws.n), 0.25f);
        wb::ThreadPool pool(2);
        Batch<float> z, p, apart;
        wb::batch::WindowArgmax<float> at, at_apart;
        wb::batch::conv_relu_pool_forward(a, w, b, spec, {2, 2}, nullptr, p, at, pool);
        wb::batch::conv_forward(a, w, b, spec, z, pool);
        wb::batch::max_pool_forward<wb::batch::fused_relu>(z, {2, 2}, apart, at_apart, pool);
        CHECK(p.tensor() == apart.tensor());
        CHECK(std::equal(at.data(), at.data() + at.size(), at_apart.data()));
    }
    const Batch<double> a(wb::Shape{2, 1, 7, 6});
    const wb::Tensor<double> w(wb::Shape{1, 1, 2, 2});  // conv(a) is 6×5: an odd side
    CHECK_THROWS_WITH_AS(wb::batch::conv_relu_pool_shape(a, w, 1, {}, {2, 2}),
                         doctest::Contains("even sides"), std::invalid_argument);
    const Batch<double> even(wb::Shape{2, 1, 7, 7});
    CHECK_NOTHROW(wb::batch::conv_relu_pool_shape(even, w, 1, {}, {2, 2}));
    CHECK_THROWS_WITH_AS(wb::batch::conv_relu_pool_shape(even, w, 1, {}, {3, 3}),
                         doctest::Contains("not 3×3"), std::invalid_argument);
}

TEST_CASE("a one-block batch (a thread's scratch) has the batch's shape but stores one block, "
          "which every block index names, and a per-block layer fills it as it fills that block of "
          "a whole batch") {
    wb::Rng rng(44);
    const wb::Tensor<double> a = random_int_map(wb::Shape{2 * L + 3, 3, 6, 6}, rng);
    const Batch<double> ab = Batch<double>::from(a);
    wb::ThreadPool pool(1);
    Batch<double> whole;
    Argmax at;
    wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, {2, 2}, whole, at, pool);
    Batch<double> one;
    one.reshape_one_block(whole.shape());
    CHECK(one.shape() == whole.shape());
    CHECK(one.blocks() == 3);
    CHECK(one.size() == one.block_size());
    CHECK(one.block(0) == one.block(2));
    for (int b = 0; b < ab.blocks(); ++b) {
        CAPTURE(b);
        wb::batch::max_pool_forward<wb::batch::fused_relu>(ab, {2, 2}, one, at, b);
        CHECK(std::equal(one.block(b), one.block(b) + one.block_size(), whole.block(b)));
    }
    one.reshape(whole.shape());  // a whole batch again: a block each
    CHECK(one.size() == 3 * one.block_size());
    CHECK(one.block(2) == one.block(0) + 2 * one.block_size());
}

TEST_CASE("sum_lanes adds a vector's lanes as a tree of halves (lane l + lane l + n/2, then "
          "again), in float and double, whatever instruction does it") {
    const auto check = []<class T>(T) {
        using V = wb::simd::Vec<T>;
        constexpr int n = wb::simd::lanes<T>;
        wb::Rng rng(29);
        for (int trial = 0; trial < 200; ++trial) {
            V v{};
            // Magnitudes 1e-6 to 1e6 with both signs: the order of the additions shows.
            for (int l = 0; l < n; ++l)
                v[l] = static_cast<T>(rng.uniform(-1, 1) * std::pow(10.0, rng.below(13) - 6));
            T a[n];
            for (int l = 0; l < n; ++l) a[l] = v[l];
            for (int half = n / 2; half >= 1; half /= 2)
                for (int l = 0; l < half; ++l) a[l] = a[l] + a[l + half];
            CHECK(wb::simd::sum_lanes(v) == a[0]);
        }
        // Where the tree and the chain v0 + v1 + … differ: the tree gives
        // (1 − 1e30) + (1e30 + 1) = 0, the chain (1 + 1e30 − 1e30) + 1 = 1.
        V w{};
        w[0] = T(1), w[1] = static_cast<T>(1e30), w[n / 2] = static_cast<T>(-1e30), w[n / 2 + 1] = T(1);
        CHECK(wb::simd::sum_lanes(w) == T(0));
    };
    check(float{});
    check(double{});
}

TEST_CASE("transpose_block puts element (r, c) of a lanes × lanes block at (c, r), in float and "
          "double, rows strided in and out") {
    const auto check = []<class T>(T) {
        constexpr int n = wb::simd::lanes<T>;
        // Row strides wider than the block (n + 3 in, n + 5 out); distinct values everywhere.
        std::vector<T> in(static_cast<std::size_t>(n * (n + 3))), out(static_cast<std::size_t>(n * (n + 5)), T(-1));
        for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<T>(i);
        wb::simd::transpose_block(in.data(), n + 3, out.data(), n + 5);
        int wrong = 0, spilled = 0;
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n + 5; ++c) {
                const T got = out[static_cast<std::size_t>(r * (n + 5) + c)];
                if (c < n) wrong += got != in[static_cast<std::size_t>(c * (n + 3) + r)];
                else spilled += got != T(-1);  // nothing written past a row's n numbers
            }
        CHECK(wrong == 0);
        CHECK(spilled == 0);
    };
    check(float{});
    check(double{});
}

TEST_CASE("batch ReLU backward and flatten equal the naive ones exactly") {
    wb::Rng rng(24);
    wb::ThreadPool pool(2);
    const auto z = random_int_map(wb::Shape{2 * L + 1, 3, 4, 5}, rng, -2, 2);
    const auto da = random_int_map(z.shape(), rng);
    Batch<double> dz;
    wb::batch::relu_backward(Batch<double>::from(z), Batch<double>::from(da), dz, pool);
    CHECK_EXACT(dz.tensor(), wb::relu_backward(z, da));
    wb::Tensor<double> m, dzm;
    wb::batch::flatten(Batch<double>::from(z), m, pool);
    CHECK_EXACT(m, wb::flatten(z));
    Batch<double> back;
    wb::batch::unflatten(m, z.shape(), back, pool);
    CHECK_EXACT(back.tensor(), z);
    wb::batch::relu_backward(wb::flatten(z), m, dzm, pool);
    CHECK_EXACT(dzm, wb::relu_backward(wb::flatten(z), m));
    wb::batch::relu(m, dzm, pool);
    CHECK_EXACT(dzm, wb::relu(m));
}

TEST_CASE("batch dense forward and backward equal the naive matrix forms exactly (random "
          "sizes around the tile sizes, 1 and 2 threads)") {
    wb::Rng rng(25);
    for (int trial = 0; trial < 40; ++trial) {
        CAPTURE(trial);
        const int out = 1 + rng.below(30), in = 1 + rng.below(40), n = 1 + rng.below(3 * L + 5);
        const auto W = random_int_map(wb::Shape{1, 1, out, in}, rng);
        const auto A = random_int_map(wb::Shape{1, 1, in, n}, rng);
        const auto b = int_vector(out, rng);
        const auto dZ = random_int_map(wb::Shape{1, 1, out, n}, rng);
        const auto g = wb::dense_backward(W, A, dZ);
        for (int threads : {1, 2}) {
            CAPTURE(threads);
            wb::ThreadPool pool(threads);
            wb::Tensor<double> Z, dA, dW;
            std::vector<double> db;
            wb::batch::dense_forward(W, A, b, Z, pool);
            CHECK_EXACT(Z, wb::dense_forward(W, A, b));
            wb::batch::dense_backward(W, A, dZ, &dA, dW, db, pool);
            CHECK_EXACT(dA, g.dA);
            CHECK_EXACT(dW, g.dW);
            CHECK_EXACT(db, g.db);
        }
    }
}

TEST_CASE("batch softmax and its cross-entropy gradient equal the naive ones exactly") {
    wb::Rng rng(26);
    const auto Z = wb::random_tensor<double>(wb::Shape{1, 1, 10, 37}, rng, -5, 5);
    std::vector<int> labels;
    for (int n = 0; n < 37; ++n) labels.push_back(rng.below(10));
    wb::Tensor<double> P, dZ;
    wb::batch::softmax(Z, P);
    CHECK_EXACT(P, wb::softmax(Z));
    wb::batch::softmax_ce_backward(P, labels, dZ);
    CHECK_EXACT(dZ, wb::softmax_ce_backward(P, labels));
}

TEST_CASE("batch layers refuse mismatched shapes with a reason") {
    wb::ThreadPool pool(1);
    Batch<double> a(wb::Shape{2, 3, 8, 8}), z;
    wb::Tensor<double> w(wb::Shape{4, 2, 3, 3});
    CHECK_THROWS_WITH_AS(wb::batch::conv_forward(a, w, std::vector<double>(4), {}, z, pool),
                         doctest::Contains("batch::conv_forward"), std::invalid_argument);
    wb::Tensor<double> W(wb::Shape{1, 1, 3, 5}), A(wb::Shape{1, 1, 4, 2}), Z;
    CHECK_THROWS_AS(wb::batch::dense_forward(W, A, std::vector<double>(3), Z, pool),
                    std::invalid_argument);
    // Max-pool backward: δ and the forward pass's argmax must both have the pooled shape (4×4
    // here); a window must have fewer positions than a byte names.
    Batch<double> pooled(wb::Shape{2, 3, 4, 4}), wrong(wb::Shape{2, 3, 3, 4}), d;
    Argmax at(pooled.shape()), at_wrong(wrong.shape());
    CHECK_NOTHROW(wb::batch::max_pool_backward(a.shape(), at, pooled, {2, 2}, d, pool));
    CHECK_THROWS_WITH_AS(wb::batch::max_pool_backward(a.shape(), at_wrong, pooled, {2, 2}, d, pool),
                         doctest::Contains("at is "), std::invalid_argument);
    CHECK_THROWS_WITH_AS(wb::batch::max_pool_backward(a.shape(), at, wrong, {2, 2}, d, pool),
                         doctest::Contains("delta_in is "), std::invalid_argument);
    Batch<double> big(wb::Shape{1, 1, 16, 16});
    CHECK_THROWS_WITH_AS(wb::batch::max_pool_forward(big, {16, 16}, d, at, pool),
                         doctest::Contains("more positions than a byte"), std::invalid_argument);
    CHECK_NOTHROW(wb::batch::max_pool_forward(big, {15, 1}, d, at, pool));
}
