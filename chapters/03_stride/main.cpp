// Chapter 03 — stride S > 1: restore δ to stride 1 by zero insertion, then the stride-1 rule.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "03_stride/stride.hpp"
#include "io/cli.hpp"
#include "conv_check.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch03;

std::string shape2(const Map& m) { return m.shape().str(); }

/// Relative error of the zero-insertion rule against finite differences for one layer.
double rule_vs_fd(const Map& a, const Map& w, const Map& G, wb::ConvSpec spec) {
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, G, spec);
    return wb::relative_error(delta_out_strided(G, w, a.shape(), spec), num.delta_out);
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 03 — stride S > 1 and zero insertion (000 §17.3.2, 001 §6.1.1)\n";

    wb::print_heading(os, "1. The notes' layouts of a 2×3 δ (000 §17.3.2)");
    const Grid s2 = layout(2, 3, 2), s3 = layout(2, 3, 3);
    print_grid(os, "S = 2", s2);
    print_grid(os, "S = 3", s3);
    report.check(s2.size() == 3 && s2[0].size() == 5 && s3.size() == 4 && s3[0].size() == 7,
                 "as drawn: S = 2 gives 3×5, S = 3 gives 4×7 ((M−1)S+1 × (N−1)S+1)");

    wb::print_heading(os, "2. How large must the zero-inserted δ be?");
    os << "  input n, kernel f, padding P, stride S → rows m of δ_in; the notes' words say m·S,\n"
          "  their drawing (m−1)S+1; the stride-1 rule needs the stride-1 output n+2P−f+1.\n\n"
       << "     n  f  P  S   m  (n+2P−f) mod S   words  drawn  needed\n";
    struct Case { int n, f, P, S; };
    for (const Case c : {Case{5, 3, 0, 2}, Case{6, 3, 0, 2}, Case{6, 3, 0, 3}, Case{7, 3, 0, 3},
                         Case{8, 3, 0, 3}, Case{7, 3, 1, 2}, Case{8, 3, 1, 2}}) {
        const Sizes s = zero_insert_sizes(c.n, c.f, c.P, c.S);
        os << "  " << std::setw(4) << c.n << std::setw(3) << c.f << std::setw(3) << c.P
           << std::setw(3) << c.S << std::setw(4) << s.m << std::setw(17)
           << remainder(c.n, c.f, c.P, c.S) << std::setw(8) << s.words
           << (s.words == s.needed ? "✓" : " ") << std::setw(6) << s.drawn
           << (s.drawn == s.needed ? "✓" : " ") << std::setw(7) << s.needed << '\n';
    }
    os << "  needed = drawn + remainder: the drawing is right when S divides n+2P−f; the words\n"
          "  only when the remainder is S−1. restore_stride() appends the remainder.\n";

    wb::print_heading(os, "3. With numbers: 5×7 input, 3×3 kernel, S = 2 (no remainder)");
    const Map a = example_a(), w = example_w(), d = example_delta();
    const wb::ConvSpec s2spec{2, 0};
    wb::print_map(os, "A", a);
    wb::print_map(os, "W", w);
    wb::print_map(os, "Z = W ⋆ A, stride 2", wb::conv2d_forward(a, w, {0.0}, s2spec));
    wb::print_map(os, "δ_in = ∂J/∂Z", d);
    const Map d1 = wb::restore_stride(d, a.shape(), w.shape(), s2spec);
    wb::print_map(os, "δ_in restored to stride 1 (zero insertion)", d1);
    wb::print_map(os, "pad(δ₁, F−1 = 2)", wb::pad(d1, 2));
    wb::print_map(os, "rot180(W)", wb::rot180(w));
    const Map by_rule = stride1_rule(d1, w, 0);
    wb::print_map(os, "δ_out = pad(δ₁, 2) ⋆ rot180(W)", by_rule);
    report.check(by_rule == wb::conv2d_backward(a, w, d, s2spec).delta_out,
                 "zero insertion + stride-1 rule = the naive stride-2 backward, exactly");
    report.check(by_rule == wb::delta_out_by_rule(d, w, a.shape(), s2spec),
                 "= the reference rule delta_out_by_rule()");
    const double err3 = rule_vs_fd(a, w, d, s2spec);
    report.check(err3 < 1e-7, "= finite differences, rel. error " + wb::sci(err3));

    wb::print_heading(os, "4. A remainder: 7×10 input, 3×3 kernel, S = 3 (same 2×3 δ)");
    wb::Rng rng(3);
    const Map a7 = wb::random_tensor<double>(wb::Shape{1, 1, 7, 10}, rng);
    const wb::ConvSpec s3spec{3, 0};
    os << "  Z is " << shape2(wb::conv2d_forward(a7, w, {0.0}, s3spec))
       << "; rows 0–5 and columns 0–8 of A are reached, the last row and column never.\n";
    const Map drawn = zero_insert_as_drawn(d, 3), worded = zero_insert_as_worded(d, 3);
    const Map restored = wb::restore_stride(d, a7.shape(), w.shape(), s3spec);
    wb::print_map(os, "restore_stride(δ_in): drawn layout + 1 zero row and column", restored);
    const Map back_drawn = stride1_rule(drawn, w, 0), back_worded = stride1_rule(worded, w, 0);
    const Map back = stride1_rule(restored, w, 0);
    os << "  drawn  " << shape2(drawn) << " → δ_out " << shape2(back_drawn) << '\n'
       << "  words  " << shape2(worded) << " → δ_out " << shape2(back_worded) << '\n'
       << "  rule   " << shape2(restored) << " → δ_out " << shape2(back) << "  (A is "
       << shape2(a7) << ")\n";
    report.check(!(back_drawn.shape() == a7.shape()) && !(back_worded.shape() == a7.shape()),
                 "neither the drawn (4×7) nor the worded (6×9) size gives A's shape here");
    const double err4 = rule_vs_fd(a7, w, d, s3spec);
    report.check(back.shape() == a7.shape() && err4 < 1e-7,
                 "the general size (5×8) does, and matches finite differences, rel. error " +
                     wb::sci(err4));
    bool tail_zero = true;
    for (int j = 0; j < back.w(); ++j) tail_zero = tail_zero && back(6, j) == 0;
    for (int i = 0; i < back.h(); ++i) tail_zero = tail_zero && back(i, 9) == 0;
    report.check(tail_zero, "the row and column the forward pass never reached get δ_out = 0");

    wb::print_heading(os, "5. Is the backward stride always 1? (the annotator's question, 000)");
    for (int sb = 1; sb <= 3; ++sb) {
        const Map b = stride1_rule(d1, w, 0, sb);
        const bool same = b.shape() == a.shape() && wb::relative_error(b, by_rule) < 1e-12;
        std::ostringstream line;
        line << "backward cross-correlation with step " << sb << ": δ_out " << shape2(b)
             << (same ? " = the true gradient" : ", not A's 5×7");
        report.check(same == (sb == 1), line.str());
    }
    os << "  Yes. The forward stride S is undone by zero insertion before the backward pass;\n"
          "  what remains is a stride-1 cross-correlation, whatever S was.\n";

    wb::print_heading(os, "6. Property: random layers (S 1–3, P 0–2, F 1–4, any remainder)");
    double worst = 0;
    int trials = 0, with_rem = 0, drawn_ok = 0, words_ok = 0;
    for (; trials < 200; ++trials) {
        const wb::ConvSpec spec{1 + rng.below(3), rng.below(3)};
        const int f = 1 + rng.below(4);
        const int h = std::max(1, f - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        const int wd = std::max(1, f - 2 * spec.pad) + rng.below(3 * spec.stride + 2);
        const Map A = wb::random_tensor<double>(wb::Shape{1, 1, h, wd}, rng);
        const Map W = wb::random_tensor<double>(wb::Shape{1, 1, f, f}, rng);
        const Map G = wb::random_tensor<double>(
            wb::conv2d_forward(A, W, {0.0}, spec).shape(), rng);
        worst = std::max(worst, rule_vs_fd(A, W, G, spec));
        const Sizes sz = zero_insert_sizes(h, f, spec.pad, spec.stride);
        with_rem += remainder(h, f, spec.pad, spec.stride) != 0;
        drawn_ok += sz.drawn == sz.needed;
        words_ok += sz.words == sz.needed;
    }
    os << "  " << trials << " layers, " << with_rem << " with a remainder in the height; the "
       << "drawn height fits " << drawn_ok << ", the worded height " << words_ok << ".\n";
    report.check(worst < 1e-7, "zero insertion + stride-1 rule vs finite differences, worst "
                               "rel. error " + wb::sci(worst));

    wb::write_grid_svg(out + "/03_layouts.svg", {{d, "δ"},
                                                 {zero_insert_as_drawn(d, 2), "S = 2"},
                                                 {drawn, "S = 3"}});
    // The 3×3 window of pad(δ₁, 2) that gives δ_out's top-left element, marked in both.
    wb::write_grid_svg(out + "/03_backward.svg", {{wb::pad(d1, 2), "pad(δ_1, 2)", {{0, 0, w.h(), w.w()}}},
                                                  {wb::rot180(w), "rot180(W)"},
                                                  {by_rule, "δ_{out}", {{0, 0}}}});
    os << "\nFigures: " << out << "/03_layouts.svg (δ | S = 2 | S = 3)\n"
       << "         " << out << "/03_backward.svg (pad(δ₁, 2) | rot180(W) | δ_out)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch03",
                            "Chapter 03: stride S > 1 and zero insertion (000 §17.3.2, 001 §6.1.1).",
                            "out/03_stride", run);
}
