// The machine's FMA peak, chapter 11's training step layer by layer, and the whole step at
// several batch sizes and thread counts: `lenet_profile [--quick | --ladder]`. A benchmark, never a
// test. Images are random (speed does not depend on the pixels); the network, layers and
// optimiser are chapter 11's own (chapters/11_lenet/fast_lenet.hpp).
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "11_lenet/fast_lenet.hpp"
#include "11_lenet/lenet.hpp"
#include "11_lenet/train_step.hpp"
#include "im2col_layers.hpp"

using namespace ch11;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// ---- the FMA peak: independent chains of fused multiply-adds, nothing else ------------

template <class V, class F>
double fma_gflops(F fma) {
    constexpr int chains = 12;  // enough independent FMAs to cover latency × 2 ports
    V acc[chains], mul, add;
    for (int c = 0; c < chains; ++c) acc[c] = V{} + (1.0f + static_cast<float>(c));
    mul = V{} + 0.999999f;
    add = V{} + 1e-6f;
    // The best of 30 short runs: a machine shared with other jobs slows some runs down,
    // never speeds one up.
    const long iters = 1'000'000;
    double secs = 1e9;
    for (int run = 0; run < 30; ++run) {
        const auto t0 = Clock::now();
        for (long i = 0; i < iters; ++i)
            for (int c = 0; c < chains; ++c) acc[c] = fma(acc[c], mul, add);
        secs = std::min(secs, seconds_since(t0));
    }
    float sink = 0;
    for (int c = 0; c < chains; ++c) sink += acc[c][0];
    volatile float keep = sink;
    (void)keep;
    return 2.0 * (sizeof(V) / sizeof(float)) * chains * static_cast<double>(iters) / secs / 1e9;
}

double peak_256() {
#if defined(__FMA__)
    using V [[gnu::vector_size(32)]] = float;
    return fma_gflops<V>([](V a, V b, V c) { return (V)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c); });
#else
    return 0;
#endif
}
double peak_512() {
#if defined(__AVX512F__)
    using V [[gnu::vector_size(64)]] = float;
    return fma_gflops<V>([](V a, V b, V c) { return (V)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c); });
#else
    return 0;
#endif
}

// ---- FLOPs of one image (multiply + add = 2), forward and backward ----------------------

struct Layer {
    const char* name;
    double fwd_flops, bwd_flops;  // per image
    double bytes;                 // the least memory traffic per image (see lenet_layers)
    double fwd_s = 0, bwd_s = 0;
};

std::vector<Layer> lenet_layers() {
    const double c1 = 2.0 * 6 * 28 * 28 * 25, c3 = 2.0 * 16 * 10 * 10 * 150;
    const double f5 = 2.0 * 120 * 400, f6 = 2.0 * 84 * 120, f7 = 2.0 * 10 * 84;
    // Bytes: every input read and output written once per pass (4 bytes a number), forward
    // and backward; a dense layer's weights (read 3 times, dW written once) shared by the
    // 64 images of the profiled batch.
    const auto dense = [](double in, double out) { return 4 * (2 * in + 2 * out + in + 4 * in * out / 64); };
    // C1 backward: dW only, its δ read as pool 1's δ (1176 floats) and argmax (1176 bytes)
    return {{"C1 conv 6@5x5", c1, c1, 4 * (784 + 4704 + 784 + 1176) + 1176},
            {"C3 conv 16@5x5", c3, 2 * c3, 4 * (1176 + 1600 + 1176 + 1600 + 1176)},
            {"ReLU + pool 3", 0, 0, 0},
            {"flatten", 0, 0, 0},
            {"F5 dense 120", f5, 2 * f5, dense(400, 120)},
            {"F6 dense 84", f6, 2 * f6, dense(120, 84)},
            {"F7 dense 10", f7, 2 * f7, dense(84, 10)},
            {"ReLU (dense)", 0, 0, 0},
            {"softmax + CE", 0, 0, 0},
            {"L2 + SGD step", 0, 0, 0}};
}
enum { C1, C3, POOL3, FLAT, F5, F6, F7, RELU, SOFTMAX, SGD };

