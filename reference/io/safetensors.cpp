#include "safetensors.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; this code copies floats as they are");

namespace wb {

namespace {

constexpr std::uint64_t max_header = 1u << 20;      // 1 MiB of JSON is plenty
constexpr std::uint64_t max_file = 1ull << 32;      // 4 GiB
const char* const checksum_key = "checksum_fnv1a64";

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("checkpoint '" + path + "': " + why);
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::uint64_t checksum(const std::vector<char>& data,
                       const std::map<std::string, std::string>& meta) {
    std::uint64_t h = fnv1a64(data.data(), data.size());
    for (const auto& [k, v] : meta) {
        if (k == checksum_key) continue;
        h = fnv1a64(k.c_str(), k.size() + 1, h);  // including the NUL
        h = fnv1a64(v.c_str(), v.size() + 1, h);
    }
    return h;
}

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// ---- a small JSON reader: exactly what a safetensors header needs ----------------------
struct Json {
    enum Kind { Null, Str, Num, Arr, Obj } kind = Null;
    std::string str;
    double num = 0;
    std::vector<Json> arr;
    std::vector<std::pair<std::string, Json>> obj;
};

class Parser {
public:
    Parser(const std::string& text, const std::string& path) : s_(text), path_(path) {}
    Json document() {
        Json j = value(0);
        ws();
        if (i_ != s_.size()) err("unexpected text after the JSON header");
        return j;
    }

private:
    [[noreturn]] void err(const std::string& why) {
        fail(path_, "bad header JSON at byte " + std::to_string(i_) + ": " + why);
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
    }
    char peek() {
        ws();
        if (i_ >= s_.size()) err("unexpected end");
        return s_[i_];
    }
    void expect(char c) {
        if (peek() != c) err(std::string("expected '") + c + "'");
        ++i_;
    }
    Json value(int depth) {
        if (depth > 8) err("nested too deeply");
        Json j;
        const char c = peek();
        if (c == '{') {
            j.kind = Json::Obj;
            ++i_;
            if (peek() == '}') { ++i_; return j; }
            for (;;) {
                if (peek() != '"') err("expected a key");
                std::string k = string();
                expect(':');
                j.obj.emplace_back(std::move(k), value(depth + 1));
                if (peek() == ',') { ++i_; continue; }
                expect('}');
                return j;
            }
        }
        if (c == '[') {
            j.kind = Json::Arr;
            ++i_;
            if (peek() == ']') { ++i_; return j; }
            for (;;) {
                j.arr.push_back(value(depth + 1));
                if (peek() == ',') { ++i_; continue; }
                expect(']');
                return j;
            }
        }
        if (c == '"') {
            j.kind = Json::Str;
            j.str = string();
            return j;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            const std::size_t start = i_;
            while (i_ < s_.size() && std::strchr("-+.eE0123456789", s_[i_])) ++i_;
            j.kind = Json::Num;
            try {
                std::size_t used = 0;
                j.num = std::stod(s_.substr(start, i_ - start), &used);
                if (used != i_ - start) err("bad number");
            } catch (const std::logic_error&) {
                err("bad number");
            }
            return j;
        }
        err("unexpected character");
    }
    std::string string() {
        expect('"');
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c == '\\') {
                if (i_ >= s_.size()) err("unfinished escape");
                const char e = s_[i_++];
                if (e == 'u') {
                    if (i_ + 4 > s_.size()) err("unfinished \\u escape");
                    const unsigned v = std::stoul(s_.substr(i_, 4), nullptr, 16);
                    i_ += 4;
                    if (v > 0x7f) err("non-ASCII \\u escape");
                    c = static_cast<char>(v);
                } else {
                    c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
                }
            }
            out += c;
        }
        if (i_ >= s_.size()) err("unterminated string");
        ++i_;
        return out;
    }
    const std::string& s_;
    std::string path_;
    std::size_t i_ = 0;
};

}  // namespace

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
    std::ostringstream header;
    header << "{";
    std::size_t offset = 0;
    for (const auto& t : file.tensors) {
        std::int64_t count = 1;
        for (auto d : t.shape) count *= d;
        if (count != static_cast<std::int64_t>(t.data.size()))
            throw std::invalid_argument("write_safetensors: tensor '" + t.name + "' has " +
                                        std::to_string(t.data.size()) + " values for its shape");
        header << json_string(t.name) << ":{\"dtype\":\"F32\",\"shape\":[";
        for (std::size_t d = 0; d < t.shape.size(); ++d) header << (d ? "," : "") << t.shape[d];
        const std::size_t bytes = t.data.size() * sizeof(float);
        header << "],\"data_offsets\":[" << offset << "," << offset + bytes << "]},";
        data.resize(offset + bytes);
        if (bytes) std::memcpy(data.data() + offset, t.data.data(), bytes);
        offset += bytes;
    }
    auto meta = file.metadata;
    meta[checksum_key] = hex64(checksum(data, meta));
    header << "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : meta) {
        header << (first ? "" : ",") << json_string(k) << ":" << json_string(v);
        first = false;
    }
    header << "}}";
    std::string h = header.str();
    while (h.size() % 8) h += ' ';  // keeps the data 8-byte aligned, as the format suggests
    const std::uint64_t n = h.size();

    std::filesystem::path target(path);
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write checkpoint '" + tmp + "'");
        out.write(reinterpret_cast<const char*>(&n), 8);
        out.write(h.data(), static_cast<std::streamsize>(h.size()));
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        out.flush();
        if (!out) throw std::runtime_error("writing checkpoint '" + tmp + "' failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw std::runtime_error("cannot rename '" + tmp + "' to '" + path + "': " + ec.message());
}

