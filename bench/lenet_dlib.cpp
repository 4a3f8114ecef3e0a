// The second C++ peer: the same LeNet-5 in dlib (Debian's libdlib-dev), whose CPU layers
// multiply through the system's BLAS. Built by bench/run only. Its threads are the BLAS's
// (OPENBLAS_NUM_THREADS, set by bench/lenet.sh), plus dlib's own trainer thread.
// Reads uncompressed IDX files; prints one line:
//   "dlib: N images in S s = R images/s on T thread(s)"
//
//   lenet_dlib IMAGES.idx3 LABELS.idx1 --images N --batch B --threads T
#include <dlib/dnn.h>

#include "peer_idx.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

// C1 pads by 2 (28×28 out), C3 not at all (10×10 out), as chapter 11's network.
template <long N, typename SUBNET>
using conv5_pad2 = dlib::add_layer<dlib::con_<N, 5, 5, 1, 1, 2, 2>, SUBNET>;
template <long N, typename SUBNET>
using conv5 = dlib::add_layer<dlib::con_<N, 5, 5, 1, 1, 0, 0>, SUBNET>;

using namespace dlib;
using LeNet = loss_multiclass_log<fc<10, relu<fc<84, relu<fc<120, max_pool<2, 2, 2, 2, relu<conv5<16,
              max_pool<2, 2, 2, 2, relu<conv5_pad2<6, input<matrix<float>>>>>>>>>>>>>>;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3)
        peer::fail("lenet_dlib",
                   "usage: lenet_dlib IMAGES.idx3 LABELS.idx1 --images N --batch B --threads T");
    const long images = peer::option(argc, argv, "--images", 8000);
    const long batch = peer::option(argc, argv, "--batch", 32);
    const long threads = peer::option(argc, argv, "--threads", 1);

    const peer::Idx xi = peer::read_idx("lenet_dlib", argv[1]),
                    yi = peer::read_idx("lenet_dlib", argv[2]);
    const long n = std::min(images, xi.dims.at(0));
    std::vector<matrix<float>> x(static_cast<size_t>(n), matrix<float>(28, 28));
    std::vector<unsigned long> y(static_cast<size_t>(n));
    for (long i = 0; i < n; ++i) {
        for (long r = 0; r < 28; ++r)
            for (long c = 0; c < 28; ++c) x[i](r, c) = xi.bytes[static_cast<size_t>(i * 784 + r * 28 + c)] / 255.0f;
        y[i] = yi.bytes[static_cast<size_t>(i)];
    }

    LeNet net;
    dnn_trainer<LeNet> trainer(net, sgd(5e-4f, 0.9f));
    trainer.set_learning_rate(0.03);
    trainer.set_iterations_without_progress_threshold(1000000);  // a constant rate, as the other sides
    trainer.be_quiet();

    trainer.train_one_step(x.begin(), x.begin() + batch, y.begin());  // warm-up, not timed
    trainer.get_net();                                                // waits for the trainer's thread
    const auto t0 = std::chrono::steady_clock::now();
    for (long done = 0; done < n; done += batch) {
        const long end = std::min(n, done + batch);
        trainer.train_one_step(x.begin() + done, x.begin() + end, y.begin() + done);
    }
    trainer.get_net();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("dlib: %ld images in %.2f s = %.0f images/s on %ld thread(s)\n", n, secs, static_cast<double>(n) / secs,
                threads);
}