struct Setup;
Tensor<float> gather(const Setup& s, std::size_t from, std::size_t to);

struct Setup {
    Params<float> p, v;
    std::vector<float> pixels;
    std::vector<int> labels, order;
    std::vector<int> y;  // the labels of the current step
    /// Images [from, to) as a minibatch (their labels into y).
    Minibatch batch(std::size_t from, std::size_t to) {
        y.assign(labels.begin() + static_cast<std::ptrdiff_t>(from), labels.begin() + static_cast<std::ptrdiff_t>(to));
        return {pixels.data(), std::span(order).subspan(from, to - from), nullptr, y};
    }
    explicit Setup(int images) {
        wb::Rng rng(1);
        p = init_params<float>(rng);
        pixels.resize(static_cast<std::size_t>(images) * image_pixels);
        for (auto& x : pixels) x = static_cast<float>(rng.uniform(0, 1));
        for (int i = 0; i < images; ++i) {
            labels.push_back(rng.below(classes));
            order.push_back(i);
        }
    }
};

Tensor<float> gather(const Setup& s, std::size_t from, std::size_t to) {
    Tensor<float> x(Shape{static_cast<int>(to - from), 1, image_side, image_side});
    std::copy_n(s.pixels.data() + from * image_pixels, (to - from) * image_pixels, x.data());
    return x;
}

const Sgd settings{0.01f, 0.9f, 5e-4};

/// One whole training step: chapter 11's own (train_step.hpp).
void step(Setup& s, FastNet<float>& net, std::size_t from, std::size_t to) {
    train_step(s.p, s.v, net, s.batch(from, to), settings);
}

/// The same step with a clock around every layer call: the lists of fast_lenet.hpp, but the
/// convolutional part layer at a time on the whole batch (the whole-batch functions), where
/// fast_lenet.hpp takes each block through its layers in one go. Forward, ReLU and pooling
/// are done in the convolution's pass, so their time is in C1's and C3's rows.
void timed_step(Setup& s, FastNet<float>& n, std::size_t from, std::size_t to,
                std::vector<Layer>& L) {
    using namespace wb::batch;
    const Minibatch mb = s.batch(from, to);
    const std::vector<int>& y = mb.labels;
    set_input(n, mb);
    const Params<float>& p = s.p;
    Params<float>& g = n.grad;
    auto t = Clock::now();
    const auto lap = [&](int row, bool bwd) {
        const auto now = Clock::now();
        (bwd ? L[row].bwd_s : L[row].fwd_s) += std::chrono::duration<double>(now - t).count();
        t = now;
    };
    // The dense layers on the whole batch, split between the threads layer by layer:
    // fast_lenet.hpp runs each thread's part of the batch through them (DensePart), which
    // this clock cannot split into layers; the whole steps above time that.
    wb::ThreadPool& dense = n.pool;
    // The whole batch's maps and δs, which fast_lenet.hpp keeps one block at a time.
    static wb::batch::Batch<float> dz3, dp1;
    // The dense layers' δs, which fast_lenet.hpp keeps in each thread's DensePart.
    static Tensor<float> dz7, da6, dz6, da5, dz5, df;
    // One call and its lap a line, as a table:
    // clang-format off
    conv_relu_pool_forward(n.x, p.c1w, p.c1b, c1_spec, pool_spec, nullptr, n.p1, n.argmax1, n.pool);
                                                                              lap(C1, false);
    conv_relu_pool_forward(n.p1, p.c3w, p.c3b, c3_spec, pool_spec, nullptr, n.p3, n.argmax3, n.pool);
                                                                              lap(C3, false);
    flatten(n.p3, n.f, dense);                                                lap(FLAT, false);
    dense_forward(p.f5w, n.f, p.f5b, n.z5, dense);                            lap(F5, false);
    relu(n.z5, n.a5, dense);                                                  lap(RELU, false);
    dense_forward(p.f6w, n.a5, p.f6b, n.z6, dense);                           lap(F6, false);
    relu(n.z6, n.a6, dense);                                                  lap(RELU, false);
    dense_forward(p.f7w, n.a6, p.f7b, n.z7, dense);                           lap(F7, false);
    softmax(n.z7, n.prob);                                                    lap(SOFTMAX, false);
    // C3's map z3 was pooled as it was made, never stored: its shape
    const Shape z3 = conv_forward_shape(n.p1, p.c3w, p.c3b.size(), c3_spec);
    softmax_ce_backward(n.prob, y, dz7);                                      lap(SOFTMAX, true);
    dense_backward(p.f7w, n.a6, dz7, &da6, g.f7w, g.f7b, dense);              lap(F7, true);
    relu_backward(n.z6, da6, dz6, dense);                                     lap(RELU, true);
    dense_backward(p.f6w, n.a5, dz6, &da5, g.f6w, g.f6b, dense);              lap(F6, true);
    relu_backward(n.z5, da5, dz5, dense);                                     lap(RELU, true);
    dense_backward(p.f5w, n.f, dz5, &df, g.f5w, g.f5b, dense);                lap(F5, true);
    unflatten(df, n.p3.shape(), n.dp3, dense);                                lap(FLAT, true);
    max_pool_backward(z3, n.argmax3, n.dp3, pool_spec, dz3, n.pool);          lap(POOL3, true);
    conv_backward(n.p1, p.c3w, dz3, c3_spec, &dp1, g.c3w, g.c3b, n.pool);     lap(C3, true);
    conv_backward(n.x, p.c1w, n.argmax1, dp1, c1_spec, g.c1w, g.c1b, n.pool); lap(C1, true);
    sgd_update(s.p, s.v, g, settings);                                        lap(SGD, true);
    // clang-format on
}

