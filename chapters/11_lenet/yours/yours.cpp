/// \file yours.cpp
/// \brief The learner's layers behind chapter 11's trainer (see yours.hpp): the checks
/// before training, then forward and backward in double, the minibatch split between the
/// threads.
#include "11_lenet/yours/yours.hpp"

#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "01_cross_correlate/cross_correlate.hpp"
#include "02_gradient_check/gradient_check.hpp"
#include "04_delta_out_layer/delta_out_layer.hpp"
#include "05_grad_b/grad_b.hpp"
#include "05_grad_w_layer/grad_w_layer.hpp"
#include "06_max_pool_backward/max_pool_backward.hpp"
#include "07_dense_backward/dense_backward.hpp"
#include "08_relu_backward/relu_backward.hpp"
#include "09_softmax/softmax.hpp"
#include "09_softmax_ce_backward/softmax_ce_backward.hpp"
#include "11_sgd_momentum_step/sgd_momentum_step.hpp"
#include "activation.hpp"
#include "conv.hpp"
#include "dense.hpp"
#include "gradcheck.hpp"
#include "not_implemented.hpp"
#include "ops.hpp"
#include "pooling.hpp"
#include "random.hpp"
#include "softmax.hpp"
#include "thread_pool.hpp"

namespace ch11::yours {
namespace {

using D = Tensor<double>;
using Values = std::vector<double>;

/// Which of the learner's functions run; a false one falls back to the workbook's.
struct Mine {
    bool gradcheck = false, xcorr = false, softmax = false, ce = false, dense = false,
         relu = false, pool = false, delta = false, grad_w = false, grad_b = false, sgd = false;
};

// ---- the layers: the learner's function where it runs, else the workbook's ---------------

D conv_forward(const Mine& u, const D& a, const D& w, const Values& b, wb::ConvSpec s) {
    if (!u.xcorr) return wb::conv2d_forward(a, w, b, s);
    const int oh = wb::output_size(a.h(), w.h(), s.pad, s.stride);
    const int ow = wb::output_size(a.w(), w.w(), s.pad, s.stride);
    D z(Shape{a.n(), w.n(), oh, ow});
    for (int n = 0; n < a.n(); ++n)
        for (int k = 0; k < w.n(); ++k) {
            for (int c = 0; c < w.c(); ++c)
                z.add_to_plane(n, k, ex::cross_correlate(wb::pad(a.plane(n, c), s.pad), w.plane(k, c), s.stride));
            for (int i = 0; i < oh; ++i)
                for (int j = 0; j < ow; ++j) z(n, k, i, j) += b[static_cast<std::size_t>(k)];
        }
    return z;
}

struct ConvGrads {
    D delta_out, dW;
    Values db;
};
ConvGrads conv_backward(const Mine& u, const D& a, const D& w, const D& d, wb::ConvSpec s, bool need_delta) {
    std::optional<wb::ConvGrads<double>> theirs;  // computed once, only if some part needs it
    const auto workbook = [&]() -> const wb::ConvGrads<double>& {
        if (!theirs) theirs = wb::conv2d_backward(a, w, d, s);
        return *theirs;
    };
    ConvGrads g;
    if (need_delta) g.delta_out = u.delta ? ex::delta_out_layer(d, w, a.shape(), s) : workbook().delta_out;
    g.dW = u.grad_w ? ex::grad_w_layer(a, d, w.shape(), s) : workbook().dW;
    g.db = u.grad_b ? ex::grad_b(d) : workbook().db;
    return g;
}

D pool_backward(const Mine& u, const D& a, const D& d) {
    if (!u.pool) return wb::max_pool_backward(a, d, pool_spec);
    D out(a.shape());
    for (int n = 0; n < a.n(); ++n)
        for (int c = 0; c < a.c(); ++c)
            out.add_to_plane(n, c, ex::max_pool_backward(a.plane(n, c), d.plane(n, c), pool_spec.size, pool_spec.stride));
    return out;
}

D relu_backward(const Mine& u, const D& z, const D& da) {
    return u.relu ? ex::relu_backward(z, da) : wb::relu_backward(z, da);
}

ConvGrads dense_backward(const Mine& u, const D& W, const D& A, const D& dZ) {
    if (u.dense) {
        auto g = ex::dense_backward(W, A, dZ);
        return {std::move(g.dA), std::move(g.dW), std::move(g.db)};
    }
    auto g = wb::dense_backward(W, A, dZ);
    return {std::move(g.dA), std::move(g.dW), std::move(g.db)};
}

D softmax(const Mine& u, const D& z) { return u.softmax ? ex::softmax(z) : wb::softmax(z); }
D softmax_ce_backward(const Mine& u, const D& P, const std::vector<int>& y) {
    return u.ce ? ex::softmax_ce_backward(P, y) : wb::softmax_ce_backward(P, y);
}

// lenet.hpp's forward() and backward(), call for call, each layer the one `u` chooses.
Forward<double> forward(const Mine& u, const Params<double>& p, const D& x) {
    Forward<double> f;
    f.x = x;
    f.z1 = conv_forward(u, f.x, p.c1w, p.c1b, c1_spec);
    f.a1 = wb::relu(f.z1);
    f.p1 = wb::max_pool_forward(f.a1, pool_spec);
    f.z3 = conv_forward(u, f.p1, p.c3w, p.c3b, c3_spec);
    f.a3 = wb::relu(f.z3);
    f.p3 = wb::max_pool_forward(f.a3, pool_spec);
    f.f = wb::flatten(f.p3);
    f.z5 = wb::dense_forward(p.f5w, f.f, p.f5b);
    f.a5 = wb::relu(f.z5);
    f.z6 = wb::dense_forward(p.f6w, f.a5, p.f6b);
    f.a6 = wb::relu(f.z6);
    f.z7 = wb::dense_forward(p.f7w, f.a6, p.f7b);
    f.prob = softmax(u, f.z7);
    return f;
}

Params<double> backward(const Mine& u, const Params<double>& p, const Forward<double>& f, const std::vector<int>& y) {
    const D dz7 = softmax_ce_backward(u, f.prob, y);
    auto g7 = dense_backward(u, p.f7w, f.a6, dz7);
    const D dz6 = relu_backward(u, f.z6, g7.delta_out);
    auto g6 = dense_backward(u, p.f6w, f.a5, dz6);
    const D dz5 = relu_backward(u, f.z5, g6.delta_out);
    auto g5 = dense_backward(u, p.f5w, f.f, dz5);
    const D dp3 = wb::unflatten(g5.delta_out, f.p3.shape());
    const D dz3 = relu_backward(u, f.z3, pool_backward(u, f.a3, dp3));
    auto g3 = conv_backward(u, f.p1, p.c3w, dz3, c3_spec, true);
    const D dz1 = relu_backward(u, f.z1, pool_backward(u, f.a1, g3.delta_out));
    auto g1 = conv_backward(u, f.x, p.c1w, dz1, c1_spec, false);
    Params<double> g;
    g.c1w = std::move(g1.dW), g.c1b = std::move(g1.db);
    g.c3w = std::move(g3.dW), g.c3b = std::move(g3.db);
    g.f5w = std::move(g5.dW), g.f5b = std::move(g5.db);
    g.f6w = std::move(g6.dW), g.f6b = std::move(g6.db);
    g.f7w = std::move(g7.dW), g.f7b = std::move(g7.db);
    return g;
}

/// The ten parameter lists of p as the learner's sgd_momentum_step takes them.
std::vector<std::vector<float>*> lists(Params<float>& p) {
    return {&p.c1w.values(), &p.c1b, &p.c3w.values(), &p.c3b, &p.f5w.values(),
            &p.f5b, &p.f6w.values(), &p.f6b, &p.f7w.values(), &p.f7b};
}

template <class To, class From>
void copy_params(const Params<From>& from, Params<To>& to) {
    const auto src = param_spans(from);
    const auto dst = param_spans(to);
    for (std::size_t t = 0; t < src.size(); ++t)
        for (std::size_t i = 0; i < src[t].size(); ++i) dst[t][i] = static_cast<To>(src[t][i]);
}

/// Images from..to of a float batch, in double.
D images(const Tensor<float>& x, std::size_t from, std::size_t to) {
    D out(Shape{static_cast<int>(to - from), 1, x.h(), x.w()});
    const std::size_t per = static_cast<std::size_t>(x.h()) * static_cast<std::size_t>(x.w());
    for (std::size_t i = 0; i < out.size(); ++i) out.data()[i] = x.data()[from * per + i];
    return out;
}

/// Runs body(from, to) on the pool's parts of [0, n); an exception in any part is rethrown
/// here (the pool's threads must not end the program).
void each_part(wb::ThreadPool& pool, std::size_t n, const std::function<void(std::size_t, std::size_t)>& body) {
    std::exception_ptr failed;
    std::mutex m;
    pool.run(n, [&](std::size_t from, std::size_t to) {
        try {
            body(from, to);
        } catch (...) {
            const std::lock_guard lock(m);
            if (!failed) failed = std::current_exception();
        }
    });
    if (failed) std::rethrow_exception(failed);
}

/// The probabilities of part from..to into columns from..to of prob (10×N).
void put_columns(const D& part, std::size_t from, Tensor<float>& prob) {
    for (int k = 0; k < part.h(); ++k)
        for (int j = 0; j < part.w(); ++j) prob(k, static_cast<int>(from) + j) = static_cast<float>(part(k, j));
}

// ---- the checks before training ----------------------------------------------------------

D random(Shape s, wb::Rng& rng) {
    D t(s);
    for (auto& v : t) v = rng.normal();
    return t;
}
Values random(std::size_t n, wb::Rng& rng) {
    Values v(n);
    for (auto& x : v) x = rng.normal();
    return v;
}
double dot(const D& a, const D& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a.data()[i] * b.data()[i];
    return s;
}

/// What differs between the learner's result and another (an empty string: nothing, within
/// `tol`), judged by the workbook's own relative error, never the learner's.
std::string differs(std::span<const double> yours, std::span<const double> other, double tol, const std::string& what) {
    if (yours.size() != other.size())
        return what + ": yours has " + std::to_string(yours.size()) + " values, " + std::to_string(other.size()) + " expected";
    for (std::size_t i = 0; i < yours.size(); ++i)
        if (!std::isfinite(yours[i])) return what + ": yours has " + std::to_string(yours[i]) + " at element " + std::to_string(i);
    const double e = wb::relative_error(yours, other);
    if (e <= tol) return "";
    std::size_t worst = 0;
    double worst_e = -1;
    for (std::size_t i = 0; i < yours.size(); ++i) {
        const double ei = std::abs(yours[i] - other[i]) / std::max(1e-8, std::abs(yours[i]) + std::abs(other[i]));
        if (ei > worst_e) worst_e = ei, worst = i;
    }
    std::ostringstream os;
    os.precision(6);
    os << what << ": relative error " << e << " (above " << tol << "); element " << worst << ": yours "
       << yours[worst] << ", expected " << other[worst];
    return os.str();
}
std::string differs(const D& yours, const D& other, double tol, const std::string& what) {
    if (yours.shape() != other.shape())
        return what + ": yours is " + yours.shape().str() + ", expected " + other.shape().str();
    return differs(std::span<const double>(yours.values()), std::span<const double>(other.values()), tol, what);
}

/// ∂J/∂x by centred differences: the learner's 02_gradient_check once it runs, else the
/// workbook's.
Values numeric(const Mine& u, const std::function<double()>& J, Values& x) {
    if (u.gradcheck) return ex::numerical_gradient(J, x, 1e-5);
    return wb::numerical_gradient(J, std::span<double>(x));
}

/// One place where the learner's function can run: its exercise, the layers it serves, and
/// its check, which returns what differs ("" if nothing) or throws ex::NotImplemented.
struct Slot {
    const char* id;
    const char* where;
    bool Mine::*flag;
    std::function<std::string(const Mine&)> check;
};

constexpr double fd_tol = 1e-6, same_tol = 1e-9;  // vs centred differences; vs the workbook

std::vector<Slot> slots() {
    return {
        {"02_gradient_check", "the gradient check these checks then use", &Mine::gradcheck,
         [](const Mine&) {
             wb::Rng rng(11);
             Values x = random(7, rng);
             const auto J = [&x] {
                 double s = 0;
                 for (std::size_t i = 0; i + 1 < x.size(); ++i) s += std::sin(x[i]) * x[i + 1];
                 return s;
             };
             const Values yours = ex::numerical_gradient(J, x, 1e-5);
             const Values theirs = wb::numerical_gradient(J, std::span<double>(x), 1e-5);
             std::string d = differs(yours, theirs, 1e-9, "numerical_gradient vs wb::numerical_gradient");
             if (!d.empty()) return d;
             const Values a{1, 2, 0, -1.5}, b{1, 2.5, 0, -1};
             const double e = ex::relative_error(a, b);
             if (!(std::abs(e - wb::relative_error(a, b)) <= 1e-15))
                 return "relative_error({1, 2, 0, -1.5}, {1, 2.5, 0, -1}) is " + std::to_string(e) + ", expected 0.2";
             return std::string();
         }},
        {"01_cross_correlate", "C1 and C3 forward: the cross-correlation", &Mine::xcorr,
         [](const Mine& u) {
             wb::Rng rng(1);
             Mine mine = u;
             mine.xcorr = true;
             for (const auto& [a, w, s] : {std::tuple{Shape{2, 1, 9, 8}, Shape{3, 1, 5, 5}, c1_spec},
                                           std::tuple{Shape{2, 3, 9, 10}, Shape{4, 3, 5, 5}, c3_spec}}) {
                 const D x = random(a, rng), k = random(w, rng);
                 const Values b = random(static_cast<std::size_t>(w.n), rng);
                 const std::string d = differs(conv_forward(mine, x, k, b, s), wb::conv2d_forward(x, k, b, s), same_tol,
                                               "the layer's output z vs wb::conv2d_forward");
                 if (!d.empty()) return d;
             }
             return std::string();
         }},
        {"09_softmax", "the output layer's softmax", &Mine::softmax,
         [](const Mine&) {
             wb::Rng rng(2);
             D z = random(Shape{1, 1, 10, 4}, rng);
             z(3, 1) = 1000;  // a confident network's logit must not overflow
             return differs(ex::softmax(z), wb::softmax(z), same_tol, "the probabilities vs wb::softmax");
         }},
        {"09_softmax_ce_backward", "the output layer's δ = (P − T)/m", &Mine::ce,
         [](const Mine& u) {
             wb::Rng rng(3);
             D z = random(Shape{1, 1, 10, 3}, rng);
             const std::vector<int> y{4, 0, 9};
             const D yours = ex::softmax_ce_backward(softmax(u, z), y);
             std::string d = differs(yours, wb::softmax_ce_backward(wb::softmax(z), y), same_tol,
                                     "δ vs wb::softmax_ce_backward");
             if (!d.empty()) return d;
             const Values fd = numeric(u, [&] { return wb::cross_entropy(softmax(u, z), y); }, z.values());
             return differs(std::span<const double>(yours.values()), fd, fd_tol, "δ vs finite differences of the loss");
         }},
        {"07_dense_backward", "FC 120, FC 84, FC 10 backward: dA, dW, db", &Mine::dense,
         [](const Mine& u) {
             wb::Rng rng(4);
             D W = random(Shape{1, 1, 5, 7}, rng), A = random(Shape{1, 1, 7, 3}, rng);
             Values b = random(5, rng);
             const D G = random(Shape{1, 1, 5, 3}, rng);
             const auto yours = ex::dense_backward(W, A, G);
             const auto theirs = wb::dense_backward(W, A, G);
             const auto J = [&] { return dot(G, wb::dense_forward(W, A, b)); };
             for (const auto& d : {differs(yours.dA, theirs.dA, same_tol, "dA vs wb::dense_backward"),
                                   differs(yours.dW, theirs.dW, same_tol, "dW vs wb::dense_backward"),
                                   differs(yours.db, theirs.db, same_tol, "db vs wb::dense_backward"),
                                   differs(std::span<const double>(yours.dA.values()), numeric(u, J, A.values()), fd_tol, "dA vs finite differences"),
                                   differs(std::span<const double>(yours.dW.values()), numeric(u, J, W.values()), fd_tol, "dW vs finite differences"),
                                   differs(yours.db, numeric(u, J, b), fd_tol, "db vs finite differences")})
                 if (!d.empty()) return d;
             return std::string();
         }},
        {"08_relu_backward", "the four ReLUs backward", &Mine::relu,
         [](const Mine& u) {
             wb::Rng rng(5);
             D z = random(Shape{2, 3, 4, 4}, rng);
             for (auto& v : z) v += v > 0 ? 0.1 : -0.1;  // away from the kink at 0
             const D G = random(z.shape(), rng);
             const D yours = ex::relu_backward(z, G);
             std::string d = differs(yours, wb::relu_backward(z, G), same_tol, "δ vs wb::relu_backward");
             if (!d.empty()) return d;
             const Values fd = numeric(u, [&] { return dot(G, wb::relu(z)); }, z.values());
             return differs(std::span<const double>(yours.values()), fd, fd_tol, "δ vs finite differences");
         }},
        {"06_max_pool_backward", "the two 2×2 max poolings backward", &Mine::pool,
         [](const Mine& u) {
             wb::Rng rng(6);
             D a = random(Shape{2, 3, 6, 6}, rng);  // distinct values: no ties, no kinks
             const D G = random(Shape{2, 3, 3, 3}, rng);
             Mine mine = u;
             mine.pool = true;
             const D yours = pool_backward(mine, a, G);
             std::string d = differs(yours, wb::max_pool_backward(a, G, pool_spec), same_tol, "δ vs wb::max_pool_backward");
             if (!d.empty()) return d;
             const Values fd = numeric(u, [&] { return dot(G, wb::max_pool_forward(a, pool_spec)); }, a.values());
             return differs(std::span<const double>(yours.values()), fd, fd_tol, "δ vs finite differences");
         }},
        {"04_delta_out_layer", "C3 backward: δ passed down to the first pooling", &Mine::delta,
         [](const Mine& u) {
             wb::Rng rng(7);
             D a = random(Shape{2, 3, 9, 9}, rng);
             const D w = random(Shape{4, 3, 5, 5}, rng);
             const Values b = random(4, rng);
             const D G = random(Shape{2, 4, 5, 5}, rng);
             const D yours = ex::delta_out_layer(G, w, a.shape(), c3_spec);
             std::string d = differs(yours, wb::conv2d_backward(a, w, G, c3_spec).delta_out, same_tol,
                                     "δ_out vs wb::conv2d_backward");
             if (!d.empty()) return d;
             const Values fd = numeric(u, [&] { return dot(G, conv_forward(u, a, w, b, c3_spec)); }, a.values());
             return differs(std::span<const double>(yours.values()), fd, fd_tol, "δ_out vs finite differences");
         }},
        {"05_grad_w_layer", "C1 and C3 backward: the kernel gradient", &Mine::grad_w,
         [](const Mine& u) {
             wb::Rng rng(8);
             for (const auto& [as, ws, spec] : {std::tuple{Shape{2, 1, 8, 8}, Shape{3, 1, 5, 5}, c1_spec},
                                                std::tuple{Shape{2, 3, 9, 9}, Shape{4, 3, 5, 5}, c3_spec}}) {
                 const wb::ConvSpec s = spec;  // (a structured binding is not captured below)
                 const D a = random(as, rng);
                 D w = random(ws, rng);
                 const Values b = random(static_cast<std::size_t>(ws.n), rng);
                 const D G = random(wb::conv2d_forward(a, w, b, s).shape(), rng);
                 const D yours = ex::grad_w_layer(a, G, w.shape(), s);
                 std::string d = differs(yours, wb::conv2d_backward(a, w, G, s).dW, same_tol, "dW vs wb::conv2d_backward");
                 if (d.empty()) {
                     const Values fd = numeric(u, [&] { return dot(G, conv_forward(u, a, w, b, s)); }, w.values());
                     d = differs(std::span<const double>(yours.values()), fd, fd_tol, "dW vs finite differences");
                 }
                 if (!d.empty()) return d + (s.pad ? " (C1's padding 2)" : " (C3, no padding)");
             }
             return std::string();
         }},
        {"05_grad_b", "C1 and C3 backward: the bias gradient", &Mine::grad_b,
         [](const Mine& u) {
             wb::Rng rng(9);
             const D a = random(Shape{2, 3, 9, 9}, rng), w = random(Shape{4, 3, 5, 5}, rng);
             Values b = random(4, rng);
             const D G = random(Shape{2, 4, 5, 5}, rng);
             const Values yours = ex::grad_b(G);
             std::string d = differs(yours, wb::conv2d_backward(a, w, G, c3_spec).db, same_tol, "db vs wb::conv2d_backward");
             if (!d.empty()) return d;
             return differs(yours, numeric(u, [&] { return dot(G, conv_forward(u, a, w, b, c3_spec)); }, b), fd_tol,
                            "db vs finite differences");
         }},
        {"11_sgd_momentum_step", "the update of all 61,706 weights", &Mine::sgd,
         [](const Mine&) {
             wb::Rng rng(10);
             std::vector<float> w(50), v(50), g(50);
             for (std::size_t i = 0; i < w.size(); ++i)
                 w[i] = static_cast<float>(rng.normal()), v[i] = static_cast<float>(rng.normal()),
                 g[i] = static_cast<float>(rng.normal());
             std::vector<float> w2 = w, v2 = v, g2 = g;
             ex::sgd_momentum_step(w, v, g, 0.03f, 0.9f, 5e-4f);
             add_l2(std::span<float>(g2), std::span<const float>(w2), 5e-4);
             sgd_momentum_step(std::span<float>(w2), std::span<float>(v2), std::span<const float>(g2), 0.03f, 0.9f);
             const Values yw(w.begin(), w.end()), tw(w2.begin(), w2.end()), yv(v.begin(), v.end()), tv(v2.begin(), v2.end());
             std::string d = differs(yw, tw, 1e-6, "the new weights w vs the workbook's step");
             return d.empty() ? differs(yv, tv, 1e-6, "the new momentum v vs the workbook's step") : d;
         }},
    };
}

/// The learner's layers behind the trainer: the parts of each minibatch on the threads.
struct Net {
    explicit Net(const Mine& m, int threads) : use(m), pool(threads) {}
    Mine use;
    wb::ThreadPool pool;
};

Layers layers_of(std::shared_ptr<Net> net) {
    Layers l;
    l.gradient = [net](const Params<float>& w, const Minibatch& mb, Tensor<float>& prob, Params<float>& grad) {
        Params<double> p;
        copy_params(w, p);
        const Tensor<float> x = gathered(mb);
        const std::size_t N = mb.size();
        prob.resize(Shape{1, 1, classes, static_cast<int>(N)});
        std::map<std::size_t, Params<double>> parts;  // by first image: summed in one order
        std::mutex m;
        each_part(net->pool, N, [&](std::size_t from, std::size_t to) {
            const std::vector<int> y(mb.labels.begin() + static_cast<std::ptrdiff_t>(from),
                                     mb.labels.begin() + static_cast<std::ptrdiff_t>(to));
            const Forward<double> f = forward(net->use, p, images(x, from, to));
            Params<double> g = backward(net->use, p, f, y);
            // The part's δ was divided by its own m: weigh it by its share of the minibatch.
            for (auto s : param_spans(g))
                for (double& v : s) v *= static_cast<double>(to - from) / static_cast<double>(N);
            put_columns(f.prob, from, prob);
            const std::lock_guard lock(m);
            parts.emplace(from, std::move(g));
        });
        Params<double> sum = std::move(parts.begin()->second);
        const auto total = param_spans(sum);
        for (auto it = std::next(parts.begin()); it != parts.end(); ++it) {
            const auto more = param_spans(it->second);
            for (std::size_t t = 0; t < total.size(); ++t)
                for (std::size_t i = 0; i < total[t].size(); ++i) total[t][i] += more[t][i];
        }
        copy_params(sum, grad);
    };
    l.probabilities = [net](const Params<float>& w, const Tensor<float>& x, Tensor<float>& prob) {
        Params<double> p;
        copy_params(w, p);
        prob.resize(Shape{1, 1, classes, x.n()});
        each_part(net->pool, static_cast<std::size_t>(x.n()), [&](std::size_t from, std::size_t to) {
            put_columns(forward(net->use, p, images(x, from, to)).prob, from, prob);
        });
    };
    if (net->use.sgd)
        l.update = [](Params<float>& w, Params<float>& v, Params<float>& g, const Sgd& s) {
            const auto ws = lists(w), vs = lists(v), gs = lists(g);
            for (std::size_t t = 0; t < ws.size(); ++t)
                ex::sgd_momentum_step(*ws[t], *vs[t], *gs[t], s.lr, s.momentum, static_cast<float>(s.l2));
        };
    return l;
}

}  // namespace

bool plug_in(Trainer& tr, std::ostream& os) {
    os << "Your layers, each checked before training against centred finite differences and "
          "against the workbook's own function:\n";
    Mine use;
    int yours = 0, total = 0;
    for (const Slot& s : slots()) {
        ++total;
        std::string what;
        try {
            what = s.check(use);
        } catch (const ex::NotImplemented&) {
            os << "  ·  " << s.id << std::string(24 - std::string(s.id).size(), ' ') << s.where
               << ": not solved yet, the workbook's function runs instead\n";
            continue;
        } catch (const std::exception& e) {
            what = std::string("it threw: ") + e.what();
        }
        if (!what.empty()) {
            os << "  ✗  " << s.id << std::string(24 - std::string(s.id).size(), ' ') << s.where << "\n\n"
               << "Your " << s.id << " disagrees (" << s.where << "): " << what << ".\n"
               << "Nothing was trained. Fix it (./workbook check " << s.id << "), then run again.\n";
            return false;
        }
        use.*s.flag = true;
        ++yours;
        os << "  ✓  " << s.id << std::string(24 - std::string(s.id).size(), ' ') << s.where << "\n";
    }
    if (yours == 0) {
        os << "None of these exercises is solved yet: this run trains the workbook's own layers.\n\n";
        return true;
    }
    os << "Training with your functions in " << yours << " of " << total
       << " places (the others are the workbook's), in double, on " << tr.config().threads << " thread(s).\n\n";
    tr.set_layers(layers_of(std::make_shared<Net>(use, tr.config().threads)));
    return true;
}

}  // namespace ch11::yours
