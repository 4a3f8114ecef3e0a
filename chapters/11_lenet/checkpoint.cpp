#include "11_lenet/checkpoint.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "11_lenet/train.hpp"
#include "io/print.hpp"
#include "io/safetensors.hpp"

namespace ch11 {

namespace {

constexpr const char* format_name = "wb-lenet5-checkpoint";
// Version 2 adds the best weights so far ("best.*") to the training state, so that one
// atomic rename keeps everything --resume needs consistent. Version 3 chooses the best
// epoch on a validation split carved from the training set (history_val_*), not on the
// test set.
constexpr const char* format_version = "3";

std::string join(const std::vector<double>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) s += ',';
        s += wb::shortest(v[i]);
    }
    return s;
}
/// Whole text as one number, or nullopt (no partial "3abc", no "nan" or "inf").
std::optional<double> number(const std::string& s) {
    if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (*end != '\0' || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
    return v;
}
std::optional<std::vector<double>> split(const std::string& s) {
    std::vector<double> v;
    if (s.empty()) return v;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        const auto x = number(item);
        if (!x) return std::nullopt;
        v.push_back(*x);
    }
    if (s.back() == ',') return std::nullopt;
    return v;
}

/// The settings that decide the weights, as the checkpoint records them.
std::map<std::string, std::string> settings(const Config& c) {
    return {{"epochs", std::to_string(c.epochs)},   {"batch", std::to_string(c.batch)},
            {"lr", wb::shortest(c.lr)},                    {"momentum", wb::shortest(c.momentum)},
            {"l2", wb::shortest(c.l2)},                    {"seed", std::to_string(c.seed)},
            {"patience", std::to_string(c.patience)}, {"validation", std::to_string(c.validation)},
            {"shift", std::to_string(c.shift)}};
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

/// What every file of this workbook's LeNet-5 records about the run that made it.
wb::StFile stamped(const Config& cfg, std::uint64_t data_fp, int train_count) {
    wb::StFile f;
    f.metadata = settings(cfg);
    f.metadata["format"] = format_name;
    // A std::string, not = "3": GCC 12 falsely warns (-Wrestrict) on the short literal.
    f.metadata["version"] = std::string(format_version);
    f.metadata["architecture"] = architecture();
    f.metadata["data_fnv1a64"] = wb::hex64(data_fp);
    f.metadata["train_count"] = std::to_string(train_count);
    return f;
}

}  // namespace

void Trainer::save(const std::string& path) const {
    wb::StFile f = stamped(cfg_, data_fp_, train_.count);
    f.metadata["kind"] = "state";
    f.metadata["epoch"] = std::to_string(st_.epoch);
    f.metadata["step"] = std::to_string(st_.step);
    f.metadata["best_acc"] = wb::shortest(st_.best_acc);
    f.metadata["best_epoch"] = std::to_string(st_.best_epoch);
    const auto& h = st_.history;
    f.metadata["history_train_loss"] = join(h.train_loss);
    f.metadata["history_train_acc"] = join(h.train_acc);
    f.metadata["history_val_loss"] = join(h.val_loss);
    f.metadata["history_val_acc"] = join(h.val_acc);
    f.metadata["history_seconds"] = join(h.seconds);
    put(f, st_.w, "");
    put(f, st_.v, "momentum.");
    put(f, st_.best_w, "best.");
    wb::write_safetensors(path, f);
}

void Trainer::save_best(const std::string& path) const {
    if (st_.best_epoch < 1) return;  // no epoch yet
    wb::StFile f = stamped(cfg_, data_fp_, train_.count);
    f.metadata["kind"] = "best";
    f.metadata["epoch"] = std::to_string(st_.best_epoch);
    f.metadata["val_acc"] = wb::shortest(st_.best_acc);
    put(f, st_.best_w, "");
    wb::write_safetensors(path, f);
}

