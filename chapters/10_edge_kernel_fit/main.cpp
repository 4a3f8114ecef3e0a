// Chapter 10 — learn the horizontal-edge kernel back by gradient descent (000 §17.3.7), and
// why it takes the iterations it takes (the Gram matrix of the picture's patches).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "10_edge_kernel_fit/edge_kernel_fit.hpp"
#include "10_edge_kernel_fit/gram.hpp"
#include "io/cli.hpp"
#include "io/image.hpp"
#include "io/plot.hpp"
#include "io/print.hpp"

namespace {

using namespace ch10;

struct Settings {
    FitOptions fit;
    bool seeded = false;
    std::uint64_t seed = 0;
    std::string image;  // empty: the notes' sample picture
    long seeds = 20;    // random starts to compare with the notes' 3460
    bool must_converge = false;  // exit 1 when the fit runs out of iterations
    std::string out;
};

/// The notes' progress: a line every 500 iterations, "......", then the last three.
void print_progress(std::ostream& os, const std::vector<double>& losses) {
    const long n = static_cast<long>(losses.size());
    for (long i = 0; i < n - 3; i += 500)
        os << "  " << std::setw(5) << i << ' ' << wb::shortest(losses[i]) << '\n';
    os << "  ......\n";
    for (long i = std::max(0L, n - 3); i < n; ++i)
        os << "  " << std::setw(5) << i << ' ' << wb::shortest(losses[i]) << '\n';
}

/// Removes figures a previous, converged run may have left, so the folder never shows a
/// fit this run did not make.
void remove_fit_figures(const std::string& out) {
    std::error_code ec;
    for (const char* f : {"10_loss.png", "10_compare.png"})
        std::filesystem::remove(std::filesystem::path(out) / f, ec);
}

/// One run of the chapter. What the sections share (the settings, the output, and what
/// the earlier sections found) are members; each numbered section of the output is one
/// member function, called in order by run().
struct Chapter {
    const Settings s;
    std::ostream& os;
    wb::Report report;
    const bool sample;  ///< the notes' sample picture (not --image)

    Map x, y, wt, zero, w0, z;  ///< picture, target, w_true, the zero kernel, start, prediction
    double m = 0, loss0 = 0;    ///< pixels of y, and the loss at w = 0
    Map H;                      ///< the Gram matrix, its eigen-decomposition and what follows
    Eigen eig;
    double lmin = 0, lmax = 0, limit = 0;
    FitResult r;  ///< the fit of section 3
    bool converged = false, notes_settings = false;
    std::vector<double> pred;  ///< the loss curve predicted from H
    double ratio_pred = 0;

    Chapter(const Settings& settings, std::ostream& out)
        : s(settings), os(out), report(out), sample(settings.image.empty()) {}

    int run() {
        os << "Chapter 10 — learning an edge detector back by gradient descent (000 §17.3.7)\n";
        the_picture();
        the_target();
        the_gram_matrix();
        the_fit();
        beyond_the_notes();
        random_starts();
        stability();
        fit_figures();
        if (!converged) std::cerr << "ch10: " << (s.must_converge ? "error: " : "") << not_converged() << '\n';
        return report.exit_code();
    }

    /// One line for a fit that ran out of iterations: how far it got, and what to change.
    /// Near the end only the slowest direction is left, so the loss still falls by the
    /// factor ratio_pred per iteration: tol is reached ln(tol/loss)/ln(ratio_pred) later.
    std::string not_converged() const {
        const double last = r.losses.back();
        std::string line = "the fit did not converge in " + std::to_string(s.fit.max_iter) +
                           " iterations (loss " + wb::sci(last, 3) + ", --tol " + wb::shortest(s.fit.tol) +
                           "); ";
        const double more = ratio_pred < 1 ? std::log(s.fit.tol / last) / std::log(ratio_pred) : HUGE_VAL;
        const double need = static_cast<double>(r.losses.size() - 1) + std::ceil(more);
        if (need <= static_cast<double>(max_iter_limit))
            return line + "the Gram matrix predicts it stops after about " +
                   std::to_string(static_cast<long>(need)) + ": try --max-iter " +
                   std::to_string(static_cast<long>(need) + 1) + ", or a larger --tol";
        return line + "this picture barely pins down one direction of the kernel (λ_min = " +
               wb::sci(lmin) + "); try a larger --tol";
    }

