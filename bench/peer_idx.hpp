// What the C++ peers (lenet_libtorch.cpp, lenet_dlib.cpp) share: reading an uncompressed IDX
// file, their few options, and one wording of an error. Bench-only, like the peers.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace peer {

[[noreturn]] inline void fail(const std::string& program, const std::string& why) {
    std::cerr << program << ": error: " << why << "\n";
    std::exit(2);
}

/// An IDX file as its dimensions and its bytes (big-endian header, one byte per value).
struct Idx {
    std::vector<int64_t> dims;
    std::vector<uint8_t> bytes;
};

inline Idx read_idx(const std::string& program, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(program, "cannot open " + path);
    unsigned char magic[4];
    if (!in.read(reinterpret_cast<char*>(magic), 4) || magic[2] != 0x08)
        fail(program, path + ": not an IDX file of bytes");
    Idx idx;
    int64_t count = 1;
    for (int d = 0; d < magic[3]; ++d) {
        unsigned char b[4];
        if (!in.read(reinterpret_cast<char*>(b), 4)) fail(program, path + ": header cut short");
        idx.dims.push_back((int64_t{b[0]} << 24) | (b[1] << 16) | (b[2] << 8) | b[3]);
        count *= idx.dims.back();
    }
    idx.bytes.resize(static_cast<size_t>(count));
    if (!in.read(reinterpret_cast<char*>(idx.bytes.data()), count))
        fail(program, path + ": data cut short");
    return idx;
}

/// The value after `--name` among the options (from argv[3] on), or `fallback`.
inline long option(int argc, char** argv, const std::string& name, long fallback) {
    for (int i = 3; i + 1 < argc; ++i)
        if (argv[i] == name) return std::atol(argv[i + 1]);
    return fallback;
}

}  // namespace peer
