/// \file panels.hpp
/// \brief The live panels of the docs: each takes a request (request.hpp) and answers
/// JSON (json.hpp), computed by the chapters' own functions and the reference library.
///
/// Compiled twice: natively (live_cli, tests/live) and to WebAssembly (build.sh) for the
/// pages. Nothing here re-derives the math; each panel calls what the chapter's tests
/// check and only arranges the results for the page. Sizes are bounded so that no input
/// can make a page allocate much or compute for long.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "01_conv_forward/conv_forward.hpp"
#include "02_delta_2x2/delta_2x2.hpp"
#include "03_stride/stride.hpp"
#include "06_pooling/pool_rules.hpp"
#include "10_edge_kernel_fit/edge_kernel_fit.hpp"
#include "10_edge_kernel_fit/gram.hpp"
#include "11_lenet/lenet.hpp"
#include "json.hpp"
#include "mnist_digit.hpp"
#include "request.hpp"

namespace live {

inline constexpr int max_map = 12;     ///< largest input map a panel takes (12×12)
inline constexpr int max_kernel = 7;   ///< largest kernel (7×7)
inline constexpr int max_fit_chunk = 1000;  ///< iterations of chapter 10's fit per call

/// A number as a product's factor: negative ones in parentheses, "2·(-1)".
inline std::string factor_text(double v) {
    std::string s = number_text(v);
    if (v < 0) s.insert(0, 1, '(').push_back(')');
    return s;
}

//! [ch01]
/// Chapter 01: a = f(x ⋆ w + b) with stride and padding; for each output cell its window
/// (in the padded input) and the sum of products that made it.
inline std::string ch01_panel(const Request& q) {
    const Map x = q.matrix("x", max_map, max_map), w = q.matrix("w", max_kernel, max_kernel);
    const double bias = q.number("bias");
    const int S = q.integer("stride", 1, 3), P = q.integer("pad", 0, 3);
    const Map a = ch01::feature_map(x, w, bias, S, P);  // throws if the kernel does not fit
    const Map xp = wb::pad(x, P);
    Json j;
    j.open('{').key("ok").boolean(true).key("padded").map(xp).key("a").map(a).key("cells").open('[');
    for (int i = 0; i < a.h(); ++i)
        for (int k = 0; k < a.w(); ++k) {
            const std::vector<double> terms = ch01::element_terms(xp, w, i, k, S);
            double z = 0;
            std::string text;
            for (int m = 0; m < w.h(); ++m)
                for (int n = 0; n < w.w(); ++n) {
                    text += (text.empty() ? "" : " + ") + factor_text(w(m, n)) + "·" +
                            factor_text(xp(i * S + m, k * S + n));
                    z += terms[static_cast<std::size_t>(m * w.w() + n)];
                }
            z += bias;  // after the products, in the order conv2d_forward adds it
            if (bias != 0) text += " + " + factor_text(bias);
            j.open('{').key("row").num(i * S).key("col").num(k * S).key("z").num(z);
            j.key("sum").str(text + " = " + number_text(z)).close('}');
        }
    j.close(']').key("size").num(wb::output_size(x.h(), w.h(), P, S)).close('}');
    return j.text();
}
//! [ch01]

//! [ch02]
/// Chapter 02: δ_out by the rule pad(δ_in, F−1) ⋆ rot180(W) and by the naive backward pass
/// of the layer, side by side; for every input cell its element formula, symbol and value.
inline std::string ch02_panel(const Request& q) {
    const Map a = q.matrix("a", max_map, max_map), w = q.matrix("w", max_kernel, max_kernel);
    const Map d = q.matrix("delta", max_map, max_map);
    const wb::ConvGrads<double> naive = wb::conv2d_backward(a, w, d);  // checks every shape
    const Map rule = ch02::delta_out_eq8(d, w);
    Json j;
    j.open('{').key("ok").boolean(true).key("rule").map(rule).key("naive").map(naive.delta_out);
    j.key("agree").boolean(rule == naive.delta_out).key("formulas").open('[');
    for (int u = 1; u <= a.h(); ++u) {
        j.open('[');
        for (int v = 1; v <= a.w(); ++v) {
            const auto terms = ch02::element_formula(u, v, a.h(), a.w(), w.h(), w.w());
            j.open('{').key("symbols").str(terms.empty() ? "0" : ch02::to_string(terms));
            j.key("value").num(ch02::evaluate(terms, d, w)).close('}');
        }
        j.close(']');
    }
    j.close(']').close('}');
    return j.text();
}
//! [ch02]

//! [ch03]
/// Chapter 03: the δ of a stride-S layer restored by zero insertion, with the three sizes
/// the notes give and the remainder (n + 2P − f) mod S that decides which is right.
inline std::string ch03_panel(const Request& q) {
    const int H = q.integer("height", 1, 24), W = q.integer("width", 1, 24);
    const int f = q.integer("kernel", 1, max_kernel), P = q.integer("pad", 0, 3);
    const int S = q.integer("stride", 1, 3);
    const ch03::Sizes sh = ch03::zero_insert_sizes(H, f, P, S), sw = ch03::zero_insert_sizes(W, f, P, S);
    const int rh = ch03::remainder(H, f, P, S), rw = ch03::remainder(W, f, P, S);
    const ch03::Grid g = ch03::layout(sh.m, sw.m, S, rh, rw);
    Json j;
    j.open('{').key("ok").boolean(true);
    for (const auto& [name, s, r] : {std::tuple{"rows", sh, rh}, std::tuple{"cols", sw, rw}}) {
        j.key(name).open('{').key("m").num(s.m).key("words").num(s.words).key("drawn").num(s.drawn);
        j.key("needed").num(s.needed).key("remainder").num(r).close('}');
    }
    j.key("layout").open('[');
    for (const auto& row : g) {
        j.open('[');
        for (const auto& cell : row) j.str(cell);
        j.close(']');
    }
    j.close(']').close('}');
    return j.text();
}
//! [ch03]

//! [ch06]
/// Chapter 06: where pooling sends δ back, for max pooling (all of it to the window's
/// maximum) and mean pooling (an equal share to every position).
inline std::string ch06_panel(const Request& q) {
    const Map a = q.matrix("a", 8, 8);
    const Map dmax = q.matrix("delta_max", 8, 8), dmean = q.matrix("delta_mean", 8, 8);
    const wb::PoolSpec s{q.integer("size", 1, 4), q.integer("stride", 1, 4)};
    const Map zmax = wb::max_pool_forward(a, s), zmean = wb::mean_pool_forward(a, s);
    const Map back_max = wb::max_pool_backward(a, dmax, s);
    const Map back_mean = wb::mean_pool_backward(a.shape(), dmean, s);
    Json j;
    j.open('{').key("ok").boolean(true).key("zmax").map(zmax).key("max").map(back_max);
    j.key("zmean").map(zmean).key("mean").map(back_mean).key("argmax").open('[');
    for (int p = 0; p < zmax.h(); ++p)
        for (int r = 0; r < zmax.w(); ++r)
            for (const auto& d : ch06::max_window_partials(a, p, r, s))
                if (d.value == 1) j.open('[').num(d.u).num(d.v).close(']');
    j.close(']').close('}');
    return j.text();
}
//! [ch06]

//! [ch10]
/// Chapter 10: a stretch of the edge-kernel fit, from the kernel `w` (or the notes' random
/// start for `seed`, or w = 0 like the chapter's program) for at most `iterations` updates; the page calls it again with the
/// returned kernel until the fit converges, diverges or reaches its limit, so it stays
/// responsive. Also the stable limit 2/λ_max from the Gram matrix of the picture.
inline std::string ch10_panel(const Request& q) {
    static const Map x = ch10::sample_picture();
    static const Map y = ch10::target(x);
    static const ch10::Eigen H = ch10::symmetric_eigen(ch10::gram_matrix(x));
    ch10::FitOptions o;
    o.lr = q.number("lr");
    if (!(o.lr > 0 && o.lr <= 10)) refuse("the learning rate must be above 0 and at most 10");
    o.max_iter = q.integer("iterations", 1, max_fit_chunk);
    Map w0(ch10::w_true().shape());  // the chapter's default start: w = 0
    if (q.has("w")) w0 = q.matrix("w", 3, 3);
    else if (q.has("seed")) w0 = ch10::initial_kernel(static_cast<std::uint64_t>(q.integer("seed", 0, 1000000)));
    wb::require_shape("the kernel", "w", w0.shape(), ch10::w_true().shape());
    const ch10::FitResult r = ch10::fit(x, y, w0, o);
    const char* outcome = r.outcome == ch10::Outcome::converged  ? "converged"
                          : r.outcome == ch10::Outcome::diverged ? "diverged"
                                                                 : "running";
    Json j;
    j.open('{').key("ok").boolean(true).key("w").map(r.w).key("losses").list(r.losses);
    j.key("iterations").num(r.iterations).key("outcome").str(outcome);
    j.key("tol").num(o.tol).key("lr_limit").num(ch10::stable_lr_limit(H.values));
    j.key("w_true").map(ch10::w_true()).close('}');
    return j.text();
}
//! [ch10]

//! [ch11]
/// The weights chapter 11 trained, handed over once by the page (61,706 floats in the
/// checkpoint's order).
inline ch11::Params<float>& lenet_weights() {
    static ch11::Params<float> p;
    return p;
}
inline bool& lenet_loaded() {
    static bool loaded = false;
    return loaded;
}
inline void set_lenet_weights(std::span<const float> values) {
    auto views = ch11::param_views(lenet_weights());
    std::size_t total = 0;
    for (const auto& v : views) total += v.values.size();
    if (values.size() != total)
        refuse("LeNet needs " + std::to_string(total) + " weights, got " + std::to_string(values.size()));
    for (const float v : values)
        if (!std::isfinite(v)) refuse("a LeNet weight is not finite");
    std::size_t k = 0;
    for (auto& v : views)
        for (float& w : v.values) w = values[k++];
    lenet_loaded() = true;
}

/// Chapter 11: a drawn digit (W×H canvas) reduced to 28×28 like MNIST, through LeNet;
/// every layer's maps and the ten probabilities; with `label` 0–9 also the backward pass
/// for that label and the δ of every layer. The naive reference loops (the truth).
inline std::string ch11_panel(const Request& q) {
    if (!lenet_loaded()) refuse("the LeNet weights were not loaded");
    const int W = q.integer("width", canvas_min, canvas_max), H = q.integer("height", canvas_min, canvas_max);
    const auto ink = parse_hex_pixels(q.text("pixels"), static_cast<std::size_t>(W) * H);
    const int label = q.has("label") ? q.integer("label", -1, 9) : -1;
    const wb::Tensor<float> x = mnist_digit(ink, W, H);
    const ch11::Forward<float> f = ch11::forward(lenet_weights(), x);
    Json j;
    j.open('{').key("ok").boolean(true).key("x").map(f.x).key("c1").maps(f.a1).key("s2").maps(f.p1);
    j.key("c3").maps(f.a3).key("s4").maps(f.p3).key("f5").column(f.a5).key("f6").column(f.a6);
    j.key("prob").column(f.prob).key("predicted").num(ch11::predicted(f.prob, 0));
    if (label >= 0) {
        ch11::Deltas<float> d;
        ch11::backward(lenet_weights(), f, {label}, &d);
        j.key("label").num(label).key("loss").num(ch11::loss(lenet_weights(), f, {label}, 0.0));
        j.key("deltas").open('{').key("f7").column(d.dz7).key("f6").column(d.dz6);
        j.key("f5").column(d.dz5).key("s4").maps(d.dp3).key("c3").maps(d.dz3);
        j.key("s2").maps(d.dp1).key("c1").maps(d.dz1).close('}');
    }
    j.close('}');
    return j.text();
}
//! [ch11]

/// wb::output_size(n, f, p, s): the page sizes its δ grids with it (ch02, ch06), so the
/// formula is not written again in JavaScript.
inline std::string size_panel(const Request& q) {
    const int n = q.integer("n", 1, 64), f = q.integer("f", 1, 64);
    const int o = wb::output_size(n, f, q.integer("p", 0, 8), q.integer("s", 1, 8));
    Json j;
    j.open('{').key("ok").boolean(true).key("size").num(o).close('}');
    return j.text();
}

/// Dispatches on `panel=`; any refusal (from here or from the reference library's own
/// shape checks) becomes {"ok":false,"error":"…"}, the one line the page shows.
inline std::string handle(std::string_view text) {
    try {
        const Request q(text);
        const std::string& panel = q.text("panel");
        if (panel == "ch01") return ch01_panel(q);
        if (panel == "ch02") return ch02_panel(q);
        if (panel == "ch03") return ch03_panel(q);
        if (panel == "ch06") return ch06_panel(q);
        if (panel == "ch10") return ch10_panel(q);
        if (panel == "ch11") return ch11_panel(q);
        if (panel == "size") return size_panel(q);
        refuse("no panel named '" + clip(panel, 20) + "'");
    } catch (const std::exception& e) {
        Json j;
        j.open('{').key("ok").boolean(false).key("error").str(one_line(e.what())).close('}');
        return j.text();
    }
}

}  // namespace live
