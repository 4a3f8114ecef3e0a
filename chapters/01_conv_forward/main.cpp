// Chapter 01 — the convolution forward pass, narrated with the notes' numbers.
#include <iostream>
#include <numeric>
#include <sstream>

#include "01_conv_forward/conv_forward.hpp"
#include "io/cli.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"

namespace {

std::string sum_of(const std::vector<double>& terms) {
    std::ostringstream os;
    for (std::size_t i = 0; i < terms.size(); ++i) os << (i ? " + " : "") << terms[i];
    return os.str();
}

int run(const std::string& out) {
    using namespace ch01;
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 01 — the convolution forward pass (001 §5.1, 002, 004 §三)\n";

    wb::print_heading(os, "1. One element at a time (001 §5.1.1, eq 1)");
    const Map x = image_5x5(), w = filter_3x3();
    wb::print_map(os, "x", x);
    wb::print_map(os, "w", w);
    os << "  w_b = 0, f = relu\n";
    for (auto [i, j] : {std::pair{0, 0}, std::pair{0, 1}}) {
        const auto t = element_terms(x, w, i, j);
        const double z = std::accumulate(t.begin(), t.end(), 0.0);
        os << "  a(" << i << "," << j << ") = relu(" << sum_of(t) << " + 0) = " << std::max(0.0, z)
           << '\n';
    }

    wb::print_heading(os, "2. The whole feature map, stride 1 and stride 2 (001 §5.1.1–5.1.2)");
    const Map a1 = feature_map(x, w, 0.0, 1), a2 = feature_map(x, w, 0.0, 2);
    wb::print_map(os, "a, S=1", a1);
    wb::print_map(os, "a, S=2", a2);
    report.check(a2(0, 0) == a1(0, 0) && a2(0, 1) == a1(0, 2) && a2(1, 0) == a1(2, 0) &&
                     a2(1, 1) == a1(2, 2),
                 "stride 2 keeps every second element of the stride-1 map");

    wb::print_heading(os, "3. The output-size formula o = ⌊(n + 2p − f)/s⌋ + 1 (001 eq 2, 004 §三 1.5)");
    for (const auto& e : size_examples()) {
        const int o = wb::output_size(e.n, e.f, e.p, e.s);
        const bool exact = (e.n + 2 * e.p - e.f) % e.s == 0;
        os << "  " << e.source << "  " << e.what << ": (" << e.n << " + 2·" << e.p << " − " << e.f
           << ")/" << e.s << " + 1 = " << o << (exact ? "" : "  (floor: the fraction is not whole)")
           << '\n';
    }

    wb::print_heading(os, "4. Depth > 1: 3×5×5 input, two 3×3×3 filters, S=2, P=1 (001 §5.1.3)");
    const Map xin = depth_input(), wk = depth_filters();
    wb::print_map(os, "x", xin);
    wb::print_map(os, "w", wk);
    os << "  b = [1, 0]; the input padded by 1 is the 7×7×3 block 001 draws\n";
    const Map z = wb::conv2d_forward(xin, wk, depth_bias(), depth_spec);
    wb::print_map(os, "z (identity activation)", z);
    os << "  output " << z.shape().str() << "; parameters (3·3·3 + 1)·2 = "
       << conv_parameters(3, 3, 2) << " (001 §5.1.4)\n";

    wb::print_heading(os, "5. Local connection and weight sharing: 3×3 input, 2×2 kernel (002, 004 §三 1.3)");
    const Counts fc = fully_connected_counts(3, 2), cv = convolution_counts(3, 2);
    os << "  fully connected: " << fc.connections << " connections, " << fc.parameters
       << " weights\n  convolution:     " << cv.connections << " connections, " << cv.parameters
       << " weights\n";

    wb::print_heading(os, "6. Convolution vs cross-correlation (001 §5.1.5, 004 §三 1.1–1.2)");
    const Map win = flip_window(), k = flip_kernel();
    wb::print_map(os, "window of the picture", win);
    wb::print_map(os, "kernel w", k);
    wb::print_map(os, "rot180(w)", wb::rot180(k));
    const Map conv = convolve_valid(win, k), xcorr = wb::cross_correlate(win, k);
    os << "  convolution:       1×(−1) + 3×0 + 2×0 + 6×1 = " << conv(0, 0) << '\n'
       << "  cross-correlation: 1×1 + 3×0 + 2×0 + 6×(−1) = " << xcorr(0, 0) << '\n';
    report.check(convolve_valid(x, w) == wb::cross_correlate(x, wb::rot180(w)),
                 "on the 5×5 example, convolution = cross-correlation with rot180(w)");
    report.check(wb::rot180(w) == w,
                 "this filter is symmetric under rot180, so there both give the same map");

    // The 3×3 window of x that gives a₀₀ = 4, marked in x and in a.
    wb::write_grid_svg(out + "/01_feature_map.svg", {{x, "x", {{0, 0, 3, 3}}},
                                                     {w, "w"},
                                                     {a1, "a = relu(x ⋆ w)", {{0, 0}}}});
    wb::write_grid_svg(out + "/01_depth_outputs.svg", {{z.plane(0, 0), "z_0"}, {z.plane(0, 1), "z_1"}});
    os << "\nFigures: " << out << "/01_feature_map.svg (x | w | a), " << out
       << "/01_depth_outputs.svg (z₀ | z₁)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch01",
                            "Chapter 01: the convolution forward pass (001 §5.1, 002, 004 §三).",
                            "out/01_conv_forward", run);
}
