// Chapter 09 — softmax with cross-entropy: 004's (3, 1, −3), a softmax that survives logits
// of 1000, the gradient y − t for every class, and flatten with its inverse.
#include <cmath>
#include <iostream>

#include "09_softmax/softmax_ce.hpp"
#include "io/cli.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch09;

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 09 — softmax with cross-entropy, and flatten (004 §三.5, §四.3, §四.5)\n";

    wb::print_heading(os, "1. Softmax of 004's logits (3, 1, −3) (eq 4.20)");
    const Map z = example_logits();
    const Map p = wb::softmax(z);
    wb::print_map(os, "z", z);
    os << "  e^3 = " << std::exp(3.0) << ", e^1 = " << std::exp(1.0) << ", e^−3 = " << std::exp(-3.0)
       << ", sum = " << std::exp(3.0) + std::exp(1.0) + std::exp(-3.0) << '\n';
    wb::print_map(os, "y = softmax(z)", p, 6);
    report.check(std::abs(p(0, 0) + p(1, 0) + p(2, 0) - 1) < 1e-15, "the probabilities sum to 1");

    wb::print_heading(os, "2. Large logits: subtract the column's maximum first");
    const Map big{{1000}, {999}, {998}};
    wb::print_map(os, "z", big);
    wb::print_map(os, "eq 4.20 as written (e^1000 = inf)", softmax_naive(big));
    const Map pb = wb::softmax(big);
    wb::print_map(os, "softmax(z − max z)", pb, 6);
    report.check(std::isnan(softmax_naive(big)(0, 0)), "as written: inf/inf = NaN");
    report.check(std::abs(pb(0, 0) - p(0, 0)) > 0 && std::isfinite(pb(0, 0)) &&
                     std::abs(pb(0, 0) - wb::softmax(Map{{2}, {1}, {0}})(0, 0)) < 1e-15,
                 "stable: finite, and equal to softmax(2, 1, 0) since a shift changes nothing");

    wb::print_heading(os, "3. Cross-entropy and its gradient, every class (eqs 4.21–4.22)");
    const int label = 0;
    os << "  true class 0 (t = (1, 0, 0)); Loss = −ln y_0 = " << wb::cross_entropy(p, {label}) << '\n';
    const auto by_class = ce_gradient_by_class(p, label);
    os << "  004 derives the true class only: ∂Loss/∂z_0 = y_0 − 1 = " << by_class[0] << '\n'
       << "  the other classes: ∂Loss/∂z_k = y_k: " << by_class[1] << ", " << by_class[2] << '\n';
    const Map dz = wb::softmax_ce_backward(p, {label});
    wb::print_map(os, "y − t (softmax_ce_backward)", dz, 6);
    const Map num = ce_numerical(z, {label});
    wb::print_map(os, "finite differences", num, 6);
    const double e1 = wb::relative_error(dz, num);
    report.check(e1 < 1e-7, "y − t = finite differences for all three classes, rel. error " + wb::sci(e1));
    wb::Rng rng(9);
    double worst = 0;
    for (int trial = 0; trial < 50; ++trial) {
        const int K = 2 + rng.below(9), m = 1 + rng.below(5);
        const Map Z = wb::random_tensor<double>(wb::Shape{1, 1, K, m}, rng, -4, 4);
        std::vector<int> labels(static_cast<std::size_t>(m));
        for (auto& l : labels) l = rng.below(K);
        worst = std::max(worst, wb::relative_error(wb::softmax_ce_backward(wb::softmax(Z), labels),
                                                   ce_numerical(Z, labels)));
    }
    report.check(worst < 1e-7, "(P − T)/m vs finite differences, 50 random batches (2–10 classes, 1–5 samples): worst " + wb::sci(worst));

    wb::print_heading(os, "4. Flatten and its inverse (004 §四.3, eqs 4.9–4.10)");
    const Map a = Map::from(wb::Shape{2, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18});
    wb::print_map(os, "a (2 samples × 2 channels × 2×2)", a);
    const Map f = wb::flatten(a);
    wb::print_map(os, "flatten(a): one column per sample, C, H, W order", f);
    const Map back = wb::unflatten(f, a.shape());
    report.check(back == a, "unflatten(flatten(a)) = a: backward only reshapes δ, no value changes");

    wb::write_grid_svg(out + "/09_flatten.svg", {{a.plane(0, 0), "sample 0, channel 0"},
                                                 {a.plane(0, 1), "channel 1"},
                                                 {f, "flatten(a)"}});
    os << "\nFigure: " << out << "/09_flatten.svg (sample 0, channel 0 | channel 1 | the 8×2 flattened matrix)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch09",
                            "Chapter 09: softmax with cross-entropy, and flatten (004 §三.5, §四.3, §四.5).",
                            "out/09_softmax", run);
}
