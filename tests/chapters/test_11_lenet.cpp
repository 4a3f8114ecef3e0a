// Chapter 11: LeNet-5 from the reference layers. Whole-network gradient check in double,
// the fast path equal to the naive layers inside the network, a short deterministic
// training run, checkpoints (round trip, bit-exact resume, damage) and the program's
// refusal of bad options.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <string>
#include <tuple>

#include "11_lenet/lenet.hpp"
#include "11_lenet/train.hpp"
#include "check.hpp"
#include "gradcheck.hpp"
#include "io/safetensors.hpp"

namespace fs = std::filesystem;
using namespace ch11;

namespace {

/// Small random biases too, so that no gradient is zero only because a bias is.
Params<double> random_params(std::uint64_t seed) {
    wb::Rng rng(seed);
    Params<double> p = init_params<double>(rng);
    for (auto& v : param_views(p))
        if (v.shape.size() == 1)
            for (auto& x : v.values) x = rng.uniform(-0.1, 0.1);
    return p;
}

fs::path temp_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("wb_test_ch11_" + name + "_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

/// The trainers below get test-file images as their held-out (validation) data: these
/// tests exercise the trainer's mechanics. ch11 itself carves its validation split from
/// the training file and touches the test set once (the tests "validation split: …" and
/// "ch11 reports the test accuracy once…").
const Data& digits() {
    static const Data d = load_data(WB_DATA_DIR);
    return d;
}

/// A trainer's data in the tests below: the first `n` training digits, and the first `m`
/// test digits as its validation set.
struct Digits {
    Dataset train, val;
};
Digits first_digits(int n, int m) { return {head(digits().train, n), head(digits().test, m)}; }

void run_epochs(Trainer& t, int epochs) {
    for (int e = 0; e < epochs; ++e) t.run_epoch();
}

bool same_weights(const Params<float>& a, const Params<float>& b) {
    const auto x = param_views(a);
    const auto y = param_views(b);
    for (std::size_t t = 0; t < x.size(); ++t)
        if (!std::equal(x[t].values.begin(), x[t].values.end(), y[t].values.begin())) return false;
    return true;
}

}  // namespace

TEST_CASE("LeNet-5 has 61,706 parameters in ten tensors") {
    Params<float> p;
    std::size_t total = 0;
    for (const auto& v : param_views(p)) total += v.values.size();
    CHECK(param_views(p).size() == 10);
    CHECK(total == 61706);
    const auto f = forward(p, Tensor<float>(Shape{3, 1, 28, 28}), Engine{false, 1});
    CHECK(f.a1.shape() == Shape{3, 6, 28, 28});
    CHECK(f.p1.shape() == Shape{3, 6, 14, 14});
    CHECK(f.a3.shape() == Shape{3, 16, 10, 10});
    CHECK(f.p3.shape() == Shape{3, 16, 5, 5});
    CHECK(f.f.shape() == Shape{1, 1, 400, 3});
    CHECK(f.z5.shape() == Shape{1, 1, 120, 3});
    CHECK(f.z6.shape() == Shape{1, 1, 84, 3});
    CHECK(f.prob.shape() == Shape{1, 1, 10, 3});
    // The line made from `layer_specs`, as every checkpoint records it (another line refuses them).
    CHECK(architecture() ==
          "LeNet-5: input 1@28x28 -> C1 conv 6@5x5 pad 2 (6@28x28) -> ReLU -> 2x2 max pool "
          "(6@14x14) -> C3 conv 16@5x5 (16@10x10) -> ReLU -> 2x2 max pool (16@5x5) -> "
          "flatten (400) -> FC 120 -> ReLU -> FC 84 -> ReLU -> FC 10 -> softmax + cross-entropy");
    const std::vector<int> fan_ins{25, 150, 400, 120, 84};
    for (std::size_t i = 0; i < layer_specs.size(); ++i) CHECK(layer_specs[i].fan_in() == fan_ins[i]);
}

TEST_CASE("whole-network gradient check in double: every parameter tensor, rel. error < 1e-6") {
    // Batch of 2 random 'images'; every tensor checked on 8 random elements. A large L2
    // (0.1) is checked along, and it keeps every gradient well away from 0, where a relative
    // error would only measure the finite differences' own round-off.
    const Params<double> p0 = random_params(5);
    wb::Rng rng(6);
    const Tensor<double> x = wb::random_tensor<double>(Shape{2, 1, 28, 28}, rng, 0, 1);
    const std::vector<int> y{3, 7};
    const double l2 = 0.1;
    Params<double> g = backward(p0, forward(p0, x), y);
    add_l2(g, p0, l2);
    Params<double> p = p0;
    auto pv = param_views(p);
    const auto gv = param_views(g);
    double worst = 0;
    for (std::size_t t = 0; t < pv.size(); ++t) {
        const std::size_t n = pv[t].values.size();
        std::vector<std::size_t> picks;
        for (int k = 0; k < 8; ++k) picks.push_back(static_cast<std::size_t>(rng.below(static_cast<int>(n))));
        std::vector<double> analytic, numeric;
        for (std::size_t i : picks) {
            const auto num = wb::numerical_gradient(
                [&] { return loss(p, forward(p, x), y, l2); },
                pv[t].values.subspan(i, 1));
            numeric.push_back(num[0]);
            analytic.push_back(gv[t].values[i]);
        }
        const double err = wb::relative_error(analytic, numeric);
        CAPTURE(pv[t].name);
        CHECK(err < 1e-6);
        worst = std::max(worst, err);
    }
    MESSAGE("worst relative error over the ten tensors: " << worst);
}

TEST_CASE("the network's fast path gives the naive reference layers' gradients (double, "
          "a batch of 2 blocks and a partial one, 1, 2 and 3 threads)") {
    const Params<double> p = random_params(7);
    wb::Rng rng(8);
    const int n = 2 * wb::simd::lanes<double> + 3;
    const Tensor<double> x = wb::random_tensor<double>(Shape{n, 1, 28, 28}, rng, 0, 1);
    std::vector<int> y;
    for (int i = 0; i < n; ++i) y.push_back(rng.below(10));
    const auto fn = forward(p, x);
    const Params<double> gn = backward(p, fn, y);
    for (int threads : {1, 2, 3}) {  // 3: the blocks, products and sums split unequally
        CAPTURE(threads);
        FastNet<double> net(threads);
        net.x = wb::batch::Batch<double>::from(x);
        forward(p, net);
        CHECK_CLOSE(net.prob, fn.prob, 1e-12);
        backward(p, net, y);
        const auto vn = param_views(gn);
        const auto vf = param_views(net.grad);
        for (std::size_t t = 0; t < vn.size(); ++t) {
            CAPTURE(vn[t].name);
            CHECK(wb::relative_error(vf[t].values, vn[t].values) < 1e-9);
        }
    }
}

TEST_CASE("the fast path's float gradients have the same bits on 1 and on 2 threads (45 "
          "and 269 images, each a part a thread, the last block partial)") {
    const Params<double> pd = random_params(9);
    Params<float> p;
    auto pv = param_views(p);
    const auto dv = param_views(pd);
    for (std::size_t t = 0; t < pv.size(); ++t)
        std::copy(dv[t].values.begin(), dv[t].values.end(), pv[t].values.begin());
    for (int n : {45, 269}) {
        CAPTURE(n);
        wb::Rng rng(10);
        const Tensor<float> x = wb::random_tensor<float>(Shape{n, 1, 28, 28}, rng, 0, 1);
        std::vector<int> y;
        for (int i = 0; i < n; ++i) y.push_back(rng.below(10));
        FastNet<float> one(1), two(2);
        for (FastNet<float>* net : {&one, &two}) {
            net->x = wb::batch::Batch<float>::from(x);
            forward(p, *net);
            backward(p, *net, y);
        }
        CHECK(one.parts.size() == 1);
        CHECK(two.parts.size() == 2);
        const auto g1 = param_views(one.grad);
        const auto g2 = param_views(two.grad);
        for (std::size_t t = 0; t < g1.size(); ++t) {
            CAPTURE(g1[t].name);
            CHECK(std::equal(g1[t].values.begin(), g1[t].values.end(), g2[t].values.begin()));
        }
    }
}

TEST_CASE("one SGD-with-momentum step by hand") {
    std::vector<float> w{1.0f, -2.0f}, v{0.5f, 0.0f};
    const std::vector<float> g{0.25f, 1.0f};
    sgd_momentum_step<float>(w, v, g, 0.5f, 0.5f);
    CHECK(v == std::vector<float>{0.5f, 1.0f});       // 0.5·0.5 + 0.25, 0 + 1
    CHECK(w == std::vector<float>{0.75f, -2.5f});     // 1 − 0.5·0.5, −2 − 0.5·1
    CHECK(cosine_lr(0.03, 0, 100) == doctest::Approx(0.03).epsilon(1e-12));
    CHECK(cosine_lr(0.03, 50, 100) == doctest::Approx(0.015).epsilon(1e-12));
    CHECK(cosine_lr(0.03, 100, 100) < 1e-12);
}

TEST_CASE("sgd_update in one pass leaves g as it is and gives the bits of add_l2 then "
          "sgd_momentum_step, λ = 0 and −0 included") {
    wb::Rng rng(7);
    const Params<float> w0 = init_params<float>(rng);
    Params<float> v0, g;
    for (auto* p : {&v0, &g})
        for (const auto& s : param_spans(*p))
            for (float& x : s) x = static_cast<float>(rng.normal(0, 0.01));
    // −0 in both v and g: 0.9·(−0) + (−0) is −0, but + 0·w would make it +0
    for (auto* p : {&v0, &g})
        for (const auto& s : param_spans(*p))
            for (std::size_t i = 0; i < s.size(); i += 7) s[i] = -0.0f;
    const auto bits_equal = [](const Params<float>& a, const Params<float>& b) {
        const auto x = param_spans(a), y = param_spans(b);
        for (std::size_t t = 0; t < x.size(); ++t)
            if (std::memcmp(x[t].data(), y[t].data(), x[t].size_bytes()) != 0) return false;
        return true;
    };
    for (const double l2 : {5e-4, 0.0}) {
        CAPTURE(l2);
        const Sgd s{0.03f, 0.9f, l2};
        Params<float> w1 = w0, v1 = v0, g1 = g;  // two passes, g1 changed in place
        add_l2(g1, w1, l2);
        const auto ws = param_spans(w1), vs = param_spans(v1), gs = param_spans(g1);
        for (std::size_t t = 0; t < ws.size(); ++t)
            sgd_momentum_step(ws[t], vs[t], std::span<const float>(gs[t]), s.lr, s.momentum);
        Params<float> w2 = w0, v2 = v0;
        const Params<float> g2 = g;
        sgd_update(w2, v2, g2, s);
        CHECK(bits_equal(w1, w2));
        CHECK(bits_equal(v1, v2));
        CHECK(bits_equal(g2, g));
        CHECK_FALSE(bits_equal(w2, w0));  // it did step
    }
}

TEST_CASE("a short deterministic run on the first 256 digits, batch 16: loss 2.3 → below 0.2 in 5 epochs") {
    const auto [train, val] = first_digits(256, 200);
    // shift 0: the images as they are, this run is about fitting them
    const Config cfg{.epochs = 5, .batch = 16, .threads = 1, .shift = 0};
    Trainer tr(cfg, train, val);
    // Before training the network guesses: cross-entropy near log 10 = 2.30.
    const Evaluation before = evaluate(tr.state().w, train, Engine{true, 1});
    CHECK(before.loss > 2.0);
    CHECK(before.loss < 2.8);
    while (!tr.finished()) tr.run_epoch();
    const auto& h = tr.state().history;
    REQUIRE(h.train_loss.size() == 5);
    MESSAGE("train loss per epoch: " << h.train_loss[0] << ", " << h.train_loss[1] << ", "
                                     << h.train_loss[2] << ", " << h.train_loss[3] << ", "
                                     << h.train_loss[4] << "; validation accuracy " << h.val_acc[4]);
    for (int e = 1; e < 5; ++e) CHECK(h.train_loss[e] < h.train_loss[e - 1]);
    CHECK(h.train_loss[4] < 0.2);
    CHECK(h.val_acc[4] > 0.8);
    CHECK(evaluate(tr.state().w, train, Engine{true, 1}).loss < 0.2);
}

TEST_CASE("an epoch is ⌈N/batch⌉ steps: the last, smaller batch counts too (004 §五)") {
    const Dataset train = head(digits().train, 100);
    Config cfg;
    cfg.batch = 32;
    const Dataset val = head(digits().test, 10);
    Trainer tr(cfg, train, val);
    CHECK(tr.steps_per_epoch() == 4);  // 32 + 32 + 32 + 4, not 100/32 = 3.125
    tr.run_epoch();
    CHECK(tr.state().step == 4);
    // Every image is seen exactly once per epoch, in an order that changes with the epoch.
    auto o0 = tr.epoch_order(0), o1 = tr.epoch_order(1);
    CHECK(o0 != o1);
    std::sort(o0.begin(), o0.end());
    for (int i = 0; i < 100; ++i) CHECK(o0[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("data augmentation: shifted() moves each pixel by (dy, dx) with a zero border, "
          "an epoch's shifts are fixed by (seed, epoch), and set_input and gathered apply them") {
    std::vector<float> image(image_pixels), moved(image_pixels);
    for (int i = 0; i < image_pixels; ++i) image[static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
    const auto at = [](const std::vector<float>& m, int h, int w) {
        return m[static_cast<std::size_t>(h * image_side + w)];
    };
    shifted(image.data(), Shift{0, 0}, moved.data());
    CHECK(moved == image);
    shifted(image.data(), Shift{1, -2}, moved.data());  // one row down, two columns left
    CHECK(at(moved, 1, 0) == at(image, 0, 2));
    CHECK(at(moved, 27, 25) == at(image, 26, 27));
    for (int w = 0; w < image_side; ++w) CHECK(at(moved, 0, w) == 0);      // the row that came in
    for (int h = 0; h < image_side; ++h) CHECK(at(moved, h, 26) == 0);     // the two columns
    for (int h = 0; h < image_side; ++h) CHECK(at(moved, h, 27) == 0);

    const Dataset train = head(digits().train, 200), val = head(digits().test, 10);
    Config cfg;
    cfg.shift = 1;
    Trainer a(cfg, train, val), b(cfg, train, val);
    const auto s0 = a.epoch_shifts(0);
    REQUIRE(s0.size() == 200);
    int seen[3][3] = {};
    for (const Shift& s : s0) {
        REQUIRE((std::abs(s.dy) <= 1 && std::abs(s.dx) <= 1));
        ++seen[s.dy + 1][s.dx + 1];
    }
    for (const auto& row : seen)
        for (int count : row) CHECK(count > 0);  // all nine moves occur among 200 images
    const auto same = [](const std::vector<Shift>& x, const std::vector<Shift>& y) {
        return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                          [](Shift p, Shift q) { return p.dy == q.dy && p.dx == q.dx; });
    };
    CHECK(same(s0, b.epoch_shifts(0)));
    CHECK(!same(s0, a.epoch_shifts(1)));
    cfg.shift = 0;
    CHECK(Trainer(cfg, train, val).epoch_shifts(0).empty());

    // set_input with shifts puts exactly the shifted images into the batch.
    FastNet<float> net(2);
    const std::vector<int> order = a.epoch_order(0);
    const std::vector<int> labels(37, 0);
    const Minibatch mb{train.pixels.data(), std::span(order).subspan(3, 37), &s0, labels};
    set_input(net, mb);
    for (std::size_t k = 3; k < 40; ++k) {
        const auto i = static_cast<std::size_t>(order[k]);
        shifted(train.pixels.data() + i * image_pixels, s0[i], moved.data());
        for (int h = 0; h < image_side; ++h)
            for (int w = 0; w < image_side; ++w)
                REQUIRE(net.x.at(static_cast<int>(k - 3), 0, h, w) == at(moved, h, w));
    }
    // gathered(), the naive layers' input (ch11 --yours), holds the same images.
    CHECK(gathered(mb) == net.x.tensor());
}

TEST_CASE("the same seed gives the same weights on 1, 2 and 3 threads") {
    const auto [train, val] = first_digits(256, 50);
    const Config c1{.epochs = 1, .threads = 1};
    Config c2 = c1;
    c2.threads = 2;
    Trainer a(c1, train, val), b(c2, train, val);
    a.run_epoch();
    b.run_epoch();
    CHECK(same_weights(a.state().w, b.state().w));
    // 3 threads: the products, the shares' sums and the update split into unequal parts
    Config c4 = c1;
    c4.threads = 3;
    Trainer d(c4, train, val);
    d.run_epoch();
    CHECK(same_weights(a.state().w, d.state().w));
    Config c3 = c1;
    c3.seed = 2;
    Trainer c(c3, train, val);
    c.run_epoch();
    CHECK(!same_weights(a.state().w, c.state().w));
}

TEST_CASE("Layers: the trainer's step and evaluation run another implementation's parts "
          "(here the naive layers of lenet.hpp), each part on its own") {
    const auto [train, val] = first_digits(96, 40);
    const Config cfg{.epochs = 1, .batch = 32, .threads = 1};
    long gradients = 0, updates = 0, evaluations = 0;
    Layers naive;
    naive.gradient = [&](const Params<float>& w, const Minibatch& mb, Tensor<float>& prob, Params<float>& grad) {
        const Forward<float> f = forward(w, gathered(mb));
        grad = backward(w, f, mb.labels);
        prob = f.prob;
        ++gradients;
    };
    naive.update = [&](Params<float>& w, Params<float>& v, Params<float>& g, const Sgd& s) {
        add_l2(g, w, s.l2);
        const auto ws = param_spans(w), vs = param_spans(v), gs = param_spans(g);
        for (std::size_t t = 0; t < ws.size(); ++t)
            sgd_momentum_step(ws[t], vs[t], std::span<const float>(gs[t]), s.lr, s.momentum);
        ++updates;
    };
    naive.probabilities = [&](const Params<float>& w, const Tensor<float>& x, Tensor<float>& prob) {
        prob = forward(w, x).prob;
        ++evaluations;
    };
    Trainer fast(cfg, train, val), slow(cfg, train, val), half(cfg, train, val);
    slow.set_layers(naive);
    Layers update_only;
    update_only.update = naive.update;
    half.set_layers(update_only);
    const Evaluation ef = fast.run_epoch(), es = slow.run_epoch(), eh = half.run_epoch();
    CHECK(gradients == 3);
    CHECK(updates == 3 + 3);
    CHECK(evaluations == 1);  // the 40 validation images in one batch
    // The update alone is the same arithmetic as sgd_update: the same bits.
    CHECK(same_weights(half.state().w, fast.state().w));
    // The naive layers sum in another order: the same weights to float rounding.
    const auto vf = param_views(fast.state().w), vs = param_views(slow.state().w);
    for (std::size_t t = 0; t < vf.size(); ++t) {
        CAPTURE(vf[t].name);
        CHECK(wb::relative_error(vs[t].values, vf[t].values) < 1e-4);
    }
    CHECK(std::abs(es.loss - ef.loss) < 1e-4);
    CHECK(eh.accuracy == ef.accuracy);
    CHECK(slow.evaluate(slow.state().w, val).accuracy == es.accuracy);
    CHECK(evaluations == 2);
}

TEST_CASE("the loss from the logits (log-sum-exp): finite for logits hundreds apart, the fast path "
          "equal to the naive one") {
    const Dataset d = head(digits().test, 40);
    wb::Rng rng(11);
    Params<float> w = init_params<float>(rng);
    const auto views = param_views(w);  // kept alive: the loop below reads one of them
    for (float& v : views[8].values) v *= 400;  // f7.weight: logits hundreds apart
    const Evaluation fast = evaluate(w, d, Engine{.fast = true}), naive = evaluate(w, d, Engine{.fast = false});
    CAPTURE(fast.loss);
    CHECK(std::isfinite(fast.loss));  // −log of the softmax was inf: some P underflowed to 0
    CHECK(fast.loss > 50);
    CHECK(std::abs(fast.loss - naive.loss) <= 1e-5 * naive.loss);
    std::vector<int> all(40);
    for (int i = 0; i < 40; ++i) all[static_cast<std::size_t>(i)] = i;
    const Forward<float> f = forward(w, gather_images(d, all, 0, 40));
    CHECK(std::abs(loss(w, f, d.labels, 0) - naive.loss) <= 1e-6 * naive.loss);  // the trainer's own loss
}

TEST_CASE("train_step: each thread's part trains its own copy of the weights and keeps the bits of one "
          "thread, as parts come and go and when the weights change between steps") {
    const Dataset d = head(digits().train, 160);
    std::vector<int> order(160);
    std::iota(order.begin(), order.end(), 0);
    wb::Rng rng(5);
    const Params<float> w0 = init_params<float>(rng);
    FastNet<float> one(1), two(2), three(3);
    struct Run {
        FastNet<float>* net;
        Params<float> w, v;
    };
    std::vector<Run> runs{{&one, w0, {}}, {&two, w0, {}}, {&three, w0, {}}};
    const Sgd s{0.05f, 0.9f, 5e-4};
    std::size_t at = 0;
    // 48 images are 3 blocks (3 parts on 3 threads), 16 one part, 32 two, 64 four blocks
    for (const std::size_t size : {48u, 16u, 32u, 64u}) {
        CAPTURE(size);
        const std::vector<int> y(d.labels.begin() + static_cast<std::ptrdiff_t>(at),
                                 d.labels.begin() + static_cast<std::ptrdiff_t>(at + size));
        const Minibatch mb{d.pixels.data(), std::span<const int>(order).subspan(at, size), nullptr, y};
        for (Run& r : runs) train_step(r.w, r.v, *r.net, mb, s);
        at += size;
        for (const Run& r : runs) {
            CHECK(same_weights(r.w, runs[0].w));
            CHECK(same_weights(r.v, runs[0].v));
        }
        if (size == 32)  // changed from outside, as a resumed checkpoint does, with two parts' copies made
            for (Run& r : runs) {
                param_views(r.w)[4].values[3] += 0.25f;  // one weight of F5
                r.net->weights_changed();
            }
    }
}

TEST_CASE("a NaN weight stops training in one line naming the first layer it reaches") {
    const Dataset train = head(digits().train, 64);
    const Dataset val = head(digits().test, 20);
    Trainer t(Config{.epochs = 1, .batch = 32, .threads = 1}, train, val);
    REQUIRE(param_views(t.state().w)[0].name == std::string("c1.weight"));
    param_views(t.state().w)[0].values[7] = std::nanf("");  // one weight of kernel 0
    // Before, ReLU and max pooling dropped the NaN: a dead channel and a finite loss.
    CHECK_THROWS_WITH(t.run_epoch(), doctest::Contains("training stopped in epoch 1, step 1: the loss is NaN; "
                                                       "the first layer with a NaN or infinity is C1 (conv)"));
}

TEST_CASE("checkpoints: round trip, bit-exact resume, refusal of other settings and damage") {
    const fs::path dir = temp_dir("ckpt");
    const auto [train, val] = first_digits(256, 50);
    Config cfg{.epochs = 2, .threads = 1};

    Trainer straight(cfg, train, val);
    run_epochs(straight, 2);

    Trainer first(cfg, train, val);
    first.run_epoch();
    const std::string ck = (dir / "e1.safetensors").string();
    first.save(ck);

    Trainer resumed(cfg, train, val);  // a fresh process would start like this
    resumed.load(ck);
    CHECK(resumed.state().epoch == 1);
    CHECK(same_weights(resumed.state().w, first.state().w));
    CHECK(same_weights(resumed.state().v, first.state().v));
    CHECK(resumed.state().history.train_loss == first.state().history.train_loss);
    resumed.run_epoch();
    CHECK(same_weights(resumed.state().w, straight.state().w));  // bit for bit
    CHECK(resumed.state().history.val_acc == straight.state().history.val_acc);
    CHECK(same_weights(load_weights(ck), first.state().w));

    Config other = cfg;
    other.lr = 0.1;
    Trainer wrong_lr(other, train, val);
    CHECK_THROWS_WITH_AS(wrong_lr.load(ck), doctest::Contains("lr"), std::runtime_error);
    other = cfg;
    other.shift = cfg.shift + 1;  // other images each epoch: a different run
    Trainer wrong_shift(other, train, val);
    CHECK_THROWS_WITH_AS(wrong_shift.load(ck), doctest::Contains("shift"), std::runtime_error);
    const Dataset fewer = head(digits().train, 200);  // another --limit: named as such
    Trainer wrong_count(cfg, fewer, val);
    CHECK_THROWS_WITH_AS(wrong_count.load(ck), doctest::Contains("trained on 1256 training images, this run reads 1200"),
                         std::runtime_error);
    Dataset changed = train;  // as many images, one pixel different
    changed.pixels[300] = 1 - changed.pixels[300];
    Trainer wrong_data(cfg, changed, val);
    CHECK_THROWS_WITH_AS(wrong_data.load(ck), doctest::Contains("different data"), std::runtime_error);

    std::ifstream in(ck, std::ios::binary);
    std::vector<char> bytes(std::istreambuf_iterator<char>(in), {});
    bytes[bytes.size() - 1000] ^= 0x10;  // one bit of a momentum buffer
    const std::string bad = (dir / "bad.safetensors").string();
    std::ofstream(bad, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    Trainer t(cfg, train, val);
    CHECK_THROWS_WITH_AS(t.load(bad), doctest::Contains("checksum mismatch"), std::runtime_error);
    fs::remove_all(dir);
}

TEST_CASE("early stop: training ends once the validation accuracy has not improved for `patience` epochs") {
    const auto [train, val] = first_digits(128, 40);
    const Config cfg{.epochs = 30, .threads = 1, .patience = 2};
    Trainer tr(cfg, train, val);
    while (!tr.finished()) tr.run_epoch();
    const State& s = tr.state();
    MESSAGE("stopped after epoch " << s.epoch << ", best epoch " << s.best_epoch);
    CHECK(tr.stopped_early());
    CHECK(s.epoch < 30);
    CHECK(s.epoch - s.best_epoch == 2);
    const auto& acc = s.history.val_acc;
    CHECK(acc[static_cast<std::size_t>(s.best_epoch - 1)] == *std::max_element(acc.begin(), acc.end()));
    for (int e = s.best_epoch; e < s.epoch; ++e)  // the last two epochs were no better
        CHECK(acc[static_cast<std::size_t>(e)] <= acc[static_cast<std::size_t>(s.best_epoch - 1)]);
}

TEST_CASE("ch11 refuses bad options with one line and exit status 2") {
    const fs::path dir = temp_dir("cli");
    const std::string err = (dir / "err.txt").string();
    const auto run = [&](const std::string& args) {
        const std::string cmd = std::string(WB_CH11_EXE) + " " + args + " --out " + (dir / "out").string() +
                                " >/dev/null 2>" + err;
        const int status = std::system(cmd.c_str());
        std::ifstream in(err);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1, text};
    };
    for (const std::string args : {"--epochs 0", "--epochs x", "--batch -1", "--lr 0", "--lr abc",
                                   "--momentum 1", "--l2 -1", "--threads 0", "--limit -5",
                                   "--seed -1", "--shift 5", "--shift -1", "--bogus 1", "--data /nonexistent",
                                   "--resume /nonexistent.safetensors --limit 64 --epochs 1"}) {
        CAPTURE(args);
        const auto [code, text] = run(args);
        CHECK(code == 2);
        CHECK(text.rfind("ch11: error: ", 0) == 0);
        CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    }
    const auto [code, text] = run("--help");
    CHECK(code == 0);
    fs::remove_all(dir);
}

TEST_CASE("ch11 --resume: another --limit is named as such, and a finished run resumed into a new --out writes "
          "the checkpoint it names") {
    const fs::path dir = temp_dir("resume_messages");
    const auto run = [&](const std::string& args) {
        const std::string cmd = std::string(WB_CH11_EXE) + " --epochs 1 --threads 1 " + args + " >" +
                                (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
        const int status = std::system(cmd.c_str());
        std::ifstream o(dir / "stdout"), e(dir / "stderr");
        return std::tuple{WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                          std::string((std::istreambuf_iterator<char>(o)), {}),
                          std::string((std::istreambuf_iterator<char>(e)), {})};
    };
    const std::string a = (dir / "a").string(), b = (dir / "b").string();
    REQUIRE(std::get<0>(run("--limit 96 --out " + a)) == 0);
    const std::string ck = a + "/11_checkpoint.safetensors";
    {
        const auto [code, out, err] = run("--limit 128 --resume " + ck + " --out " + a);
        CAPTURE(err);
        CHECK(code == 2);
        CHECK(err.find("was trained on 96 training images, this run reads 128") != std::string::npos);
        CHECK(err.find("--limit") != std::string::npos);
        CHECK(err.find("validation") == std::string::npos);  // never given: not to be blamed
    }
    {
        const auto [code, out, err] = run("--limit 96 --validation 20 --resume " + ck + " --out " + a);
        CAPTURE(err);
        CHECK(code == 2);
        CHECK(err.find("was trained with validation 12, this run asks for 20") != std::string::npos);
    }
    {
        const auto [code, out, err] = run("--limit 96 --resume " + ck + " --out " + b);
        CAPTURE(out);
        CHECK(code == 0);
        CHECK(out.find("Checkpoints: " + b + "/11_checkpoint.safetensors") != std::string::npos);
        CHECK(fs::exists(b + "/11_checkpoint.safetensors"));
        CHECK(fs::exists(b + "/11_best.safetensors"));
        std::ifstream x(ck, std::ios::binary), y(b + "/11_checkpoint.safetensors", std::ios::binary);
        CHECK(std::string((std::istreambuf_iterator<char>(x)), {}) ==
              std::string((std::istreambuf_iterator<char>(y)), {}));  // the same state, written again
    }
    fs::remove_all(dir);
}

TEST_CASE("a checkpoint whose state contradicts itself is refused, even with a good checksum") {
    const auto [train, val] = first_digits(96, 60);
    Config cfg{.epochs = 3, .threads = 1};
    Trainer tr(cfg, train, val);
    run_epochs(tr, 2);
    const fs::path dir = temp_dir("contradict");
    const std::string ck = (dir / "c.safetensors").string(), best = (dir / "b.safetensors").string();
    tr.save(ck);
    tr.save_best(best);
    {
        Trainer ok(cfg, train, val);
        ok.load(ck);
        CHECK(same_weights(ok.state().best_w, tr.state().best_w));
        CHECK(same_weights(load_weights(best), tr.state().best_w));
    }
    // Each edit is re-checksummed (write_safetensors), so only the state checks can catch it.
    const auto refusal = [&](const std::function<void(wb::StFile&)>& edit) {
        wb::StFile f = wb::read_safetensors(ck);
        edit(f);
        const std::string p = (dir / "edited.safetensors").string();
        wb::write_safetensors(p, f);
        Trainer t(cfg, train, val);
        try {
            t.load(p);
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    // Short history lists were accepted and failed only after training, when plotting.
    CHECK(refusal([](wb::StFile& f) { f.metadata["history_train_loss"] = "2.3"; })
              .find("history_train_loss has 1 entries for 2 epochs") != std::string::npos);
    CHECK(refusal([](wb::StFile& f) { f.metadata["history_seconds"] = "1,x"; })
              .find("history_seconds is not a list of numbers") != std::string::npos);
    CHECK(refusal([](wb::StFile& f) { f.metadata["epoch"] = "2abc"; }).find("epoch '2abc' is not a whole number") !=
          std::string::npos);
    CHECK(refusal([](wb::StFile& f) { f.metadata["step"] = "1e300"; }).find("step '1e300'") != std::string::npos);
    CHECK(refusal([](wb::StFile& f) { f.metadata["best_acc"] = "nan"; }).find("best_acc 'nan'") != std::string::npos);
    // The best epoch must be the history's first best...
    CHECK(refusal([&](wb::StFile& f) {
              f.metadata["best_epoch"] = std::to_string(tr.state().best_epoch == 1 ? 2 : 1);
          }).find("is not the best in its history") != std::string::npos);
    // ...and its weights must score what the metadata says (here: the last epoch's weights
    // under best.*, with the history claiming epoch 1 was better).
    CHECK(refusal([&](wb::StFile& f) {
              for (auto& t : f.tensors)
                  if (t.name.rfind("best.", 0) == 0) t.data = f.tensor(t.name.substr(5)).data;
              // std::string(…): GCC 12 at -O3 warns falsely (-Wrestrict) on assigning a literal here
              f.metadata["history_val_acc"] = std::string("0.99,0.5");
              f.metadata["best_acc"] = std::string("0.98999999999999999");
              f.metadata["best_epoch"] = std::string("1");
          }).find("its best weights score") != std::string::npos);
    // The best file holds weights only: resuming from it is refused with the way out.
    Trainer t(cfg, train, val);
    CHECK_THROWS_WITH_AS(t.load(best), doctest::Contains("resume from 11_checkpoint.safetensors"),
                         std::runtime_error);
    fs::remove_all(dir);
}

TEST_CASE("ch11 refuses an empty or unwritable --out before training") {
    const fs::path dir = temp_dir("out");
    std::ofstream(dir / "file") << "x";
    for (const std::string& out : {std::string("''"), std::string("--out="), (dir / "file" / "sub").string(), (dir / "file").string()}) {
        CAPTURE(out);
        const std::string cmd = std::string(WB_CH11_EXE) + " --limit 64 --epochs 1 " +
                                (out.rfind("--", 0) == 0 ? out : "--out " + out) + " >" +
                                (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
        const int status = std::system(cmd.c_str());
        CHECK((WIFEXITED(status) ? WEXITSTATUS(status) : -1) == 2);
        std::ifstream err(dir / "stderr"), log(dir / "stdout");
        const std::string e((std::istreambuf_iterator<char>(err)), {}), o((std::istreambuf_iterator<char>(log)), {});
        CHECK(e.rfind("ch11: error: ", 0) == 0);
        CHECK(std::count(e.begin(), e.end(), '\n') == 1);
        CHECK(o.find("epoch 1") == std::string::npos);  // nothing trained
    }
    CHECK(!fs::exists("/11_checkpoint.safetensors"));
    fs::remove_all(dir);
}

TEST_CASE("validation split: carved from the training file, fixed by the seed, disjoint and complete") {
    const Dataset all = head(digits().train, 300);
    const Split a = split_validation(all, 50, 7), again = split_validation(all, 50, 7),
                other = split_validation(all, 50, 8);
    CHECK(a.train.count == 250);
    CHECK(a.validation.count == 50);
    CHECK(a.validation.pixels == again.validation.pixels);  // the seed fixes the split
    CHECK(a.validation.labels == again.validation.labels);
    CHECK(a.validation.pixels != other.validation.pixels);  // another seed, another split
    // Every image lands in exactly one part: the two parts' images together are the
    // training images, and no image is in both.
    const auto images = [](const Dataset& d) {
        std::vector<std::uint64_t> h;
        for (int i = 0; i < d.count; ++i)
            h.push_back(wb::fnv1a64(d.pixels.data() + static_cast<std::size_t>(i) * 784, 784 * sizeof(float),
                                    static_cast<std::uint64_t>(d.labels[static_cast<std::size_t>(i)])));
        std::sort(h.begin(), h.end());
        return h;
    };
    const auto trained = images(a.train), held = images(a.validation);
    std::vector<std::uint64_t> both, together(trained);
    std::set_intersection(trained.begin(), trained.end(), held.begin(), held.end(), std::back_inserter(both));
    CHECK(both.empty());
    together.insert(together.end(), held.begin(), held.end());
    std::sort(together.begin(), together.end());
    CHECK(together == images(all));
    CHECK_THROWS_AS(split_validation(all, 0, 7), std::invalid_argument);
    CHECK_THROWS_AS(split_validation(all, 300, 7), std::invalid_argument);
}

TEST_CASE("ch11 picks the epoch on the validation split and reports the test accuracy once, for that epoch") {
    const fs::path dir = temp_dir("val");
    const std::string log = (dir / "stdout").string();
    const std::string cmd = std::string(WB_CH11_EXE) + " --limit 400 --epochs 4 --validation 60 --threads 1 --out " +
                            (dir / "out").string() + " >" + log + " 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(log);
    std::vector<double> val_acc;
    std::string line, final_line;
    int test_lines = 0;
    while (std::getline(in, line)) {
        if (line.rfind("epoch ", 0) == 0 && line.find(": train loss") != std::string::npos) {
            CHECK(line.find("test") == std::string::npos);  // no test figure while training
            const auto at = line.find("val acc ");
            REQUIRE(at != std::string::npos);
            val_acc.push_back(std::stod(line.substr(at + 8)));
        }
        if (line.rfind("test accuracy ", 0) == 0) {
            final_line = line;
            ++test_lines;
        }
    }
    CAPTURE(final_line);
    REQUIRE(val_acc.size() == 4);
    CHECK(test_lines == 1);
    const auto best = std::max_element(val_acc.begin(), val_acc.end());  // the first best
    const std::string chosen = "(epoch " + std::to_string(1 + (best - val_acc.begin())) +
                               " weights, chosen on the validation split: ";
    CHECK(final_line.find(chosen) != std::string::npos);
    fs::remove_all(dir);
}
