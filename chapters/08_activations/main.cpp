// Chapter 08 — activations: ReLU, sigmoid and tanh with their derivatives, the 1/4 bound
// of the sigmoid's derivative and what it does to a long chain, and 001 §3's counts.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <span>

#include "01_conv_forward/conv_forward.hpp"
#include "08_activations/activations.hpp"
#include "io/cli.hpp"
#include "gradcheck.hpp"
#include "io/plot.hpp"
#include "io/print.hpp"

namespace {

using namespace ch08;
using Map = wb::Tensor<double>;

std::string fmt(double v, const char* f = "%8.4f") {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string grouped(std::int64_t v) {
    std::string s = std::to_string(v), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i && (s.size() - i) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

template <class F, class B>
double layer_fd(F forward, B backward, Map z, const Map& G) {
    const auto num = wb::numerical_vjp([&] { return forward(z).values(); }, std::span<double>(z.values()),
                                       std::span<const double>(G.values()), 1e-5);
    return wb::relative_error(backward(z, G).values(), num);
}

int run(const std::string& out) {
    std::ostream& os = std::cout;
    wb::Report report(os);
    os << "Chapter 08 — activation functions (001 §2, §3; 003 §2.2)\n";

    wb::print_heading(os, "1. The three functions and their derivatives");
    os << "         z    relu  relu′   sigmoid      σ′      tanh    tanh′\n";
    for (double z : {-4.0, -1.0, 0.0, 0.5, 1.0, 4.0})
        os << "  " << fmt(z) << fmt(wb::relu_scalar(z), "%8.1f") << fmt(wb::relu_prime(z), "%7.0f")
           << fmt(wb::sigmoid_scalar(z), "%10.5f") << fmt(wb::sigmoid_prime(z), "%9.5f")
           << fmt(std::tanh(z), "%10.5f") << fmt(wb::tanh_prime(z), "%9.5f") << '\n';
    os << "  relu′(0) is taken as 0: the kink has no derivative, and this choice sends no gradient\n"
          "  through a unit that is exactly off\n";
    wb::Rng rng(8);
    Map z = wb::random_tensor<double>(wb::Shape{2, 3, 4, 4}, rng, -3, 3);
    for (auto& v : z)
        if (std::abs(v) < 0.05) v += 0.1;  // keep ReLU away from its kink
    const Map G = wb::random_tensor<double>(z.shape(), rng);
    const double er = layer_fd([](const Map& x) { return wb::relu(x); },
                               [](const Map& x, const Map& g) { return wb::relu_backward(x, g); }, z, G);
    const double es = layer_fd([](const Map& x) { return wb::sigmoid(x); },
                               [](const Map& x, const Map& g) { return wb::sigmoid_backward(x, g); }, z, G);
    const double et = layer_fd([](const Map& x) { return wb::tanh_forward(x); },
                               [](const Map& x, const Map& g) { return wb::tanh_backward(x, g); }, z, G);
    report.check(er < 1e-10, "relu_backward vs finite differences on a 2×3×4×4 tensor, rel. error " + wb::sci(er));
    report.check(es < 1e-7, "sigmoid_backward, rel. error " + wb::sci(es));
    report.check(et < 1e-7, "tanh_backward, rel. error " + wb::sci(et));

    wb::print_heading(os, "2. σ′(z) = σ(z)(1 − σ(z)) never exceeds 1/4 (001 §2)");
    double peak = 0, at = 0;
    for (int i = -8000; i <= 8000; ++i) {
        const double zz = i / 1000.0;
        if (wb::sigmoid_prime(zz) > peak) peak = wb::sigmoid_prime(zz), at = zz;
    }
    os << "  on a grid of step 0.001 over [−8, 8]: max σ′ = " << peak << " at z = " << at << '\n';
    report.check(peak == 0.25 && at == 0.0, "σ′ peaks at exactly 1/4, at z = 0 (σ(0) = 1/2, ½·½ = ¼)");

    wb::print_heading(os, "3. Through k layers the factors multiply");
    os << "   k   sigmoid best (1/4)^k   sigmoid, z ~ N(0,1)   relu (active)\n";
    std::vector<double> ks, best, sample, relu_line;
    for (int k = 1; k <= 20; ++k) {
        ks.push_back(k);
        best.push_back(sigmoid_chain_bound(k));
        // one chain grown a layer at a time: k−1 layers' product times one more factor
        sample.push_back((sample.empty() ? 1.0 : sample.back()) * sigmoid_chain_sample(1, rng));
        relu_line.push_back(relu_chain_active(k));
        if (k == 1 || k == 2 || k == 5 || k == 10 || k == 20)
            os << "  " << fmt(k, "%2.0f") << "   " << fmt(best.back(), "%20.3e") << "   "
               << fmt(sample.back(), "%19.3e") << "   " << fmt(relu_line.back(), "%13.0f") << '\n';
    }
    report.check(best[9] == std::pow(0.25, 10), "10 sigmoid layers scale the gradient by at most 4^−10 ≈ 9.5e-7");
    bool below = true;
    for (std::size_t i = 0; i < ks.size(); ++i) below = below && sample[i] <= best[i];
    report.check(below, "every sampled chain stays below its (1/4)^k bound");
    os << "  001 says relu′ = 1 so gradients do not shrink: true on the units that are on (z > 0);\n"
          "  an off unit (z < 0) passes 0, which is what makes ReLU activations sparse.\n";

    wb::print_heading(os, "4. Parameter counts: fully connected vs convolution (001 §3)");
    const std::int64_t fc = dense_parameters(1000 * 1000, 100);
    os << "  1000×1000 image, 100 hidden units, fully connected: (1000·1000 + 1)·100 = " << grouped(fc) << '\n';
    report.check(fc == 100000100, "(1000·1000 + 1)·100 = 100,000,100");
    os << "  001 writes 1亿 = 10^8 = " << grouped(100000000) << ": rounded, off by the 100 biases (1e-6)\n";
    const std::int64_t conv = ch01::conv_parameters(5, 1, 100);
    os << "  the same image, 100 filters of 5×5, one channel: (5·5·1 + 1)·100 = " << grouped(conv)
       << ", whatever the image size\n";
    report.check(fc / conv > 38000, "the dense layer needs " + grouped(fc / conv) + " times as many parameters");

    const std::vector<double> grid = [] {
        std::vector<double> g;
        for (int i = -500; i <= 500; ++i) g.push_back(i / 100.0);
        return g;
    }();
    auto curve = [&](const std::string& title, double (*f)(double)) {
        wb::Series s{title, grid, {}};
        for (double x : grid) s.y.push_back(f(x));
        return s;
    };
    wb::plot_png(out + "/08_activations.png", {"Activations and their derivatives", "z", "", false},
                 {curve("relu", [](double x) { return wb::relu_scalar(x); }),
                  curve("relu'", [](double x) { return wb::relu_prime(x); }),
                  curve("sigmoid", [](double x) { return wb::sigmoid_scalar(x); }),
                  curve("sigmoid' (peak 1/4)", [](double x) { return wb::sigmoid_prime(x); }),
                  curve("tanh", [](double x) { return std::tanh(x); }),
                  curve("tanh'", [](double x) { return wb::tanh_prime(x); })});
    wb::plot_png(out + "/08_vanishing.png",
                 {"Product of k derivative factors", "k (layers)", "gradient scale", true},
                 {{"sigmoid, best case (1/4)^k", ks, best, "linespoints"},
                  {"sigmoid, z ~ N(0,1)", ks, sample, "linespoints"},
                  {"relu, active units", ks, relu_line, "linespoints"}});
    os << "\nFigures: " << out << "/08_activations.png, " << out << "/08_vanishing.png\n";
    return report.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    return wb::chapter_main(argc, argv, "ch08",
                            "Chapter 08: activation functions (001 §2, §3).",
                            "out/08_activations", run);
}
