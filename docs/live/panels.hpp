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
#include "04_channels/channels.hpp"
#include "05_kernel_grad/kernel_grad.hpp"
#include "06_pooling/pool_rules.hpp"
#include "07_dense/dense_matrix.hpp"
#include "08_activations/activations.hpp"
#include "09_softmax/softmax_ce.hpp"
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
    j.close(']').key("size").num(wb::output_size(x.h(), w.h(), P, S));
    // the last (n + 2P − f) mod S rows and columns of the padded input no window reaches
    j.key("unreached").open('[').num(ch03::remainder(x.h(), w.h(), P, S)).num(ch03::remainder(x.w(), w.w(), P, S));
    j.close(']').close('}');
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
    j.key("padded").map(wb::pad(d, w.h() - 1, w.w() - 1)).key("rot").map(wb::rot180(w));
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

//! [ch04]
/// Chapter 04: δ_out of a layer with K kernels over C input channels, one input channel at
/// a time. For channel c each kernel k contributes chapter 02's rule with its own slice,
/// pad(δ_k, F−1) ⋆ rot180(W_kc); the channel's δ is their sum (ch04::delta_out_channel),
/// shown beside the naive backward pass. δ_out depends on the input's size, not on its
/// values (z is linear in a with slope w), so the input is given by its size only.
inline std::string ch04_panel(const Request& q) {
    const Map w = q.tensor("w", 3, 3, max_kernel, max_kernel);  // K×C×F₁×F₂
    const Map d = q.tensor("delta", 1, 3, max_map, max_map);    // 1×K×h×w
    const Map a(wb::Shape{1, w.c(), q.integer("height", 1, max_map), q.integer("width", 1, max_map)});
    const wb::ConvGrads<double> naive = wb::conv2d_backward(a, w, d);  // checks every shape
    const int K = w.n(), C = w.c(), F1 = w.h(), F2 = w.w();
    Json j;
    j.open('{').key("ok").boolean(true).key("padded").open('[');
    for (int k = 0; k < K; ++k) j.map(wb::pad(d.plane(0, k), F1 - 1, F2 - 1));
    j.close(']').key("channels").open('[');
    for (int c = 0; c < C; ++c) {
        Map slice(wb::Shape{K, 1, F1, F2});  // slice c of every kernel, for the element sums
        for (int k = 0; k < K; ++k) slice.add_to_plane(k, 0, w.plane(k, c));
        const Map sum = ch04::delta_out_channel(d, w, c);
        j.open('{').key("rot").open('[');
        for (int k = 0; k < K; ++k) j.map(wb::rot180(w.plane(k, c)));
        j.close(']').key("parts").open('[');
        for (int k = 0; k < K; ++k) j.map(ch02::delta_out_eq8(d.plane(0, k), w.plane(k, c)));
        j.close(']').key("sum").map(sum).key("naive").map(naive.delta_out, 0, c);
        j.key("agree").boolean(sum == naive.delta_out.plane(0, c)).key("formulas").open('[');
        for (int u = 1; u <= a.h(); ++u) {
            j.open('[');
            for (int v = 1; v <= a.w(); ++v) {
                // One kernel over C channels: 000 §17.3.4's symbols (w_cpq); otherwise
                // §17.3.3's (δ_kij·w_kpq), read with slice c of each kernel.
                std::string symbols;
                double value;
                if (K == 1) {
                    const auto terms = ch04::several_channels_formula(c + 1, u, v, a.h(), a.w(), F1, F2);
                    symbols = ch04::to_string(terms), value = ch04::evaluate(terms, d.plane(0, 0), w);
                } else {
                    const auto terms = ch04::several_kernels_formula(u, v, a.h(), a.w(), F1, F2, K);
                    symbols = ch04::to_string(terms), value = ch04::evaluate(terms, d, slice);
                }
                j.open('{').key("symbols").str(symbols.empty() ? "0" : symbols).key("value").num(value).close('}');
            }
            j.close(']');
        }
        j.close(']').close('}');
    }
    j.close(']').close('}');
    return j.text();
}
//! [ch04]

