#include "safetensors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "files.hpp"

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; this code copies floats as they are");

namespace wb {

namespace {

// The header's JSON is read and written by nlohmann::json (Debian's nlohmann-json3-dev),
// a widely used and fuzzed parser: escapes, numbers and nesting are its job; this file
// only checks what the safetensors format requires of the values. ordered_json keeps the
// tensors in file order.
using Json = nlohmann::ordered_json;

const char* const checksum_key = "checksum_fnv1a64";
constexpr std::uint64_t max_dimension = 1u << 30;

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("checkpoint '" + path + "': " + why);
}

std::uint64_t checksum(const char* data, std::size_t n,
                       const std::map<std::string, std::string>& meta) {
    std::uint64_t h = fnv1a64(data, n);
    for (const auto& [k, v] : meta) {
        if (k == checksum_key) continue;
        h = fnv1a64(k.c_str(), k.size() + 1, h);  // including the NUL
        h = fnv1a64(v.c_str(), v.size() + 1, h);
    }
    return h;
}


/// A non-negative whole JSON number at most `max`, or a one-line refusal.
std::uint64_t whole(const Json& j, std::uint64_t max, const std::string& path, const std::string& what) {
    if (!j.is_number_unsigned() || j.get<std::uint64_t>() > max)
        fail(path, what + " is not a whole number from 0 to " + std::to_string(max));
    return j.get<std::uint64_t>();
}

}  // namespace

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t h) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

const StTensor& StFile::tensor(const std::string& name) const {
    for (const auto& t : tensors)
        if (t.name == name) return t;
    throw std::runtime_error("checkpoint has no tensor '" + name + "'");
}