void Trainer::load(const std::string& path) {
    const wb::StFile f = wb::read_safetensors(path);
    check_identity(f, path);
    if (meta(f, "kind", path) != "state")
        throw std::runtime_error("checkpoint '" + path + "' holds the best epoch's weights only; "
                                 "resume from 11_checkpoint.safetensors");
    // The images read (--data, --limit) set the default validation split: a different
    // count is named as such, not as a --validation the user may never have given.
    const auto ck_train = number(meta(f, "train_count", path)), ck_val = number(meta(f, "validation", path));
    const long read = static_cast<long>(train_.count) + cfg_.validation;
    if (ck_train && ck_val && *ck_train + *ck_val != static_cast<double>(read))
        throw std::runtime_error("checkpoint '" + path + "' was trained on " + wb::shortest(*ck_train + *ck_val) +
                                 " training images, this run reads " + std::to_string(read) +
                                 " (a resumed run must use the same --data and --limit)");
    for (const auto& [k, v] : settings(cfg_))
        if (meta(f, k, path) != v)
            throw std::runtime_error("checkpoint '" + path + "' was trained with " + k + " " +
                                     meta(f, k, path) + ", this run asks for " + v +
                                     " (a resumed run must use the same settings)");
    if (meta(f, "data_fnv1a64", path) != wb::hex64(data_fp_))
        throw std::runtime_error("checkpoint '" + path + "' was trained on different data (" +
                                 meta(f, "train_count", path) + " training images, fingerprint " +
                                 meta(f, "data_fnv1a64", path) + ")");
    const auto bad = [&](const std::string& why) {
        return std::runtime_error("checkpoint '" + path + "': " + why);
    };
    State s;
    take(f, s.w, "", path);
    take(f, s.v, "momentum.", path);
    take(f, s.best_w, "best.", path);
    const auto whole = [&](const char* key, double max) {
        const auto v = number(meta(f, key, path));
        if (!v || *v != std::floor(*v) || *v < 0 || *v > max)
            throw bad(std::string(key) + " '" + meta(f, key, path) + "' is not a whole number from 0 to " +
                      wb::shortest(max));
        return *v;
    };
    s.epoch = static_cast<int>(whole("epoch", cfg_.epochs));
    s.step = static_cast<long>(whole("step", 1e15));
    s.best_epoch = static_cast<int>(whole("best_epoch", s.epoch));
    const auto best_acc = number(meta(f, "best_acc", path));
    if (!best_acc) throw bad("best_acc '" + meta(f, "best_acc", path) + "' is not a number");
    s.best_acc = *best_acc;
    const std::pair<const char*, std::vector<double>*> lists[] = {
        {"history_train_loss", &s.history.train_loss}, {"history_train_acc", &s.history.train_acc},
        {"history_val_loss", &s.history.val_loss},     {"history_val_acc", &s.history.val_acc},
        {"history_seconds", &s.history.seconds}};
    for (const auto& [key, list] : lists) {
        const auto v = split(meta(f, key, path));
        if (!v) throw bad(std::string(key) + " is not a list of numbers");
        if (v->size() != static_cast<std::size_t>(s.epoch))
            throw bad(std::string(key) + " has " + std::to_string(v->size()) + " entries for " +
                      std::to_string(s.epoch) + " epochs");
        *list = *v;
    }
    if (s.step != s.epoch * steps_per_epoch())
        throw bad("step " + std::to_string(s.step) + " is not epoch × steps per epoch (" +
                  std::to_string(s.epoch) + " × " + std::to_string(steps_per_epoch()) + ")");
    check_best(s, path);
    st_ = std::move(s);
    net_->weights_changed();
}

void Trainer::check_best(const State& s, const std::string& path) const {
    const auto bad = [&](const std::string& why) {
        return std::runtime_error("checkpoint '" + path + "': " + why);
    };
    const auto& acc = s.history.val_acc;
    if (s.epoch == 0) {
        if (s.best_epoch != 0) throw bad("a best epoch before any epoch");
        return;
    }
    // The best epoch is the first with the highest validation accuracy (run_epoch's rule).
    const auto first_max = std::max_element(acc.begin(), acc.end());
    if (s.best_epoch != 1 + (first_max - acc.begin()) || s.best_acc != *first_max)
        throw bad("best epoch " + std::to_string(s.best_epoch) + " (" + wb::shortest(s.best_acc) +
                  ") is not the best in its history");
    // The weights must score what the metadata claims, bit for bit: the evaluation is
    // deterministic, so anything else means the best weights are not that epoch's.
    const double scored = evaluate(s.best_w, val_).accuracy;
    if (scored != s.best_acc)
        throw bad("its best weights score " + wb::shortest(scored) + " on the validation split, not the " +
                  wb::shortest(s.best_acc) + " recorded for epoch " + std::to_string(s.best_epoch));
}

Params<float> load_weights(const std::string& path) {
    const wb::StFile f = wb::read_safetensors(path);
    check_identity(f, path);
    Params<float> p;
    take(f, p, "", path);
    return p;
}

}  // namespace ch11