    /// 1. The picture: the notes' sample, rebuilt from INDEX.md, or --image.
    void the_picture() {
        if (sample) {
            wb::print_heading(
                os, "1. The sample picture, rebuilt from INDEX.md's facts for 000 §17.3.7");
            x = sample_picture();
            std::map<int, long> counts;
            for (double v : x) ++counts[static_cast<int>(std::lround(v * 255))];
            os << "  x: " << x.shape().str()
               << ", a disc on black; quadrants split at row and column " << quadrant_split
               << "\n  grey level (÷255): pixels\n";
            for (auto [g, c] : counts) os << "    " << std::setw(3) << g << ": " << c << '\n';
            report.check(counts.size() == 4 && counts[0] == 2578 && counts[54] == 955 &&
                             counts[131] == 955 && counts[255] == 1912,
                         "levels 0/54/131/255 with 2578/955/955/1912 pixels (counted independently "
                         "by tests/chapters/10_picture_counts.py)");
            wb::Canvas grey(x.w(), x.h());
            grey.draw_map(x, 0, 0, 1, 0.0, 1.0);
            wb::write_png(s.out + "/10_picture.png", grey);
            wb::write_png(s.out + "/10_picture_colour.png", sample_picture_rgb());
            os << "  Figures: " << s.out
               << "/10_picture.png (grey, as the program saw it; usable as "
               << "--image), 10_picture_colour.png (as drawn)\n";
        } else {
            wb::print_heading(os, "1. The picture: " + s.image);
            x = wb::read_image_gray(s.image);
            check_picture(x);
            const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
            if (*hi == 0)  // every patch is zero: the Gram matrix is 0, there is nothing to fit
                throw std::runtime_error("the picture '" + s.image +
                                         "' is all black; the kernel "
                                         "cannot be learnt from it (any kernel gives y = 0)");
            if (*lo == *hi)  // y = grey·Σw: every kernel whose weights sum to 0 gives y = 0
                throw std::runtime_error("the picture '" + s.image + "' is one grey level (" +
                                         wb::fixed(*hi, 3) +
                                         ") everywhere; the kernel cannot be learnt from it (every "
                                         "kernel whose weights sum to 0 gives y = 0)");
            os << "  x: " << x.shape().str()
               << ", grey = (0.299 R + 0.587 G + 0.114 B)/255, range [" << wb::fixed(*lo, 3) << ", "
               << wb::fixed(*hi, 3) << "]\n";
        }
    }

    /// 2. The target y = x ⋆ w_true, and the loss at w = 0.
    void the_target() {
        wb::print_heading(
            os, "2. The target y = x ⋆ w_true, the horizontal-edge kernel (figure 17-28)");
        wt = w_true();
        y = target(x);
        wb::print_map(os, "w_true", wt);
        const auto [ylo, yhi] = std::minmax_element(y.begin(), y.end());
        os << "  y: " << y.shape().str() << " (valid cross-correlation, b = 0), range ["
           << wb::fixed(*ylo, 3) << ", " << wb::fixed(*yhi, 3) << "]\n";
        m = static_cast<double>(y.size());
        zero = Map(wt.shape());
        loss0 = loss_of_kernel(x, y, zero);
        if (loss0 == 0)  // e.g. columns: every kernel that sees no vertical change fits it
            throw std::runtime_error("the picture '" + s.image +
                                     "' has no horizontal edge: y = x ⋆ w_true is 0 everywhere, "
                                     "so the kernel cannot be learnt from it");
        os << "  m = " << y.h() << "·" << y.w() << " = " << y.size()
           << "; loss at w = 0: Σy²/(2m) = " << wb::shortest(loss0) << '\n';
        wb::write_maps_png(s.out + "/10_picture_pair.png", {x, y}, 4);
        os << "  Figure: " << s.out
           << "/10_picture_pair.png (x | y, each from black = its minimum to "
           << "white = its maximum)\n";
    }

    /// The Gram matrix of the picture's patches, known before any training, so that a
    /// divergence can be explained when it happens.
    void the_gram_matrix() {
        H = gram_matrix(x);
        eig = symmetric_eigen(H);
        lmin = eig.values.front();
        lmax = eig.values.back();
        limit = stable_lr_limit(eig.values);
    }

