// Every committed fuzzer input (fuzz/corpus/: valid files and every crasher found so far)
// through the readers in this ordinary build too, so that `./workbook test` and
// `./workbook dev sanitize` keep them fixed: each gives a result or a one-line
// std::runtime_error, never anything else.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/idx.hpp"
#include "io/image.hpp"
#include "io/safetensors.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> inputs(const std::string& name) {
    std::vector<fs::path> v;
    for (const auto& e : fs::directory_iterator(fs::path(WB_FUZZ_CORPUS) / name)) v.push_back(e.path());
    return v;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// "ok", or the error's message, which must be one line.
template <class F>
std::string outcome(F&& f) {
    try {
        f();
        return "ok";
    } catch (const std::runtime_error& e) {
        const std::string m = e.what();
        CHECK(m.find('\n') == std::string::npos);
        return m;
    }
}

}  // namespace

TEST_CASE("fuzz corpus: every IDX input is read or refused in one line") {
    int ok = 0;
    for (const auto& p : inputs("idx")) {
        CAPTURE(p);
        ok += outcome([&] { wb::read_idx_images(p.string()); }) == "ok";
        ok += outcome([&] { wb::read_idx_labels(p.string()); }) == "ok";
    }
    CHECK(ok >= 4);  // the valid seeds, plain and gzip'd
}

TEST_CASE("fuzz corpus: every picture is decoded or refused in one line") {
    int ok = 0;
    for (const auto& p : inputs("image")) {
        CAPTURE(p);
        ok += outcome([&] { wb::read_image_gray(p.string()); }) == "ok";
    }
    CHECK(ok >= 7);  // the valid PNG seeds: grey, RGB, RGBA, palette, 16-bit, interlaced, 1-bit
}

TEST_CASE("fuzz corpus: every checkpoint is read or refused in one line") {
    int ok = 0;
    for (const auto& p : inputs("checkpoint")) {
        CAPTURE(p);
        const std::string b = slurp(p);
        ok += outcome([&] { wb::parse_safetensors(b.data(), b.size(), p.string()); }) == "ok";
    }
    CHECK(ok >= 2);  // a LeNet-5 state, a small file
}
