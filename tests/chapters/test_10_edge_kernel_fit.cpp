// Chapter 10: learning the edge kernel back (000 §17.3.7). The picture's statistics, the
// loss and its gradient, the fast loops against the naive one, the notes' loop with its
// exact stopping iteration, and the Gram-matrix analysis that predicts it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>

#include "10_edge_kernel_fit/edge_kernel_fit.hpp"
#include "10_edge_kernel_fit/gram.hpp"
#include "check.hpp"
#include "gradcheck.hpp"
#include "io/image.hpp"

using namespace ch10;

namespace {

const Map& picture() {
    static const Map x = sample_picture();
    return x;
}
const Map& y_true() {
    static const Map y = target(picture());
    return y;
}
/// The notes' loop from w = 0 with the notes' settings, run once for all test cases.
const FitResult& fit_from_zero() {
    static const FitResult r = fit(picture(), y_true(), Map(wb::Shape{1, 1, 3, 3}), FitOptions{});
    return r;
}
const Eigen& eigen_of_picture() {
    static const Eigen e = symmetric_eigen(gram_matrix(picture()));
    return e;
}

}  // namespace

TEST_CASE("ch10: INDEX.md (000 §17.3.7): the rebuilt picture is 80×80 with four grey levels") {
    const Map& x = picture();
    CHECK(x.shape() == wb::Shape{1, 1, 80, 80});
    // Counted independently from INDEX.md's table by tests/chapters/10_picture_counts.py:
    //   grey 0: 2578, 54: 955, 131: 955, 255: 1912 (3822 disc pixels, 6400 in all).
    std::map<double, long> counts;
    for (double v : x) ++counts[v];
    CHECK(counts.size() == 4);
    CHECK(counts[0.0] == 2578);
    CHECK(counts[54 / 255.0] == 955);
    CHECK(counts[131 / 255.0] == 955);
    CHECK(counts[255 / 255.0] == 1912);
    // The quadrants, and the ends of a run.
    CHECK(x(20, 20) == 1.0);          // top-left white
    CHECK(x(20, 60) == 54 / 255.0);   // top-right red
    CHECK(x(60, 20) == 131 / 255.0);  // bottom-left green
    CHECK(x(60, 60) == 1.0);          // bottom-right white
    CHECK(x(39, 39) == 1.0);
    CHECK(x(39, 40) == 54 / 255.0);
    CHECK(x(40, 39) == 131 / 255.0);
    CHECK(x(5, 35) == 1.0);
    CHECK(x(5, 44) == 54 / 255.0);
    CHECK(x(5, 34) == 0.0);
    CHECK(x(5, 45) == 0.0);
    CHECK(x(4, 40) == 0.0);
    CHECK(x(75, 40) == 0.0);
}

TEST_CASE("ch10: the picture written as PNG reads back as the same grey levels") {
    const auto dir = std::filesystem::temp_directory_path() / "wb_test_10_png";
    wb::Canvas c(80, 80);
    c.draw_map(picture(), 0, 0, 1, 0.0, 1.0);
    wb::write_png((dir / "10_picture.png").string(), c);
    const Map back = wb::read_image_gray((dir / "10_picture.png").string());
    std::filesystem::remove_all(dir);
    REQUIRE(back.shape() == picture().shape());
    CHECK(max_abs_diff(back, picture()) < 1e-15);
}

TEST_CASE("ch10: the target y = x ⋆ w_true is 78×78, with a hand-checked value") {
    const Map& y = y_true();
    CHECK(y.shape() == wb::Shape{1, 1, 78, 78});
    // y(38,10) = 2·x(39,11) − x(38,11) − x(40,11) = 2·1 − 1 − 131/255: the green below
    // the white on the horizontal split.
    CHECK(std::abs(y(38, 10) - 124 / 255.0) < 1e-15);
    CHECK(y(0, 0) == 0.0);
}

TEST_CASE("ch10: loss at w = 0 is Σy²/(2m) = 14413280 / (255²·2·6084)") {
    // The fraction is computed independently in tests/chapters/10_picture_counts.py.
    const double expected = 14413280.0 / (255.0 * 255.0 * 2 * 6084);
    const double l0 = loss_of_kernel(picture(), y_true(), Map(wb::Shape{1, 1, 3, 3}));
    CHECK(std::abs(l0 - expected) <= 1e-13 * expected);
    // The same number through the loop's own fast path.
    FitOptions one;
    one.max_iter = 1;
    CHECK(fit(picture(), y_true(), Map(wb::Shape{1, 1, 3, 3}), one).losses.front() == l0);
}

