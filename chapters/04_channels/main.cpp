// Chapter 04 — several kernels and several input channels: one δ per input channel, summed
// over the kernels, each kernel through its own slice.
#include <iostream>
#include <stdexcept>

#include "01_conv_forward/conv_forward.hpp"
#include "04_channels/channels.hpp"
#include "io/cli.hpp"
#include "conv_check.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch04;

std::string vec(const std::vector<double>& v) {
    std::string s = "[";
    for (double x : v) s += " " + std::to_string(static_cast<long>(x));
    return s + " ]";
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 04 — several kernels and several input channels (000 §17.3.3–17.3.4, "
          "001 §6.1.1)\n";

    wb::print_heading(os, "1. Two kernels on one input: ∂J/∂a22, read off the forward pass (000 §17.3.3)");
    const auto a22 = several_kernels_formula(2, 2, 3, 3, 2, 2, 2);
    os << "  ∂J/∂a22 = " << to_string(a22) << '\n';
    const Map ka = kernels_a(), kw = kernels_w(), kd = kernels_delta();
    wb::print_map(os, "A", ka);
    wb::print_map(os, "W", kw);
    os << "  Z = W ⋆ A, one map per kernel (b = 0):\n";
    wb::print_map(os, "Z", wb::conv2d_forward(ka, kw, {0.0, 0.0}));
    wb::print_map(os, "δ_in", kd);
    Map by_elements(ka.shape());
    for (int u = 1; u <= 3; ++u)
        for (int v = 1; v <= 3; ++v)
            by_elements(u - 1, v - 1) = evaluate(several_kernels_formula(u, v, 3, 3, 2, 2, 2), kd, kw);
    wb::print_map(os, "δ_out by the element formulas", by_elements);
    const Map eq9 = delta_out_channel(kd, kw, 0);
    wb::print_map(os, "δ_out = Σ_m pad(δ_in,m, 1) ⋆ rot180(W_m)  (000 eq 9)", eq9);
    report.check(eq9 == by_elements, "eq 9 = the element formulas, all 9 elements exactly");
    report.check(eq9 == wb::conv2d_backward(ka, kw, kd).delta_out, "eq 9 = the naive backward");
    const auto num1 = wb::conv_numerical_gradients(ka, kw, {0.0, 0.0}, kd, {});
    report.check(wb::relative_error(eq9, num1.delta_out) < 1e-7,
                 "eq 9 = finite differences, rel. error " + wb::sci(wb::relative_error(eq9, num1.delta_out)));

    wb::print_heading(os, "2. One kernel, two input channels (000 §17.3.4, eqs 10–15)");
    const Map ca = channels_a(), cw = channels_w(), cd = channels_delta();
    for (int c = 1; c <= 2; ++c)
        os << "  ∂J/∂a" << c << "22 = " << to_string(several_channels_formula(c, 2, 2, 3, 3, 2, 2))
           << '\n';
    wb::print_map(os, "A", ca);
    wb::print_map(os, "W", cw);
    os << "  Z = Σ_c W_c ⋆ A_c, one map for the one kernel (eqs 10–13, b = 0):\n";
    wb::print_map(os, "Z", wb::conv2d_forward(ca, cw, {0.0}));
    wb::print_map(os, "δ_in", cd);
    const Map per_channel = delta_out_all_channels(cd, cw);
    os << "  δ_out,c = pad(δ_in, 1) ⋆ rot180(W_c), one map per input channel c (eqs 14, 15):\n";
    wb::print_map(os, "δ_out", per_channel);
    const auto num2 = wb::conv_numerical_gradients(ca, cw, {0.0}, cd, {});
    report.check(per_channel == wb::conv2d_backward(ca, cw, cd).delta_out,
                 "one δ per input channel, each from its own slice = the naive backward");
    report.check(wb::relative_error(per_channel, num2.delta_out) < 1e-7,
                 "= finite differences, rel. error " +
                     wb::sci(wb::relative_error(per_channel, num2.delta_out)));
    report.check(wb::conv2d_forward(ca, cw, {1.0}).shape().c == 1,
                 "two channels, one kernel → one output map and one bias");

    wb::print_heading(os, "3. Which a does 000 §17.3.4 differentiate? (a122 or a111, a222 or a211)");
    const std::string printed1 = "δz11·w122 + δz12·w121 + δz21·w112 + δz22·w111";
    const std::string printed2 = "δz11·w222 + δz12·w221 + δz21·w212 + δz22·w211";
    const std::string f111 = to_string(several_channels_formula(1, 1, 1, 3, 3, 2, 2));
    const std::string f122 = to_string(several_channels_formula(1, 2, 2, 3, 3, 2, 2));
    const std::string f211 = to_string(several_channels_formula(2, 1, 1, 3, 3, 2, 2));
    const std::string f222 = to_string(several_channels_formula(2, 2, 2, 3, 3, 2, 2));
    os << "  printed right-hand side: " << printed1 << "\n"
       << "  ∂J/∂a111 (the left-hand side's name) = " << f111 << "\n"
       << "  ∂J/∂a122 (the text's name)           = " << f122 << "\n";
    report.check(f122 == printed1 && f111 != printed1,
                 "the first formula is ∂J/∂a122, as the text says; the left side's a111 is a slip");
    report.check(f222 == printed2 && f211 != printed2,
                 "the second is ∂J/∂a222; the left side's a211 is a slip (a211 = " + f211 + ")");
    report.check(num2.delta_out(0, 0, 1, 1) == per_channel(0, 0, 1, 1) &&
                     num2.delta_out(0, 0, 1, 1) != num2.delta_out(0, 0, 0, 0),
                 "by finite differences: ∂J/∂a122 = " +
                     std::to_string(static_cast<long>(num2.delta_out(0, 0, 1, 1))) +
                     " = the printed sum; ∂J/∂a111 = " +
                     std::to_string(static_cast<long>(num2.delta_out(0, 0, 0, 0))));

    wb::print_heading(os, "4. 001 §6.1.1 eq 9 sums d = 0…D; the sum is over the N filters");
    wb::Rng rng(4);
    {
        const Map A = wb::random_tensor<double>(wb::Shape{1, 3, 5, 5}, rng);  // D = 3 channels
        const Map W2 = wb::random_tensor<double>(wb::Shape{2, 3, 3, 3}, rng);  // N = 2 filters
        const Map G2 = wb::random_tensor<double>(wb::Shape{1, 2, 3, 3}, rng);
        bool threw = false;
        try {
            delta_out_summing_0_to_D(G2, W2);
        } catch (const std::invalid_argument&) {
            threw = true;
        }
        const auto numA = wb::conv_numerical_gradients(A, W2, {0.0, 0.0}, G2, {});
        const Map right = delta_out_all_channels(G2, W2);
        os << "  D = 3 input channels, N = 2 filters: δ^{l−1} has D = 3 maps, each a sum of N = 2 "
              "terms.\n";
        report.check(threw, "d = 0…D asks for sensitivity maps 2 and 3, which do not exist");
        report.check(wb::relative_error(right, numA.delta_out) < 1e-7,
                     "n = 0…N−1, channel d through slice W_n,d: rel. error " +
                         wb::sci(wb::relative_error(right, numA.delta_out)));
    }

    wb::print_heading(os, "5. INDEX.md's test vectors: 3×5×5 input, two 3×3×3 filters, S = 2, P = 1");
    const Map x = ch01::depth_input(), w = ch01::depth_filters(), d = depth_delta_in();
    const auto b = ch01::depth_bias();
    const Map z = wb::conv2d_forward(x, w, b, ch01::depth_spec);
    wb::print_map(os, "Z", z);
    os << "  δ_in is the sensitivity map INDEX.md feeds back; [n,k] = sample n, kernel k.\n";
    wb::print_map(os, "δ_in", d);
    const auto g = wb::conv2d_backward(x, w, d, ch01::depth_spec);
    os << "  ∂J/∂W[k,c]: kernel k, slice c (naive backward = the rules, checked below)\n";
    wb::print_map(os, "∂J/∂W", g.dW);
    os << "  ∂J/∂b = " << vec(g.db) << "  (the sum of each kernel's δ map)\n";
    wb::print_map(os, "δ_out", g.delta_out);
    report.check(wb::delta_out_by_rule(d, w, x.shape(), ch01::depth_spec) == g.delta_out &&
                     wb::grad_w_by_rule(x, d, w.shape(), ch01::depth_spec) == g.dW &&
                     wb::grad_b(d) == g.db,
                 "the rules (zero insertion, pad, rot180, Σ) = the naive backward, exactly");
    const auto num = wb::conv_numerical_gradients(x, w, b, d, ch01::depth_spec);
    const auto err = wb::conv_gradient_errors(g, num);
    report.check(err.worst() < 1e-7, "finite differences: δ_out " + wb::sci(err.delta_out) +
                                         ", ∂J/∂W " + wb::sci(err.dW) + ", ∂J/∂b " + wb::sci(err.db));

    wb::write_grid_svg(out + "/04_depth_backward.svg",
                       {{d.plane(0, 0), "δ_{in,0}"}, {d.plane(0, 1), "δ_{in,1}"},
                        {g.delta_out.plane(0, 0), "δ_{out,0}"}, {g.delta_out.plane(0, 1), "δ_{out,1}"},
                        {g.delta_out.plane(0, 2), "δ_{out,2}"}});
    os << "\nFigure: " << out << "/04_depth_backward.svg (δ_in,0 | δ_in,1 | δ_out,0 | δ_out,1 | "
          "δ_out,2)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch04",
                            "Chapter 04: several kernels and input channels (000 §17.3.3–17.3.4, 001 §6.1.1).",
                            "out/04_channels", run);
}