StFile read_safetensors(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not found or not a file");
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) fail(path, "cannot read its size");
    if (size < 8) fail(path, "too short to be a safetensors file (" + std::to_string(size) + " bytes)");
    if (size > max_file) fail(path, "larger than 4 GiB");
    std::ifstream in(path, std::ios::binary);
    std::uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    if (!in) fail(path, "cannot read the header length");
    if (n < 2 || n > max_header || n > size - 8)
        fail(path, "header length " + std::to_string(n) + " does not fit a file of " +
                       std::to_string(size) + " bytes (truncated or not a checkpoint)");
    std::string text(n, '\0');
    in.read(text.data(), static_cast<std::streamsize>(n));
    if (!in) fail(path, "cannot read the header");
    const Json doc = Parser(text, path).document();
    if (doc.kind != Json::Obj) fail(path, "header is not a JSON object");

    StFile file;
    const std::uint64_t data_size = size - 8 - n;
    struct Range { std::uint64_t b, e; std::string name; };
    std::vector<Range> ranges;
    for (const auto& [key, val] : doc.obj) {
        if (key == "__metadata__") {
            if (val.kind != Json::Obj) fail(path, "__metadata__ is not an object");
            for (const auto& [mk, mv] : val.obj) {
                if (mv.kind != Json::Str) fail(path, "metadata '" + mk + "' is not a string");
                file.metadata[mk] = mv.str;
            }
            continue;
        }
        if (val.kind != Json::Obj) fail(path, "entry '" + key + "' is not an object");
        const Json *dtype = nullptr, *shape = nullptr, *offs = nullptr;
        for (const auto& [f, fv] : val.obj) {
            if (f == "dtype") dtype = &fv;
            else if (f == "shape") shape = &fv;
            else if (f == "data_offsets") offs = &fv;
        }
        if (!dtype || !shape || !offs) fail(path, "tensor '" + key + "' lacks dtype, shape or data_offsets");
        if (dtype->kind != Json::Str || dtype->str != "F32")
            fail(path, "tensor '" + key + "' is not F32");
        if (shape->kind != Json::Arr || shape->arr.size() > 8) fail(path, "tensor '" + key + "' has a bad shape");
        StTensor t;
        t.name = key;
        std::uint64_t count = 1;
        for (const auto& d : shape->arr) {
            if (d.kind != Json::Num || d.num < 0 || d.num > 1e9 || d.num != static_cast<double>(static_cast<std::int64_t>(d.num)))
                fail(path, "tensor '" + key + "' has a bad dimension");
            t.shape.push_back(static_cast<std::int64_t>(d.num));
            count *= static_cast<std::uint64_t>(d.num);
            if (count > data_size) fail(path, "tensor '" + key + "' is larger than the file");
        }
        if (offs->kind != Json::Arr || offs->arr.size() != 2 || offs->arr[0].kind != Json::Num ||
            offs->arr[1].kind != Json::Num || offs->arr[0].num < 0 || offs->arr[1].num < offs->arr[0].num)
            fail(path, "tensor '" + key + "' has bad data_offsets");
        const auto b = static_cast<std::uint64_t>(offs->arr[0].num), e = static_cast<std::uint64_t>(offs->arr[1].num);
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
                       std::to_string(at));
    std::vector<char> data(data_size);
    in.read(data.data(), static_cast<std::streamsize>(data_size));
    if (!in) fail(path, "cannot read the data (truncated?)");
    const auto it = file.metadata.find(checksum_key);
    if (it == file.metadata.end()) fail(path, "no checksum_fnv1a64 in the metadata");
    const std::string actual = hex64(checksum(data, file.metadata));
    if (it->second != actual)
        fail(path, "checksum mismatch (stored " + it->second + ", computed " + actual +
                       "): the file is corrupt");
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        auto& t = file.tensors[i];
        t.data.resize((ranges[i].e - ranges[i].b) / 4);
        if (!t.data.empty()) std::memcpy(t.data.data(), data.data() + ranges[i].b, ranges[i].e - ranges[i].b);
    }
    return file;
}

}  // namespace wb