//! [ch05]
/// Chapter 05: the kernel and bias gradients of a one-channel layer with stride S and
/// padding P. δ is restored to stride 1 by zero insertion (with the remainder rows and
/// columns the forward pass never reached), then ∂J/∂W = pad(A, P) ⋆ δ₁
/// (ch05::grad_w_strided), beside the element sums (ch05::grad_w_by_elements) and the
/// naive backward pass; ∂J/∂b = Σ δ (ch05::grad_b_sum, and 003's 1 ⋆ δ). Neither gradient
/// depends on the kernel's values, so the kernel is given by its size only.
inline std::string ch05_panel(const Request& q) {
    const Map a = q.matrix("a", max_map, max_map), d = q.matrix("delta", max_map, max_map);
    const wb::Shape ws{1, 1, q.integer("kernel_rows", 1, max_kernel), q.integer("kernel_cols", 1, max_kernel)};
    const wb::ConvSpec spec{q.integer("stride", 1, 3), q.integer("pad", 0, 3)};
    const wb::ConvGrads<double> naive = wb::conv2d_backward(a, Map(ws), d, spec);  // checks every shape
    const int S = spec.stride, P = spec.pad;
    const int tail_h = ch03::remainder(a.h(), ws.h, P, S), tail_w = ch03::remainder(a.w(), ws.w, P, S);
    const Map ap = wb::pad(a, P);
    const Map rule = ch05::grad_w_strided(a, d, ws, spec);
    const Map elements = ch05::grad_w_by_elements(ap, d, ws.h, ws.w, S);
    Json j;
    j.open('{').key("ok").boolean(true).key("padded").map(ap).key("unreached").open('[').num(tail_h).num(tail_w).close(']');
    j.key("restored").map(wb::restore_stride(d, a.shape(), ws, spec)).key("layout").open('[');
    for (const auto& row : ch03::layout(d.h(), d.w(), S, tail_h, tail_w)) {
        j.open('[');
        for (const auto& cell : row) j.str(cell);
        j.close(']');
    }
    j.close(']').key("rule").map(rule).key("elements").map(elements).key("naive").map(naive.dW);
    j.key("rel_error").num(std::max(wb::relative_error(rule, naive.dW), wb::relative_error(elements, naive.dW)));
    j.key("db").num(ch05::grad_b_sum(d)).key("db_003").num(ch05::grad_b_003(d)(0, 0));
    j.key("db_naive").num(naive.db[0]).key("formulas").open('[');
    for (int p = 1; p <= ws.h; ++p) {
        j.open('[');
        for (int r = 1; r <= ws.w; ++r) {
            const auto terms = ch05::weight_formula(p, r, d.h(), d.w(), S);
            j.open('{').key("symbols").str(ch05::to_string(terms)).key("value").num(ch05::evaluate(terms, ap, d));
            j.key("cells").open('[');  // the elements of pad(A, P) it reads, 0-based
            for (const auto& t : terms) j.open('[').num(t.u - 1).num(t.v - 1).close(']');
            j.close(']').close('}');
        }
        j.close(']');
    }
    j.close(']').close('}');
    return j.text();
}
//! [ch05]

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
    j.key("zmean").map(zmean).key("mean").map(back_mean).key("unreached").open('[');
    j.num(ch03::remainder(a.h(), s.size, 0, s.stride)).num(ch03::remainder(a.w(), s.size, 0, s.stride)).close(']');
    j.key("argmax").open('[');
    for (int p = 0; p < zmax.h(); ++p)
        for (int r = 0; r < zmax.w(); ++r)
            for (const auto& d : ch06::max_window_partials(a, p, r, s))
                if (d.value == 1) j.open('[').num(d.u).num(d.v).close(']');
    j.close(']').close('}');
    return j.text();
}
//! [ch06]

//! [ch07]
/// 1-based indices as the notes write them under a symbol: 12 → "₁₂".
inline std::string subscript(int n) {
    static const char* digits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
    std::string s;
    for (const char d : std::to_string(n)) s += digits[d - '0'];
    return s;
}

/// A column (n×1 map) as the vector a bias is.
inline std::vector<double> as_vector(const Map& m) { return {m.begin(), m.end()}; }

