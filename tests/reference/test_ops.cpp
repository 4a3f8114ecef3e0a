// The primitive operations: shapes, pad/crop, rot180, zero_insert, cross-correlation and
// full convolution, each against hand-computed values, and the shape errors they raise.
#include <doctest/doctest.h>

#include "check.hpp"
#include "ops.hpp"
#include "random.hpp"

using wb::Shape;
using M = wb::Tensor<double>;

TEST_CASE("Tensor: storage order, planes and shape errors") {
    auto t = M::from(Shape{2, 3, 2, 2}, std::vector<double>(24));
    for (std::size_t i = 0; i < t.size(); ++i) t.values()[i] = static_cast<double>(i);
    CHECK(t(1, 2, 1, 0) == 22);  // ((1·3 + 2)·2 + 1)·2 + 0
    CHECK_EXACT(t.plane(1, 0), (M{{12, 13}, {14, 15}}));
    CHECK_THROWS_AS(M::from(Shape{1, 1, 2, 2}, {1, 2, 3}), std::invalid_argument);
    CHECK_THROWS_WITH_AS((M{{1, 2}, {3}}), "Tensor: ragged rows: a row has 1 values, the first has 2",
                         std::invalid_argument);
    CHECK_THROWS_AS(t.plane(2, 0), std::invalid_argument);
    CHECK_THROWS_AS(M(Shape{1, -1, 2, 2}), std::invalid_argument);
    CHECK(Shape{2, 3, 5, 5}.str() == "2×3×5×5");
    CHECK(Shape{1, 1, 6, 4}.str() == "6×4");
}

TEST_CASE("output_size: the floor of (n + 2p − f)/s, plus one") {
    CHECK(wb::output_size(5, 3, 0, 1) == 3);  // 001 §5.1.1
    CHECK(wb::output_size(5, 3, 0, 2) == 2);  // 001 §5.1.2
    CHECK(wb::output_size(6, 3, 0, 4) == 1);  // (6 − 3)/4 = 0.75: one window fits
    CHECK(wb::output_size(7, 3, 1, 3) == 3);  // (7 + 2 − 3)/3 = 2 → 3
    CHECK(wb::output_size(8, 3, 1, 3) == 3);  // (8 + 2 − 3)/3 = 2.33 → 3, a row unreached
    CHECK_THROWS_WITH_AS(wb::output_size(2, 3, 0, 1),
                         "output_size: kernel is larger than the padded input (n=2, f=3, p=0, s=1)",
                         std::invalid_argument);
    CHECK_THROWS_AS(wb::output_size(5, 3, 0, 0), std::invalid_argument);
    CHECK_THROWS_AS(wb::output_size(5, 3, -1, 1), std::invalid_argument);
}

TEST_CASE("pad, crop and rot180 on a 2×3 map") {
    const M x{{1, 2, 3}, {4, 5, 6}};
    CHECK_EXACT(wb::pad(x, 1), (M{{0, 0, 0, 0, 0}, {0, 1, 2, 3, 0}, {0, 4, 5, 6, 0}, {0, 0, 0, 0, 0}}));
    CHECK_EXACT(wb::pad(x, 0, 1), (M{{0, 1, 2, 3, 0}, {0, 4, 5, 6, 0}}));
    CHECK_EXACT(wb::crop(wb::pad(x, 2), 2), x);
    CHECK_EXACT(wb::rot180(x), (M{{6, 5, 4}, {3, 2, 1}}));
    CHECK_EXACT(wb::rot180(wb::rot180(x)), x);
    CHECK_THROWS_AS(wb::pad(x, -1), std::invalid_argument);
    CHECK_THROWS_AS(wb::crop(x, 2), std::invalid_argument);
}

TEST_CASE("zero_insert: S − 1 zeros between elements, optional tail") {
    const M d{{1, 2}, {3, 4}};
    CHECK_EXACT(wb::zero_insert(d, 1), d);
    CHECK_EXACT(wb::zero_insert(d, 2), (M{{1, 0, 2}, {0, 0, 0}, {3, 0, 4}}));
    CHECK_EXACT(wb::zero_insert(d, 3, 1, 0),
                (M{{1, 0, 0, 2}, {0, 0, 0, 0}, {0, 0, 0, 0}, {3, 0, 0, 4}, {0, 0, 0, 0}}));
    CHECK_THROWS_AS(wb::zero_insert(d, 0), std::invalid_argument);
}

TEST_CASE("cross_correlate: a hand-computed 3×3 ⋆ 2×2, stride 1 and 2") {
    const M x{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    const M w{{1, 0}, {0, -1}};
    CHECK_EXACT(wb::cross_correlate(x, w), (M{{-4, -4}, {-4, -4}}));
    CHECK_EXACT(wb::cross_correlate(x, w, 2), (M{{-4}}));
    const M w2{{2, 1}, {0, 3}};
    CHECK_EXACT(wb::cross_correlate(x, w2), (M{{1 * 2 + 2 + 15, 4 + 3 + 18}, {8 + 5 + 24, 10 + 6 + 27}}));
}

TEST_CASE("cross_correlate refuses mismatched channels, naming both shapes") {
    const M x(Shape{1, 3, 5, 5});
    const M w(Shape{2, 2, 3, 3});
    CHECK_THROWS_WITH_AS(wb::cross_correlate(x, w),
                         "cross_correlate: input 1×3×5×5 has 3 channels, kernel 2×2×3×3 expects 2",
                         std::invalid_argument);
}

TEST_CASE("convolve_full = cross_correlate(pad(A, F−1), rot180(B)) on random maps") {
    wb::Rng rng(7);
    for (int trial = 0; trial < 20; ++trial) {
        const int f1 = 1 + rng.below(4), f2 = 1 + rng.below(4);
        const M a = wb::random_tensor<double>(Shape{1, 1, 1 + rng.below(6), 1 + rng.below(6)}, rng);
        const M b = wb::random_tensor<double>(Shape{1, 1, f1, f2}, rng);
        const M by_rule = wb::cross_correlate(wb::pad(a, f1 - 1, f2 - 1), wb::rot180(b));
        CHECK_CLOSE(wb::convolve_full(a, b), by_rule, 1e-14);
    }
    CHECK_THROWS_AS(wb::convolve_full(M(Shape{1, 2, 2, 2}), M{{1}}), std::invalid_argument);
}