TEST_CASE("ch10: the fast loops equal wb::cross_correlate (the naive loop), exactly on integers") {
    wb::Rng rng(10);
    for (int trial = 0; trial < 20; ++trial) {
        const int F1 = 1 + rng.below(4), F2 = 1 + rng.below(4);
        const Map x = wbtest::random_int_map(wb::Shape{1, 1, F1 + rng.below(9), F2 + rng.below(9)}, rng);
        const Map w = wbtest::random_int_map(wb::Shape{1, 1, F1, F2}, rng);
        Map z(wb::Shape{1, 1, x.h() - F1 + 1, x.w() - F2 + 1});
        correlate_small_kernel(x, w, z);
        CHECK_EXACT(z, wb::cross_correlate(x, w));
        // dw = x ⋆ d with the large "kernel" d the size of z.
        const Map d = wbtest::random_int_map(z.shape(), rng);
        Map dw(w.shape());
        correlate_large_kernel(x, d, dw);
        CHECK_EXACT(dw, wb::cross_correlate(x, d));
    }
    // And on the picture itself, where sums are not whole numbers.
    const Map w = initial_kernel(3);
    Map z(y_true().shape()), dw(w.shape());
    correlate_small_kernel(picture(), w, z);
    CHECK_CLOSE(z, wb::cross_correlate(picture(), w), 1e-12);
    correlate_large_kernel(picture(), y_true(), dw);
    // Sums of 6084 terms of size ~1, some cancelling to ~0: compare absolutely.
    CHECK(max_abs_diff(dw, wb::cross_correlate(picture(), y_true())) < 1e-11);
    CHECK_THROWS_AS(correlate_small_kernel(picture(), w, dw), std::invalid_argument);
}

TEST_CASE("ch10: 000 §17.3.7: dw = x ⋆ (z − y) is m·∂loss/∂w (finite differences, rel. error < 1e-7)") {
    const double m = 78.0 * 78.0;
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        CAPTURE(seed);
        Map w = initial_kernel(seed);
        const Map dw = kernel_gradient(picture(), wb::cross_correlate(picture(), w), y_true());
        std::vector<double> analytic(dw.begin(), dw.end());
        for (auto& g : analytic) g /= m;
        const auto numeric = wb::numerical_gradient(
            [&] { return loss_of_kernel(picture(), y_true(), w); },
            std::span<double>(w.data(), w.size()));
        CHECK(wb::relative_error(analytic, numeric) < 1e-7);
        // The notes call x ⋆ (z − y) a convolution (卷积); a true convolution, which turns
        // the 78×78 error map by 180°, gives a different and wrong gradient. (For w_true
        // itself the turn changes nothing: it is symmetric under rot180.)
        Map d = wb::cross_correlate(picture(), w);
        for (std::size_t k = 0; k < d.size(); ++k) d.values()[k] -= y_true().values()[k];
        const Map flipped = wb::cross_correlate(picture(), wb::rot180(d));
        std::vector<double> wrong(flipped.begin(), flipped.end());
        for (auto& g : wrong) g /= m;
        CHECK(wb::relative_error(wrong, numeric) > 1e-2);
    }
    CHECK(wb::rot180(w_true()) == w_true());
}

