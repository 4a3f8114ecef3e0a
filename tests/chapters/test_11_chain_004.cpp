// Chapter 11: 004 §五's own chain of layers (conv1 → pool1 → conv2 → pool2 → flatten → fc1
// → relu1 → fc2 → softmax), computed with the reference layers: every layer's shape, the
// parameter count, and the whole chain's gradient against finite differences in double.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "11_lenet/chain_004.hpp"
#include "check.hpp"
#include "gradcheck.hpp"

using namespace ch11::chain004;

namespace {

Params<double> random_chain(std::uint64_t seed) {
    wb::Rng rng(seed);
    Params<double> p;
    const auto fan_in = std::array<double, 8>{25, 25, 150, 150, 400, 400, 120, 120};
    const auto spans = param_spans(p);
    for (std::size_t t = 0; t < spans.size(); ++t)
        for (auto& v : spans[t]) v = rng.normal(0, std::sqrt(2.0 / fan_in[t]));
    return p;
}

}  // namespace

TEST_CASE("ch11: 004 §五's chain conv1 → pool1 → conv2 → pool2 → flatten → fc1 → relu1 → fc2 → softmax: each layer's shape and 51,902 parameters") {
    const Params<double> p = random_chain(1);
    std::size_t count = 0;
    for (const auto& s : param_spans(p)) count += s.size();
    CHECK(count == 51902);  // 6·25+6 + 16·150+16 + 120·400+120 + 10·120+10
    wb::Rng rng(2);
    const auto x = wb::random_tensor<double>(Shape{3, 1, 28, 28}, rng, 0, 1);
    const Forward<double> f = forward(p, x);
    CHECK(f.conv1.shape() == Shape{3, 6, 28, 28});
    CHECK(f.pool1.shape() == Shape{3, 6, 14, 14});
    CHECK(f.conv2.shape() == Shape{3, 16, 10, 10});
    CHECK(f.pool2.shape() == Shape{3, 16, 5, 5});
    CHECK(f.flat.shape() == Shape{1, 1, 400, 3});
    CHECK(f.fc1.shape() == Shape{1, 1, 120, 3});
    CHECK(f.relu1.shape() == Shape{1, 1, 120, 3});
    CHECK(f.fc2.shape() == Shape{1, 1, 10, 3});
    // No ReLU after the convolutions: the pooled maps keep negative values (chapter 11's
    // network, with a ReLU there, never has one).
    CHECK(*std::min_element(f.pool2.begin(), f.pool2.end()) < 0);
    CHECK(*std::min_element(f.relu1.begin(), f.relu1.end()) == 0);
    for (int n = 0; n < 3; ++n) {
        double sum = 0;
        for (int k = 0; k < 10; ++k) sum += f.softmax(k, n);
        CHECK(std::abs(sum - 1) < 1e-15);
    }
}

TEST_CASE("ch11: 004 §五's chain: the gradient of every parameter tensor = finite differences, rel. error < 1e-6") {
    Params<double> p = random_chain(3);
    wb::Rng rng(4);
    for (auto* b : {&p.conv1_b, &p.conv2_b, &p.fc1_b, &p.fc2_b})
        for (auto& v : *b) v = rng.uniform(-0.1, 0.1);  // so no gradient is small only because b = 0
    const auto x = wb::random_tensor<double>(Shape{2, 1, 28, 28}, rng, 0, 1);
    const std::vector<int> y{4, 9};
    const Params<double> g = backward(p, forward(p, x), y);
    const auto ps = param_spans(p);
    const auto gs = param_spans(g);
    for (std::size_t t = 0; t < ps.size(); ++t) {
        std::vector<double> analytic, numeric;
        for (int k = 0; k < 6; ++k) {
            const auto i = static_cast<std::size_t>(rng.below(static_cast<int>(ps[t].size())));
            numeric.push_back(wb::numerical_gradient(
                [&] { return wb::cross_entropy(forward(p, x).softmax, y); }, ps[t].subspan(i, 1))[0]);
            analytic.push_back(gs[t][i]);
        }
        CAPTURE(t);
        CHECK(wb::relative_error(analytic, numeric) < 1e-6);
    }
}