    /// 3. The fit, as the notes' program does it, and what their allclose lines can mean.
    void the_fit() {
        wb::print_heading(os, "3. The fit, as the notes' program does it (000 §17.3.7)");
        w0 = s.seeded ? initial_kernel(s.seed) : zero;
        os << "  z = x ⋆ w;  loss = Σ(z − y)²/(2m);  stop if loss < " << wb::shortest(s.fit.tol)
           << " (before the update)\n  dw = x ⋆ (z − y);  w ← w − " << wb::shortest(s.fit.lr)
           << "·dw/m;  at most " << s.fit.max_iter << " iterations\n";
        if (s.seeded)
            os << "  start: w from N(0, 0.1), seed " << s.seed << '\n';
        else
            os << "  start: w = 0 (the notes drew it from N(0, 0.1) without a seed; --seed N does "
                  "that)\n";
        wb::print_map(os, "w0", w0);
        r = fit(x, y, w0, s.fit);
        print_progress(os, r.losses);
        if (r.outcome == Outcome::diverged) {
            remove_fit_figures(s.out);
            const std::size_t n = r.losses.size();
            const double last = r.losses.back();
            const std::string why =
                !std::isfinite(last) ? "the loss is " + wb::shortest(last)
                : last > r.losses.front()
                    ? "the loss rose above its start, to " + wb::shortest(last)
                    : "the loss rose 10 times in a row, to " + wb::shortest(last);
            throw std::runtime_error("the fit diverged at iteration " + std::to_string(n - 1) +
                                     " (" + why + "): lr = " + wb::shortest(s.fit.lr) +
                                     " is above the stable limit 2/λ_max = " + wb::fixed(limit, 6) +
                                     " predicted by the Gram matrix; no fit written");
        }
        const Map& wr = r.w;
        wb::print_map(os, "w_true", wt);
        wb::print_map(os, "w_result", wr, 9);
        converged = r.outcome == Outcome::converged;
        notes_settings = sample && s.fit.lr == 0.5 && s.fit.tol == 1e-7 && s.fit.max_iter == 10000;
        // Running out of iterations is a finding about the picture and the settings, not a
        // failure, unless the notes' settings (which converge) or --must-converge ask it.
        const bool checked = converged || notes_settings || s.must_converge;
        const auto verdict = [&](bool ok, const std::string& text) {
            if (checked) report.check(ok, text);
            else os << "  [note] " << text << '\n';
        };
        verdict(converged,
                converged
                    ? "stopped at iteration " + std::to_string(r.iterations) + ": loss " +
                          wb::sci(r.losses.back(), 4) + " < " + wb::shortest(s.fit.tol) +
                          (notes_settings && !s.seeded ? " (the notes: 3460, from a random start)" : "")
                    : "no convergence within " + std::to_string(s.fit.max_iter) +
                          " iterations: loss still " + wb::sci(r.losses.back(), 4));
        verdict(allclose(wr, wt, 0, 1e-2),
                "w allclose (atol 1e-2): max |w_result − w_true| = " + wb::sci(max_abs_diff(wr, wt)));
        z = wb::cross_correlate(x, wr);
        verdict(allclose(z, y, 0, 1e-2),
                "y allclose (atol 1e-2), predicting with w_result: max |x ⋆ w_result − y| = " +
                    wb::sci(max_abs_diff(z, y)));
        os << "  At numpy's default tolerances (rtol 1e-5, atol 1e-8): w_result is "
           << (allclose(wr, wt) ? "" : "NOT ") << "close to w_true, x ⋆ w_result is "
           << (allclose(z, y) ? "" : "NOT ") << "close to y.\n";
        if (sample) {
            // The notes print "w allclose: True" and "y allclose: True". Their own w_result settles
            // which tolerance can have produced both lines.
            const Map nr = notes_w_result();
            const Map nz = wb::cross_correlate(x, nr);
            const double atol_w = smallest_atol(nr, wt), atol_y = smallest_atol(nz, y);
            os << "  The notes' own w_result: loss " << wb::sci(loss(nz, y), 6) << " (printed "
               << wb::sci(notes_last_loss, 6) << ");\n"
               << "    at rtol 1e-5, 'w allclose' needs atol ≥ " << wb::sci(atol_w, 4)
               << ", 'y allclose' (predicting with w_result) atol ≥ " << wb::sci(atol_y, 4)
               << ".\n";
            report.check(
                !allclose(nr, wt) && atol_y < atol_w,
                "the notes' 'w allclose: True' is false at numpy's defaults; every atol that "
                "makes it true makes 'y allclose: True' true with w_result");
        }
    }

