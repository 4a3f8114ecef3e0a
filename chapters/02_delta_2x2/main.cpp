// Chapter 02 — δ through a 2×2 kernel: element formulas, the rot180 rule, finite differences.
#include <iostream>

#include "02_delta_2x2/delta_2x2.hpp"
#include "io/cli.hpp"
#include "conv_check.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch02;

/// Relative error of the rule against finite differences for one stride-1 single-channel
/// configuration, with a random upstream gradient.
double rule_vs_fd(const Map& a, const Map& w, wb::Rng& rng) {
    const Map G = wb::random_tensor<double>(wb::conv2d_forward(a, w, {0.0}).shape(), rng);
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, G, {});
    return wb::relative_error(delta_out_eq8(G, w), num.delta_out);
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 02 — the error term δ through a 2×2 kernel (000 §17.3.1, 001 §6.1.1, 002)\n";

    wb::print_heading(os, "1. Element formulas, read off the forward pass (000 eqs 1–7)");
    for (auto [u, v] : {std::pair{1, 1}, std::pair{1, 2}, std::pair{2, 2}, std::pair{3, 3}})
        os << "  ∂J/∂a" << u << v << " = " << to_string(element_formula(u, v, 3, 3, 2, 2)) << '\n';

    wb::print_heading(os, "2. With numbers");
    const Map a = example_a(), w = example_w(), d = example_delta_in();
    wb::print_map(os, "A", a);
    wb::print_map(os, "W", w);
    wb::print_map(os, "Z = W ⋆ A (b = 0)", wb::conv2d_forward(a, w, {0.0}));
    wb::print_map(os, "δ_in = ∂J/∂Z", d);
    const Map by_elements = delta_out_by_elements(d, w, 3, 3);
    wb::print_map(os, "δ_out by the element formulas", by_elements);

    wb::print_heading(os, "3. The rule: δ_out = pad(δ_in, F−1) ⋆ rot180(W) (000 eq 8)");
    wb::print_map(os, "pad(δ_in, 1)", wb::pad(d, 1));
    wb::print_map(os, "rot180(W)", wb::rot180(w));
    const Map by_rule = delta_out_eq8(d, w);
    wb::print_map(os, "δ_out by the rule", by_rule);
    report.check(by_rule == by_elements, "rule = element formulas, all 9 elements exactly");
    report.check(by_rule == wb::conv2d_backward(a, w, d).delta_out,
                 "rule = the naive backward of the reference layer");
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    report.check(wb::relative_error(by_rule, num.delta_out) < 1e-7,
                 "rule = finite differences, rel. error " +
                     wb::sci(wb::relative_error(by_rule, num.delta_out)));

    wb::print_heading(os, "4. The padding rule: an N×N kernel needs N−1 rings (000 §17.3.1)");
    wb::Rng rng(1);
    for (int N : {2, 3, 5, 7}) {
        const Map aN = wb::random_tensor<double>(wb::Shape{1, 1, 9, 9}, rng);
        const Map wN = wb::random_tensor<double>(wb::Shape{1, 1, N, N}, rng);
        const int zh = 9 - N + 1;
        const double err = rule_vs_fd(aN, wN, rng);
        report.check(err < 1e-7, std::to_string(N) + "×" + std::to_string(N) + ": δ_in " +
                                     std::to_string(zh) + "×" + std::to_string(zh) + " + " +
                                     std::to_string(N - 1) + " rings = " +
                                     std::to_string(zh + 2 * (N - 1)) + "×" +
                                     std::to_string(zh + 2 * (N - 1)) + ", ⋆ " + std::to_string(N) +
                                     "×" + std::to_string(N) + " → 9×9; rel. error vs FD " +
                                     wb::sci(err));
    }

    wb::print_heading(os, "5. The 10×8 ⋆ 5×5 example, forward and back (000 §17.3.1)");
    const Map A = wb::random_tensor<double>(wb::Shape{1, 1, 10, 8}, rng);
    const Map W = wb::random_tensor<double>(wb::Shape{1, 1, 5, 5}, rng);
    const Map Z = wb::conv2d_forward(A, W, {0.0});
    const Map G = wb::random_tensor<double>(Z.shape(), rng);
    const Map padded = wb::pad(G, 4);
    const Map back = wb::cross_correlate(padded, wb::rot180(W));
    os << "  forward:  A " << A.shape().str() << " ⋆ W 5×5 = Z " << Z.shape().str() << '\n'
       << "  backward: δ_z " << G.shape().str() << " + 4 rings = " << padded.shape().str()
       << "; ⋆ rot180(W) with stride 1 = δ_a " << back.shape().str() << '\n';
    report.check(back.shape() == A.shape(), "height (6 + 2·4) − 5 + 1 = 10, not 9: δ_a is 10×8");
    report.check(wb::cross_correlate(padded, wb::rot180(W), 2).shape() == wb::Shape{1, 1, 5, 4},
                 "a backward stride of 2 would give 5×4: the backward pass always slides by 1");
    const double err = rule_vs_fd(A, W, rng);
    report.check(err < 1e-7, "10×8 rule vs finite differences, rel. error " + wb::sci(err));

    wb::print_heading(os, "6. The sum as 001 §6.1.1 prints it, and corrected");
    const Map printed = delta_out_as_printed_in_001(d, w, 3, 3);
    wb::print_map(os, "Σ w(m,n)·δ(i+m, j+n)  (as printed)", printed);
    wb::print_map(os, "Σ w(m,n)·δ(i−m, j−n)  (corrected)", delta_out_corrected_sum(d, w, 3, 3));
    report.check(!(printed == by_rule), "the printed sum differs from finite differences (erratum)");
    report.check(delta_out_corrected_sum(d, w, 3, 3) == by_rule, "the corrected sum = the rule");

    // The 5×5 window of the padded δ that gives δ_a's top-left element, marked in both.
    wb::write_grid_svg(out + "/02_delta_10x8.svg", {{padded, "pad(δ_z, 4)", {{0, 0, 5, 5}}},
                                                    {wb::rot180(W), "rot180(W)"},
                                                    {back, "δ_a", {{0, 0}}}});
    os << "\nFigure: " << out << "/02_delta_10x8.svg (pad(δ_z, 4) | rot180(W) | δ_a)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch02",
                            "Chapter 02: δ through a 2×2 kernel (000 §17.3.1, 001 §6.1.1, 002).",
                            "out/02_delta_2x2", run);
}
