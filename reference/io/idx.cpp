#include "idx.hpp"

#include <zlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace wb {

namespace {

constexpr std::uint64_t max_payload = 1ull << 30;  // 1 GiB: far above any IDX data set
constexpr std::uint32_t max_dim = 1u << 24;

[[noreturn]] void fail(const std::string& path, const std::string& why) {
    throw std::runtime_error("IDX file '" + path + "': " + why);
}

std::string hex_byte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", b);
    return buf;
}

/// An open IDX file, gzip'd or plain; reads are exact or an error.
class Source {
public:
    explicit Source(const std::string& path) : path_(path) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not found or not a file");
        file_size_ = std::filesystem::file_size(path, ec);
        if (ec) fail(path, "cannot read its size: " + ec.message());
        std::ifstream in(path, std::ios::binary);
        if (!in) fail(path, "cannot open");
        std::array<unsigned char, 2> magic{};
        in.read(reinterpret_cast<char*>(magic.data()), 2);
        gzip_ = in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (gzip_) {
            // The gzip trailer's last 4 bytes: the uncompressed length mod 2³² (RFC 1952).
            if (file_size_ < 18) fail(path, "gzip file is truncated (" + std::to_string(file_size_) + " bytes)");
            std::array<unsigned char, 4> t{};
            in.seekg(-4, std::ios::end);
            in.read(reinterpret_cast<char*>(t.data()), 4);
            if (in.gcount() != 4) fail(path, "cannot read the gzip trailer");
            isize_ = t[0] | (t[1] << 8) | (t[2] << 16) | (static_cast<std::uint32_t>(t[3]) << 24);
        }
        gz_ = gzopen(path.c_str(), "rb");
        if (!gz_) fail(path, "cannot open");
    }
    ~Source() {
        if (gz_) gzclose(gz_);
    }
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;

    /// Reads exactly `n` bytes or throws, saying what was being read.
    void read(void* dst, std::uint64_t n, const std::string& what) {
        auto* p = static_cast<unsigned char*>(dst);
        while (n > 0) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::uint64_t>(n, 1u << 30));
            const int got = gzread(gz_, p, chunk);
            if (got < 0) {
                int code = 0;
                fail(path_, "corrupt data while reading " + what + ": " + gzerror(gz_, &code));
            }
            if (got == 0) fail(path_, "truncated: the file ends inside " + what);
            p += got;
            n -= static_cast<unsigned>(got);
        }
    }
    std::uint32_t be32(const std::string& what) {
        unsigned char b[4];
        read(b, 4, what);
        return (static_cast<std::uint32_t>(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    }
    /// The file must hold exactly `total` bytes of IDX (checked before the data is read).
    void require_length(std::uint64_t total) {
        if (gzip_) {
            if ((total & 0xffffffffu) != isize_)
                fail(path_, "the header describes " + std::to_string(total) +
                                " bytes but the gzip trailer records " + std::to_string(isize_) +
                                " (truncated, corrupt or mismatched file)");
        } else if (file_size_ != total) {
            fail(path_, "the header describes " + std::to_string(total) + " bytes but the file has " +
                            std::to_string(file_size_) +
                            (file_size_ < total ? " (truncated)" : " (trailing bytes)"));
        }
    }
    /// Nothing may follow the data; reading on also makes zlib check the gzip CRC.
    void require_end() {
        unsigned char extra;
        const int got = gzread(gz_, &extra, 1);
        if (got < 0) {
            int code = 0;
            fail(path_, std::string("corrupt gzip stream: ") + gzerror(gz_, &code));
        }
        if (got > 0) fail(path_, "trailing bytes after the data");
    }

private:
    std::string path_;
    std::uintmax_t file_size_ = 0;
    bool gzip_ = false;
    std::uint32_t isize_ = 0;
    gzFile gz_ = nullptr;
};

/// Reads and checks the magic and the sizes; returns them.
std::vector<std::uint32_t> read_header(Source& src, const std::string& path, int ndim,
                                       const char* kind) {
    unsigned char m[4];
    src.read(m, 4, "the magic number");
    if (m[0] != 0 || m[1] != 0)
        fail(path, "not an IDX file (it starts " + hex_byte(m[0]) + " " + hex_byte(m[1]) +
                       ", an IDX file 0x00 0x00)");
    if (m[2] != 0x08)
        fail(path, "data type " + hex_byte(m[2]) + " is not unsigned byte (0x08)");
    if (m[3] != ndim)
        fail(path, std::string("has ") + std::to_string(m[3]) + " dimensions; " + kind +
                       " need " + std::to_string(ndim));
    std::vector<std::uint32_t> dims;
    std::uint64_t payload = 1;
    for (int d = 0; d < ndim; ++d) {
        const std::uint32_t v = src.be32("the header");
        if (v == 0 || v > max_dim)
            fail(path, "dimension " + std::to_string(d) + " is " + std::to_string(v) +
                           " (allowed 1.." + std::to_string(max_dim) + ")");
        dims.push_back(v);
        payload *= v;
        if (payload > max_payload)
            fail(path, "the header describes more than " + std::to_string(max_payload) + " bytes");
    }
    src.require_length(4 + 4ull * ndim + payload);
    return dims;
}

}  // namespace

IdxImages read_idx_images(const std::string& path) {
    Source src(path);
    const auto dims = read_header(src, path, 3, "images");
    IdxImages im;
    im.count = static_cast<int>(dims[0]);
    im.rows = static_cast<int>(dims[1]);
    im.cols = static_cast<int>(dims[2]);
    im.pixels.resize(static_cast<std::size_t>(dims[0]) * dims[1] * dims[2]);
    src.read(im.pixels.data(), im.pixels.size(), "the pixels");
    src.require_end();
    return im;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path, int classes) {
    Source src(path);
    const auto dims = read_header(src, path, 1, "labels");
    std::vector<std::uint8_t> labels(dims[0]);
    src.read(labels.data(), labels.size(), "the labels");
    src.require_end();
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= classes)
            fail(path, "label " + std::to_string(labels[i]) + " of item " + std::to_string(i) +
                           " is not below " + std::to_string(classes));
    return labels;
}

std::string find_idx_file(const std::string& dir, const std::string& prefix,
                          const std::string& kind) {
    const std::string idx = kind == "images" ? "idx3-ubyte" : "idx1-ubyte";
    std::string tried;
    for (const std::string sep : {"-", "."})
        for (const std::string ext : {"", ".gz"}) {
            const std::string name = prefix + "-" + kind + sep + idx + ext;
            const auto p = std::filesystem::path(dir) / name;
            std::error_code ec;
            if (std::filesystem::is_regular_file(p, ec)) return p.string();
            tried += (tried.empty() ? "" : ", ") + name;
        }
    throw std::runtime_error("no " + prefix + " " + kind + " in '" + dir + "' (tried " + tried + ")");
}

IdxDataset load_idx_dataset(const std::string& dir, const std::string& prefix, int classes) {
    const std::string ip = find_idx_file(dir, prefix, "images");
    const std::string lp = find_idx_file(dir, prefix, "labels");
    IdxDataset d{read_idx_images(ip), read_idx_labels(lp, classes)};
    if (d.labels.size() != static_cast<std::size_t>(d.images.count))
        throw std::runtime_error("IDX files '" + ip + "' and '" + lp + "' do not match: " +
                                 std::to_string(d.images.count) + " images but " +
                                 std::to_string(d.labels.size()) + " labels");
    return d;
}

}  // namespace wb
