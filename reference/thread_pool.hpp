/// \file thread_pool.hpp
/// \brief One persistent pool of threads for the fast layers: started once, reused by
/// every layer call, so a training step starts no thread and allocates nothing.
///
/// `run(n, body)` splits [0, n) into as many contiguous parts as there are threads (the
/// calling thread takes the first) and returns when all are done. Which thread computes a
/// part never changes a result: the kernels make every output element the work of one
/// part, summed in an order that does not depend on the split.
#pragma once

#include <atomic>
#include <cstddef>
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
        for (int t = 1; t < threads_; ++t) workers_.emplace_back([this, t] { work(t); });
    }
    ~ThreadPool() {
        stop_.store(true);
        generation_.fetch_add(1, std::memory_order_release);
        generation_.notify_all();
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
        parts_ = parts;
        context_ = &body;
        call_ = [](void* ctx, std::size_t b, std::size_t e) { (*static_cast<F*>(ctx))(b, e); };
        done_.store(0, std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
        generation_.notify_all();
        body(std::size_t{0}, n / parts);
        // Wait for the other parts: spin briefly (the next layer follows at once), then sleep.
        // Every worker reports, even one without a part, so none can lag a generation behind.
        const std::size_t others = workers_.size();
        for (int spin = 0; done_.load(std::memory_order_acquire) < others; ++spin) {
            if (spin < spin_limit) {
                WB_PAUSE();
            } else {
                const std::size_t seen = done_.load(std::memory_order_acquire);
                if (seen < others) done_.wait(seen, std::memory_order_acquire);
            }
        }
    }

private:
    // About 30 µs of spinning: long enough to catch the next layer's call at once, short
    // enough not to burn a core the other thread (or another program) needs while it waits.
    static constexpr int spin_limit = 512;

    void work(int id) {
        unsigned seen = 0;
        for (;;) {
            for (int spin = 0; generation_.load(std::memory_order_acquire) == seen; ++spin) {
                if (spin < spin_limit) WB_PAUSE();
                else generation_.wait(seen, std::memory_order_acquire);
            }
            seen = generation_.load(std::memory_order_acquire);
            if (stop_.load()) return;
            const std::size_t part = static_cast<std::size_t>(id);
            if (part < parts_) call_(context_, n_ * part / parts_, n_ * (part + 1) / parts_);
            done_.fetch_add(1, std::memory_order_acq_rel);
            done_.notify_one();
        }
    }

    int threads_;
    std::vector<std::thread> workers_;
    std::atomic<unsigned> generation_{0};
    std::atomic<std::size_t> done_{0};
    std::atomic<bool> stop_{false};
    std::size_t n_ = 0, parts_ = 0;
    void* context_ = nullptr;
    void (*call_)(void*, std::size_t, std::size_t) = nullptr;
};

}  // namespace wb
