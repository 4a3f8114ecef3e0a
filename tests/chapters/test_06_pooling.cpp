// Chapter 06: pooling backward. 002's slides asserted number for number, 001 §6.2's rules
// and Kronecker form, 004 §四.2's size formula, and finite differences.
#include <doctest/doctest.h>

#include "06_pooling/pool_rules.hpp"
#include "check.hpp"
#include "random.hpp"

using namespace ch06;

TEST_CASE("002 max-pooling slide: [[1,8,4,3],[7,2,1,9],[6,1,2,4],[8,7,6,0]] → [[8,9],[8,6]]") {
    CHECK_EXACT(wb::max_pool_forward(example_a(), notes_pool), (Map{{8, 9}, {8, 6}}));
}

TEST_CASE("002 max-pooling slide: residual [[7,3],[1,4]] goes back to the four maxima") {
    CHECK_EXACT(wb::max_pool_backward(example_a(), example_delta_max(), notes_pool),
                (Map{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 4, 0}}));
}

TEST_CASE("002 mean-pooling slide: forward [[4.5,4.25],[5.5,3]]") {
    // (1+8+7+2)/4 = 4.5, (4+3+1+9)/4 = 4.25, (6+1+8+7)/4 = 5.5, (2+4+6+0)/4 = 3
    CHECK_EXACT(wb::mean_pool_forward(example_a(), notes_pool), (Map{{4.5, 4.25}, {5.5, 3}}));
}

TEST_CASE("002 mean-pooling slide: residual [[8,4],[16,4]] → each window gets δ/4") {
    const Map expected{{2, 2, 1, 1}, {2, 2, 1, 1}, {4, 4, 1, 1}, {4, 4, 1, 1}};
    CHECK_EXACT(wb::mean_pool_backward(example_a().shape(), example_delta_mean(), notes_pool), expected);
    // 001 §6.2.2: the same map as the Kronecker product δ ⊗ (1/n²)_{n×n}, n = 2
    CHECK_EXACT(mean_backward_kronecker(example_delta_mean(), 2), expected);
}

TEST_CASE("002's z11 partials: a11, a12, a21, a22 (not a12 three times) — only the maximum a12 = 8 gets 1") {
    const auto p = max_window_partials(example_a(), 0, 0, notes_pool);
    REQUIRE(p.size() == 4);
    const int expected_uv[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    const double expected_value[4] = {0, 1, 0, 0};
    for (int k = 0; k < 4; ++k) {
        CHECK(p[static_cast<std::size_t>(k)].u == expected_uv[k][0]);
        CHECK(p[static_cast<std::size_t>(k)].v == expected_uv[k][1]);
        CHECK(p[static_cast<std::size_t>(k)].value == expected_value[k]);
    }
}

TEST_CASE("001 §6.2.1: with net_1,1 the maximum, δ_1,1 = δ^l and δ_1,2 = δ_2,1 = δ_2,2 = 0 (not a second δ_1,1)") {
    const Map a{{9, 1}, {2, 3}};
    CHECK_EXACT(wb::max_pool_backward(a, Map{{5}}, notes_pool), (Map{{5, 0}, {0, 0}}));
}

TEST_CASE("001 §6.2.2 Kronecker form = mean_pool_backward for n = 1..4 (stride = size)") {
    wb::Rng rng(61);
    for (int n = 1; n <= 4; ++n) {
        CAPTURE(n);
        const Map d = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(3), 1 + rng.below(3)}, rng);
        CHECK_CLOSE(mean_backward_kronecker(d, n),
                    wb::mean_pool_backward(wb::Shape{1, 1, d.h() * n, d.w() * n}, d, {n, n}), 1e-15);
    }
    CHECK_EXACT(wb::kron(Map{{1, 2}}, Map{{1}, {10}}), (Map{{1, 2}, {10, 20}}));
}

TEST_CASE("004 §四.2.1: (n+2p−k)/2s evaluates to 1 on 004's own numbers — the pooled size is 2") {
    CHECK(pool_size_as_printed_in_004(4, 0, 2, 1) == 1.0);
    CHECK(wb::max_pool_forward(Map(wb::Shape{1, 1, 4, 4}), {2, 2}).h() == 2);
}

TEST_CASE("002's example by finite differences (max and mean, < 1e-10)") {
    CHECK(max_pool_fd_error(example_a(), example_delta_max(), notes_pool) < 1e-10);
    CHECK(mean_pool_fd_error(example_a(), example_delta_mean(), notes_pool) < 1e-10);
}

TEST_CASE("002 max-pooling slide: the 4×4 upsampled map holds each δ in its own window, and restoring positions gives the answer") {
    const Map up = example_upsampled_as_drawn();
    CHECK_EXACT(up, wb::pad(example_delta_max(), 1));  // as drawn: δ framed by zeros
    CHECK_EXACT(window_sums(up, notes_pool), example_delta_max());
    for (int p = 0; p < 2; ++p)
        for (int q = 0; q < 2; ++q) {
            int nonzero = 0;
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 2; ++j) nonzero += up(2 * p + i, 2 * q + j) != 0;
            CHECK(nonzero == 1);
        }
    const Map answer{{0, 7, 0, 0}, {0, 0, 0, 3}, {0, 0, 0, 0}, {1, 0, 4, 0}};
    CHECK_EXACT(restore_positions(up, example_a(), notes_pool), answer);
}

TEST_CASE("002 mean-pooling slide: avg(sum(a…)) is the sum, 18 — the slide's own 4.5 is the sum over m·n") {
    CHECK(mean_as_printed_in_002(example_a(), 0, 0, notes_pool) == 18);
    CHECK(wb::mean_pool_forward(example_a(), notes_pool)(0, 0) == 18.0 / (2 * 2));
    CHECK(wb::mean_pool_forward(example_a(), notes_pool)(0, 0) == 4.5);
}

TEST_CASE("004 §四.2.2: pooling's backward routing enlarges 2×2 to 4×4 — an upsampling (the note names it DownSample)") {
    const Map back = wb::max_pool_backward(example_a(), example_delta_max(), notes_pool);
    CHECK(back.shape() == example_a().shape());
    CHECK(back.size() == 4 * example_delta_max().size());
    CHECK(wb::max_pool_forward(example_a(), notes_pool).size() == example_delta_max().size());
}
