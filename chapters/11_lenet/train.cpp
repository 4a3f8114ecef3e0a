#include "11_lenet/train.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "io/idx.hpp"
#include "io/safetensors.hpp"

namespace ch11 {

namespace {

Dataset convert(const wb::IdxDataset& d, const std::string& dir, const char* which) {
    if (d.images.rows != 28 || d.images.cols != 28)
        throw std::runtime_error("'" + dir + "': " + which + " images are " +
                                 std::to_string(d.images.rows) + "×" +
                                 std::to_string(d.images.cols) + "; LeNet-5 here takes 28×28");
    Dataset out;
    out.count = d.images.count;
    out.pixels.resize(d.images.pixels.size());
    for (std::size_t i = 0; i < out.pixels.size(); ++i)
        out.pixels[i] = static_cast<float>(d.images.pixels[i]) / 255.0f;
    out.labels.assign(d.labels.begin(), d.labels.end());
    return out;
}

constexpr const char* format_name = "wb-lenet5-checkpoint";
constexpr const char* format_version = "1";

std::string exact(double v) {  // round-trips a double through text
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
std::string join(const std::vector<double>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) s += ',';
        s += exact(v[i]);
    }
    return s;
}
std::vector<double> split(const std::string& s) {
    std::vector<double> v;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) v.push_back(std::stod(item));
    return v;
}
std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

/// The settings that decide the weights, as the checkpoint records them.
std::map<std::string, std::string> settings(const Config& c) {
    return {{"epochs", std::to_string(c.epochs)},   {"batch", std::to_string(c.batch)},
            {"lr", exact(c.lr)},                    {"momentum", exact(c.momentum)},
            {"l2", exact(c.l2)},                    {"seed", std::to_string(c.seed)},
            {"patience", std::to_string(c.patience)}};
}

template <class P>
void put(wb::StFile& f, P& p, const std::string& prefix) {
    for (const auto& v : param_views(p))
        f.tensors.push_back({prefix + v.name, std::vector<std::int64_t>(v.shape.begin(), v.shape.end()),
                             std::vector<float>(v.values.begin(), v.values.end())});
}

void take(const wb::StFile& f, Params<float>& p, const std::string& prefix,
          const std::string& path) {
    for (auto& v : param_views(p)) {
        const wb::StTensor& t = f.tensor(prefix + v.name);
        if (t.shape != std::vector<std::int64_t>(v.shape.begin(), v.shape.end()))
            throw std::runtime_error("checkpoint '" + path + "': tensor " + t.name +
                                     " has the wrong shape for LeNet-5");
        std::copy(t.data.begin(), t.data.end(), v.values.begin());
    }
}

const std::string& meta(const wb::StFile& f, const std::string& key, const std::string& path) {
    const auto it = f.metadata.find(key);
    if (it == f.metadata.end())
        throw std::runtime_error("checkpoint '" + path + "': no '" + key + "' in its metadata");
    return it->second;
}

void check_identity(const wb::StFile& f, const std::string& path) {
    if (meta(f, "format", path) != format_name)
        throw std::runtime_error("checkpoint '" + path + "' is not a LeNet-5 checkpoint of this workbook");
    if (meta(f, "version", path) != format_version)
        throw std::runtime_error("checkpoint '" + path + "' has format version " +
                                 meta(f, "version", path) + "; this program reads version " +
                                 format_version);
    if (meta(f, "architecture", path) != architecture())
        throw std::runtime_error("checkpoint '" + path + "' holds a different architecture: " +
                                 meta(f, "architecture", path));
}

}  // namespace

Data load_data(const std::string& dir, long limit) {
    Data d;
    d.train = convert(wb::load_idx_dataset(dir, "train"), dir, "training");
    d.test = convert(wb::load_idx_dataset(dir, "t10k"), dir, "test");
    if (limit > 0 && limit < d.train.count) d.train = head(d.train, static_cast<int>(limit));
    return d;
}

Dataset head(const Dataset& d, int count) {
    if (count >= d.count) return d;
    Dataset h;
    h.count = count;
    h.pixels.assign(d.pixels.begin(), d.pixels.begin() + static_cast<std::ptrdiff_t>(count) * 784);
    h.labels.assign(d.labels.begin(), d.labels.begin() + count);
    return h;
}

