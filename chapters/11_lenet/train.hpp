/// \file train.hpp
/// \brief Training LeNet-5: the epoch loop, evaluation, and the state a checkpoint keeps.
/// The data are in data.hpp; the checkpoint file format in checkpoint.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "11_lenet/checkpoint.hpp"
#include "11_lenet/data.hpp"
#include "11_lenet/fast_lenet.hpp"
#include "11_lenet/lenet.hpp"
#include "11_lenet/train_step.hpp"

namespace ch11 {

/// What the run is asked to do; everything that decides the result is in the checkpoint.
struct Config {
    int epochs = 15;
    int batch = 32;
    double lr = 0.03;       ///< initial learning rate of the cosine schedule
    double momentum = 0.9;
    double l2 = 5e-4;
    std::uint64_t seed = 1;
    int threads = 2;        ///< does not change the result, only the speed
    int patience = 0;       ///< stop after this many epochs without a better validation accuracy (0: never)
    int validation = 1000;  ///< training images held out as the validation split (main.cpp carves it)
    int shift = 1;          ///< move each training image by up to ±shift pixels, anew each epoch (0: never)
};

/// Per-epoch record.
struct History {
    std::vector<double> train_loss, train_acc, val_loss, val_acc, seconds;  ///< val: the validation split
};

/// The whole training state: restoring it continues a run bit for bit.
struct State {
    Params<float> w;         ///< the weights
    Params<float> v;         ///< momentum buffers, one per weight
    int epoch = 0;           ///< epochs completed
    long step = 0;           ///< minibatch steps completed (drives the schedule)
    History history;
    double best_acc = -1;    ///< best validation accuracy so far, and at which epoch
    int best_epoch = 0;      ///< 0: no epoch yet
    Params<float> best_w;    ///< the weights after epoch best_epoch
};

/// Loss and accuracy over a data set, plus the 10×10 confusion matrix
/// (row: true class, column: predicted) and every prediction.
struct Evaluation {
    double loss = 0, accuracy = 0;
    std::vector<std::vector<int>> confusion;
    std::vector<int> predictions;
};
Evaluation evaluate(const Params<float>& w, const Dataset& d, Engine e, int batch = 500);
/// The same on the fast path, reusing `net`'s buffers and threads.
Evaluation evaluate(const Params<float>& w, const Dataset& d, FastNet<float>& net, int batch = 500);

/// Another implementation of the network behind the trainer (`ch11 --yours` trains with the
/// learner's own layers): each member is optional, and an empty one is the fast path's.
/// Everything else (order, shifts, schedule, checkpoints, evaluation's tally) stays the
/// trainer's.
struct Layers {
    /// Fills prob (10×N) and grad, the gradient of the mean cross-entropy over the
    /// minibatch (no L2 term): the fast path's set_input, forward and backward.
    std::function<void(const Params<float>& w, const Minibatch& mb, Tensor<float>& prob, Params<float>& grad)> gradient;
    /// Adds the L2 term to g, then one SGD-with-momentum step on w and v: sgd_update.
    std::function<void(Params<float>& w, Params<float>& v, Params<float>& g, const Sgd& s)> update;
    /// Fills prob (10×N) for the images x (N×1×28×28): the forward pass of evaluate().
    std::function<void(const Params<float>& w, const Tensor<float>& x, Tensor<float>& prob)> probabilities;
};

/// Progress within an epoch: images done, of total, running mean loss and accuracy.
using Progress = std::function<void(long done, long total, double loss, double acc)>;

class Trainer {
public:
    /// The trainer keeps references to the data sets: they must outlive it.
    /// `validation` chooses the epoch; the test set is never given to the trainer.
    Trainer(Config cfg, const Dataset& train, const Dataset& validation);
    Trainer(Config, Dataset&&, const Dataset&) = delete;  // a temporary would dangle
    Trainer(Config, const Dataset&, Dataset&&) = delete;
    Trainer(Config, Dataset&&, Dataset&&) = delete;

    /// The order of the training images in epoch `e`: a Fisher–Yates shuffle by an Rng
    /// seeded from (seed, e), so it needs no state beyond the epoch number.
    std::vector<int> epoch_order(int e) const;
    /// The translation of each training image in epoch `e` (indexed like the images), each
    /// of dy, dx uniform in [−shift, shift], by an Rng seeded from (seed, e); none if shift = 0.
    std::vector<Shift> epoch_shifts(int e) const;

    /// Trains one epoch, then evaluates on the validation split and appends to the
    /// history. Returns the validation evaluation.
    Evaluation run_epoch(const Progress& progress = {});

    /// Trains and evaluates with `layers` from now on (see Layers).
    void set_layers(Layers layers) { layers_ = std::move(layers); }
    /// Loss, accuracy and confusion of weights `w` on `d`, computed as this trainer computes
    /// (the fast path, or Layers::probabilities when set).
    Evaluation evaluate(const Params<float>& w, const Dataset& d) const;

    /// True once `epochs` are done, or (patience > 0) the validation accuracy has not improved
    /// for `patience` epochs.
    bool finished() const;
    bool stopped_early() const;

    /// Checkpoints (reference/io/safetensors.hpp, written atomically): the whole State in
    /// one file, weights under their layer names (c1.weight, …), momentum buffers under
    /// momentum.*, the best weights so far under best.*, the rest as metadata.
    void save(const std::string& path) const;
    /// The best epoch's weights alone (for load_weights), stamped like a checkpoint;
    /// nothing before the first epoch.
    void save_best(const std::string& path) const;
    /// Restores a checkpoint. The architecture, format version, data fingerprint and every
    /// setting that decides the result must match this trainer's, or it throws; so must
    /// the state itself: history lists of `epoch` entries, step = epoch × steps per epoch,
    /// the best epoch the first best of the history, and its weights scoring exactly that
    /// on the validation split.
    void load(const std::string& path);

    const Config& config() const { return cfg_; }
    /// The state, to read or to change: the fast path's parts copy the weights again
    /// before their next step.
    State& state() {
        net_->weights_changed();
        return st_;
    }
    const State& state() const { return st_; }
    long steps_per_epoch() const;

private:
    void check_best(const State& s, const std::string& path) const;
    /// One step on `mb`: train_step(), or the Layers' parts where they are set. Returns the
    /// step's probabilities.
    const Tensor<float>& step(const Minibatch& mb, const Sgd& s);
    Config cfg_;
    const Dataset& train_;
    const Dataset& val_;
    std::uint64_t data_fp_;
    State st_;
    std::unique_ptr<FastNet<float>> net_;  ///< buffers and threads, made once
    Layers layers_;
};

}  // namespace ch11
