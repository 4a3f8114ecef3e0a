// Checkpoint files: a round trip keeps every bit; damage of any kind is an error.
#include <doctest/doctest.h>

#include <filesystem>
#include <cstring>
#include <fstream>
#include <unistd.h>

#include "io/safetensors.hpp"

namespace fs = std::filesystem;

namespace {
std::vector<char> slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), {});
}
void spit(const std::string& p, const std::vector<char>& b) {
    std::ofstream(p, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));
}
std::string error_of(const std::string& p) {
    try {
        wb::read_safetensors(p);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("FNV-1a 64 of known strings") {
    CHECK(wb::fnv1a64("", 0) == 0xcbf29ce484222325ull);
    CHECK(wb::fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
    CHECK(wb::fnv1a64("foobar", 6) == 0x85944171f73967e8ull);
}

TEST_CASE("write, read back, and every kind of damage detected") {
    const fs::path dir = fs::temp_directory_path() / ("wb_test_st_" + std::to_string(::getpid()));
    const std::string p = (dir / "x.safetensors").string();
    wb::StFile f;
    f.metadata = {{"epoch", "3"}, {"note", "quote \" and backslash \\"}};
    f.tensors = {{"a.weight", {2, 3}, {1, -2, 3.5f, 1e-30f, -0.f, 7}}, {"a.bias", {2}, {0.25f, -8}}};
    wb::write_safetensors(p, f);
    CHECK(!fs::exists(p + ".tmp"));  // written to a temporary file, then renamed
    const wb::StFile r = wb::read_safetensors(p);
    CHECK(r.metadata.at("epoch") == "3");
    CHECK(r.metadata.at("note") == f.metadata.at("note"));
    CHECK(r.tensor("a.weight").shape == std::vector<std::int64_t>{2, 3});
    CHECK(r.tensor("a.weight").data == f.tensors[0].data);
    CHECK(r.tensor("a.bias").data == f.tensors[1].data);

    const std::vector<char> good = slurp(p);
    std::uint64_t n = 0;
    std::memcpy(&n, good.data(), 8);
    CHECK(n % 8 == 0);
    const std::string q = (dir / "bad.safetensors").string();

    auto b = good;
    b[b.size() - 3] ^= 1;  // a bit of a weight
    spit(q, b);
    CHECK(error_of(q).find("checksum mismatch") != std::string::npos);

    b = good;
    const std::string header(good.begin() + 8, good.begin() + 8 + static_cast<long>(n));
    b[8 + header.find("\"3\"") + 1] = '4';  // the metadata says epoch 4
    spit(q, b);
    CHECK(error_of(q).find("checksum mismatch") != std::string::npos);

    spit(q, std::vector<char>(good.begin(), good.end() - 5));  // truncated
    CHECK(error_of(q).find("truncated") != std::string::npos);

    b = good;
    b[7] = 0x40;  // absurd header length
    spit(q, b);
    CHECK(error_of(q).find("header length") != std::string::npos);

    b = good;
    b[8] = '[';  // not an object
    spit(q, b);
    CHECK(!error_of(q).empty());

    b = good;
    b[8 + header.find("F32") + 2] = '6';  // F36: unknown dtype
    spit(q, b);
    CHECK(error_of(q).find("not F32") != std::string::npos);

    spit(q, {});
    CHECK(error_of(q).find("too short") != std::string::npos);
    CHECK(error_of((dir / "absent").string()).find("not found") != std::string::npos);
    fs::remove_all(dir);
}