Tensor<float> gather_images(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                            std::size_t to) {
    Tensor<float> x(Shape{static_cast<int>(to - from), 1, 28, 28});
    for (std::size_t n = from; n < to; ++n)
        std::copy_n(d.pixels.data() + static_cast<std::size_t>(idx[n]) * 784, 784,
                    x.data() + (n - from) * 784);
    return x;
}

std::vector<int> gather_labels(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                               std::size_t to) {
    std::vector<int> y;
    for (std::size_t n = from; n < to; ++n) y.push_back(d.labels[static_cast<std::size_t>(idx[n])]);
    return y;
}

Evaluation evaluate(const Params<float>& w, const Dataset& d, Engine e, int batch) {
    Evaluation ev;
    ev.confusion.assign(10, std::vector<int>(10, 0));
    std::vector<int> all(static_cast<std::size_t>(d.count));
    for (int i = 0; i < d.count; ++i) all[static_cast<std::size_t>(i)] = i;
    double loss_sum = 0;
    int right = 0;
    for (std::size_t from = 0; from < all.size(); from += static_cast<std::size_t>(batch)) {
        const std::size_t to = std::min(all.size(), from + static_cast<std::size_t>(batch));
        const auto y = gather_labels(d, all, from, to);
        const Forward<float> f = forward(w, gather_images(d, all, from, to), e);
        loss_sum += static_cast<double>(wb::cross_entropy(f.prob, y)) * static_cast<double>(to - from);
        for (std::size_t n = 0; n < y.size(); ++n) {
            const int p = predicted(f.prob, static_cast<int>(n));
            ev.predictions.push_back(p);
            ev.confusion[static_cast<std::size_t>(y[n])][static_cast<std::size_t>(p)]++;
            right += p == y[n];
        }
    }
    ev.loss = d.count ? loss_sum / d.count : 0;
    ev.accuracy = d.count ? static_cast<double>(right) / d.count : 0;
    return ev;
}

std::uint64_t fingerprint(const Dataset& d) {
    std::uint64_t h = wb::fnv1a64(d.pixels.data(), d.pixels.size() * sizeof(float));
    return wb::fnv1a64(d.labels.data(), d.labels.size() * sizeof(int), h);
}

