// Checkpoint files: a round trip keeps every bit; damage of any kind is an error.
#include <doctest/doctest.h>

#include <filesystem>
#include <cstdio>
#include <cstring>
#include <map>
#include <fstream>
#include <unistd.h>

#include "io/files.hpp"
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
    CHECK(!fs::exists(wb::temporary_path(p)));  // written to a temporary file, then renamed
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

namespace {

/// A file with this header JSON (metadata given as already-escaped JSON text) and these
/// data bytes, its checksum computed as the format says over `meta_decoded`.
std::vector<char> handmade(const std::string& tensors_json, const std::string& meta_json,
                           const std::map<std::string, std::string>& meta_decoded,
                           const std::vector<char>& data) {
    std::uint64_t h = wb::fnv1a64(data.data(), data.size());
    for (const auto& [k, v] : meta_decoded) {
        h = wb::fnv1a64(k.c_str(), k.size() + 1, h);
        h = wb::fnv1a64(v.c_str(), v.size() + 1, h);
    }
    char sum[17];
    std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(h));
    const std::string header = "{" + tensors_json + "\"__metadata__\":{" + meta_json +
                               (meta_json.empty() ? "" : ",") + "\"checksum_fnv1a64\":\"" + sum + "\"}}";
    // Built as a string: GCC 12 warns (-Warray-bounds, falsely) on inserts into vector(8).
    const std::uint64_t n = header.size();
    std::string b(8, '\0');
    std::memcpy(b.data(), &n, 8);
    b += header;
    b.append(data.begin(), data.end());
    return {b.begin(), b.end()};
}

std::string parse_error(const std::vector<char>& b) {
    try {
        wb::parse_safetensors(b.data(), b.size(), "f");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the header's JSON: escapes, numbers and nesting are refused or read right, never a crash") {
    const std::vector<char> four(4, 0);
    const std::string t = "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},";
    // A good \u escape is decoded (checksummed over the decoded text).
    CHECK(parse_error(handmade(t, "\"k\":\"\\u0041\\u00e9\"", {{"k", "A\xc3\xa9"}}, four)).empty());
    CHECK(wb::parse_safetensors(handmade(t, "\"k\":\"\\u0041\"", {{"k", "A"}}, four).data(),
                                handmade(t, "\"k\":\"\\u0041\"", {{"k", "A"}}, four).size(), "f")
              .metadata.at("k") == "A");
    // \u without four hex digits was std::invalid_argument ("error: stoul"); "\u12zz" was U+0012.
    CHECK(parse_error(handmade(t, "\"k\":\"\\u12\"", {{"k", "x"}}, four)).find("bad header JSON at byte") == 0 + 16);
    CHECK(parse_error(handmade(t, "\"k\":\"\\u12zz\"", {{"k", "\x12zz"}}, four)).find("bad header JSON") !=
          std::string::npos);
    // A data offset of 1e30 was cast to an integer before any range check (undefined).
    const std::string huge = "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,1e30]},";
    CHECK(parse_error(handmade(huge, "", {}, four)).find("is not a whole number") != std::string::npos);
    const std::string neg = "\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]},";
    CHECK(parse_error(handmade(neg, "", {}, four)).find("a dimension of tensor 't' is not a whole number") !=
          std::string::npos);
    const std::string frac = "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.5,4]},";
    CHECK(parse_error(handmade(frac, "", {}, four)).find("is not a whole number") != std::string::npos);
    CHECK(parse_error(handmade(t, "\"k\":\"\\ud800\"", {{"k", "x"}}, four)).find("bad header JSON") !=
          std::string::npos);  // a lone surrogate
    // 500,000 nested arrays in the 1 MiB header: refused without exhausting the stack.
    const std::string deep = "\"d\":" + std::string(500000, '[') + std::string(500000, ']') + ",";
    CHECK(!parse_error(handmade(deep, "", {}, {})).empty());
}

TEST_CASE("a checkpoint over the size limit is refused before it is read") {
    const fs::path dir = fs::temp_directory_path() / ("wb_test_st_big_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    { std::ofstream(dir / "big.safetensors").put('x'); }
    fs::resize_file(dir / "big.safetensors", wb::max_safetensors_bytes + 1);  // sparse
    CHECK(error_of((dir / "big.safetensors").string()).find("larger than 256 MiB") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("a failed checkpoint write throws, keeps the previous file and leaves no .tmp") {
    const fs::path dir = fs::temp_directory_path() / ("wb_test_st_fail_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string p = (dir / "c.safetensors").string();
    wb::StFile f;
    f.tensors = {{"w", {2}, {1, 2}}};
    wb::write_safetensors(p, f);
    const auto good = slurp(p);
    f.tensors[0].data = {3, 4};
    for (int step = 1; step <= 8; ++step) {  // open, 3 writes, flush, fsync, close, rename
        CAPTURE(step);
        wb::set_fault("fail:" + std::to_string(step));
        std::string msg;
        try {
            wb::write_safetensors(p, f);
        } catch (const std::runtime_error& e) {
            msg = e.what();
        }
        wb::set_fault("");
        CHECK(msg.find("No space left on device (the previous file is kept)") != std::string::npos);
        CHECK(slurp(p) == good);
        CHECK(!fs::exists(wb::temporary_path(p)));
    }
    fs::remove_all(dir);
}
