// Verdict for exercise 09_softmax.
#include <doctest/doctest.h>

#include <cmath>

#include "09_softmax/softmax.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

TEST_CASE("004 §三.5: softmax(3, 1, −3) ≈ (0.87888, 0.11894, 0.00218)") {
    CHECK_CLOSE(ex::softmax(Map{{3}, {1}, {-3}}),
                (Map{{0.878878242732151}, {0.11894323591065209}, {0.0021785213571970234}}), 1e-14);
}

TEST_CASE("logits of 1000 stay finite (subtract the column maximum)") {
    CHECK_CLOSE(ex::softmax(Map{{1000}, {999}, {998}}),
                (Map{{0.6652409557748219}, {0.24472847105479764}, {0.09003057317038046}}), 1e-14);
}

TEST_CASE("logits of −1000 stay finite too: the maximum is the column's own, not 0") {
    CHECK_CLOSE(ex::softmax(Map{{-1000}, {-1001}, {-1002}}),
                (Map{{0.6652409557748219}, {0.24472847105479764}, {0.09003057317038046}}), 1e-14);
}

TEST_CASE("each column subtracts its own maximum: logits of 1000 beside logits of 0") {
    // One maximum for the whole batch (1000) would leave exp(0 − 1000) = 0 in both rows of
    // the second column, and 0/0.
    CHECK_CLOSE(ex::softmax(Map{{1000, 0}, {999, -1}}),
                (Map{{0.7310585786300049, 0.7310585786300049}, {0.2689414213699951, 0.2689414213699951}}),
                1e-14);
}

TEST_CASE("columns are samples: each column on its own") {
    CHECK_CLOSE(ex::softmax(Map{{3, 0}, {1, 0}, {-3, 0}}),
                (Map{{0.878878242732151, 1.0 / 3}, {0.11894323591065209, 1.0 / 3},
                     {0.0021785213571970234, 1.0 / 3}}), 1e-14);
}
