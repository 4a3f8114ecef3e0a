// The C++ peer: the same LeNet-5 as bench/lenet_torch.py, in libtorch (Debian's libtorch-dev),
// so PyTorch is also measured without Python's per-call overhead. Built by bench/run only
// (the tests never need libtorch). Reads uncompressed IDX files; prints one line:
//   "libtorch: N images in S s = R images/s on T thread(s)"
//
//   lenet_libtorch IMAGES.idx3 LABELS.idx1 --images N --batch B --threads T
#include <torch/torch.h>

#include "peer_idx.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 3)
        peer::fail(
            "lenet_libtorch",
            "usage: lenet_libtorch IMAGES.idx3 LABELS.idx1 --images N --batch B --threads T");
    const long images = peer::option(argc, argv, "--images", 8000);
    const long batch = peer::option(argc, argv, "--batch", 32);
    const int threads = static_cast<int>(peer::option(argc, argv, "--threads", 1));
    torch::set_num_threads(threads);
    torch::manual_seed(1);

    const peer::Idx xi = peer::read_idx("lenet_libtorch", argv[1]),
                    yi = peer::read_idx("lenet_libtorch", argv[2]);
    const int64_t n_all = xi.dims.at(0);
    const torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(xi.bytes.data()), {n_all, 1, 28, 28}, torch::kUInt8)
                                .to(torch::kFloat32)
                                .div(255);
    const torch::Tensor y = torch::from_blob(const_cast<uint8_t*>(yi.bytes.data()), {n_all}, torch::kUInt8)
                                .to(torch::kInt64);

    namespace nn = torch::nn;
    nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 6, 5).padding(2)), nn::ReLU(), nn::MaxPool2d(2),
                       nn::Conv2d(nn::Conv2dOptions(6, 16, 5)), nn::ReLU(), nn::MaxPool2d(2), nn::Flatten(),
                       nn::Linear(400, 120), nn::ReLU(), nn::Linear(120, 84), nn::ReLU(), nn::Linear(84, 10));
    torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.03).momentum(0.9).weight_decay(5e-4));

    auto step = [&](int64_t begin, int64_t end) {
        opt.zero_grad();
        const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x.slice(0, begin, end)),
                                                                         y.slice(0, begin, end));
        loss.backward();
        opt.step();
    };

    const int64_t n = std::min<int64_t>(images, n_all);
    step(0, batch);  // warm-up, not timed (as the Python peer and ours)
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t done = 0; done < n; done += batch) step(done, std::min<int64_t>(n, done + batch));
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("libtorch: %lld images in %.2f s = %.0f images/s on %d thread(s)\n", static_cast<long long>(n), secs,
                static_cast<double>(n) / secs, threads);
}
