#include "11_lenet/data.hpp"

#include <algorithm>
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

/// The images idx (in that order) of d.
Dataset subset(const Dataset& d, const std::vector<int>& idx) {
    Dataset s;
    s.count = static_cast<int>(idx.size());
    s.pixels.resize(idx.size() * 784);
    for (std::size_t n = 0; n < idx.size(); ++n) {
        std::copy_n(d.pixels.data() + static_cast<std::size_t>(idx[n]) * 784, 784,
                    s.pixels.data() + n * 784);
        s.labels.push_back(d.labels[static_cast<std::size_t>(idx[n])]);
    }
    return s;
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

Split split_validation(const Dataset& train, int count, std::uint64_t seed) {
    if (count < 1 || count >= train.count)
        throw std::invalid_argument("the validation split must hold 1 to " +
                                    std::to_string(train.count - 1) + " of the " +
                                    std::to_string(train.count) + " training images, got " +
                                    std::to_string(count));
    std::vector<int> order(static_cast<std::size_t>(train.count));
    for (int i = 0; i < train.count; ++i) order[static_cast<std::size_t>(i)] = i;
    wb::Rng rng(seed ^ 0x5EED0F5A11DA7Aull);  // its own stream, apart from the epoch shuffles
    for (int i = train.count - 1; i > 0; --i)
        std::swap(order[static_cast<std::size_t>(i)],
                  order[static_cast<std::size_t>(rng.below(i + 1))]);
    std::vector<bool> held_out(static_cast<std::size_t>(train.count), false);
    for (int i = 0; i < count; ++i) held_out[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = true;
    std::vector<int> keep, hold;
    for (int i = 0; i < train.count; ++i) (held_out[static_cast<std::size_t>(i)] ? hold : keep).push_back(i);
    return {subset(train, keep), subset(train, hold)};
}

Tensor<float> gather_images(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                            std::size_t to) {
    Tensor<float> x(Shape{static_cast<int>(to - from), 1, 28, 28});
    for (std::size_t n = from; n < to; ++n)
        std::copy_n(d.pixels.data() + static_cast<std::size_t>(idx[n]) * 784, 784,
                    x.data() + (n - from) * 784);
    return x;
}

void gather_labels(const Dataset& d, const std::vector<int>& idx, std::size_t from, std::size_t to,
                   std::vector<int>& y) {
    y.clear();
    for (std::size_t n = from; n < to; ++n) y.push_back(d.labels[static_cast<std::size_t>(idx[n])]);
}

std::vector<int> gather_labels(const Dataset& d, const std::vector<int>& idx, std::size_t from,
                               std::size_t to) {
    std::vector<int> y;
    gather_labels(d, idx, from, to, y);
    return y;
}

std::uint64_t fingerprint(const Dataset& d) {
    std::uint64_t h = wb::fnv1a64(d.pixels.data(), d.pixels.size() * sizeof(float));
    return wb::fnv1a64(d.labels.data(), d.labels.size() * sizeof(int), h);
}

}  // namespace ch11
