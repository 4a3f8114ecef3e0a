// ThreadPool::run (reference/thread_pool.hpp), which every fast layer relies on: each index
// is run exactly once, in min(threads, n) fixed contiguous parts, and a job never sees a
// part of the one before it.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "thread_pool.hpp"

namespace {

using Part = std::pair<std::size_t, std::size_t>;

/// The parts run(n) hands out, sorted, after checking that every index ran exactly once.
std::vector<Part> parts_of(wb::ThreadPool& pool, std::size_t n) {
    std::vector<std::atomic<int>> runs(n);
    std::vector<Part> parts;
    std::mutex m;
    pool.run(n, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) runs[i].fetch_add(1);
        std::lock_guard<std::mutex> lock(m);
        parts.emplace_back(b, e);
    });
    for (std::size_t i = 0; i < n; ++i) CHECK_MESSAGE(runs[i].load() == 1, "index " << i << " of " << n);
    std::sort(parts.begin(), parts.end());
    return parts;
}

}  // namespace

TEST_CASE("ThreadPool::run: every index once, in min(threads, n) contiguous parts") {
    for (int threads : {1, 2, 3, 4}) {
        wb::ThreadPool pool(threads);
        for (std::size_t n : {1, 2, 3, 5, 7, 64, 1000}) {
            CAPTURE(threads);
            CAPTURE(n);
            const auto parts = parts_of(pool, n);
            REQUIRE(parts.size() == std::min<std::size_t>(static_cast<std::size_t>(threads), n));
            std::size_t at = 0;  // the parts tile [0, n) with no gap and no empty part
            for (const auto& [b, e] : parts) {
                CHECK(b == at);
                CHECK(e > b);
                at = e;
            }
            CHECK(at == n);
        }
    }
}

TEST_CASE("ThreadPool::run: n = 0 calls nothing, n < threads uses n parts of one index") {
    wb::ThreadPool pool(4);
    int calls = 0;
    pool.run(0, [&](std::size_t, std::size_t) { ++calls; });
    CHECK(calls == 0);
    CHECK(parts_of(pool, 2) == std::vector<Part>{{0, 1}, {1, 2}});
    CHECK(parts_of(pool, 3) == std::vector<Part>{{0, 1}, {1, 2}, {2, 3}});
}

TEST_CASE("ThreadPool::run: one part (1 thread, or n = 1) runs on the calling thread") {
    for (int threads : {0, 1, 3}) {
        wb::ThreadPool pool(threads);
        CHECK(pool.size() == std::max(threads, 1));
        std::thread::id ran_on;
        pool.run(threads > 1 ? 1 : 10, [&](std::size_t, std::size_t) { ran_on = std::this_thread::get_id(); });
        CHECK(ran_on == std::this_thread::get_id());
    }
}

TEST_CASE("ThreadPool::run: back-to-back jobs of changing sizes each finish whole before the next") {
    wb::ThreadPool pool(3);
    for (std::size_t job = 0; job < 3000; ++job) {
        const std::size_t n = 1 + job % 17;  // 1 to 17 indices: 1, 2 or 3 parts
        std::atomic<std::size_t> sum{0};
        std::vector<int> seen(n, 0);  // each part writes its own indices only
        pool.run(n, [&, job](std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                seen[i] += 1;
                sum.fetch_add(i + job);
            }
        });
        // run has returned: every part of this job is done, none of an older job ran here.
        REQUIRE(sum.load() == n * (n - 1) / 2 + n * job);
        REQUIRE(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(n));
    }
}
