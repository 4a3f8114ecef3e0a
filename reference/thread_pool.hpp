/// \file thread_pool.hpp
/// \brief One persistent pool of threads for the fast layers: started once, reused by
/// every layer call, so a training step starts no thread and allocates nothing.
///
/// `run(n, body)` splits [0, n) into min(threads, n) fixed contiguous parts and returns
/// when all are done. The parts are claimed, not assigned: the calling thread and the
/// workers take the next unclaimed part until none is left, so a worker that the operating
/// system has not scheduled yet (a busy machine) never holds the others up — the caller
/// simply runs its part too. Which thread computes a part never changes a result: the
/// parts are fixed by n and the thread count, and the kernels make every output element
/// the work of one part, summed in an order that does not depend on who runs it.
#pragma once

#include <algorithm>
#include <atomic>
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
    explicit ThreadPool(int threads = 1) : threads_(threads < 1 ? 1 : threads) {
        for (int t = 1; t < threads_; ++t) workers_.emplace_back([this] { work(); });
    }
    ~ThreadPool() {
        stop_.store(true);
        work_.store(pack(generation_ + 1, 0, 0), std::memory_order_release);
        work_.notify_all();
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
        work_.store(pack(generation_, parts, 0), std::memory_order_release);
        work_.notify_all();
        claim_parts(generation_);
        // Wait for parts still running elsewhere: spin briefly (~30 µs), then sleep.
        for (int spin = 0;; ++spin) {
            const std::size_t seen = done_.load(std::memory_order_acquire);
            if (seen == parts) break;
            if (spin < spin_limit) WB_PAUSE();
            else done_.wait(seen, std::memory_order_acquire);
        }
    }

private:
    static constexpr int spin_limit = 512;

    // The job word: generation (32 bits) | number of parts (16) | next unclaimed part (16).
    static std::uint64_t pack(std::uint64_t gen, std::uint64_t parts, std::uint64_t next) {
        return (gen << 32) | (parts << 16) | next;
    }
    static std::uint32_t generation_of(std::uint64_t w) { return static_cast<std::uint32_t>(w >> 32); }

    /// Runs unclaimed parts of generation `gen` until none is left.
    void claim_parts(std::uint32_t gen) {
        std::uint64_t w = work_.load(std::memory_order_acquire);
        for (;;) {
            const std::size_t parts = (w >> 16) & 0xffff, part = w & 0xffff;
            if (generation_of(w) != gen || part >= parts) return;
            if (!work_.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel)) continue;
            call_(context_, n_ * part / parts, n_ * (part + 1) / parts);
            done_.fetch_add(1, std::memory_order_acq_rel);
            done_.notify_one();
            w = work_.load(std::memory_order_acquire);
        }
    }

    void work() {
        std::uint32_t seen = 0;
        for (;;) {
            std::uint64_t w = work_.load(std::memory_order_acquire);
            for (int spin = 0; generation_of(w) == seen; ++spin) {
                if (spin < spin_limit) WB_PAUSE();
                else work_.wait(w, std::memory_order_acquire);
                w = work_.load(std::memory_order_acquire);
            }
            if (stop_.load()) return;
            seen = generation_of(w);
            claim_parts(seen);
        }
    }

    int threads_;
    std::vector<std::thread> workers_;
    std::atomic<std::uint64_t> work_{0};
    std::atomic<std::size_t> done_{0};
    std::atomic<bool> stop_{false};
    std::uint32_t generation_ = 0;  // written by the calling thread only
    std::size_t n_ = 0;
    void* context_ = nullptr;
    void (*call_)(void*, std::size_t, std::size_t) = nullptr;
};

}  // namespace wb
