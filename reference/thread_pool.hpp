/// \file thread_pool.hpp
/// \brief One persistent pool of threads for the fast layers: started once, reused by
/// every layer call, so a training step starts no thread and allocates nothing.
///
/// `run(n, body)` splits [0, n) into min(threads, n) fixed contiguous parts and returns
/// when all are done.
///
/// - Thread t (the caller is thread 0) claims part t first, so consecutive layers split
///   the same way (by blocks of images) find their input in their own core's cache. Then
///   it claims any part still unclaimed: a worker that the operating system has not
///   scheduled yet (a busy machine) never holds the others up; the caller runs its part.
/// - Waiting threads spin for up to 2 ms before they sleep. Waking a sleeping thread costs
///   tens of µs in a virtual machine, as long as a layer takes at batch 64: with a short
///   spin the worker woke to find its part taken, and 2 threads ran ×1.09 as fast as 1
///   (docs page "Chapter 11, made fast").
/// - Which thread computes a part never changes a result: the parts are fixed by n and
///   the thread count, and the kernels make every output element the work of one part,
///   summed in an order that does not depend on who runs it.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define WB_PAUSE() _mm_pause()
#else
#define WB_PAUSE() ((void)0)
#endif

namespace wb {

class ThreadPool {
public:
    explicit ThreadPool(int threads = 1)
        : threads_(threads < 1 ? 1 : threads), claims_(static_cast<std::size_t>(threads_)) {
        for (int t = 1; t < threads_; ++t) workers_.emplace_back([this, t] { work(t); });
    }
    ~ThreadPool() {
        stop_.store(true);
        job_.store(pack(generation_ + 1, 0), std::memory_order_release);
        job_.notify_all();
        for (auto& w : workers_) w.join();
    }
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int size() const { return threads_; }

    /// body(begin, end) over [0, n) in min(threads, n) contiguous parts.
    template <class F>
    void run(std::size_t n, F&& body) {
        const std::size_t parts = std::min<std::size_t>(static_cast<std::size_t>(threads_), n);
        if (parts <= 1) {
            if (n) body(std::size_t{0}, n);
            return;
        }
        n_ = n;
        context_ = &body;
        call_ = [](void* ctx, std::size_t b, std::size_t e) { (*static_cast<F*>(ctx))(b, e); };
        done_.store(0, std::memory_order_relaxed);
        ++generation_;
        job_.store(pack(generation_, parts), std::memory_order_release);
        job_.notify_all();
        claim_parts(generation_, parts, 0);
        // Wait for the parts still running elsewhere.
        for (std::size_t seen = done_.load(std::memory_order_acquire); seen != parts;)
            seen = next_value(done_, seen);
    }

private:
    /// How long a waiting thread spins before it sleeps; it checks the clock every 64 pauses.
    static constexpr std::chrono::microseconds spin_time{2000};

    /// Waits until `a` no longer holds `old` and returns its new value: spins first, then sleeps.
    template <class V>
    static V next_value(const std::atomic<V>& a, V old) {
        const auto until = std::chrono::steady_clock::now() + spin_time;
        for (unsigned spin = 1;; ++spin) {
            const V now = a.load(std::memory_order_acquire);
            if (now != old) return now;
            if (spin % 64 != 0 || std::chrono::steady_clock::now() < until) WB_PAUSE();
            else a.wait(old, std::memory_order_acquire);
        }
    }

    // The job word: generation (48 bits) | number of parts (16).
    static std::uint64_t pack(std::uint64_t gen, std::uint64_t parts) { return (gen << 16) | parts; }

    /// Runs the parts of generation `gen` that no thread has claimed yet, its own part
    /// (`self`) first. A part is claimed by raising its generation mark to `gen`; a thread
    /// that read an older job finds its parts' marks at or above that job's generation
    /// (every part of a job is claimed before the next job starts) and claims nothing.
    void claim_parts(std::uint64_t gen, std::size_t parts, std::size_t self) {
        for (std::size_t k = 0; k < parts; ++k) {
            const std::size_t part = (self + k) % parts;
            std::atomic<std::uint64_t>& mark = claims_[part].gen;
            std::uint64_t seen = mark.load(std::memory_order_relaxed);
            bool mine = false;
            while (seen < gen && !(mine = mark.compare_exchange_weak(seen, gen, std::memory_order_acq_rel))) {
            }
            if (!mine) continue;
            call_(context_, n_ * part / parts, n_ * (part + 1) / parts);
            done_.fetch_add(1, std::memory_order_acq_rel);
            done_.notify_one();
        }
    }

    void work(int self) {
        std::uint64_t seen = 0;  // the last generation this thread looked at
        for (;;) {
            std::uint64_t job = job_.load(std::memory_order_acquire);
            while ((job >> 16) == seen) job = next_value(job_, job);
            if (stop_.load()) return;
            seen = job >> 16;
            claim_parts(seen, job & 0xffff, static_cast<std::size_t>(self));
        }
    }

    /// A part's generation mark, alone on its cache line.
    struct alignas(64) Claim {
        std::atomic<std::uint64_t> gen{0};
    };

    int threads_;
    std::vector<Claim> claims_;  // one per possible part (parts ≤ threads)
    std::vector<std::thread> workers_;
    std::atomic<std::uint64_t> job_{0};
    std::atomic<std::size_t> done_{0};
    std::atomic<bool> stop_{false};
    std::uint64_t generation_ = 0;  // written by the calling thread only
    std::size_t n_ = 0;
    void* context_ = nullptr;
    void (*call_)(void*, std::size_t, std::size_t) = nullptr;
};

}  // namespace wb
