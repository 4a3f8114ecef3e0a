// Chapter 11 — LeNet-5 trained on real digits from the reference layers (004 §五).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <sstream>

#include "11_lenet/figures.hpp"
#include "11_lenet/train.hpp"
#include "io/cli.hpp"
#include "io/plot.hpp"
#include "io/print.hpp"
#ifdef WB_YOURS
#include "11_lenet/yours/yours.hpp"
#endif

namespace {

using namespace ch11;

std::string duration(double s) {
    const long t = std::lround(std::max(0.0, s));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

/// A plain-ASCII progress bar. On a terminal it redraws one line with \r, at most 20
/// times a second; otherwise (a pipe, a log, CI) it prints a line at every quarter of the
/// epoch. It is called after every step, so it returns at once when there is nothing to draw.
class ProgressBar {
public:
    ProgressBar(int epoch, int epochs, bool tty) : epoch_(epoch), epochs_(epochs), tty_(tty) {}
    void operator()(long done, long total, double loss, double acc) {
        const auto now = std::chrono::steady_clock::now();
        const int quarter = static_cast<int>(4 * done / std::max(1L, total));
        if (done < total && (tty_ ? now - drawn_ < std::chrono::milliseconds(50) : quarter <= last_quarter_))
            return;
        drawn_ = now;
        last_quarter_ = quarter;
        const double secs = std::chrono::duration<double>(now - start_).count();
        const double rate = secs > 0 ? done / secs : 0;
        const double left = rate > 0 ? (total - done) / rate : 0;
        const int width = 30, filled = static_cast<int>(width * done / std::max(1L, total));
        std::ostringstream line;
        line << "epoch " << epoch_ << "/" << epochs_ << " [" << std::string(filled, '#')
             << std::string(width - filled, '.') << "] " << done << "/" << total << " loss "
             << wb::fixed(loss, 4) << " acc " << wb::fixed(100 * acc, 2) << "% " << std::lround(rate)
             << " img/s left " << duration(left);
        if (tty_) {
            std::cout << '\r' << line.str() << "   " << std::flush;
            if (done == total) std::cout << '\n';
        } else {
            std::cout << line.str() << '\n' << std::flush;
        }
    }

private:
    int epoch_, epochs_;
    bool tty_;
    int last_quarter_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), drawn_{};
};

void print_confusion(std::ostream& os, const std::vector<std::vector<int>>& m) {
    os << "  true\\pred";
    for (int k = 0; k < 10; ++k) os << (k ? "     " : "    ") << k;
    os << "   recall\n";
    for (int t = 0; t < 10; ++t) {
        os << "  " << t << "        ";
        int row = 0;
        for (int p = 0; p < 10; ++p) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%6d", m[t][p]);
            os << buf;
            row += m[t][p];
        }
        os << "   " << wb::fixed(row ? 100.0 * m[t][t] / row : 0, 1) << "%\n";
    }
}