/// Chapter 07: 004's two-layer network (sigmoid units, J = ½‖a³ − y‖²) on one sample, its
/// forward pass and every gradient the notes' way (ch07::mse_backward); the output layer's
/// three gradients again from the reference dense layer (wb::dense_backward: Wᵀδ, δaᵀ and
/// δ), and all of them against centred differences of J (ch07::mse_numerical).
inline std::string ch07_panel(const Request& q) {
    constexpr int max_units = 6;
    const Map x = q.matrix("x", max_units, 1), y = q.matrix("y", max_units, 1);
    const ch07::MseNet n{q.matrix("W2", max_units, max_units), q.matrix("W3", max_units, max_units),
                         as_vector(q.matrix("b2", max_units, 1)), as_vector(q.matrix("b3", max_units, 1))};
    const Map z2 = wb::dense_forward(n.W2, x, n.b2);  // checks W2, x and b2 before anything reads them
    wb::dense_forward(n.W3, z2, n.b3);                // and W3, b3
    wb::require_shape("ch07", "y (the target, one per output)", y.shape(), wb::Shape{1, 1, n.W3.h(), 1});
    const ch07::MseForward f = ch07::mse_forward(n, x, y);
    const ch07::MseGrads g = ch07::mse_backward(n, x, y, f);
    const wb::DenseGrads<double> layer3 = wb::dense_backward(n.W3, f.a2, g.delta3);
    const ch07::MseGrads num = ch07::mse_numerical(n, x, y);
    Json j;
    j.open('{').key("ok").boolean(true).key("z2").column(f.z2).key("a2").column(f.a2);
    j.key("z3").column(f.z3).key("a3").column(f.a3).key("J").num(f.J);
    j.key("delta3").column(g.delta3).key("dW3").map(g.dW3).key("db3").list(g.db3);
    j.key("dA2").column(layer3.dA).key("dense_dW3").map(layer3.dW).key("dense_db3").list(layer3.db);
    j.key("delta2").column(g.delta2).key("dW2").map(g.dW2).key("db2").list(g.db2);
    j.key("rel_error").open('{').key("dW3").num(wb::relative_error(g.dW3, num.dW3));
    j.key("db3").num(wb::relative_error(g.db3, num.db3)).key("dW2").num(wb::relative_error(g.dW2, num.dW2));
    j.key("db2").num(wb::relative_error(g.db2, num.db2)).close('}');
    // Each gradient element as the products it sums (batch of one: dW_ij = δ_i·a_j).
    auto outer = [&](const char* name, const Map& delta, const Map& in, const Map& dW, const char* sw, const char* sd,
                     const char* sa) {
        j.key(name).open('[');
        for (int r = 0; r < dW.h(); ++r) {
            j.open('[');
            for (int c = 0; c < dW.w(); ++c)
                j.str(std::string("∂J/∂") + sw + subscript(r + 1) + subscript(c + 1) + " = " + sd + subscript(r + 1) +
                      "·" + sa + subscript(c + 1) + " = " + factor_text(delta(r, 0)) + "·" + factor_text(in(c, 0)) +
                      " = " + number_text(dW(r, c)));
            j.close(']');
        }
        j.close(']');
    };
    outer("dW3_sums", g.delta3, f.a2, g.dW3, "W³", "δ³", "a²");
    outer("dW2_sums", g.delta2, x, g.dW2, "W²", "δ²", "x");
    j.key("dA2_sums").open('[');
    for (int c = 0; c < n.W3.w(); ++c) {
        std::string text;
        for (int r = 0; r < n.W3.h(); ++r)
            text += (r ? " + " : "") + factor_text(n.W3(r, c)) + "·" + factor_text(g.delta3(r, 0));
        j.str("∂J/∂a²" + subscript(c + 1) + " = Σᵢ W³ᵢ" + subscript(c + 1) + "·δ³ᵢ = " + text + " = " +
              number_text(layer3.dA(c, 0)));
    }
    j.close(']').close('}');
    return j.text();
}
//! [ch07]

