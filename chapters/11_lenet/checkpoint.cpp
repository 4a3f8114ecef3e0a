#include "11_lenet/checkpoint.hpp"

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "11_lenet/train.hpp"
#include "io/safetensors.hpp"

namespace ch11 {

namespace {

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
