// The IDX reader on real files written to a temporary directory: good ones (plain and
// gzip'd), and truncated, corrupt and mismatched ones, each a one-line error naming the file.
#include <doctest/doctest.h>
#include <zlib.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "check.hpp"
#include "io/idx.hpp"

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

namespace {

fs::path temp_dir() {
    const fs::path d = fs::temp_directory_path() /
                       ("wb_test_idx_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

void be32(Bytes& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
}

Bytes images(std::uint32_t count, std::uint32_t rows = 28, std::uint32_t cols = 28) {
    Bytes b{0, 0, 8, 3};
    be32(b, count);
    be32(b, rows);
    be32(b, cols);
    for (std::uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(static_cast<unsigned char>(i * 7));
    return b;
}

Bytes labels(std::uint32_t count) {
    Bytes b{0, 0, 8, 1};
    be32(b, count);
    for (std::uint32_t i = 0; i < count; ++i) b.push_back(static_cast<unsigned char>(i % 10));
    return b;
}

std::string write(const fs::path& p, const Bytes& b) {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()),
                                             static_cast<std::streamsize>(b.size()));
    return p.string();
}

std::string write_gz(const fs::path& p, const Bytes& b) {
    gzFile f = gzopen(p.string().c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
    gzclose(f);
    return p.string();
}

Bytes read_all(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

using wbtest::error_of;

}  // namespace

TEST_CASE("good files, plain and gzip'd, read back exactly") {
    const fs::path d = temp_dir();
    const Bytes im = images(3), lb = labels(3);
    for (bool gz : {false, true}) {
        const auto ip = gz ? write_gz(d / "i.gz", im) : write(d / "i", im);
        const auto lp = gz ? write_gz(d / "l.gz", lb) : write(d / "l", lb);
        const wb::IdxImages r = wb::read_idx_images(ip);
        CHECK(r.count == 3);
        CHECK(r.rows == 28);
        CHECK(r.cols == 28);
        CHECK(r.pixels == std::vector<std::uint8_t>(im.begin() + 16, im.end()));
        CHECK(wb::read_idx_labels(lp) == std::vector<std::uint8_t>{0, 1, 2});
    }
    fs::remove_all(d);
}

TEST_CASE("the embedded digits: 8,000 + 2,000 images of 28×28 with labels 0-9") {
    const auto train = wb::load_idx_dataset(WB_DATA_DIR, "train");
    const auto test = wb::load_idx_dataset(WB_DATA_DIR, "t10k");
    CHECK(train.images.count == 8000);
    CHECK(test.images.count == 2000);
    CHECK(train.images.rows == 28);
    CHECK(test.labels.size() == 2000);
    std::vector<int> per_class(10);
    for (auto l : test.labels) per_class[l]++;
    CHECK(per_class == std::vector<int>{210, 236, 176, 206, 212, 176, 211, 199, 174, 200});
}

TEST_CASE("truncated, corrupt and mismatched files are one-line errors naming the file") {
    const fs::path d = temp_dir();
    const Bytes im = images(4);
    const auto expect = [](const std::string& msg, const std::string& file, const std::string& why) {
        CAPTURE(msg);
        CHECK(msg.find(file) != std::string::npos);
        CHECK(msg.find(why) != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);
    };
    {   // plain file cut short
        const auto p = write(d / "short", Bytes(im.begin(), im.end() - 100));
        expect(error_of([&] { wb::read_idx_images(p); }), p, "truncated");
    }
    {   // plain file with bytes after the data
        Bytes b = im;
        b.push_back(1);
        const auto p = write(d / "long", b);
        expect(error_of([&] { wb::read_idx_images(p); }), p, "trailing");
    }
    {   // gzip cut short: the trailer no longer records the length the header needs
        const auto full = write_gz(d / "full.gz", im);
        const Bytes z = read_all(full);
        const auto p = write(d / "cut.gz", Bytes(z.begin(), z.begin() + static_cast<long>(z.size() / 2)));
        expect(error_of([&] { wb::read_idx_images(p); }), p, "gzip trailer");
    }
    {   // a flipped byte inside the compressed stream
        const auto full = write_gz(d / "full2.gz", im);
        Bytes z = read_all(full);
        z[z.size() / 2] ^= 0x55;
        const auto p = write(d / "flip.gz", z);
        expect(error_of([&] { wb::read_idx_images(p); }), p, "corrupt");
    }
    {   // a header that promises far more than the file holds (checked before allocating)
        Bytes b = images(2);
        b[4] = 0x7f;  // count becomes 2³⁰-ish
        const auto p = write(d / "huge", b);
        const std::string msg = error_of([&] { wb::read_idx_images(p); });
        CHECK(msg.find(p) != std::string::npos);
        CHECK(!msg.empty());
    }
    {   // wrong magic, wrong type, wrong dimension count, a zero dimension
        Bytes b = im;
        b[0] = 0x1e;
        expect(error_of([&] { wb::read_idx_images(write(d / "magic", b)); }), (d / "magic").string(), "not an IDX file");
        b = im;
        b[2] = 0x0d;  // float
        expect(error_of([&] { wb::read_idx_images(write(d / "type", b)); }), (d / "type").string(), "unsigned byte");
        // the type byte in hexadecimal, as its "0x" says (it was printed as 0x13)
        expect(error_of([&] { wb::read_idx_images(write(d / "type", b)); }), "data type 0x0d", "unsigned byte");
        expect(error_of([&] { wb::read_idx_images(write(d / "dims", labels(5))); }), (d / "dims").string(), "dimensions");
        b = im;
        b[11] = 0;  // rows = 0
        expect(error_of([&] { wb::read_idx_images(write(d / "zero", b)); }), (d / "zero").string(), "dimension 1 is 0");
    }
    {   // a label out of range
        Bytes b = labels(3);
        b.back() = 12;
        expect(error_of([&] { wb::read_idx_labels(write(d / "lab", b)); }), (d / "lab").string(), "label 12");
    }
    {   // images and labels that disagree in count
        const fs::path m = d / "mismatch";
        fs::create_directories(m);
        write_gz(m / "train-images-idx3-ubyte.gz", images(5));
        write(m / "train-labels-idx1-ubyte", labels(4));
        expect(error_of([&] { wb::load_idx_dataset(m.string(), "train"); }), "train-labels", "do not match");
        expect(error_of([&] { wb::load_idx_dataset(m.string(), "t10k"); }), m.string(), "no t10k images");
    }
    {   // a missing file and an empty one
        expect(error_of([&] { wb::read_idx_images((d / "absent").string()); }), "absent", "not found");
        const auto p = write(d / "empty", {});
        expect(error_of([&] { wb::read_idx_images(p); }), p, "truncated");
    }
    fs::remove_all(d);
}