//! [ch08]
/// Chapter 08: a chain of k units, a_i = f(z_i), and the gradient 1 at the top passed down
/// through each unit's backward (wb::relu_backward, wb::sigmoid_backward,
/// wb::tanh_backward): after unit i it is the product of f′(z_j) for j ≥ i, which for the
/// sigmoid stays below (1/4)^k (ch08::sigmoid_chain_bound). The z_i are the reader's, or
/// drawn from N(0, 1) with `seed`. Also f and f′ on [−6, 6] for the plot.
inline std::string ch08_panel(const Request& q) {
    const std::string& name = q.text("f");
    Map (*forward)(const Map&) = nullptr;
    Map (*backward)(const Map&, const Map&) = nullptr;
    if (name == "relu") forward = wb::relu<double>, backward = wb::relu_backward<double>;
    else if (name == "sigmoid") forward = wb::sigmoid<double>, backward = wb::sigmoid_backward<double>;
    else if (name == "tanh") forward = wb::tanh_forward<double>, backward = wb::tanh_backward<double>;
    else refuse("f must be relu, sigmoid or tanh, got '" + clip(name, 20) + "'");
    Map z;
    if (q.has("seed")) {
        wb::Rng rng(static_cast<std::uint64_t>(q.integer("seed", 0, 1000000)));
        z = Map(wb::Shape{1, 1, q.integer("layers", 1, 30), 1});
        for (auto& v : z) v = rng.normal();
    } else {
        z = q.matrix("z", 30, 1);
    }
    const int k = z.h();
    const Map ones(z.shape(), 1.0);
    std::vector<double> reach(static_cast<std::size_t>(k));
    Map g(wb::Shape{1, 1, 1, 1}, 1.0);  // ∂J/∂a_k = 1 at the top
    for (int i = k - 1; i >= 0; --i) {
        g = backward(Map{{z(i, 0)}}, g);  // through unit i: times f′(z_i)
        reach[static_cast<std::size_t>(i)] = g(0, 0);
    }
    Map grid(wb::Shape{1, 1, 121, 1});
    for (int i = 0; i < grid.h(); ++i) grid(i, 0) = -6 + i * 0.1;
    Json j;
    j.open('{').key("ok").boolean(true).key("z").column(z).key("a").column(forward(z));
    j.key("fprime").column(backward(z, ones)).key("reach").list(reach);
    j.key("bound").num(ch08::sigmoid_chain_bound(k)).key("relu_active").num(ch08::relu_chain_active(k));
    j.key("curve").open('{').key("z").column(grid).key("f").column(forward(grid));
    j.key("fprime").column(backward(grid, Map(grid.shape(), 1.0))).close('}').close('}');
    return j.text();
}
//! [ch08]

//! [ch09]
/// A value as text, including the ones JSON has no number for.
inline std::string value_text(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
    return number_text(v);
}

/// Chapter 09: softmax of the reader's logits, as eq 4.20 is written (ch09::softmax_naive:
/// e^1000 = inf, inf/inf = NaN) and after subtracting the largest (wb::softmax), the
/// cross-entropy of the true class and its gradient y − t for every class
/// (wb::softmax_ce_backward, ch09::ce_gradient_by_class) against centred differences.
inline std::string ch09_panel(const Request& q) {
    const Map z = q.matrix("z", 10, 1);
    if (z.h() < 2) refuse("z needs at least 2 classes, got 1");
    const int label = q.integer("label", 0, z.h() - 1);
    double top = z(0, 0);
    for (const double v : z) top = std::max(top, v);
    Map shifted = z;
    for (auto& v : shifted) v -= top;
    const Map y = wb::softmax(z), naive = ch09::softmax_naive(z), grad = wb::softmax_ce_backward(y, {label});
    const Map numeric = ch09::ce_numerical(z, {label});
    Json j;
    j.open('{').key("ok").boolean(true).key("max").num(top).key("shifted").column(shifted);
    auto texts = [&](const char* key, auto value) {
        j.key(key).open('[');
        for (int k = 0; k < z.h(); ++k) j.str(value_text(value(k)));
        j.close(']');
    };
    double sum = 0, sum_shifted = 0;
    for (int k = 0; k < z.h(); ++k) sum += std::exp(z(k, 0)), sum_shifted += std::exp(shifted(k, 0));
    texts("exp", [&](int k) { return std::exp(z(k, 0)); });
    texts("exp_shifted", [&](int k) { return std::exp(shifted(k, 0)); });
    texts("naive", [&](int k) { return naive(k, 0); });
    j.key("sum").str(value_text(sum)).key("sum_shifted").str(value_text(sum_shifted));
    j.key("y").column(y).key("loss").num(wb::cross_entropy(y, {label})).key("grad").column(grad);
    j.key("by_class").list(ch09::ce_gradient_by_class(y, label)).key("numeric").column(numeric);
    j.key("rel_error").num(wb::relative_error(grad, numeric)).close('}');
    return j.text();
}
//! [ch09]