int run(const wb::Cli& cli) {
    std::ostream& os = std::cout;
    Config cfg;
    constexpr long unbounded = std::numeric_limits<long>::max();
    cfg.epochs = static_cast<int>(cli.integer("--epochs", 1, 1000));
    cfg.batch = static_cast<int>(cli.integer("--batch", 1, 8192));
    cfg.lr = cli.real("--lr", 0, 10, wb::Cli::Ends::open);
    cfg.momentum = cli.real("--momentum", 0, 1, wb::Cli::Ends::open_above);
    cfg.l2 = cli.real("--l2", 0, 1, wb::Cli::Ends::open_above);
    cfg.seed = static_cast<std::uint64_t>(cli.integer("--seed", 0, unbounded));
    cfg.threads = static_cast<int>(cli.integer("--threads", 1, 64));
    const long limit = cli.integer("--limit", 0, unbounded);
    cfg.patience = static_cast<int>(cli.integer("--patience", 0, 1000));
    const long validation = cli.integer("--validation", 0, unbounded);
    cfg.shift = static_cast<int>(cli.integer("--shift", 0, 4));
    const std::string out = cli.text("--out"), dir = cli.text("--data");
    // Refused now (empty, unwritable), not after an epoch of training; a killed run's
    // leftover .tmp files are removed.
    wb::prepare_output_directory(out, "--out");

    os << "Chapter 11 — LeNet-5 on real digits (004 §五)\n\n" << architecture() << "\n\n";
    const auto t_load = std::chrono::steady_clock::now();
    const Data data = load_data(dir, limit);
    const double load_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
    // The validation split chooses the epoch; the test set is evaluated once, at the end.
    cfg.validation = validation ? static_cast<int>(std::min<long>(validation, 1 << 30))
                                : std::max(1, std::min(1000, data.train.count / 8));
    if (cfg.validation >= data.train.count)
        throw wb::CliError("--validation " + std::to_string(cfg.validation) + " leaves no training image (" +
                           std::to_string(data.train.count) + " in all)");
    const Split split = split_validation(data.train, cfg.validation, cfg.seed);
    os << "data: " << dir << ": " << data.train.count << " training images (" << split.train.count
       << " to train on, " << split.validation.count << " held out as the validation split, chosen by seed "
       << cfg.seed << ") and " << data.test.count << " test images, 28×28 (read in " << wb::fixed(load_secs, 2)
       << " s)\n";
    os << "settings: epochs " << cfg.epochs << ", batch " << cfg.batch << ", lr " << cfg.lr
       << " (cosine decay to 0), momentum " << cfg.momentum << ", L2 " << cfg.l2 << ", seed "
       << cfg.seed << ", threads " << cfg.threads
       << (cfg.shift ? ", training images shifted by up to ±" + std::to_string(cfg.shift) + " px" : std::string())
       << (cfg.patience ? ", early stop after " + std::to_string(cfg.patience) + " epochs without a better validation accuracy" : std::string())
       << "\n";

    Trainer tr(cfg, split.train, split.validation);
#ifdef WB_YOURS  // ./workbook run 11 --yours: the learner's layers, checked first
    if (!yours::plug_in(tr, os)) return 1;
#endif
    const std::string last = out + "/11_checkpoint.safetensors", best = out + "/11_best.safetensors";
    if (cli.is_set("--resume")) {
        tr.load(cli.text("--resume"));
        os << "resumed from " << cli.text("--resume") << " after epoch " << tr.state().epoch << "\n";
        // A kill between the two files of an epoch leaves the best file behind the state.
        tr.save_best(best);
        // A finished run trains no epoch, so nothing else would write the state into this
        // --out, which the closing lines name.
        if (tr.finished()) tr.save(last);
    }
    const bool tty = isatty(STDOUT_FILENO);
    const auto t_train = std::chrono::steady_clock::now();
    long images = 0;
    double train_secs = 0;
    os << "\n";
    while (!tr.finished()) {
        ProgressBar bar(tr.state().epoch + 1, cfg.epochs, tty);
        const auto t0 = std::chrono::steady_clock::now();
        long epoch_images = 0;
        double epoch_train_secs = 0;
        const Evaluation ev = tr.run_epoch([&](long done, long total, double loss, double acc) {
            bar(done, total, loss, acc);
            if (done == total) {
                epoch_images = total;
                epoch_train_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            }
        });
        images += epoch_images;
        train_secs += epoch_train_secs;
        const auto& h = tr.state().history;
        // The state file is the truth (one atomic rename); the best file is its copy of the
        // best weights, rewritten on --resume if a kill came between the two.
        tr.save(last);
        const bool improved = tr.state().best_epoch == tr.state().epoch;
        if (improved) tr.save_best(best);
        os << "epoch " << tr.state().epoch << ": train loss " << wb::fixed(h.train_loss.back(), 4)
           << ", train acc " << wb::fixed(100 * h.train_acc.back(), 2) << "%, val loss "
           << wb::fixed(ev.loss, 4) << ", val acc " << wb::fixed(100 * ev.accuracy, 2) << "%, "
           << std::lround(epoch_images / std::max(1e-9, epoch_train_secs)) << " img/s"
           << (improved ? "  (best so far: saved)" : "") << "\n";
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_train).count();
    if (tr.stopped_early())
        os << "early stop: no better validation accuracy for " << cfg.patience << " epochs\n";

    // The final report uses the best epoch's weights (the last epoch's, unless early stop hit).
    const Params<float>& w = tr.state().best_w;
    const int shown_epoch = tr.state().best_epoch;
    const Evaluation ev = tr.evaluate(w, data.test);
    wb::print_heading(os, "Confusion matrix on the " + std::to_string(data.test.count) +
                              " test images (rows: true digit, columns: predicted)");
    print_confusion(os, ev.confusion);
    os << "\ntest accuracy " << wb::fixed(100 * ev.accuracy, 2) << "% (epoch " << shown_epoch
       << " weights, chosen on the validation split: " << wb::fixed(100 * tr.state().best_acc, 2)
       << "%; the test set is used once, here)\n";
    if (images > 0)
        os << "training: " << images << " images in " << wb::fixed(train_secs, 1) << " s = "
           << std::lround(images / train_secs) << " images/s on " << cfg.threads
           << " thread(s); wall time with evaluation and checkpoints " << wb::fixed(wall, 1) << " s\n";

    const int shown_index = 0;
    draw_feature_maps(out + "/11_feature_maps.png", w, data.test, shown_index);
    draw_c1_kernels(out + "/11_c1_kernels.png", w);
    const int wrong = draw_misclassified(out + "/11_misclassified.png", data.test, ev.predictions);
    os << "\nFigures in " << out << "/: 11_feature_maps.png (test digit " << shown_index
       << " through every layer), 11_c1_kernels.png, 11_misclassified.png (" << std::min(wrong, 48)
       << " of " << wrong << " mistakes, true>predicted)";
    if (wb::gnuplot_available()) {
        plot_curves(out, tr.state().history);
        os << ", 11_loss.png, 11_accuracy.png";
    } else {
        os << " (no gnuplot: curves skipped)";
    }
    os << "\nCheckpoints: " << last << " (last epoch), " << best << " (best validation accuracy)\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return wb::main_guard("ch11", [&] {
        wb::Cli cli("ch11", "Chapter 11: LeNet-5 trained on real digits (004 §五).");
        cli.option("--data", WB_DATA_DIR, "directory of IDX files: train-/t10k-images-idx3-ubyte, "
                                          "train-/t10k-labels-idx1-ubyte, gzip'd or not")
            .option("--epochs", "15", "passes over the training images")
            .option("--batch", "32", "images per minibatch")
            .option("--lr", "0.03", "initial learning rate (cosine decay to 0 over the run)")
            .option("--momentum", "0.9", "SGD momentum")
            .option("--l2", "5e-4", "L2 weight decay λ (loss + λ/2·Σw²)")
            .option("--seed", "1", "seed of the initial weights and the shuffles")
            .option("--threads", "2", "threads for the convolution/dense products (same result for any count)")
            .option("--limit", "0", "use only the first N training images (0: all)")
            .option("--patience", "0", "stop after N epochs without a better validation accuracy (0: never)")
            .option("--validation", "0", "training images held out to choose the epoch (0: an eighth, at most 1000)")
            .option("--shift", "1", "move each training image by up to ±N pixels, anew each epoch (0: never)")
            .option("--out", "out/11_lenet", "directory for figures and checkpoints")
            .option("--resume", "", "continue from this checkpoint (same settings and data)")
            .epilog(std::string("Architecture: ") + architecture() +
                    "\nParameters: 61,706 (C1 156, C3 2,416, FC120 48,120, FC84 10,164, FC10 850)."
                    "\nInit: He normal weights, zero biases. Data are scaled to [0, 1] (byte/255).");
        cli.parse(argc, argv);
        return run(cli);
    });
}
