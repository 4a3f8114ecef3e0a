// A training step of chapter 11 allocates nothing once its buffers exist. This program
// replaces the global operator new to count allocations, so it is a test binary of its
// own (the other tests keep the standard one).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "11_lenet/train.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t n) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

/// Allocations made during training steps (between the ends of two steps) in epochs
/// 2 … 1 + `epochs` of a run on `threads` threads; the first epoch grows the buffers.
long step_allocations(int threads, int epochs) {
    wb::Rng rng(3);
    ch11::Dataset train, val;
    for (ch11::Dataset* d : {&train, &val}) {
        d->count = d == &train ? 300 : 40;
        for (int i = 0; i < d->count * ch11::image_pixels; ++i)
            d->pixels.push_back(static_cast<float>(rng.uniform(0, 1)));
        for (int i = 0; i < d->count; ++i) d->labels.push_back(rng.below(ch11::classes));
    }
    ch11::Config cfg;
    cfg.epochs = 1 + epochs;
    cfg.batch = 32;  // 300 = 9 × 32 + 12: the last, smaller batch too
    cfg.threads = threads;
    ch11::Trainer tr(cfg, train, val);
    tr.run_epoch();
    long during_steps = 0, last = -1;
    for (int e = 0; e < epochs; ++e) {
        last = -1;  // not between epochs: evaluation and the epoch's order allocate
        tr.run_epoch([&](long, long, double, double) {
            if (last >= 0) during_steps += allocations.load() - last;
            last = allocations.load();
        });
    }
    return during_steps;
}

}  // namespace

TEST_CASE("a training step allocates nothing once its buffers exist") {
    CHECK(step_allocations(1, 2) == 0);
    // On 2 threads each thread grows its own scratch buffers the first time it runs that
    // kind of part, which on a busy machine can be late (parts go to whichever thread is
    // free): the padded block, the zero-inserted δ, the shifted images, and the product's
    // leftover-column strip (twice, if the last and smaller batch comes first): at most 5
    // per thread. 36 steps are counted: one allocation per step would be 36.
    CHECK(step_allocations(2, 4) <= 2 * 5);
}
