#include "11_lenet/train.hpp"

#include "io/print.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <stdexcept>

namespace ch11 {

namespace {

/// A batch's outputs: the probabilities, and the logits z7 where the network at hand gives
/// them (the loss is then computed from them, by log-sum-exp, finite where −log P is not).
struct Scores {
    const Tensor<float>& prob;
    const Tensor<float>* logits;
};

double batch_loss(const Scores& s, const std::vector<int>& y) {
    return static_cast<double>(s.logits ? wb::cross_entropy_logits(*s.logits, y) : wb::cross_entropy(s.prob, y));
}

/// Loss, accuracy and confusion over `d` in batches; scores(all, from, to) gives the
/// Scores of images all[from..to).
template <class Scorer>
Evaluation tally(const Dataset& d, int batch, Scorer&& scores) {
    Evaluation ev;
    ev.confusion.assign(classes, std::vector<int>(classes, 0));
    std::vector<int> all(static_cast<std::size_t>(d.count));
    for (int i = 0; i < d.count; ++i) all[static_cast<std::size_t>(i)] = i;
    double loss_sum = 0;
    int right = 0;
    for (std::size_t from = 0; from < all.size(); from += static_cast<std::size_t>(batch)) {
        const std::size_t to = std::min(all.size(), from + static_cast<std::size_t>(batch));
        const auto y = gather_labels(d, all, from, to);
        const Scores sc = scores(all, from, to);
        const Tensor<float>& prob = sc.prob;
        loss_sum += batch_loss(sc, y) * static_cast<double>(to - from);
        for (std::size_t n = 0; n < y.size(); ++n) {
            const int p = predicted(prob, static_cast<int>(n));
            ev.predictions.push_back(p);
            ev.confusion[static_cast<std::size_t>(y[n])][static_cast<std::size_t>(p)]++;
            right += p == y[n];
        }
    }
    ev.loss = d.count ? loss_sum / d.count : 0;
    ev.accuracy = d.count ? static_cast<double>(right) / d.count : 0;
    return ev;
}

/// Which layer's output first holds a NaN or an infinity, in forward order.
std::string first_not_finite(const FastNet<float>& n) {
    const auto bad = [](const float* v, std::size_t size) {
        return std::any_of(v, v + size, [](float x) { return !std::isfinite(x); });
    };
    const auto batch = [&](const wb::batch::Batch<float>& b) {
        return bad(b.data(), static_cast<std::size_t>(b.blocks()) * b.block_size());
    };
    const auto dense = [&](Tensor<float> DensePart<float>::*of) {
        return std::any_of(n.parts.begin(), n.parts.end(), [&](const DensePart<float>& d) {
            return bad((d.*of).data(), (d.*of).size());
        });
    };
    // C1's and C3's maps are not kept (FastNet::keep_maps), but ReLU and max pooling make no
    // NaN or infinity and pass on every NaN and +∞ of them: p1 holds one exactly when C1
    // made one that reaches the loss (a −∞ ReLU drops).
    const std::pair<const char*, bool> layers[] = {
        {"C1 (conv)", batch(n.p1)},
        {"C3 (conv)", batch(n.p3)},
        {"FC 120", dense(&DensePart<float>::z5)},
        {"FC 84", dense(&DensePart<float>::z6)},
        {"FC 10 (the logits)", dense(&DensePart<float>::z7)}};
    for (const auto& [name, has] : layers)
        if (has) return std::string("the first layer with a NaN or infinity is ") + name;
    return "no layer output holds one";
}

}  // namespace

Evaluation evaluate(const Params<float>& w, const Dataset& d, FastNet<float>& net, int batch) {
    return tally(d, batch, [&](const std::vector<int>& all, std::size_t from, std::size_t to) {
        const std::vector<int> no_labels;
        set_input(net, Minibatch{d.pixels.data(), std::span(all).subspan(from, to - from), nullptr, no_labels});
        forward(w, net);
        return Scores{net.prob, &net.z7};
    });
}

Evaluation evaluate(const Params<float>& w, const Dataset& d, Engine e, int batch) {
    if (e.fast) {
        FastNet<float> net(e.threads);
        return evaluate(w, d, net, batch);
    }
    Forward<float> f;
    return tally(d, batch, [&](const std::vector<int>& all, std::size_t from, std::size_t to) {
        f = forward(w, gather_images(d, all, from, to));
        return Scores{f.prob, &f.z7};
    });
}

Trainer::Trainer(Config cfg, const Dataset& train, const Dataset& validation)
    : cfg_(cfg), train_(train), val_(validation), data_fp_(fingerprint(train)),
      net_(std::make_unique<FastNet<float>>(cfg.threads < 1 ? 1 : cfg.threads)) {
    if (cfg_.epochs < 1) throw std::invalid_argument("epochs must be at least 1");
    if (cfg_.batch < 1) throw std::invalid_argument("batch must be at least 1");
    if (train_.count < 1) throw std::invalid_argument("no training images");
    wb::Rng rng(cfg_.seed);
    st_.w = init_params<float>(rng);
    // momentum buffers start at zero (Params<float>{} is all zeros)
    warm_up(st_.w, *net_, std::min(cfg_.batch, train_.count));
}

long Trainer::steps_per_epoch() const {
    return (train_.count + cfg_.batch - 1) / cfg_.batch;
}

std::vector<int> Trainer::epoch_order(int e) const {
    std::vector<int> order(static_cast<std::size_t>(train_.count));
    for (int i = 0; i < train_.count; ++i) order[static_cast<std::size_t>(i)] = i;
    wb::Rng rng(cfg_.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(e) + 1);
    for (int i = train_.count - 1; i > 0; --i) {
        const int j = rng.below(i + 1);
        std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
    }
    return order;
}

std::vector<Shift> Trainer::epoch_shifts(int e) const {
    if (cfg_.shift == 0) return {};
    std::vector<Shift> shifts(static_cast<std::size_t>(train_.count));
    wb::Rng rng(cfg_.seed * 0xD1B54A32D192ED03ull + static_cast<std::uint64_t>(e) + 1);
    for (Shift& s : shifts) {
        s.dy = rng.below(2 * cfg_.shift + 1) - cfg_.shift;
        s.dx = rng.below(2 * cfg_.shift + 1) - cfg_.shift;
    }
    return shifts;
}

Evaluation Trainer::evaluate(const Params<float>& w, const Dataset& d) const {
    if (!layers_.probabilities) return ch11::evaluate(w, d, *net_);
    Tensor<float> prob;
    return tally(d, 500, [&](const std::vector<int>& all, std::size_t from, std::size_t to) {
        layers_.probabilities(w, gather_images(d, all, from, to), prob);
        return Scores{prob, nullptr};  // the learner's layers give probabilities only
    });
}

const Tensor<float>& Trainer::step(const Minibatch& mb, const Sgd& s) {
    FastNet<float>& net = *net_;
    if (!layers_.gradient && !layers_.update) {
        train_step(st_.w, st_.v, net, mb, s);
        return net.prob;
    }
    net.weights_changed();  // the weights change here without train_step
    if (layers_.gradient) {
        layers_.gradient(st_.w, mb, net.prob, net.grad);
    } else {
        set_input(net, mb);
        forward(st_.w, net);
        backward(st_.w, net, mb.labels);
    }
    if (layers_.update) layers_.update(st_.w, st_.v, net.grad, s);
    else
        sgd_update(st_.w, st_.v, net.grad, s);
    return net.prob;
}

Evaluation Trainer::run_epoch(const Progress& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<int> order = epoch_order(st_.epoch);
    const std::vector<Shift> shifts = epoch_shifts(st_.epoch);
    std::vector<int> y;  // the labels of a step
    const long total_steps = steps_per_epoch() * cfg_.epochs;
    double loss_sum = 0;
    long right = 0;
    std::size_t done = 0;
    while (done < order.size()) {
        const std::size_t to = std::min(order.size(), done + static_cast<std::size_t>(cfg_.batch));
        gather_labels(train_, order, done, to, y);
        const Minibatch mb{train_.pixels.data(), std::span(order).subspan(done, to - done),
                           shifts.empty() ? nullptr : &shifts, y};
        const Sgd sgd{static_cast<float>(cosine_lr(cfg_.lr, st_.step, total_steps)),
                      static_cast<float>(cfg_.momentum), cfg_.l2};
        const Tensor<float>& prob = step(mb, sgd);
        ++st_.step;
        // The fast path's forward pass ran unless the learner's layers took the gradient.
        const double loss = batch_loss(Scores{prob, layers_.gradient ? nullptr : &net_->z7}, y);
        // A NaN ruins every later step and checkpoint: stop here, saying where it began. So
        // does an infinite loss from the logits; from the learner's probabilities it may be
        // one that underflowed to 0, which training survives.
        if (std::isnan(loss) || (std::isinf(loss) && !layers_.gradient))
            throw std::runtime_error("training stopped in epoch " + std::to_string(st_.epoch + 1) + ", step " +
                                     std::to_string(done / static_cast<std::size_t>(cfg_.batch) + 1) + ": the loss is " +
                                     (std::isnan(loss) ? std::string("NaN") : wb::shortest(loss)) +
                                     (layers_.gradient ? std::string() : "; " + first_not_finite(*net_)) +
                                     " (try a smaller --lr)");
        loss_sum += loss * static_cast<double>(y.size());
        for (std::size_t n = 0; n < y.size(); ++n) right += predicted(prob, static_cast<int>(n)) == y[n];
        done = to;
        if (progress)
            progress(static_cast<long>(done), static_cast<long>(order.size()),
                     loss_sum / static_cast<double>(done), static_cast<double>(right) / static_cast<double>(done));
    }
    const Evaluation ev = evaluate(st_.w, val_);  // chooses the epoch; never the test set
    ++st_.epoch;
    auto& h = st_.history;
    h.train_loss.push_back(loss_sum / static_cast<double>(order.size()));
    h.train_acc.push_back(static_cast<double>(right) / static_cast<double>(order.size()));
    h.val_loss.push_back(ev.loss);
    h.val_acc.push_back(ev.accuracy);
    h.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (ev.accuracy > st_.best_acc) {
        st_.best_acc = ev.accuracy;
        st_.best_epoch = st_.epoch;
        st_.best_w = st_.w;
    }
    return ev;
}

bool Trainer::stopped_early() const {
    return st_.epoch < cfg_.epochs && cfg_.patience > 0 && st_.epoch - st_.best_epoch >= cfg_.patience;
}

bool Trainer::finished() const { return st_.epoch >= cfg_.epochs || stopped_early(); }

}  // namespace ch11
