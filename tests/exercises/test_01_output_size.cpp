// Verdict for exercise 01_output_size.
#include <doctest/doctest.h>

#include "01_output_size/output_size.hpp"
#include "check.hpp"
#include "ops.hpp"

TEST_CASE("the notes' examples: 5×5 ⋆ 3×3 at stride 1 and 2, 3×3 ⋆ 2×2, 6×6 pooled by 3") {
    CHECK_EXACT(ex::output_size(5, 3, 0, 1), 3);
    CHECK_EXACT(ex::output_size(5, 3, 0, 2), 2);
    CHECK_EXACT(ex::output_size(3, 2, 0, 1), 2);
    CHECK_EXACT(ex::output_size(6, 3, 0, 3), 2);
}

TEST_CASE("padding counts on both sides: 5×5, pad 1, stride 2 → 3") {
    CHECK_EXACT(ex::output_size(5, 3, 1, 2), 3);
    CHECK_EXACT(ex::output_size(28, 5, 2, 1), 28);  // LeNet's C1 keeps 28×28
}

TEST_CASE("when (n + 2p − f) is not divisible by s, round down") {
    INFO("note: 001 §5.1.2 eq 2 writes (W₁ − F + 2P)/S + 1 without the floor; the division rounds down "
         "(docs/errata.md, errata_001_output_floor)");
    CHECK_EXACT(ex::output_size(8, 3, 1, 3), 3);
    CHECK_EXACT(ex::output_size(6, 3, 0, 4), 1);
    CHECK_EXACT(ex::output_size(10, 4, 0, 3), 3);
}

TEST_CASE("agrees with the reference on every n ≤ 12, f ≤ n + 2p, p ≤ 2, s ≤ 3") {
    for (int n = 1; n <= 12; ++n)
        for (int p = 0; p <= 2; ++p)
            for (int f = 1; f <= n + 2 * p; ++f)
                for (int s = 1; s <= 3; ++s) {
                    CAPTURE(n); CAPTURE(f); CAPTURE(p); CAPTURE(s);
                    REQUIRE(ex::output_size(n, f, p, s) == wb::output_size(n, f, p, s));
                }
}
