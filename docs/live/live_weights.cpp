// Chapter 11's trained weights for the live LeNet panel: reads a checkpoint the chapter
// wrote (validated like any checkpoint) and writes a script that holds its 61,706 weights
// as base64 float32, in the checkpoint's order, and where they came from.
//
//   live_weights CHECKPOINT OUT.js
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "11_lenet/train.hpp"
#include "io/safetensors.hpp"

namespace {

std::string base64(const unsigned char* p, std::size_t n) {
    static const char* A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string s;
    for (std::size_t i = 0; i < n; i += 3) {
        const unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        s += A[v >> 18 & 63];
        s += A[v >> 12 & 63];
        s += i + 1 < n ? A[v >> 6 & 63] : '=';
        s += i + 2 < n ? A[v & 63] : '=';
    }
    return s;
}

std::string meta(const wb::StFile& f, const std::string& key) {
    const auto it = f.metadata.find(key);
    return it == f.metadata.end() ? "?" : it->second;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc != 3) throw std::runtime_error("usage: live_weights CHECKPOINT OUT.js");
        const ch11::Params<float> p = ch11::load_weights(argv[1]);
        const wb::StFile f = wb::read_safetensors(argv[1]);
        std::vector<float> all;
        for (const auto& v : ch11::param_views(p)) all.insert(all.end(), v.values.begin(), v.values.end());
        std::vector<unsigned char> bytes(all.size() * sizeof(float));
        std::memcpy(bytes.data(), all.data(), bytes.size());  // little-endian, like wasm
        // The accuracy the file records for its weights: on the validation split that chose
        // the epoch (older checkpoints: on the test set).
        std::string accuracy = "accuracy not recorded";
        for (const auto& [key, what] : {std::pair{"val_acc", "validation accuracy "},
                                        std::pair{"test_acc", "test accuracy "}})
            if (meta(f, key) != "?") {
                char pct[32];
                std::snprintf(pct, sizeof pct, "%.2f%%", 100 * std::stod(meta(f, key)));
                accuracy = what + std::string(pct);
                break;
            }
        const std::string source = "chapter 11, seed " + meta(f, "seed") + ", epoch " + meta(f, "epoch") +
                                   " of " + meta(f, "epochs") + ", " + accuracy;
        std::ofstream out(argv[2]);
        out << "// Written by docs/live/live_weights from " << argv[1] << "; do not edit.\n"
            << "window.WB_LENET = {source: \"" << source << "\", count: " << all.size()
            << ", weights: \"" << base64(bytes.data(), bytes.size()) << "\"};\n";
        if (!out.flush()) throw std::runtime_error(std::string("cannot write ") + argv[2]);
        std::cout << "live_weights: " << all.size() << " weights (" << source << ") -> " << argv[2] << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "live_weights: " << e.what() << '\n';
        return 2;
    }
}
