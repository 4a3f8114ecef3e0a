// Chapter 07 — the dense layer in matrix form: forward and backward over a batch, the
// vec–Kronecker identity and the Jacobian of 003 eq 13, and 004's MSE network worked by hand.
#include <iostream>
#include <sstream>
#include <span>

#include "07_dense/dense_matrix.hpp"
#include "io/cli.hpp"
#include "io/grid_svg.hpp"
#include "io/print.hpp"
#include "random.hpp"

namespace {

using namespace ch07;

std::string show(const std::vector<double>& v) {
    std::ostringstream s;
    s.precision(5);
    s << "[";
    for (double x : v) s << ' ' << x;
    s << " ]";
    return s.str();
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 07 — the dense layer in matrix form (003 §2, 004 §四.4, 002)\n";

    wb::print_heading(os, "1. Forward over a batch: Z = W A + b·1ᵀ, one sample per column (003 §2.4)");
    const Map W{{1, 0, -1}, {2, 1, 0}}, A{{1, 2}, {3, 4}, {5, 6}};
    const std::vector<double> b{10, -1};
    wb::print_map(os, "W^[l] (2 outputs × 3 inputs)", W);
    wb::print_map(os, "A^[l−1] (3 inputs × 2 samples)", A);
    os << "  b^[l] = [ 10 −1 ]\n";
    const Map Z = wb::dense_forward(W, A, b);
    wb::print_map(os, "Z^[l]", Z);

    wb::print_heading(os, "2. Backward (003 eqs 8, 20, 24): dA = Wᵀ dZ, dW = dZ Aᵀ, db = row sums");
    const Map dZ{{1, -1}, {2, 3}};
    wb::print_map(os, "∂J/∂Z^[l] (given)", dZ);
    const auto g = wb::dense_backward(W, A, dZ);
    wb::print_map(os, "∂J/∂A^[l−1] = W^[l]ᵀ ∂J/∂Z^[l]", g.dA);
    wb::print_map(os, "∂J/∂W^[l] = ∂J/∂Z^[l] A^[l−1]ᵀ", g.dW);
    os << "  ∂J/∂b^[l] = ∂J/∂Z^[l]·1 = " << show(g.db) << '\n';
    wb::Rng rng(7);
    double worst = 0;
    for (int trial = 0; trial < 50; ++trial) {
        const int o = 1 + rng.below(6), in = 1 + rng.below(6), m = 1 + rng.below(4);
        Map Wr = wb::random_tensor<double>(wb::Shape{1, 1, o, in}, rng);
        Map Ar = wb::random_tensor<double>(wb::Shape{1, 1, in, m}, rng);
        std::vector<double> br(static_cast<std::size_t>(o), 0.5);
        const Map G = wb::random_tensor<double>(wb::Shape{1, 1, o, m}, rng);
        auto f = [&] { return wb::dense_forward(Wr, Ar, br).values(); };
        const std::span<const double> gs(G.values());
        const auto an = wb::dense_backward(Wr, Ar, G);
        worst = std::max({worst,
                          wb::relative_error(an.dW.values(), wb::numerical_vjp(f, std::span<double>(Wr.values()), gs, 1e-3)),
                          wb::relative_error(an.dA.values(), wb::numerical_vjp(f, std::span<double>(Ar.values()), gs, 1e-3)),
                          wb::relative_error(an.db, wb::numerical_vjp(f, std::span<double>(br), gs, 1e-3))});
    }
    report.check(worst < 1e-7, "dA, dW, db vs finite differences, 50 random layers (out, in 1–6, batch 1–4): worst rel. error " + wb::sci(worst));

    wb::print_heading(os, "3. The vec–Kronecker identity vec(ABC) = (Cᵀ ⊗ A) vec(B) (003 §2.3.1)");
    const Map P = wb::random_tensor<double>(wb::Shape{1, 1, 2, 3}, rng);
    const Map Q = wb::random_tensor<double>(wb::Shape{1, 1, 3, 4}, rng);
    const Map R = wb::random_tensor<double>(wb::Shape{1, 1, 4, 2}, rng);
    const Map lhs = vec(wb::matmul(wb::matmul(P, Q), R));
    const Map rhs = wb::matmul(wb::kron(wb::transpose(R), P), vec(Q));
    os << "  A 2×3, B 3×4, C 4×2 random: vec(ABC) is " << lhs.shape().str() << ", Cᵀ ⊗ A is "
       << wb::kron(wb::transpose(R), P).shape().str() << '\n';
    const double ekron = wb::relative_error(lhs, rhs);
    report.check(ekron < 1e-12, "vec(ABC) = (Cᵀ ⊗ A) vec(B), rel. error " + wb::sci(ekron));

    wb::print_heading(os, "4. The Jacobian of eq 13: ∂vec(Z)/∂vec(W) = A^[l−1]ᵀ ⊗ I_{n_l}");
    const Map A2{{1, 2}, {3, 4}, {5, 6}};
    const Map W0 = wb::random_tensor<double>(wb::Shape{1, 1, 2, 3}, rng);
    const Map Jnum = numerical_jacobian([&](const Map& Wx) { return wb::dense_forward(Wx, A2, b); }, W0);
    const Map J13 = eq13_jacobian(A2, 2);
    wb::print_map(os, "A^[l−1]ᵀ ⊗ I_2 (4×6, with A^[l−1] of section 1)", J13);
    const double ej = wb::relative_error(Jnum, J13);
    report.check(ej < 1e-10, "eq 13 = finite-difference Jacobian, rel. error " + wb::sci(ej));
    const Map G2 = wb::random_tensor<double>(wb::Shape{1, 1, 2, 2}, rng);
    const double e16 = wb::relative_error(wb::matmul(wb::kron(A2, identity(2)), vec(G2)),
                                          vec(wb::matmul(G2, wb::transpose(A2))));
    report.check(e16 < 1e-12, "eq 16 → 18: (A ⊗ I) vec(∂J/∂Z) = vec(∂J/∂Z Aᵀ), a 6×1 column, rel. error " + wb::sci(e16));

    wb::print_heading(os, "5. 004's network with an MSE output, L = 3 (eqs 4.11–4.19)");
    const MseNet net = example_net();
    const Map x = example_x(), y = example_y();
    wb::print_map(os, "x = a¹", x);
    wb::print_map(os, "W²", net.W2);
    os << "  b² = " << show(net.b2) << '\n';
    wb::print_map(os, "W³", net.W3);
    os << "  b³ = " << show(net.b3) << '\n';
    wb::print_map(os, "y", y);
    const MseForward f = mse_forward(net, x, y);
    wb::print_map(os, "z² = W² a¹ + b²", f.z2, 5);
    wb::print_map(os, "a² = σ(z²)", f.a2, 5);
    wb::print_map(os, "z³ = W³ a² + b³", f.z3, 5);
    wb::print_map(os, "a³ = σ(z³)", f.a3, 5);
    os << "  J = ½‖a³ − y‖² = " << wb::sci(f.J, 6) << '\n';
    const MseGrads mg = mse_backward(net, x, y, f);
    wb::print_map(os, "δ³ = (a³ − y) ⊙ σ′(z³)", mg.delta3, 5);
    wb::print_map(os, "(4.13) ∂J/∂W³ = δ³ (a²)ᵀ", mg.dW3, 5);
    os << "  (4.14) ∂J/∂b³ = δ³ = " << show(mg.db3) << '\n';
    wb::print_map(os, "(4.17) δ² = (W³)ᵀ δ³ ⊙ σ′(z²)", mg.delta2, 5);
    wb::print_map(os, "(4.18) ∂J/∂W² = δ² (a¹)ᵀ", mg.dW2, 5);
    os << "  (4.19) ∂J/∂b² = δ² = " << show(mg.db2) << '\n';
    const MseGrads num = mse_numerical(net, x, y);
    const double emse = std::max({wb::relative_error(mg.dW3, num.dW3), wb::relative_error(mg.db3, num.db3),
                                  wb::relative_error(mg.dW2, num.dW2), wb::relative_error(mg.db2, num.db2)});
    report.check(emse < 1e-7, "eqs 4.13, 4.14, 4.18, 4.19 vs finite differences of J, worst rel. error " + wb::sci(emse));
    const auto layer3 = wb::dense_backward(net.W3, f.a2, mg.delta3);
    report.check(wb::relative_error(layer3.dW, mg.dW3) == 0 && layer3.db == mg.db3,
                 "the reference layer's dense_backward gives the same ∂J/∂W³ and ∂J/∂b³");

    wb::print_heading(os, "6. Where the notes slip: the shapes decide which W and b are meant");
    try {
        wb::dense_forward(net.W2, f.a2, net.b3);
        report.check(false, "W^{L−1} a^{L−1} should not fit");
    } catch (const std::invalid_argument& e) {
        os << "  004 writes a^L = σ(W^{L−1} a^{L−1} + b^L); with W^{L−1} = W²:\n    " << e.what() << '\n';
        report.check(true, "W^{L−1} a^{L−1} does not even fit: the output layer uses W^L (erratum)");
    }
    try {
        wb::dense_forward(net.W3, f.a2, net.b2);
        report.check(false, "b^l in layer l+1 should not fit");
    } catch (const std::invalid_argument& e) {
        os << "  004 writes z^{l+1} = W^{l+1} a^l + b^l; with b^l = b²:\n    " << e.what() << '\n';
        report.check(true, "z^{l+1} needs b^{l+1}, one bias per unit of layer l+1 (erratum)");
    }
    os << "  004 eq 4.15 jumps from ∂z^L/∂z^{L−1} to ∂z^{L−2}/∂z^{L−3}: the factor ∂z^{L−1}/∂z^{L−2}\n"
          "  is missing; section 5 multiplies every factor and matches finite differences.\n"
          "  003 eq 17 equates vec(∂J/∂W) with the matrix I ∂J/∂Z Aᵀ: the right side needs vec( ) too\n"
          "  (section 4 compares the 6×1 columns); and 003 says \"substitute (12) into (13)\" where\n"
          "  (13) goes into (14).\n";

    wb::write_grid_svg(out + "/07_jacobian.svg", {{J13, "A^{[l−1]T} ⊗ I_2"},
                                                  {Jnum, "finite differences"}});
    os << "\nFigure: " << out << "/07_jacobian.svg (A^[l−1]ᵀ ⊗ I_2 | finite-difference Jacobian)\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch07",
                            "Chapter 07: the dense layer in matrix form (003 §2, 004 §四.4, 002).",
                            "out/07_dense", run);
}