Trainer::Trainer(Config cfg, const Dataset& train, const Dataset& test)
    : cfg_(cfg), train_(train), test_(test), data_fp_(fingerprint(train)) {
    if (cfg_.epochs < 1) throw std::invalid_argument("epochs must be at least 1");
    if (cfg_.batch < 1) throw std::invalid_argument("batch must be at least 1");
    if (train_.count < 1) throw std::invalid_argument("no training images");
    wb::Rng rng(cfg_.seed);
    st_.w = init_params<float>(rng);
    // momentum buffers start at zero (Params<float>{} is all zeros)
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

Evaluation Trainer::run_epoch(const Progress& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    const Engine eng{true, cfg_.threads};
    const std::vector<int> order = epoch_order(st_.epoch);
    const long total_steps = steps_per_epoch() * cfg_.epochs;
    double loss_sum = 0;
    long right = 0;
    std::size_t done = 0;
    auto wv = param_views(st_.w);
    auto vv = param_views(st_.v);
    while (done < order.size()) {
        const std::size_t to = std::min(order.size(), done + static_cast<std::size_t>(cfg_.batch));
        const auto y = gather_labels(train_, order, done, to);
        const Forward<float> f = forward(st_.w, gather_images(train_, order, done, to), eng);
        const Params<float> g = backward(st_.w, f, y, cfg_.l2, eng);
        const auto gv = param_views(g);
        const float lr = static_cast<float>(cosine_lr(cfg_.lr, st_.step, total_steps));
        for (std::size_t t = 0; t < wv.size(); ++t)
            sgd_momentum_step<float>(wv[t].values, vv[t].values, gv[t].values, lr,
                                     static_cast<float>(cfg_.momentum));
        ++st_.step;
        loss_sum += static_cast<double>(wb::cross_entropy(f.prob, y)) * static_cast<double>(y.size());
        for (std::size_t n = 0; n < y.size(); ++n) right += predicted(f.prob, static_cast<int>(n)) == y[n];
        done = to;
        if (progress)
            progress(static_cast<long>(done), static_cast<long>(order.size()),
                     loss_sum / static_cast<double>(done), static_cast<double>(right) / static_cast<double>(done));
    }
    const Evaluation ev = evaluate(st_.w, test_, eng);
    ++st_.epoch;
    auto& h = st_.history;
    h.train_loss.push_back(loss_sum / static_cast<double>(order.size()));
    h.train_acc.push_back(static_cast<double>(right) / static_cast<double>(order.size()));
    h.test_loss.push_back(ev.loss);
    h.test_acc.push_back(ev.accuracy);
    h.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (ev.accuracy > st_.best_acc) {
        st_.best_acc = ev.accuracy;
        st_.best_epoch = st_.epoch;
    }
    return ev;
}

bool Trainer::stopped_early() const {
    return st_.epoch < cfg_.epochs && cfg_.patience > 0 && st_.epoch - st_.best_epoch >= cfg_.patience;
}

bool Trainer::finished() const { return st_.epoch >= cfg_.epochs || stopped_early(); }

void Trainer::save(const std::string& path) const {
    wb::StFile f;
    f.metadata = settings(cfg_);
    f.metadata["format"] = format_name;
    f.metadata["version"] = format_version;
    f.metadata["architecture"] = architecture();
    f.metadata["data_fnv1a64"] = hex(data_fp_);
    f.metadata["train_count"] = std::to_string(train_.count);
    f.metadata["epoch"] = std::to_string(st_.epoch);
    f.metadata["step"] = std::to_string(st_.step);
    f.metadata["best_acc"] = exact(st_.best_acc);
    f.metadata["best_epoch"] = std::to_string(st_.best_epoch);
    const auto& h = st_.history;
    f.metadata["history_train_loss"] = join(h.train_loss);
    f.metadata["history_train_acc"] = join(h.train_acc);
    f.metadata["history_test_loss"] = join(h.test_loss);
    f.metadata["history_test_acc"] = join(h.test_acc);
    f.metadata["history_seconds"] = join(h.seconds);
    put(f, st_.w, "");
    put(f, st_.v, "momentum.");
    wb::write_safetensors(path, f);
}

void Trainer::load(const std::string& path) {
    const wb::StFile f = wb::read_safetensors(path);
    check_identity(f, path);
    for (const auto& [k, v] : settings(cfg_))
        if (meta(f, k, path) != v)
            throw std::runtime_error("checkpoint '" + path + "' was trained with " + k + " " +
                                     meta(f, k, path) + ", this run asks for " + v +
                                     " (a resumed run must use the same settings)");
    if (meta(f, "data_fnv1a64", path) != hex(data_fp_))
        throw std::runtime_error("checkpoint '" + path + "' was trained on different data (" +
                                 meta(f, "train_count", path) + " training images, fingerprint " +
                                 meta(f, "data_fnv1a64", path) + ")");
    State s;
    take(f, s.w, "", path);
    take(f, s.v, "momentum.", path);
    try {
        s.epoch = std::stoi(meta(f, "epoch", path));
        s.step = std::stol(meta(f, "step", path));
        s.best_acc = std::stod(meta(f, "best_acc", path));
        s.best_epoch = std::stoi(meta(f, "best_epoch", path));
        s.history.train_loss = split(meta(f, "history_train_loss", path));
        s.history.train_acc = split(meta(f, "history_train_acc", path));
        s.history.test_loss = split(meta(f, "history_test_loss", path));
        s.history.test_acc = split(meta(f, "history_test_acc", path));
        s.history.seconds = split(meta(f, "history_seconds", path));
    } catch (const std::logic_error&) {
        throw std::runtime_error("checkpoint '" + path + "': unreadable epoch, step or history");
    }
    if (s.epoch < 0 || s.epoch > cfg_.epochs || s.step != s.epoch * steps_per_epoch() ||
        s.history.test_acc.size() != static_cast<std::size_t>(s.epoch))
        throw std::runtime_error("checkpoint '" + path + "': inconsistent epoch/step/history");
    st_ = std::move(s);
}

Params<float> load_weights(const std::string& path) {
    const wb::StFile f = wb::read_safetensors(path);
    check_identity(f, path);
    Params<float> p;
    take(f, p, "", path);
    return p;
}

}  // namespace ch11