constexpr int passes = 5;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Images per second from the median time of one step, over `passes` passes through
/// `images` images after a warm-up pass. Each step is timed on its own: on a machine shared
/// with other jobs a long timing window is almost always interrupted, one short step is
/// mostly not, and the median ignores the steps that were.
template <class Step>
double step_rate(int batch, int images, Step&& one) {
    std::vector<double> secs;
    for (int pass = 0; pass <= passes; ++pass)
        for (std::size_t from = 0; from + static_cast<std::size_t>(batch) <= static_cast<std::size_t>(images);
             from += static_cast<std::size_t>(batch)) {
            const auto t0 = Clock::now();
            one(from, from + static_cast<std::size_t>(batch));
            if (pass > 0) secs.push_back(seconds_since(t0));
        }
    return batch / median(secs);
}

double rate(Setup& s, int batch, int threads, int images) {
    FastNet<float> net(threads);
    return step_rate(batch, images, [&](std::size_t a, std::size_t b) { step(s, net, a, b); });
}

// ---- the ladder's earlier rungs, for bench/README.md and the docs page ------------------

/// Rung 1: the naive reference layers (lenet.hpp's forward and backward).
void naive_step(Setup& s, std::size_t from, std::size_t to) {
    const Tensor<float> x = gather(s, from, to);
    const std::vector<int> y(s.labels.begin() + static_cast<std::ptrdiff_t>(from),
                             s.labels.begin() + static_cast<std::ptrdiff_t>(to));
    Params<float> g = backward(s.p, forward(s.p, x), y);
    add_l2(g, s.p, 5e-4);
}