    /// 4. Beyond the notes: why the fit takes the iterations it takes.
    void beyond_the_notes() {
        wb::print_heading(os, "4. Beyond the notes: why " + std::to_string(r.iterations) +
                                  " iterations (the Gram matrix of 3×3 patches)");
        os << "  With y = x ⋆ w_true, z − y = x ⋆ e for e = w − w_true, so loss = ½ eᵀHe with\n"
           << "  H = (1/m) Σ patch·patchᵀ (9×9), and each step is e ← (I − lr·H) e.\n";
        wb::print_map(os, "H", H, 4);
        os << "  eigenvalues of H (Jacobi rotations), smallest first:\n   ";
        for (double l : eig.values) os << ' ' << wb::sci(l, 4);
        os << "\n  λ_min = " << wb::sci(lmin, 6) << ", λ_max = " << wb::sci(lmax, 6)
           << ", λ_max/λ_min = " << wb::fixed(lmax / lmin, 1) << '\n';
        {
            Map slow(wt.shape());
            for (std::size_t i = 0; i < slow.size(); ++i) slow.values()[i] = eig.vectors.front()[i];
            wb::print_map(os, "slowest direction (eigenvector of λ_min, as a 3×3 kernel)", slow, 3);
        }
        const double q0 = quadratic_loss(H, zero, wt), bound = quadratic_loss_rounding(H, zero, wt, m);
        report.check(std::abs(q0 - loss0) <= bound,
                     "loss at w = 0 = ½ w_trueᵀ H w_true = " + wb::shortest(q0) + " (differs by " +
                         wb::sci(std::abs(q0 - loss0)) + ", rounding bound " + wb::sci(bound) + ")");
        ratio_pred = predicted_loss_ratio(eig.values, s.fit.lr);
        const std::size_t n = r.losses.size();
        os << "  largest stable learning rate 2/λ_max = " << wb::fixed(limit, 6)
           << " (lr = " << wb::shortest(s.fit.lr)
           << (s.fit.lr < limit ? " is below it)\n" : " is NOT below it)\n")
           << "  fastest for the slowest direction: lr = 2/(λ_min + λ_max) = "
           << wb::fixed(2 / (lmin + lmax), 6) << '\n';
        if (lmin <= 1e-12 * lmax)
            os << "  λ_min is (nearly) zero: this picture does not pin the kernel down; many "
                  "kernels "
                  "give the same y.\n";
        pred = predicted_losses(eig, w0, wt, s.fit.lr, s.fit.max_iter);
        if (n >= 2) {
            const double ratio_meas = r.losses[n - 1] / r.losses[n - 2];
            const double ratio_curve = pred[n - 1] / pred[n - 2];
            os << "  loss ratio per iteration at the end:\n"
               << "    asymptotic prediction max_k (1 − lr·λ_k)² = " << wb::fixed(ratio_pred, 10)
               << "  (relative difference " << wb::sci(std::abs(ratio_meas / ratio_pred - 1))
               << ": the last traces of the faster directions)\n"
               << "    predicted curve's last ratio              = " << wb::fixed(ratio_curve, 10)
               << '\n'
               << "    measured                                  = " << wb::fixed(ratio_meas, 10)
               << '\n';
            report.check(std::abs(ratio_meas / ratio_curve - 1) < 1e-8,
                         "measured ratio = predicted, relative difference " +
                             wb::sci(std::abs(ratio_meas / ratio_curve - 1)));
        }
        double worst = 0;
        for (std::size_t i = 0; i < n; ++i)
            worst = std::max(worst, std::abs(r.losses[i] - pred[i]) / pred[i]);
        const long stop_pred = predicted_stop(pred, s.fit.tol);
        os << "  predicted curve loss_i = ½ Σ_k λ_k c_k² (1 − lr·λ_k)^(2i), c = eigen-components "
              "of w0 − w_true\n";
        const double curve_tol = predicted_curve_tolerance(eig.values);
        report.check(worst < curve_tol,
                     "the whole measured loss curve = the predicted one, worst relative "
                     "difference " +
                         wb::sci(worst) + " (< " + wb::sci(curve_tol) + ", from λ_max/λ_min)");
        {
            // One term is enough to see the count: only the slowest direction is left near the
            // end, so loss_i ≈ ½ λ_min c_min² (1 − lr·λ_min)^(2i); solve for loss_i = tol.
            const double c = eigen_components(eig, w0, wt).front();
            const double start = 0.5 * lmin * c * c;
            os << "  slowest direction alone: c_min = " << wb::fixed(c, 4)
               << ", ½λ_min·c_min² = " << wb::sci(start, 4) << "; loss_i = tol at i = ln(tol/"
               << wb::sci(start, 4) << ")/ln(" << wb::fixed(ratio_pred, 6)
               << ") = " << wb::fixed(std::log(s.fit.tol / start) / std::log(ratio_pred), 1)
               << '\n';
        }
        report.check(stop_pred == (converged ? r.iterations : -1),
                     "predicted stopping iteration " + std::to_string(stop_pred) + " = measured");
    }

