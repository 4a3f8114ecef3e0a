// Verdict for exercise 03_zero_insert.
#include <doctest/doctest.h>

#include <exception>

#include "03_stride/stride.hpp"
#include "03_zero_insert/zero_insert.hpp"
#include "check.hpp"
#include "ops.hpp"

using Map = wb::Tensor<double>;

namespace {
/// Your zero_insert(d, S) against `expected`. A result of (M·S)×(N·S), the size 000 §17.3.2's
/// words give, gets a message of its own: the words are wrong there, its drawings right.
void check_zero_insert(const Map& d, int S, const Map& expected) {
    const bool words_size = [&] {
        try {
            const Map r = ex::zero_insert(d, S);
            return r.h() == d.h() * S && r.w() == d.w() * S && !(r.shape() == expected.shape());
        } catch (const std::exception&) {
            return false;  // reported by the check below
        }
    }();
    if (words_size)
        FAIL_CHECK("ex::zero_insert(d, " << S << ") of a " << d.shape().str() << " map is "
                   << d.h() * S << "×" << d.w() * S << ", the (M·S)×(N·S) of 000 §17.3.2's words.\n"
                   << "  The words are wrong there (docs/errata.md, errata_000_zero_insert_size); "
                   << "its drawings are right:\n  ((M−1)·S+1)×((N−1)·S+1) = " << expected.shape().str());
    else
        CHECK_EXACT(ex::zero_insert(d, S), expected);
}
}  // namespace

TEST_CASE("000 §17.3.2's drawings: a 2×3 δ with S = 2 becomes 3×5, with S = 3 becomes 4×7") {
    const Map d = ch03::example_delta();  // [[1, −2, 3], [2, 1, −1]]
    check_zero_insert(d, 2, Map{{1, 0, -2, 0, 3}, {0, 0, 0, 0, 0}, {2, 0, 1, 0, -1}});
    check_zero_insert(d, 3, Map{{1, 0, 0, -2, 0, 0, 3},
                                {0, 0, 0, 0, 0, 0, 0},
                                {0, 0, 0, 0, 0, 0, 0},
                                {2, 0, 0, 1, 0, 0, -1}});
}

TEST_CASE("S = 1 changes nothing — a single row or column spreads along one axis only") {
    const Map d{{4, -1}, {3, 7}};
    check_zero_insert(d, 1, d);
    check_zero_insert(Map{{5, 6, 7}}, 2, Map{{5, 0, 6, 0, 7}});
    check_zero_insert(Map{{5}, {6}}, 3, Map{{5}, {0}, {0}, {6}});
}

TEST_CASE("random maps and strides 1–4 match the reference") {
    wb::Rng rng(31);
    for (int trial = 0; trial < 30; ++trial) {
        const Map d = wbtest::random_int_map(wb::Shape{1, 1, 1 + rng.below(4), 1 + rng.below(4)}, rng, 1, 9);
        const int S = 1 + rng.below(4);
        CAPTURE(S);
        INFO("inputs: " << wbtest::shapes({{"δ", d.shape()}}));
        check_zero_insert(d, S, wb::zero_insert(d, S));
    }
}
