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

std::uint64_t fingerprint(const Dataset& d) {
    std::uint64_t h = wb::fnv1a64(d.pixels.data(), d.pixels.size() * sizeof(float));
    return wb::fnv1a64(d.labels.data(), d.labels.size() * sizeof(int), h);
}

}  // namespace ch11