TEST_CASE("ch10: one step: w ← w − lr·dw/m") {
    const Map w{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, dw{{10, -20, 30}, {0, 40, -50}, {60, 70, -80}};
    CHECK_EXACT(gradient_step(w, dw, 0.5, 10.0),
                (Map{{0.5, 3, 1.5}, {4, 3, 8.5}, {4, 4.5, 13}}));
    CHECK_THROWS_AS(gradient_step(w, Map(wb::Shape{1, 1, 2, 2}), 0.5, 10.0), std::invalid_argument);
}

TEST_CASE("ch10: symmetric_eigen (Jacobi) on matrices with known eigenvalues") {
    const Eigen a = symmetric_eigen(Map{{2, 1}, {1, 2}});
    CHECK(std::abs(a.values[0] - 1) < 1e-14);
    CHECK(std::abs(a.values[1] - 3) < 1e-14);
    CHECK(std::abs(std::abs(a.vectors[1][0]) - std::sqrt(0.5)) < 1e-14);
    const Eigen b = symmetric_eigen(Map{{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}});
    CHECK(std::abs(b.values[0] - (2 - std::numbers::sqrt2)) < 1e-14);
    CHECK(std::abs(b.values[1] - 2) < 1e-14);
    CHECK(std::abs(b.values[2] - (2 + std::numbers::sqrt2)) < 1e-14);
    const Eigen d = symmetric_eigen(Map{{3, 0, 0}, {0, -1, 0}, {0, 0, 2}});
    CHECK(d.values == std::vector<double>{-1, 2, 3});
    CHECK_THROWS_AS(symmetric_eigen(Map{{1, 2}, {3, 4}}), std::invalid_argument);
    CHECK_THROWS_AS(symmetric_eigen(Map{{1, 2, 3}, {2, 4, 5}}), std::invalid_argument);
}

TEST_CASE("ch10: symmetric_eigen on random symmetric 9×9 matrices: A·v = λ·v, V orthonormal") {
    wb::Rng rng(7);
    for (int trial = 0; trial < 5; ++trial) {
        Map A(wb::Shape{1, 1, 9, 9});
        for (int i = 0; i < 9; ++i)
            for (int j = 0; j <= i; ++j) A(i, j) = A(j, i) = rng.uniform(-1, 1);
        const Eigen e = symmetric_eigen(A);
        double trace = 0, sum = 0;
        for (int i = 0; i < 9; ++i) trace += A(i, i);
        for (int k = 0; k < 9; ++k) {
            sum += e.values[static_cast<std::size_t>(k)];
            if (k) CHECK(e.values[static_cast<std::size_t>(k - 1)] <= e.values[static_cast<std::size_t>(k)]);
            for (int i = 0; i < 9; ++i) {
                double Av = 0;
                for (int j = 0; j < 9; ++j) Av += A(i, j) * e.vectors[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)];
                CHECK(std::abs(Av - e.values[static_cast<std::size_t>(k)] * e.vectors[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)]) < 1e-12);
            }
            for (int l = 0; l < 9; ++l) {
                double dot = 0;
                for (int i = 0; i < 9; ++i)
                    dot += e.vectors[static_cast<std::size_t>(k)][static_cast<std::size_t>(i)] *
                           e.vectors[static_cast<std::size_t>(l)][static_cast<std::size_t>(i)];
                CHECK(std::abs(dot - (k == l ? 1.0 : 0.0)) < 1e-12);
            }
        }
        CHECK(std::abs(trace - sum) < 1e-12);
    }
}

TEST_CASE("ch10: gram_matrix: by hand on two patches, and loss = ½ eᵀHe on the picture") {
    // A 3×4 map has two 3×3 patches; H = (v₁v₁ᵀ + v₂v₂ᵀ)/2.
    const Map x{{1, 2, 0, 1}, {0, 1, 3, 2}, {2, 0, 1, 1}};
    const std::vector<double> v1{1, 2, 0, 0, 1, 3, 2, 0, 1}, v2{2, 0, 1, 1, 3, 2, 0, 1, 1};
    Map expected(wb::Shape{1, 1, 9, 9});
    for (int a = 0; a < 9; ++a)
        for (int b = 0; b < 9; ++b)
            expected(a, b) = (v1[static_cast<std::size_t>(a)] * v1[static_cast<std::size_t>(b)] +
                              v2[static_cast<std::size_t>(a)] * v2[static_cast<std::size_t>(b)]) / 2;
    CHECK_EXACT(gram_matrix(x), expected);
    CHECK_THROWS_AS(gram_matrix(Map{{1, 2}, {3, 4}}), std::invalid_argument);

    const Map H = gram_matrix(picture());
    for (std::uint64_t seed : {1u, 2u}) {
        const Map w = initial_kernel(seed);
        const double direct = loss_of_kernel(picture(), y_true(), w);
        CHECK(std::abs(quadratic_loss(H, w, w_true()) - direct) <= 1e-11 * direct);
    }
}

TEST_CASE("ch10: the picture's Gram matrix: λ from 3.184e-3 to 3.139, stable lr below 2/λ_max = 0.637") {
    const Eigen& e = eigen_of_picture();
    REQUIRE(e.values.size() == 9);
    // Measured by this chapter; pinned to 4 digits, with A·v = λ·v proven above.
    CHECK(std::abs(e.values.front() / 3.18397e-3 - 1) < 1e-4);
    CHECK(std::abs(e.values.back() / 3.13943 - 1) < 1e-4);
    double trace = 0, sum = 0;
    const Map H = gram_matrix(picture());
    for (int i = 0; i < 9; ++i) trace += H(i, i);
    for (double l : e.values) sum += l;
    CHECK(std::abs(trace - sum) < 1e-13);
    CHECK(std::abs(stable_lr_limit(e.values) - 2 / e.values.back()) == 0);
    CHECK(std::abs(stable_lr_limit(e.values) - 0.637059) < 1e-6);
}

