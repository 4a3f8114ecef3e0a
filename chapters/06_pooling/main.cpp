// Chapter 06 — pooling backward: 002's 4×4 example, the Kronecker form, and the cases the
// notes leave out (ties, overlapping windows, inputs the window does not divide).
#include <iostream>

#include "06_pooling/pool_rules.hpp"
#include "io/cli.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch06;

/// Distinct values at least 0.06 apart (a shuffled ramp plus small noise), so no
/// finite-difference step of 1e-3 changes which element wins a window.
Map distinct_map(wb::Shape s, wb::Rng& rng) {
    Map t(s);
    std::vector<int> order(t.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(rng.below(static_cast<int>(i)))]);
    for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = 0.1 * order[i] + rng.uniform(-0.02, 0.02);
    return t;
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 06 — pooling backward (002, 001 §6.2, 003 §4, 004 §四.2)\n";

    wb::print_heading(os, "1. Forward: 2×2 windows, stride 2, on 002's feature map");
    const Map a = example_a();
    wb::print_map(os, "a^(l−1)", a);
    const Map zmax = wb::max_pool_forward(a, notes_pool), zmean = wb::mean_pool_forward(a, notes_pool);
    wb::print_map(os, "z^l = max pooling", zmax);
    wb::print_map(os, "z^l = mean pooling", zmean);
    os << "  output size ⌊(4 − 2)/2⌋ + 1 = 2; pooling has no weights and no bias\n";

    wb::print_heading(os, "2. Max pooling backward: δ goes to each window's maximum (002, 001 §6.2.1)");
    os << "  window of z11 (0-based (0,0)): its partials ∂z11/∂a_uv, 1-based as on the slide\n";
    for (const auto& p : max_window_partials(a, 0, 0, notes_pool))
        os << "    ∂z11/∂a" << p.u + 1 << p.v + 1 << " = " << p.value << "   (a" << p.u + 1 << p.v + 1
           << " = " << a(p.u, p.v) << ")\n";
    const Map dmax = example_delta_max();
    wb::print_map(os, "δ^l (the residual from the layer after)", dmax);
    const Map back_max = wb::max_pool_backward(a, dmax, notes_pool);
    wb::print_map(os, "∂J/∂a^(l−1) = δ routed to the arg-max", back_max);
    double kept = 0;
    for (double v : back_max) kept += v;
    report.check(kept == 7 + 3 + 1 + 4, "nothing is lost: the routed map sums to 7 + 3 + 1 + 4 = 15");
    const double emax = max_pool_fd_error(a, dmax, notes_pool);
    report.check(emax < 1e-10, "max pooling backward vs finite differences, rel. error " + wb::sci(emax));

    wb::print_heading(os, "3. Mean pooling backward: δ/(2·2) to every cell of the window (002, 001 §6.2.2)");
    const Map dmean = example_delta_mean();
    wb::print_map(os, "δ^l", dmean);
    const Map back_mean = wb::mean_pool_backward(a.shape(), dmean, notes_pool);
    wb::print_map(os, "∂J/∂a^(l−1) = δ/4 spread over each window", back_mean);
    const Map by_kron = mean_backward_kronecker(dmean, 2);
    wb::print_map(os, "δ ⊗ (1/2²)·𝟙(2×2)  (001's Kronecker form)", by_kron);
    report.check(by_kron == back_mean, "Kronecker form = the layer's loops, all 16 elements exactly");
    const double emean = mean_pool_fd_error(a, dmean, notes_pool);
    report.check(emean < 1e-10, "mean pooling backward vs finite differences, rel. error " + wb::sci(emean));

    wb::print_heading(os, "4. What the notes leave open, decided and checked");
    const Map tie{{5, 5}, {5, 5}};
    wb::print_map(os, "a tie: a = 5 5 / 5 5, δ = 3 → ∂J/∂a", wb::max_pool_backward(tie, Map{{3}}, {2, 2}));
    os << "  ties: the first maximum in row-major order takes all of δ (the others get 0)\n";
    const Map centre{{1, 2, 1}, {2, 9, 2}, {1, 2, 1}};
    wb::print_map(os, "overlap (2×2, stride 1): 9 wins all four windows, δ = 1 2 / 3 4 → ∂J/∂a",
                  wb::max_pool_backward(centre, Map{{1, 2}, {3, 4}}, {2, 1}));
    wb::Rng rng(6);
    const Map odd = distinct_map(wb::Shape{1, 1, 5, 5}, rng);
    wb::print_map(os, "5×5 input, 2×2 stride 2: ∂J/∂a for δ = 1 (last row and column never read)",
                  wb::max_pool_backward(odd, Map(wb::Shape{1, 1, 2, 2}, 1.0), {2, 2}), 3);
    double worst_max = 0, worst_mean = 0;
    for (int trial = 0; trial < 100; ++trial) {
        const wb::PoolSpec s{1 + rng.below(4), 1 + rng.below(3)};
        const wb::Shape sh{1 + rng.below(2), 1 + rng.below(3), s.size + rng.below(3 * s.stride + 2),
                           s.size + rng.below(3 * s.stride + 2)};
        const Map x = distinct_map(sh, rng);
        const Map G = wb::random_tensor<double>(wb::max_pool_forward(x, s).shape(), rng);
        worst_max = std::max(worst_max, max_pool_fd_error(x, G, s));
        worst_mean = std::max(worst_mean, mean_pool_fd_error(x, G, s));
    }
    report.check(worst_max < 1e-10, "100 random shapes (sizes 1–4, strides 1–3, any remainder), max: worst rel. error " + wb::sci(worst_max));
    report.check(worst_mean < 1e-10, "the same 100 shapes, mean: worst rel. error " + wb::sci(worst_mean));

    wb::print_heading(os, "5. Where the notes slip");
    os << "  002 lists ∂z11/∂a12 three times (= 1, = 0, = 0): the four partials are for a11, a12,\n"
          "  a21, a22, and only a12 = 8, the maximum, gets 1 (section 2 above).\n"
          "  001 §6.2.1 writes δ^(l−1)_1,1 on the fourth line, which differentiates net^(l−1)_2,2: it is\n"
          "  δ^(l−1)_2,2 = 0 (001 assumes net_1,1 is the maximum, so δ^(l−1)_1,1 = δ^l_1,1).\n";
    const double printed = pool_size_as_printed_in_004(4, 0, 2, 1);
    os << "  004 §四.2.1: (n + 2p − k)/2s = (4 + 2·0 − 2)/(2·1) = " << printed
       << ", not 2; the size is (4 − 2)/2 + 1 = " << zmax.h() << '\n';
    report.check(printed != zmax.h(), "004's printed size formula gives 1 for the 4×4 → 2×2 pooling (erratum)");

    // The first 2×2 window, its residual and where that residual goes, marked in each.
    const std::vector<wb::GridMark> window{{0, 0, 2, 2}}, output{{0, 0}};
    wb::write_grid_svg(out + "/06_max_pool.svg", {{a, "a^{(l−1)}", window},
                                                  {dmax, "δ^l", output},
                                                  {back_max, "∂J/∂a^{(l−1)}, max", window}});
    wb::write_grid_svg(out + "/06_mean_pool.svg", {{a, "a^{(l−1)}", window},
                                                   {dmean, "δ^l", output},
                                                   {back_mean, "∂J/∂a^{(l−1)}, mean", window}});
    os << "\nFigures: " << out << "/06_max_pool.svg, " << out
       << "/06_mean_pool.svg (a^(l−1) | δ^l | ∂J/∂a^(l−1))\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch06",
                            "Chapter 06: pooling backward (002, 001 §6.2, 003 §4, 004 §四.2).",
                            "out/06_pooling", run);
}