//! [ch10]
/// Chapter 10: a stretch of the edge-kernel fit, from the kernel `w` (or the notes' random
/// start for `seed`, or w = 0 like the chapter's program) for at most `iterations` updates;
/// the page calls it again with the returned kernel until the fit converges, diverges or
/// reaches its limit, so it stays responsive. Also the stable limit 2/λ_max from the Gram
/// matrix of the picture.
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
    ch10::FitResult r = ch10::fit(x, y, w0, o);
    // ch10::fit stops at the first sign of divergence (the loss above its start), where the
    // curve still looks flat: `past` more updates, one ch10::fit step each, show the growth
    // (until the loss is no longer finite). `iterations` stays the fit's own count.
    const long past = q.has("past") ? q.integer("past", 0, max_fit_chunk) : 0;
    long shown = 0;
    if (r.outcome == ch10::Outcome::diverged) {
        ch10::FitOptions one = o;
        one.max_iter = 1;
        for (long i = 0; i <= past && std::isfinite(r.losses.back()); ++i) {
            const ch10::FitResult step = ch10::fit(x, y, r.w, one);  // the loss of r.w, then one update
            if (i > 0) r.losses.push_back(step.losses.back()), ++shown;  // i = 0: r.w's, already in
            if (step.iterations == 0) break;                             // not finite: no update made
            r.w = step.w;
        }
    }
    const char* outcome = r.outcome == ch10::Outcome::converged  ? "converged"
                          : r.outcome == ch10::Outcome::diverged ? "diverged"
                                                                 : "running";
    Json j;
    j.open('{').key("ok").boolean(true).key("w").map(r.w).key("losses").list(r.losses);
    j.key("iterations").num(r.iterations).key("outcome").str(outcome).key("past").num(shown);
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

/// The largest |v| of a tensor: the scale a layer's maps are coloured on.
inline float max_abs(const wb::Tensor<float>& t) {
    float m = 0;
    for (const float v : t) m = std::max(m, std::abs(v));
    return m;
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
    j.key("scales").open('{').key("x").num(max_abs(f.x)).key("c1").num(max_abs(f.a1)).key("s2").num(max_abs(f.p1));
    j.key("c3").num(max_abs(f.a3)).key("s4").num(max_abs(f.p3)).key("f5").num(max_abs(f.a5));
    j.key("f6").num(max_abs(f.a6)).close('}');
    if (label >= 0) {
        ch11::Deltas<float> d;
        ch11::backward(lenet_weights(), f, {label}, &d);
        j.key("label").num(label).key("loss").num(ch11::loss(lenet_weights(), f, {label}, 0.0));
        j.key("deltas").open('{').key("f7").column(d.dz7).key("f6").column(d.dz6);
        j.key("f5").column(d.dz5).key("s4").maps(d.dp3).key("c3").maps(d.dz3);
        j.key("s2").maps(d.dp1).key("c1").maps(d.dz1).close('}');
        // each layer's largest |δ|: the page colours a layer's maps on that one scale and
        // writes it, so a confident digit's small gradients look small
        j.key("delta_scales").open('{').key("f7").num(max_abs(d.dz7)).key("f6").num(max_abs(d.dz6));
        j.key("f5").num(max_abs(d.dz5)).key("s4").num(max_abs(d.dp3)).key("c3").num(max_abs(d.dz3));
        j.key("s2").num(max_abs(d.dp1)).key("c1").num(max_abs(d.dz1)).close('}');
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

}  // namespace live