TEST_CASE("ch10: 000 §17.3.7, the notes' loop from w = 0: one run, checked four ways") {
    // One TEST_CASE runs in one process under ctest, so the run is made once for all four.
    SUBCASE("000 §17.3.7 from w = 0: stops at iteration 3456 with loss < 1e-7 (notes: 3460, random start)") {
        const FitResult& r = fit_from_zero();
        CHECK(r.outcome == Outcome::converged);
        CHECK(r.iterations == 3456);
        REQUIRE(r.losses.size() == 3457);
        CHECK(r.losses[3456] < 1e-7);
        CHECK(r.losses[3455] >= 1e-7);  // so not one iteration earlier
        // The stop is not a rounding accident: both neighbours are well away from 1e-7.
        CHECK(r.losses[3455] > 1.0004e-7);
        CHECK(r.losses[3456] < 0.9975e-7);
        // With a stable learning rate the loss never grows.
        for (std::size_t i = 1; i < r.losses.size(); ++i) REQUIRE(r.losses[i] < r.losses[i - 1]);
    }
    SUBCASE("the learnt kernel is within 1e-2 of w_true, and so is its prediction") {
        const Map& w = fit_from_zero().w;
        CHECK(allclose(w, w_true(), 0, 1e-2));
        CHECK_FALSE(allclose(w, w_true(), 0, 1e-3));  // 1e-2 is needed: the error is 5e-3
        CHECK(std::abs(max_abs_diff(w, w_true()) - 5.05e-3) < 1e-4);
        const Map z = wb::cross_correlate(picture(), w);
        CHECK(allclose(z, y_true(), 0, 1e-2));
        CHECK(max_abs_diff(z, y_true()) >= std::sqrt(2 * fit_from_zero().losses.back()));
    }
    SUBCASE("predicted loss ratio (1 − lr·λ_min)² = measured at the stop, within 1e-8 relative") {
        // Why 1e-8: from w = 0 the only other direction still present at the end is the one
        // with λ = 6.81e-3; it starts with 8% of the slowest one's weight and has shrunk by a
        // further ((1 − 0.5·6.81e-3)/(1 − 0.5·3.18e-3))^(2·3456) ≈ 3e-6 relative to it, which
        // moves the measured ratio by about 1e-9; rounding in the losses adds ~1e-12. An error
        // of 1e-8 in the ratio is an error of 1e-8 in λ_min (3e-6 of it) — any real mistake in
        // H, its eigenvalues or the loop is far larger.
        const auto& L = fit_from_zero().losses;
        const double measured = L[L.size() - 1] / L[L.size() - 2];
        const double lmin = eigen_of_picture().values.front();
        const double predicted = predicted_loss_ratio(eigen_of_picture().values, 0.5);
        CHECK(predicted == (1 - 0.5 * lmin) * (1 - 0.5 * lmin));  // λ_min's factor is the largest
        CHECK(std::abs(measured / predicted - 1) < 1e-8);
    }
    SUBCASE("the whole loss curve and the stopping iteration are predicted from H") {
        const FitResult& r = fit_from_zero();
        const Map zero(wb::Shape{1, 1, 3, 3});
        const auto pred = predicted_losses(eigen_of_picture(), zero, w_true(), 0.5, 10000);
        for (std::size_t i = 0; i < r.losses.size(); ++i)
            REQUIRE(std::abs(r.losses[i] / pred[i] - 1) < 1e-9);
        CHECK(predicted_stop(pred, 1e-7) == 3456);
        // A random start, as the notes had: the loop follows the prediction there too (the
        // first 500 iterations, to keep the sanitizer build quick; the chapter program
        // checks 20 random starts to the end).
        FitOptions o;
        o.max_iter = 500;
        const FitResult r1 = fit(picture(), y_true(), initial_kernel(1), o);
        const auto p1 = predicted_losses(eigen_of_picture(), initial_kernel(1), w_true(), 0.5, 500);
        REQUIRE(r1.losses.size() == 500);
        for (std::size_t i = 0; i < 500; ++i) REQUIRE(std::abs(r1.losses[i] / p1[i] - 1) < 1e-9);
        // Where the notes' 3460 falls: inside the spread of 200 random starts.
        long below = 0, above = 0;
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            const long s = predicted_stop(
                predicted_losses(eigen_of_picture(), initial_kernel(seed), w_true(), 0.5, 10000), 1e-7);
            REQUIRE(s > 0);
            (s < 3460 ? below : above) += 1;
        }
        CHECK(below > 20);
        CHECK(above > 20);
    }
}

