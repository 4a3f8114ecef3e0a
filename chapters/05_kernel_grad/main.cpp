// Chapter 05 — the kernel and bias gradients: element formulas, δw = A ⋆ δ_in, stride by
// zero insertion, ∂J/∂b = Σδ, 003's forms, and 002's three rules in one call.
#include <iomanip>
#include <iostream>
#include <span>

#include "01_conv_forward/conv_forward.hpp"
#include "02_delta_2x2/delta_2x2.hpp"
#include "05_kernel_grad/kernel_grad.hpp"
#include "io/cli.hpp"
#include "conv_check.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch05;

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 05 — kernel and bias gradients (000 §17.3.5–17.3.6, 001 §6.1.2, 002, 003 §3)\n";

    wb::print_heading(os, "1. Element formulas, read off the forward pass (000 §17.3.5, 001 §6.1.2)");
    for (auto [p, q] : {std::pair{1, 1}, std::pair{1, 2}, std::pair{2, 1}, std::pair{2, 2}})
        os << "  ∂J/∂w" << p << q << " = " << to_string(weight_formula(p, q, 2, 2)) << '\n';
    os << "  Every w meets every z (weight sharing), so each sum has one term per output.\n"
          "  (000 says \"the same for W22\" and then derives w12: both are listed above.)\n";

    wb::print_heading(os, "2. With numbers, and the rule δw = A ⋆ δ_in (000 eq 11)");
    const Map a = ch02::example_a(), w = ch02::example_w(), d = ch02::example_delta_in();
    wb::print_map(os, "A", a);
    wb::print_map(os, "δ_in (used as the kernel)", d);
    const Map by_elements = grad_w_by_elements(a, d, 2, 2);
    const Map by_rule = grad_w_rule(a, d);
    wb::print_map(os, "∂J/∂W by the element formulas", by_elements);
    wb::print_map(os, "∂J/∂W = A ⋆ δ_in", by_rule);
    report.check(by_rule == by_elements, "rule = element formulas, exactly");
    report.check(by_rule == wb::conv2d_backward(a, w, d).dW, "rule = the naive backward");
    const auto num = wb::conv_numerical_gradients(a, w, {0.0}, d, {});
    report.check(wb::relative_error(by_rule, num.dW) < 1e-7,
                 "rule = finite differences, rel. error " + wb::sci(wb::relative_error(by_rule, num.dW)));

    wb::print_heading(os, "3. Through a stride: 001 §5.1.2's 5×5 image, 3×3 filter, S = 2");
    const Map x = ch01::image_5x5(), k = ch01::filter_3x3(), ds = stride_delta();
    const wb::ConvSpec s2{2, 0};
    os << "  ∂J/∂w11 = " << to_string(weight_formula(1, 1, 2, 2, 2)) << "  (windows start 2 apart)\n";
    wb::print_map(os, "A", x);
    wb::print_map(os, "δ_in (stride 2)", ds);
    const Map d1 = wb::restore_stride(ds, x.shape(), k.shape(), s2);
    wb::print_map(os, "δ₁ = δ_in with zeros inserted", d1);
    const Map gs = grad_w_strided(x, ds, k.shape(), s2);
    wb::print_map(os, "∂J/∂W = A ⋆ δ₁", gs);
    report.check(gs == grad_w_by_elements(x, ds, 3, 3, 2), "= the element formulas with stride 2");
    const auto nums = wb::conv_numerical_gradients(x, k, {0.0}, ds, s2);
    report.check(gs == wb::conv2d_backward(x, k, ds, s2).dW &&
                     wb::relative_error(gs, nums.dW) < 1e-7,
                 "= the naive backward = finite differences, rel. error " +
                     wb::sci(wb::relative_error(gs, nums.dW)));
    report.check(!(grad_w_rule(x, ds).shape() == k.shape()),
                 "without zero insertion A ⋆ δ_in is " + grad_w_rule(x, ds).shape().str() +
                     ", not the kernel's 3×3");

    wb::print_heading(os, "4. The bias: ∂J/∂b = Σ δ (000 §17.3.6, 001 §6.1.2, 002)");
    os << "  δ_in has " << d.size() << " elements, the kernel one bias. 000 eq 13 writes "
          "δ_b = δ_in;\n  what it means is eq 12's sum:\n"
       << "  ∂J/∂b = 1 + (−2) + 3 + 5 = " << grad_b_sum(d) << "  (finite differences: "
       << num.db[0] << ")\n";
    report.check(grad_b_sum(d) == wb::conv2d_backward(a, w, d).db[0] &&
                     std::abs(num.db[0] - grad_b_sum(d)) < 1e-9,
                 "Σδ = naive backward = finite differences");
    report.check(grad_b_003(d).shape() == wb::Shape{1, 1, 1, 1} && grad_b_003(d)(0, 0) == grad_b_sum(d),
                 "003 eq 31's form 1 ⋆ δ is the same sum, a 1×1 map");

    wb::print_heading(os, "5. 003 §3.1–3.3's forms, checked");
    wb::Rng rng(5);
    const Map ap = wb::random_tensor<double>(wb::Shape{1, 1, 6, 5}, rng);
    const Map wp = wb::random_tensor<double>(wb::Shape{1, 1, 3, 3}, rng);
    const Map dz = wb::random_tensor<double>(wb::Shape{1, 1, 4, 3}, rng);
    const auto nump = wb::conv_numerical_gradients(ap, wp, {0.0}, dz, {});
    const Map eq28 = grad_w_003_eq28(ap, dz, 3);
    report.check(wb::relative_error(eq28, nump.dW) < 1e-7,
                 "eq 28 (x, y over the n_H×n_W outputs) = finite differences, rel. error " +
                     wb::sci(wb::relative_error(eq28, nump.dW)));
    const Map printed = grad_w_003_eq29_as_printed(ap, dz);
    report.check(wb::relative_error(printed, wb::rot180(nump.dW)) < 1e-7 &&
                     wb::relative_error(printed, nump.dW) > 1e-2,
                 "eq 29 as printed, ∂J/∂Z ⋆ A, gives rot180(∂J/∂W); §3.3's A ⋆ ∂J/∂Z is right");
    // Eq 37: a layer l with activation tanh feeding layer l+1; J = Σ G ⊙ Z^[l+1].
    const Map zl = wb::random_tensor<double>(wb::Shape{1, 1, 6, 6}, rng);
    const Map wl1 = wb::random_tensor<double>(wb::Shape{1, 1, 3, 3}, rng);
    const Map G = wb::random_tensor<double>(wb::Shape{1, 1, 4, 4}, rng);
    Map zvar = zl;
    const auto numz = wb::numerical_vjp(
        [&] { return wb::conv2d_forward(wb::tanh_forward(zvar), wl1, {0.0}).values(); },
        std::span<double>(zvar.values()), std::span<const double>(G.values()), 1e-5);
    const Map eq37 = dz_prev_003(G, wl1, zl);
    const double err37 = wb::relative_error(eq37.values(), numz);
    report.check(err37 < 1e-7, "eq 37, (δ^[l+1] full-convolved with W) ⊙ tanh′(Z^[l]) = finite "
                               "differences, rel. error " + wb::sci(err37));
    report.check(wb::convolve_full(G, wl1) == ch02::delta_out_eq8(G, wl1),
                 "full convolution with W = pad(δ, f−1) ⋆ rot180(W), exactly");
    os << "  padding: n_H^[l] − n_H^[l+1] = 6 − 4 = 2 = f − 1 (003 prints n_H^[l+1] − n_H^[l] = −2)\n";

    wb::print_heading(os, "6. 002's three rules side by side, one call for a whole layer");
    os << "  error passed back  turned kernel over the zero-padded error    delta_out_by_rule()\n"
          "  kernel gradient    layer input ⋆ error map (error as kernel)   grad_w_by_rule()\n"
          "  bias gradient      each kernel's error map summed              grad_b()\n";
    const Map A = wb::random_tensor<double>(wb::Shape{2, 2, 6, 6}, rng);
    const Map W = wb::random_tensor<double>(wb::Shape{3, 2, 3, 3}, rng);
    const std::vector<double> b{0.1, -0.2, 0.3};
    const wb::ConvSpec spec{2, 1};
    const Map D = wb::random_tensor<double>(wb::conv2d_forward(A, W, b, spec).shape(), rng);
    const auto g = layer_gradients(A, W, D, spec);
    const auto err = wb::conv_gradient_errors(g, wb::conv_numerical_gradients(A, W, b, D, spec));
    os << "  layer: A " << A.shape().str() << ", W " << W.shape().str() << ", S = 2, P = 1, δ_in "
       << D.shape().str() << " ((6+2−3) mod 2 = 1: a remainder)\n";
    report.check(err.delta_out < 1e-7, "δ_out vs finite differences, rel. error " + wb::sci(err.delta_out));
    report.check(err.dW < 1e-7, "∂J/∂W  vs finite differences, rel. error " + wb::sci(err.dW));
    report.check(err.db < 1e-7, "∂J/∂b  vs finite differences, rel. error " + wb::sci(err.db));

    // The window of A under δ₁ that gives ∂J/∂w₀₀, marked in both.
    wb::write_grid_svg(out + "/05_grad_w_stride.svg", {{x, "A", {{0, 0, d1.h(), d1.w()}}},
                                                       {d1, "δ_1 (the kernel)"},
                                                       {gs, "∂J/∂W = A ⋆ δ_1", {{0, 0}}}});
    os << "\nFigure: " << out << "/05_grad_w_stride.svg (A | δ₁, the kernel | ∂J/∂W)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch05",
                            "Chapter 05: kernel and bias gradients (000 §17.3.5–17.3.6, 001 §6.1.2, 002, 003 §3).",
                            "out/05_kernel_grad", run);
}
