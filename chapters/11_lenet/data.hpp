/// \file data.hpp
/// \brief The digits for LeNet-5: reading the IDX files, slicing minibatches, a fingerprint.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "11_lenet/lenet.hpp"

namespace ch11 {

/// Images as floats in [0, 1] (byte / 255), N×1×28×28 in storage order, with labels 0..9.
struct Dataset {
    int count = 0;
    std::vector<float> pixels;
    std::vector<int> labels;
};

/// Reads DIR/{train,t10k}-{images,labels}-idx?-ubyte[.gz]; the images must be 28×28.
/// `limit` > 0 keeps only the first `limit` training images.
struct Data {
    Dataset train, test;
};
Data load_data(const std::string& dir, long limit = 0);

/// The first `count` items of `d` (or all of them).
Dataset head(const Dataset& d, int count);

/// A validation split (验证集) carved from the training set: `count` images chosen by a
/// shuffle seeded from `seed`, so the same seed always holds out the same images. The
/// rest, in their original order, stay for training. The test set is not involved.
struct Split {
    Dataset train, validation;
};
Split split_validation(const Dataset& train, int count, std::uint64_t seed);

/// Images idx[from..to) of `d` as an N×1×28×28 tensor, and their labels.
Tensor<float> gather_images(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                            std::size_t to);
std::vector<int> gather_labels(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                               std::size_t to);
/// The same into `y`, whose storage is reused from call to call (the training loop).
void gather_labels(const Dataset& d, const std::vector<int>& idx, std::size_t from, std::size_t to,
                   std::vector<int>& y);

/// A fingerprint of the training data (FNV-1a of pixels and labels), kept in checkpoints
/// so --resume refuses a different data set.
std::uint64_t fingerprint(const Dataset& d);

}  // namespace ch11
