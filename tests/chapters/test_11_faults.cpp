// Fault tests of chapter 11's program: a 2-epoch run killed (SIGKILL) at every step of
// every file it writes, and every such step failing as on a full disk. Whatever the moment,
// --resume must then finish with exactly the uninterrupted run's state, best weights,
// report and pictures, and no .tmp file may be left. A kill between two steps leaves the
// disk as a kill at the next step does, so these are all the states a kill can leave.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "11_lenet/train.hpp"
#include "io/safetensors.hpp"

namespace fs = std::filesystem;
using namespace ch11;

namespace {

/// tmpfs when there is one: fsync is then free, and the test fast.
fs::path scratch(const std::string& name) {
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    const fs::path d = base / ("wb_test_ch11_faults_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void be32(std::string& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>(v >> s));
}

/// The first `n` digits of a data set as plain IDX files PREFIX-{images,labels}.
void write_idx(const fs::path& dir, const std::string& prefix, const Dataset& d, int n) {
    std::string im, lb;
    be32(im, 0x803);
    be32(im, static_cast<std::uint32_t>(n));
    be32(im, 28);
    be32(im, 28);
    be32(lb, 0x801);
    be32(lb, static_cast<std::uint32_t>(n));
    for (int i = 0; i < n * 784; ++i) im.push_back(static_cast<char>(std::lround(d.pixels[static_cast<std::size_t>(i)] * 255)));
    for (int i = 0; i < n; ++i) lb.push_back(static_cast<char>(d.labels[static_cast<std::size_t>(i)]));
    std::ofstream(dir / (prefix + "-images-idx3-ubyte"), std::ios::binary) << im;
    std::ofstream(dir / (prefix + "-labels-idx1-ubyte"), std::ios::binary) << lb;
}

struct Run {
    int code;      // exit status, or -signal
    std::string out, err;
};

Run run_ch11(const fs::path& data, const fs::path& out, const std::string& env, const std::string& extra = "") {
    // No gnuplot (PATH): its curves go through the same AtomicFile as the other figures,
    // and tests/fault/full_disk.sh fills a real disk under it; leaving it out halves the time.
    const std::string cmd = "PATH=/nonexistent " + env + " " + WB_CH11_EXE + " --data " + data.string() +
                            " --epochs 2 --batch 16 --threads 1 --out " + out.string() + " " + extra + " >" +
                            (out.string() + ".stdout") + " 2>" + (out.string() + ".stderr");
    const int status = std::system(cmd.c_str());
    Run r{WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -1000,
          slurp(out.string() + ".stdout"), slurp(out.string() + ".stderr")};
    return r;
}

/// Resumes from the state file if the interrupted run left one, else starts afresh.
Run finish(const fs::path& data, const fs::path& out) {
    const fs::path state = out / "11_checkpoint.safetensors";
    return run_ch11(data, out, "", fs::exists(state) ? "--resume " + state.string() : "");
}

std::string report_line(const std::string& out) {
    const auto at = out.find("test accuracy ");
    return at == std::string::npos ? "" : out.substr(at, out.find('\n', at) - at);
}

bool same(const Params<float>& a, const Params<float>& b) {
    const auto x = param_views(a), y = param_views(b);
    for (std::size_t t = 0; t < x.size(); ++t)
        if (!std::equal(x[t].values.begin(), x[t].values.end(), y[t].values.begin())) return false;
    return true;
}

bool any_tmp(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".tmp") return true;
    return false;
}

/// Everything of `out` that must equal the uninterrupted run `ref`.
void check_same_as(const fs::path& out, const fs::path& ref, const Run& finished, const Run& reference,
                   const Data& data) {
    CHECK(finished.code == 0);
    CHECK(report_line(finished.out) == report_line(reference.out));
    CHECK(!any_tmp(out));
    Config cfg;  // as ch11 sets it up from its options
    cfg.epochs = 2;
    cfg.batch = 16;
    cfg.threads = 1;
    cfg.validation = 8;  // an eighth of 64
    const Split split = split_validation(data.train, cfg.validation, cfg.seed);
    Trainer a(cfg, split.train, split.validation), b(cfg, split.train, split.validation);
    a.load((out / "11_checkpoint.safetensors").string());
    b.load((ref / "11_checkpoint.safetensors").string());
    const State &s = a.state(), &t = b.state();
    CHECK(s.epoch == t.epoch);
    CHECK(s.step == t.step);
    CHECK(same(s.w, t.w));
    CHECK(same(s.v, t.v));
    CHECK(same(s.best_w, t.best_w));
    CHECK(s.best_epoch == t.best_epoch);
    CHECK(s.best_acc == t.best_acc);
    CHECK(s.history.train_loss == t.history.train_loss);
    CHECK(s.history.val_acc == t.history.val_acc);
    CHECK(same(load_weights((out / "11_best.safetensors").string()), t.best_w));
    for (const char* png : {"11_feature_maps.png", "11_c1_kernels.png", "11_misclassified.png"})
        CHECK(slurp(out / png) == slurp(ref / png));
}

struct Fixture {
    fs::path dir = scratch("run"), data = dir / "data", ref = dir / "ref";
    Data digits;
    Run reference;
    long steps = 0;
    Fixture() {
        fs::create_directories(data);
        const Data all = load_data(WB_DATA_DIR);
        write_idx(data, "train", all.train, 64);
        write_idx(data, "t10k", all.test, 100);
        digits = load_data(data.string());
        reference = run_ch11(data, ref, "WB_FAULT_LOG=" + (dir / "steps.log").string());
        std::ifstream log(dir / "steps.log");
        for (std::string line; std::getline(log, line);) ++steps;
    }
    ~Fixture() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("ch11 killed at every write step (SIGKILL) resumes to exactly the uninterrupted result") {
    Fixture f;
    REQUIRE(f.reference.code == 0);
    // 2 state files, a best file per improving epoch and 3 figures, 6-8 steps each.
    REQUIRE(f.steps >= 30);
    MESSAGE(f.steps << " kill points");
    for (long n = 1; n <= f.steps; ++n) {
        CAPTURE(n);
        const fs::path out = f.dir / ("kill" + std::to_string(n));
        const Run killed = run_ch11(f.data, out, "WB_FAULT=kill:" + std::to_string(n));
        CHECK(killed.code == 128 + SIGKILL);  // as sh reports it
        check_same_as(out, f.ref, finish(f.data, out), f.reference, f.digits);
        fs::remove_all(out);
    }
}

TEST_CASE("ch11 on a full disk at every write step: exit 2 with one line, files kept, then resumes exactly") {
    Fixture f;
    REQUIRE(f.reference.code == 0);
    for (long n = 1; n <= f.steps; ++n) {
        CAPTURE(n);
        const fs::path out = f.dir / ("full" + std::to_string(n));
        const Run full = run_ch11(f.data, out, "WB_FAULT=fail:" + std::to_string(n));
        CHECK(full.code == 2);
        CHECK(full.err.rfind("ch11: error: cannot write ", 0) == 0);
        CHECK(full.err.find("No space left on device") != std::string::npos);
        CHECK(std::count(full.err.begin(), full.err.end(), '\n') == 1);
        CHECK(!any_tmp(out));
        check_same_as(out, f.ref, finish(f.data, out), f.reference, f.digits);
        fs::remove_all(out);
    }
}