TEST_CASE("ch10: lr just above 2/λ_max diverges, just below converges") {
    const double limit = stable_lr_limit(eigen_of_picture().values);
    const Map zero(wb::Shape{1, 1, 3, 3});
    FitOptions o;
    o.lr = 1.02 * limit;
    const FitResult up = fit(picture(), y_true(), zero, o);
    CHECK(up.outcome == Outcome::diverged);
    CHECK(up.losses.size() < 200);  // detected quickly, not after 10000 iterations
    o.lr = 0.98 * limit;
    const FitResult down = fit(picture(), y_true(), zero, o);
    CHECK(down.outcome == Outcome::converged);
    CHECK(allclose(down.w, w_true(), 0, 1e-2));
    o.lr = 2.0;  // far above: the loss grows at once
    CHECK(fit(picture(), y_true(), zero, o).outcome == Outcome::diverged);
    o.lr = 1e300;  // overflows to inf/NaN: still a divergence, not a crash or a "convergence"
    CHECK(fit(picture(), y_true(), zero, o).outcome == Outcome::diverged);
}

TEST_CASE("ch10: bad input: learning rate, tolerance, iterations, picture size, image files") {
    const double nan = std::nan(""), inf = HUGE_VAL;
    for (double lr : {0.0, -0.5, nan, inf}) {
        FitOptions o;
        o.lr = lr;
        CHECK_THROWS_AS(validate(o), std::invalid_argument);
    }
    for (double tol : {0.0, -1e-7, nan, inf}) {
        FitOptions o;
        o.tol = tol;
        CHECK_THROWS_AS(validate(o), std::invalid_argument);
    }
    for (long n : {0L, -5L, max_iter_limit + 1}) {
        FitOptions o;
        o.max_iter = n;
        CHECK_THROWS_AS(validate(o), std::invalid_argument);
    }
    CHECK_NOTHROW(validate(FitOptions{}));
    CHECK_THROWS_WITH_AS(check_picture(Map(wb::Shape{1, 1, 2, 5})),
                         "the picture is 2×5, smaller than the 3×3 kernel", std::invalid_argument);
    CHECK_THROWS_AS(target(Map(wb::Shape{1, 1, 5, 2})), std::invalid_argument);
    CHECK_NOTHROW(check_picture(Map(wb::Shape{1, 1, 3, 3})));
    FitOptions bad;
    bad.lr = -1;
    CHECK_THROWS_AS(fit(picture(), y_true(), Map(wb::Shape{1, 1, 3, 3}), bad), std::invalid_argument);
    CHECK_THROWS_AS(fit(picture(), Map(wb::Shape{1, 1, 80, 80}), Map(wb::Shape{1, 1, 3, 3}), FitOptions{}),
                    std::invalid_argument);

    const auto dir = std::filesystem::temp_directory_path() / "wb_test_10_bad";
    std::filesystem::create_directories(dir);
    const std::string text = (dir / "not_an_image.png").string();
    std::ofstream(text) << "this is not a PNG";
    CHECK_THROWS_AS(wb::read_image_gray(text), std::runtime_error);
    CHECK_THROWS_AS(wb::read_image_gray((dir / "missing.png").string()), std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("ch10: 000 §17.3.7: the notes' own w_result reproduces their last loss on the rebuilt picture") {
    // The picture is rebuilt from INDEX.md's facts; the kernel is the one the notes print.
    // Agreement to 3e-7 relative (w_result is printed to 9 digits) shows both are the notes'.
    const double l = loss_of_kernel(picture(), y_true(), notes_w_result());
    CHECK(std::abs(l / notes_last_loss - 1) < 3e-7);
    CHECK(l < 1e-7);  // below the tolerance, as the notes' stop says
}

TEST_CASE("ch10: 000 §17.3.7: the loss lines 3458, 3459 and 3460 from the notes' w_result, stepped back one update at a time") {
    // An update maps e = w − w_true to (I − lr·H)e, so it can be undone. w_result is printed
    // to 9 significant digits; that rounding moves its loss by −2.28e-7 relative, and
    // stepping back carries the same error along the slowest direction, which is nearly all
    // that is left: all three printed lines come out with one and the same offset.
    Map w = notes_w_result();
    double offset[3];
    for (int k = 2; k >= 0; --k) {
        offset[k] = loss_of_kernel(picture(), y_true(), w) / notes_loss_lines[k] - 1;
        if (k == 0) break;
        const Map before = kernel_one_update_earlier(eigen_of_picture(), w, w_true(), 0.5);
        // Undone exactly: one update of the notes' loop from `before` lands on w again.
        const Map z = wb::cross_correlate(picture(), before);
        CHECK(max_abs_diff(gradient_step(before, kernel_gradient(picture(), z, y_true()), 0.5,
                                         static_cast<double>(z.size())),
                           w) < 1e-12);
        w = before;
    }
    for (double o : offset) CHECK(std::abs(o - -2.28e-7) < 0.01e-7);
    CHECK(std::abs(offset[0] - offset[2]) < 1e-9);
    CHECK(std::abs(offset[1] - offset[2]) < 1e-9);
}

TEST_CASE("ch10: where the notes' 3460 falls: the stops of seeds 1–20 and of 1000 predicted starts") {
    // The numbers chapter 10 prints in its part 5 (each seed's stop as predicted from H; the
    // program checks the full loop gives the same for seeds 1–20).
    std::vector<long> stops;
    for (std::uint64_t seed = 1; seed <= 1000; ++seed)
        stops.push_back(predicted_stop(
            predicted_losses(eigen_of_picture(), initial_kernel(seed), w_true(), 0.5, 10000), 1e-7));
    std::vector<long> first20(stops.begin(), stops.begin() + 20);
    CHECK(*std::min_element(first20.begin(), first20.end()) == 3396);
    CHECK(*std::max_element(first20.begin(), first20.end()) == 3511);
    CHECK(median(first20) == 3457);  // the mean of the 10th and 11th, 3456 and 3458
    CHECK(std::count_if(first20.begin(), first20.end(), [](long s) { return s < 3460; }) == 11);
    std::sort(stops.begin(), stops.end());
    CHECK(stops.front() == 3338);
    CHECK(stops[50] == 3397);
    CHECK(median(stops) == 3454);
    CHECK(stops[950] == 3506);
    CHECK(stops.back() == 3556);
    CHECK(std::count_if(stops.begin(), stops.end(), [](long s) { return s < 3460; }) == 576);
    CHECK(median(std::vector<long>{3, 1, 2}) == 2);
    CHECK(median(std::vector<long>{4, 1, 2, 3}) == 2.5);
    CHECK_THROWS_AS(median(std::vector<long>{}), std::invalid_argument);
}

TEST_CASE("ch10: 000 §17.3.7: 'w allclose: True' is false at numpy's defaults — any atol that makes it true makes 'y allclose' true too") {
    const Map wr = notes_w_result(), wt = w_true();
    // numpy.allclose(w_result, w_true) with its defaults rtol 1e-5, atol 1e-8 is False:
    // |1.99494606 − 2| = 5.05e-3 while the allowance there is 1e-8 + 1e-5·2 ≈ 2e-5.
    CHECK_FALSE(allclose(wr, wt));
    CHECK(std::abs(max_abs_diff(wr, wt) - 5.05394e-3) < 1e-8);
    // So the notes' program used a looser tolerance: at rtol 1e-5, atol ≥ 5.0339e-3.
    const double atol_w = smallest_atol(wr, wt);
    CHECK(std::abs(atol_w - 5.03394e-3) < 1e-8);
    CHECK_FALSE(allclose(wr, wt, 1e-5, atol_w * (1 - 1e-9)));
    CHECK(allclose(wr, wt, 1e-5, atol_w * (1 + 1e-9)));
    // The prediction from w_result needs less: atol ≥ 3.4647e-3. Every tolerance that makes
    // the printed "w allclose: True" true makes "y allclose: True" true with w_result, so the
    // printed y line needs no other explanation (predicting with w_true is not implied).
    const Map z = wb::cross_correlate(picture(), wr);
    const double atol_y = smallest_atol(z, y_true());
    CHECK(std::abs(atol_y - 3.4647e-3) < 1e-7);
    CHECK(atol_y < atol_w);
    CHECK(allclose(z, y_true(), 1e-5, atol_w));
    // At atol 1e-2 both lines are true; at numpy's defaults both are false.
    CHECK(allclose(wr, wt, 1e-5, 1e-2));
    CHECK(allclose(z, y_true(), 1e-5, 1e-2));
    CHECK_FALSE(allclose(z, y_true()));
}