void write_safetensors(const std::string& path, const StFile& file) {
    std::vector<char> data;
    Json header = Json::object();
    std::size_t offset = 0;
    for (const auto& t : file.tensors) {
        std::int64_t count = 1;
        for (auto d : t.shape) count *= d;
        if (count != static_cast<std::int64_t>(t.data.size()))
            throw std::invalid_argument("checkpoint '" + path + "': tensor '" + t.name + "' has " +
                                        std::to_string(t.data.size()) + " values for its shape");
        const std::size_t bytes = t.data.size() * sizeof(float);
        header[t.name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        data.resize(offset + bytes);
        if (bytes) std::memcpy(data.data() + offset, t.data.data(), bytes);
        offset += bytes;
    }
    auto meta = file.metadata;
    meta[checksum_key] = hex64(checksum(data.data(), data.size(), meta));
    header["__metadata__"] = meta;
    std::string h = header.dump();
    while (h.size() % 8) h += ' ';  // keeps the data 8-byte aligned, as the format suggests
    const std::uint64_t n = h.size();

    AtomicFile out(path, "checkpoint");
    out.write(&n, 8);
    out.write(h.data(), h.size());
    out.write(data.data(), data.size());
    out.commit();
}

StFile parse_safetensors(const char* bytes, std::size_t size, const std::string& path,
                         bool verify_checksum) {
    if (size < 8) fail(path, "too short to be a safetensors file (" + std::to_string(size) + " bytes)");
    if (size > max_safetensors_bytes)
        fail(path, "larger than " + std::to_string(max_safetensors_bytes >> 20) + " MiB");
    std::uint64_t n = 0;
    std::memcpy(&n, bytes, 8);
    if (n < 2 || n > max_safetensors_header || n > size - 8)
        fail(path, "header length " + std::to_string(n) + " does not fit a file of " +
                       std::to_string(size) + " bytes (truncated or not a checkpoint)");
    Json doc;
    try {
        // A safetensors header nests 4 deep; refusing more as it is read keeps a header of
        // 500,000 '[' from building a value whose destruction would exhaust the stack.
        const auto shallow = [&](int depth, nlohmann::json::parse_event_t, Json&) {
            if (depth > 8) fail(path, "header JSON nested deeper than 8");
            return true;
        };
        doc = Json::parse(bytes + 8, bytes + 8 + n, shallow);
    } catch (const Json::parse_error& e) {
        fail(path, "bad header JSON at byte " + std::to_string(e.byte));
    } catch (const Json::exception&) {  // e.g. a number too large for a double
        fail(path, "bad header JSON (a value out of range)");
    }
    if (!doc.is_object()) fail(path, "header is not a JSON object");

    StFile file;
    const char* data = bytes + 8 + n;
    const std::uint64_t data_size = size - 8 - n;
    struct Range { std::uint64_t b, e; std::string name; };
    std::vector<Range> ranges;
    for (const auto& [key, val] : doc.items()) {
        if (key == "__metadata__") {
            if (!val.is_object()) fail(path, "__metadata__ is not an object");
            for (const auto& [mk, mv] : val.items()) {
                if (!mv.is_string()) fail(path, "metadata '" + mk + "' is not a string");
                file.metadata[mk] = mv.get<std::string>();
            }
            continue;
        }
        if (!val.is_object()) fail(path, "entry '" + key + "' is not an object");
        if (!val.contains("dtype") || !val.contains("shape") || !val.contains("data_offsets"))
            fail(path, "tensor '" + key + "' lacks dtype, shape or data_offsets");
        if (val.at("dtype") != "F32") fail(path, "tensor '" + key + "' is not F32");
        const Json& shape = val.at("shape");
        if (!shape.is_array() || shape.size() > 8) fail(path, "tensor '" + key + "' has a bad shape");
        StTensor t;
        t.name = key;
        std::uint64_t count = 1;
        for (const auto& d : shape) {
            const std::uint64_t v = whole(d, max_dimension, path, "a dimension of tensor '" + key + "'");
            t.shape.push_back(static_cast<std::int64_t>(v));
            count *= v;
            if (count > data_size) fail(path, "tensor '" + key + "' is larger than the file");
        }
        const Json& offs = val.at("data_offsets");
        if (!offs.is_array() || offs.size() != 2) fail(path, "tensor '" + key + "' has bad data_offsets");
        const std::string what = "a data offset of tensor '" + key + "'";
        const std::uint64_t b = whole(offs[0], max_safetensors_bytes, path, what),
                            e = whole(offs[1], max_safetensors_bytes, path, what);
        if (e < b) fail(path, "tensor '" + key + "' has bad data_offsets");
        if (e > data_size) fail(path, "tensor '" + key + "' ends past the end of the file (truncated?)");
        if (e - b != count * 4)
            fail(path, "tensor '" + key + "' has " + std::to_string(e - b) + " bytes for " +
                           std::to_string(count) + " floats");
        ranges.push_back({b, e, key});
        file.tensors.push_back(std::move(t));
    }
    // Ranges must tile the data part exactly, in order (as the format requires).
    std::vector<Range> sorted = ranges;
    std::sort(sorted.begin(), sorted.end(), [](const Range& x, const Range& y) { return x.b < y.b; });
    std::uint64_t at = 0;
    for (const auto& r : sorted) {
        if (r.b != at) fail(path, "tensor '" + r.name + "' overlaps another or leaves a gap");
        at = r.e;
    }
    if (at != data_size)
        fail(path, "the file has " + std::to_string(data_size) + " data bytes, the header describes " +
                       std::to_string(at) + " (truncated?)");
    const auto it = file.metadata.find(checksum_key);
    if (verify_checksum && it == file.metadata.end()) fail(path, "no checksum_fnv1a64 in the metadata");
    const std::string actual = hex64(checksum(data, data_size, file.metadata));
    if (verify_checksum && it->second != actual)
        fail(path, "checksum mismatch (stored " + it->second + ", computed " + actual +
                       "): the file is corrupt");
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        auto& t = file.tensors[i];
        t.data.resize((ranges[i].e - ranges[i].b) / 4);
        if (!t.data.empty()) std::memcpy(t.data.data(), data + ranges[i].b, ranges[i].e - ranges[i].b);
    }
    return file;
}

StFile read_safetensors(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not found or not a file");
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) fail(path, "cannot read its size: " + ec.message());
    if (size > max_safetensors_bytes)
        fail(path, "larger than " + std::to_string(max_safetensors_bytes >> 20) + " MiB");
    std::vector<char> bytes(size);
    std::ifstream in(path, std::ios::binary);
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (!in) fail(path, "cannot read it");
    return parse_safetensors(bytes.data(), bytes.size(), path);
}

}  // namespace wb