    /// 5. Where the notes' 3460 falls among random starts (the notes' settings only).
    void random_starts() {
        if (notes_settings && s.seeds > 0) {
            wb::print_heading(os, "5. Where the notes' 3460 falls: random starts from N(0, 0.1)");
            std::vector<long> measured, predicted;
            bool agree = true;
            for (long k = 1; k <= s.seeds; ++k) {
                const Map start = initial_kernel(static_cast<std::uint64_t>(k));
                const FitResult rk = fit(x, y, start, s.fit);
                const long stop = rk.outcome == Outcome::converged ? rk.iterations : -1;
                measured.push_back(stop);
                agree = agree && stop == predicted_stop(predicted_losses(eig, start, wt, s.fit.lr,
                                                                         s.fit.max_iter),
                                                        s.fit.tol);
            }
            for (long k = 1; k <= 1000; ++k)
                predicted.push_back(predicted_stop(
                    predicted_losses(eig, initial_kernel(static_cast<std::uint64_t>(k)), wt,
                                     s.fit.lr, s.fit.max_iter),
                    s.fit.tol));
            os << "  stopping iterations, seeds 1–" << s.seeds << " (full training loop):\n   ";
            for (std::size_t i = 0; i < measured.size(); ++i)
                os << (i && i % 10 == 0 ? "\n    " : " ") << measured[i];
            os << '\n';
            report.check(agree, "every one = the Gram-matrix prediction for its start");
            std::sort(measured.begin(), measured.end());
            std::sort(predicted.begin(), predicted.end());
            const auto below = [](const std::vector<long>& v, long t) {
                return std::count_if(v.begin(), v.end(),
                                     [t](long s_) { return s_ >= 0 && s_ < t; });
            };
            os << "  " << s.seeds << " seeds: min " << measured.front() << ", median "
               << median(measured) << ", max " << measured.back() << "; "
               << below(measured, 3460) << " stop before 3460\n"
               << "  1000 seeds (predicted from H, 81 multiply-adds per iteration instead of "
               << static_cast<long>(2 * m * 9) << "):\n    min " << predicted.front() << ", 5% "
               << predicted[50] << ", median " << median(predicted) << ", 95% " << predicted[950]
               << ", max " << predicted.back() << "; 3460 is above "
               << below(predicted, 3460) / 10.0 << "% of them\n"
               << "  From w = 0 the fit stops at " << r.iterations
               << ": the notes' 3460 is an ordinary draw.\n";
        }
    }

    /// 6. The learning-rate limit 2/λ_max, tried on both sides (the sample picture only).
    void stability() {
        if (sample) {
            wb::print_heading(
                os, "6. The learning-rate limit 2/λ_max = " + wb::fixed(limit, 6) + ", tried");
            for (double f : {1.02, 0.98}) {
                FitOptions o;  // the notes' tolerance and budget: a --max-iter of 100 is no test of the limit
                o.lr = f * limit;
                const FitResult rf = fit(x, y, zero, o);
                const std::string what =
                    "lr = " + wb::fixed(o.lr, 4) + " (" + wb::fixed(f, 2) + " × limit): ";
                if (f > 1)
                    report.check(rf.outcome == Outcome::diverged,
                                 what + "diverges, detected at iteration " +
                                     std::to_string(rf.losses.size() - 1));
                else
                    report.check(rf.outcome == Outcome::converged,
                                 what + "converges, stops at " + std::to_string(rf.iterations));
            }
        }
    }