/// Rung 2: im2col + a blocked matrix product (bench/im2col_layers.hpp), threads started
/// per product: the same list with the im2col functions.
void im2col_step(Setup& s, std::size_t from, std::size_t to, int threads) {
    namespace f = wb::im2col;
    const Params<float>& p = s.p;
    const Tensor<float> x = gather(s, from, to);
    const std::vector<int> y(s.labels.begin() + static_cast<std::ptrdiff_t>(from),
                             s.labels.begin() + static_cast<std::ptrdiff_t>(to));
    const auto z1 = f::conv2d_forward(x, p.c1w, p.c1b, c1_spec, threads);
    const auto a1 = wb::relu(z1);
    const auto p1 = wb::max_pool_forward(a1, pool_spec);
    const auto z3 = f::conv2d_forward(p1, p.c3w, p.c3b, c3_spec, threads);
    const auto a3 = wb::relu(z3);
    const auto p3 = wb::max_pool_forward(a3, pool_spec);
    const auto fl = wb::flatten(p3);
    const auto z5 = f::dense_forward(p.f5w, fl, p.f5b, threads);
    const auto a5 = wb::relu(z5);
    const auto z6 = f::dense_forward(p.f6w, a5, p.f6b, threads);
    const auto a6 = wb::relu(z6);
    const auto prob = wb::softmax(f::dense_forward(p.f7w, a6, p.f7b, threads));
    const auto g7 = f::dense_backward(p.f7w, a6, wb::softmax_ce_backward(prob, y), threads);
    const auto g6 = f::dense_backward(p.f6w, a5, wb::relu_backward(z6, g7.dA), threads);
    const auto g5 = f::dense_backward(p.f5w, fl, wb::relu_backward(z5, g6.dA), threads);
    const auto dz3 = wb::relu_backward(z3, wb::max_pool_backward(a3, wb::unflatten(g5.dA, p3.shape()), pool_spec));
    const auto g3 = f::conv2d_backward(p1, p.c3w, dz3, c3_spec, threads);
    const auto dz1 = wb::relu_backward(z1, wb::max_pool_backward(a1, g3.delta_out, pool_spec));
    const auto g1 = f::conv2d_backward(x, p.c1w, dz1, c1_spec, threads, false);
}

void ladder(double peak) {
    const int batch = 64;
    Setup s(4096);
    const auto row = [&](const char* name, int threads, double r) {
        std::printf("| %s | %d | %.0f | %.1f | %.1f%% |\n", name, threads, r, r * 2'263'920 / 1e9,
                    100 * r * 2'263'920 / 1e9 / (peak * threads));
    };
    std::printf("the ladder, batch %d, images/s from the median step (rungs 1-2 without the optimiser):\n", batch);
    std::printf("| rung | threads | images/s | GFLOP/s | %% of peak |\n|---|---|---|---|---|\n");
    row("1 naive loops (lenet.hpp)", 1, step_rate(batch, 256, [&](std::size_t a, std::size_t b) { naive_step(s, a, b); }));
    for (int t : {1, 2})
        row("2 im2col + blocked GEMM (im2col_layers.hpp)", t,
            step_rate(batch, 1024, [&](std::size_t a, std::size_t b) { im2col_step(s, a, b, t); }));
    for (int t : {1, 2}) {
        FastNet<float> net(t);
        row(wb::simd::vector_bytes == 64 ? "3 batch-innermost kernels, 512-bit (fast_lenet.hpp)"
                                         : "3 batch-innermost kernels, 256-bit (fast_lenet.hpp)",
            t, step_rate(batch, 4096, [&](std::size_t a, std::size_t b) { step(s, net, a, b); }));
    }
}

}  // namespace

