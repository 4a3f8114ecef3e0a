// Chapter 01: every worked number of the convolution forward pass, note and section cited.
#include <doctest/doctest.h>

#include <numeric>

#include "01_conv_forward/conv_forward.hpp"
#include "check.hpp"

using namespace ch01;

TEST_CASE("001 §5.1.1: a00 = 4 and a01 = 3, term by term") {
    const Map x = image_5x5(), w = filter_3x3();
    // relu(1+0+1+0+1+0+0+0+1+0) and relu(1+0+0+0+1+0+0+0+1+0), as the note expands them.
    CHECK_EXACT(element_terms(x, w, 0, 0), (std::vector<double>{1, 0, 1, 0, 1, 0, 0, 0, 1}));
    CHECK_EXACT(element_terms(x, w, 0, 1), (std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
    const Map a = feature_map(x, w, 0.0);
    CHECK(a(0, 0) == 4);
    CHECK(a(0, 1) == 3);
}

TEST_CASE("001 §5.1.1: the whole 3×3 feature map") {
    CHECK_EXACT(feature_map(image_5x5(), filter_3x3(), 0.0), (Map{{4, 3, 4}, {2, 4, 3}, {2, 3, 4}}));
}

TEST_CASE("001 §5.1.2: stride 2 gives a 2×2 map") {
    CHECK_EXACT(feature_map(image_5x5(), filter_3x3(), 0.0, 2), (Map{{4, 4}, {2, 4}}));
}

TEST_CASE("001 eq 2, 004 §三 1.5/2.2, 000 §17.3.1/17.3.7: every output-size example") {
    const std::vector<int> expected{3, 2, 3, 2, 2, 6, 4, 78};
    const auto examples = size_examples();
    REQUIRE(examples.size() == expected.size());
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const auto& e = examples[i];
        CAPTURE(e.source);
        CAPTURE(e.what);
        CHECK(wb::output_size(e.n, e.f, e.p, e.s) == expected[i]);
    }
}

TEST_CASE("001 §5.1.3 with INDEX.md's vectors: 3×5×5 ⋆ two 3×3×3 filters, S=2, P=1 → 2×3×3") {
    const Map z = wb::conv2d_forward(depth_input(), depth_filters(), depth_bias(), depth_spec);
    // Computed independently (plain Python loops over the padded input), not by this code.
    CHECK_EXACT(z, Map::from(wb::Shape{1, 2, 3, 3},
                             {6, 7, 5, 3, -1, -1, 2, -1, 4,  2, -5, -8, 1, -4, -4, 0, -5, -5}));
    // The notes call the input 7×7×3: that is its size after the padding ring.
    CHECK(wb::pad(depth_input(), 1).shape() == wb::Shape{1, 3, 7, 7});
}

TEST_CASE("001 §5.1.4: two 3×3×3 filters have 56 parameters") {
    CHECK(conv_parameters(3, 3, 2) == 56);
    CHECK(conv_parameters(5, 1, 6) == 156);  // LeNet's C1, for contrast
}

TEST_CASE("002 and 004 §三 1.3: 36 connections / 36 weights vs 16 / 4") {
    const Counts fc = fully_connected_counts(3, 2);
    CHECK(fc.connections == 36);
    CHECK(fc.parameters == 36);
    const Counts cv = convolution_counts(3, 2);
    CHECK(cv.connections == 16);
    CHECK(cv.parameters == 4);
    // 004 writes the local count as ((3 − 2) + 1)×4, which is 8; the 16 it states needs the
    // square of the output width: ((3 − 2) + 1)²×4. See the errata page.
    CHECK(((3 - 2) + 1) * 4 == 8);
    CHECK(((3 - 2) + 1) * ((3 - 2) + 1) * 4 == cv.connections);
}

TEST_CASE("004 §三 1.1: convolution turns the kernel: 1×(−1) + 3×0 + 2×0 + 6×1 = 5") {
    CHECK_EXACT(wb::rot180(flip_kernel()), (Map{{-1, 0}, {0, 1}}));
    CHECK(convolve_valid(flip_window(), flip_kernel())(0, 0) == 5);
    CHECK(wb::cross_correlate(flip_window(), flip_kernel())(0, 0) == -5);
}

TEST_CASE("001 §5.1.5: convolution = cross-correlation with the kernel turned by 180°") {
    const Map x = image_5x5();
    const Map w{{1, 2, 0}, {0, -1, 3}, {2, 0, 1}};  // not symmetric, so the turn matters
    CHECK_EXACT(convolve_valid(x, w), wb::cross_correlate(x, wb::rot180(w)));
    CHECK_FALSE(convolve_valid(x, w) == wb::cross_correlate(x, w));
    // The example's own filter is symmetric under rot180, so there the two coincide.
    CHECK_EXACT(wb::rot180(filter_3x3()), filter_3x3());
}

TEST_CASE("001 §4: INPUT -> [[CONV]*1 -> POOL]*2 -> [FC]*2 is the drawn network, N=1, M=2, K=2") {
    CHECK(layer_pattern(1, 2, 2) == "INPUT -> CONV -> POOL -> CONV -> POOL -> FC -> FC");
    // Each count does its own job: N repeats the convolutions inside each block, M the blocks.
    CHECK(layer_pattern(2, 1, 1) == "INPUT -> CONV -> CONV -> POOL -> FC");
    CHECK(layer_pattern(1, 2, 2) != layer_pattern(2, 1, 2));
}