    /// The loss curve and figure 17-29's comparison, for a fit that converged.
    void fit_figures() {
        const std::size_t n = r.losses.size();
        if (!converged) {
            remove_fit_figures(s.out);
            os << "\nNo loss plot or comparison written: the fit did not converge.\n";
            return;
        }
        // plot_png adds "lw 2" to each style, so none is given here.
        wb::Series measured{"measured", {}, {}, "lines lc rgb '#1f77b4'"},
            predicted{"predicted from H", {}, {}, "lines dt 2 lc rgb 'black'"},
            asym{"slowest mode alone", {}, {}, "lines dt 3 lc rgb 'red'"},
            tolerance{"tol", {}, {}, "lines lc rgb 'gray'"};
        for (std::size_t i = 0; i < n; ++i) {
            measured.x.push_back(static_cast<double>(i));
            measured.y.push_back(r.losses[i]);
            predicted.x.push_back(static_cast<double>(i));
            predicted.y.push_back(pred[i]);
            asym.x.push_back(static_cast<double>(i));
            asym.y.push_back(r.losses[n - 1] *
                             std::pow(ratio_pred, static_cast<double>(i) - (n - 1)));
            tolerance.x.push_back(static_cast<double>(i));
            tolerance.y.push_back(s.fit.tol);
        }
        wb::plot_png(
            s.out + "/10_loss.png",
            {"Fitting the edge kernel: loss per iteration (lr " + wb::shortest(s.fit.lr) + ")",
             "iteration", "loss = sum (z - y)^2 / 2m", true, 1000, 480},
            {measured, predicted, asym, tolerance});
        Map diff(y.shape());
        for (std::size_t k = 0; k < diff.size(); ++k)
            diff.values()[k] = z.values()[k] - y.values()[k];
        // y and the prediction on one scale (so equal values look equal); the difference,
        // about 1000 times smaller, on its own stated ± scale.
        const auto [y_lo, y_hi] = std::minmax_element(y.begin(), y.end());
        const auto [z_lo, z_hi] = std::minmax_element(z.begin(), z.end());
        const double lo = std::min(*y_lo, *z_lo), hi = std::max(*y_hi, *z_hi), d = max_abs_diff(z, y);
        wb::maps_png(s.out + "/10_compare.png",
                     "000's figure 17-29: the target, the learnt kernel's output, their difference",
                     {{"target y = x ⋆ w_true", y, lo, hi},
                      {"x ⋆ w_result (the same scale)", z, lo, hi},
                      {"x ⋆ w_result − y (its own scale, ±" + wb::sci(d) + ")", diff, -d, d, true}},
                     1200, 440);
        os << "\nFigures: " << s.out << "/10_loss.png (measured and predicted loss, log scale), "
           << s.out << "/10_compare.png\n  (figure 17-29: y | x ⋆ w_result on one scale, "
           << wb::sci(lo) << " to " << wb::sci(hi) << " | their difference, on ±"
           << wb::sci(d) << ")\n";
    }
};

Settings parse(int argc, char** argv) {
    wb::Cli cli("ch10",
                "Chapter 10: learn the horizontal-edge kernel back by gradient descent "
                "(000 §17.3.7), and why it takes the iterations it takes.");
    cli.option("--lr", "0.5", "learning rate (must be below 2/λ_max of the picture)")
        .option("--max-iter", "10000", "at most this many iterations")
        .option("--tol", "1e-7", "stop when the loss is below this")
        .option("--seed", "", "start from N(0, 0.1) drawn with this seed (default: w = 0)")
        .option("--image", "",
                "fit on this PNG (up to 1024×1024) instead of the notes' sample picture")
        .option("--seeds", "20", "random starts to compare with the notes' 3460 (0: skip)")
        .flag("--must-converge", "exit 1 if the fit runs out of iterations (default: say so, exit 0)")
        .option("--out", "out/10_edge_kernel_fit", "directory for the figures");
    cli.parse(argc, argv);
    Settings s;
    constexpr double unbounded = std::numeric_limits<double>::infinity();
    s.fit.lr = cli.real("--lr", 0, unbounded, wb::Cli::Ends::open_below);
    s.fit.max_iter = cli.integer("--max-iter", 1, max_iter_limit);
    s.fit.tol = cli.real("--tol", 0, unbounded, wb::Cli::Ends::open_below);
    if (cli.is_set("--seed")) {
        s.seeded = true;
        s.seed =
            static_cast<std::uint64_t>(cli.integer("--seed", 0, std::numeric_limits<long>::max()));
    }
    s.image = cli.text("--image");
    if (cli.is_set("--image") && s.image.empty()) throw wb::CliError("--image needs a file name");
    s.seeds = cli.integer("--seeds", 0, 1000);
    s.must_converge = cli.is_set("--must-converge");
    s.out = cli.text("--out");
    wb::prepare_output_directory(s.out, "--out");  // before the fit, not after it
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    return wb::main_guard("ch10", [&] { return Chapter(parse(argc, argv), std::cout).run(); });
}