int main(int argc, char** argv) {
    const char* usage = "usage: lenet_profile [--quick | --ladder]";
    const char* option = argc > 1 ? argv[1] : "";
    const bool quick = std::strcmp(option, "--quick") == 0;
    const bool only_ladder = std::strcmp(option, "--ladder") == 0;
    if (std::strcmp(option, "--help") == 0 || std::strcmp(option, "-h") == 0) {
        std::puts(usage);
        return 0;
    }
    if (argc > 2 ||
        (argc == 2 && !quick && !only_ladder)) {  // a typo must not start a minute's run
        std::fprintf(stderr, "lenet_profile: error: unknown option '%s'; %s\n", argv[argc - 1],
                     usage);
        return 2;
    }
    const int images = quick ? 2048 : 8192;
    std::printf("kernels: %s, %d floats per vector\n", wb::simd::isa(), wb::simd::lanes<float>);
    const double p256 = peak_256(), p512 = peak_512();
    const bool use512 = wb::simd::vector_bytes == 64 && p512 > 0;
    const double peak = use512 ? p512 : p256;
    std::printf("FMA peak, 1 thread: %.1f GFLOP/s with 256-bit vectors", p256);
    if (p512 > 0) std::printf(", %.1f GFLOP/s with 512-bit vectors", p512);
    std::printf("; %% of peak below is of the %s figure\n", use512 ? "512-bit" : "256-bit");
    const double flops_per_image = 2'263'920;
    std::printf("one training image = %.2f MFLOP (forward + backward)\n", flops_per_image / 1e6);
    // The ceiling of every speed-up in the bench: no code trains faster than its FLOPs at the peak.
    std::printf("at that peak one thread trains at most %.0f images/s\n\n",
                peak * 1e9 / flops_per_image);
    if (only_ladder) {
        ladder(peak);
        return 0;
    }

    std::printf("whole training steps (forward, backward, L2, SGD) on %d random images, %d passes; "
                "images/s from the median step:\n", images, passes);
    std::printf("%-8s %-8s %12s %10s %10s\n", "batch", "threads", "images/s", "GFLOP/s", "% of peak");
    for (int batch : {32, 64, 256})
        for (int threads : {1, 2}) {
            Setup s(images);
            const double r = rate(s, batch, threads, images);
            std::printf("%-8d %-8d %12.0f %10.1f %9.1f%%\n", batch, threads, r, r * flops_per_image / 1e9,
                        100 * r * flops_per_image / 1e9 / (peak * threads));
        }

    for (int threads : {1, 2}) {
        const int batch = 64;
        Setup s(images);
        FastNet<float> net(threads);
        // Each layer's time per step is the median over the steps of 5 passes (after a
        // warm-up pass), for the reason step_rate gives.
        std::vector<Layer> layers = lenet_layers();
        std::vector<std::vector<double>> fwd(layers.size()), bwd(layers.size());
        for (int pass = 0; pass <= passes; ++pass)
            for (std::size_t from = 0; from < static_cast<std::size_t>(images); from += batch) {
                std::vector<Layer> now = lenet_layers();
                timed_step(s, net, from, from + batch, now);
                for (std::size_t l = 0; l < layers.size() && pass > 0; ++l) {
                    fwd[l].push_back(now[l].fwd_s);
                    bwd[l].push_back(now[l].bwd_s);
                }
            }
        for (std::size_t l = 0; l < layers.size(); ++l) {  // as seconds for all `images`
            layers[l].fwd_s = median(fwd[l]) * images / batch;
            layers[l].bwd_s = median(bwd[l]) * images / batch;
        }
        double total = 0;
        for (const auto& l : layers) total += l.fwd_s + l.bwd_s;
        std::printf(
            "\nper-layer profile, batch %d, %d thread(s), %d images (%.0f images/s); "
            "time in µs per image; the convolutional part layer at a time, to clock each layer "
            "(forward, ReLU + pool are in the convolution's pass and row; C1's backward reads its "
            "δ "
            "through pool 1's argmax):\n",
            batch, threads, images, images / total);
        std::printf("%-16s %8s %8s %6s %9s %9s %8s %9s\n", "layer", "fwd", "bwd", "share", "GFLOP/s", "% peak",
                    "MFLOP", "FLOP/byte");
        for (const auto& l : layers) {
            const double t = l.fwd_s + l.bwd_s, fl = (l.fwd_flops + l.bwd_flops) * images;
            std::printf("%-16s %8.2f %8.2f %5.1f%%", l.name, 1e6 * l.fwd_s / images, 1e6 * l.bwd_s / images,
                        100 * t / total);
            if (fl > 0)
                std::printf(" %9.1f %8.1f%% %8.3f %9.1f\n", fl / t / 1e9, 100 * fl / t / 1e9 / (peak * threads),
                            (l.fwd_flops + l.bwd_flops) / 1e6, (l.fwd_flops + l.bwd_flops) / l.bytes);
            else
                std::printf(" %9s %9s %8s\n", "-", "-", "0");
        }
        std::printf("%-16s %17.2f %6s %9.1f %8.1f%% %8.3f\n", "whole step", 1e6 * total / images, "",
                    flops_per_image * images / total / 1e9,
                    100 * flops_per_image * images / total / 1e9 / (peak * threads), flops_per_image / 1e6);
    }
    return 0;
}
