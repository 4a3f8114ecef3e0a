// Writing files without losing anything (io/files.hpp) and reading pictures (io/image.hpp):
// atomic replacement, write errors reported with the previous file kept and no .tmp left
// behind, empty or unwritable output directories refused, and pictures refused by their
// signature and size before any decoding.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "check.hpp"
#include "io/files.hpp"
#include "io/image.hpp"

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

namespace {

fs::path temp_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("wb_test_io_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

Bytes slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

void spit(const fs::path& p, const Bytes& b) {
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()),
                                             static_cast<std::streamsize>(b.size()));
}

using wbtest::error_of;

void be32(Bytes& b, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
}

void chunk(Bytes& png, const char* type, const Bytes& data) {
    be32(png, static_cast<std::uint32_t>(data.size()));
    Bytes td(type, type + 4);
    td.insert(td.end(), data.begin(), data.end());
    png.insert(png.end(), td.begin(), td.end());
    be32(png, static_cast<std::uint32_t>(crc32(0, td.data(), static_cast<uInt>(td.size()))));
}

/// A grey 8-bit PNG whose header claims w×h; its pixel data are only as large as given.
Bytes grey_png(std::uint32_t w, std::uint32_t h, const Bytes& raw_rows) {
    Bytes png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    Bytes ihdr;
    be32(ihdr, w);
    be32(ihdr, h);
    ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});
    chunk(png, "IHDR", ihdr);
    Bytes z(compressBound(static_cast<uLong>(raw_rows.size())));
    uLongf n = z.size();
    compress(z.data(), &n, raw_rows.data(), static_cast<uLong>(raw_rows.size()));
    z.resize(n);
    chunk(png, "IDAT", z);
    chunk(png, "IEND", {});
    return png;
}

bool has_tmp(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".tmp") return true;
    return false;
}

}  // namespace

TEST_CASE("an empty output directory is refused, not taken as /") {
    CHECK(error_of([] { wb::ensure_directory("", "--out"); }).find("--out is empty") == 0);
    CHECK(error_of([] { wb::prepare_output_directory("", "--out"); }).find("--out is empty") == 0);
}

TEST_CASE("an output directory that cannot be written is refused before any work") {
    const fs::path d = temp_dir("unwritable");
    spit(d / "file", {1});
    // Under a regular file nothing can be created, even by root.
    const std::string msg = error_of([&] { wb::prepare_output_directory((d / "file" / "out").string()); });
    CHECK(msg.find("cannot create --out") == 0);
    CHECK(error_of([&] { wb::prepare_output_directory((d / "file").string()); }).find("is not a directory") !=
          std::string::npos);
    fs::remove_all(d);
}

/// The number of a process that has ended (a child, waited for).
long ended_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

TEST_CASE("prepare_output_directory removes only the temporary files of runs that ended") {
    const fs::path d = temp_dir("stale");
    const std::string killed = "11_checkpoint.safetensors.wb" + std::to_string(ended_pid()) + ".tmp";
    const std::string alive = "11_checkpoint.safetensors.wb" + std::to_string(::getppid()) + ".tmp";
    spit(d / killed, {1, 2, 3});
    spit(d / alive, {4});           // another run, still writing into the same folder
    spit(d / "thesis.tmp", {5});    // the user's own: never the workbook's to remove
    spit(d / "a.wb.tmp", {6});
    spit(d / "keep.png", {7});
    wb::prepare_output_directory(d.string());
    CHECK(!fs::exists(d / killed));
    CHECK(slurp(d / alive) == Bytes{4});
    CHECK(slurp(d / "thesis.tmp") == Bytes{5});
    CHECK(slurp(d / "a.wb.tmp") == Bytes{6});
    CHECK(slurp(d / "keep.png") == Bytes{7});
    fs::remove_all(d);
}

TEST_CASE("temporary names carry the process number, so two runs never share one") {
    CHECK(wb::temporary_path("d/f.png") == "d/f.png.wb" + std::to_string(::getpid()) + ".tmp");
    CHECK(!wb::is_stale_temporary(wb::temporary_path("f.png")));  // this process's own
    CHECK(wb::is_stale_temporary("f.png.wb" + std::to_string(ended_pid()) + ".tmp"));
    for (const char* name : {"thesis.tmp", ".tmp", "f.wb.tmp", "f.wbx1.tmp", "f.wb12a.tmp", "f.wb1.tmp.bak",
                             "f.wb99999999999.tmp"})
        CHECK_MESSAGE(!wb::is_stale_temporary(name), name);
}

TEST_CASE("AtomicFile: a failed write at any step keeps the old file and leaves no .tmp") {
    const fs::path d = temp_dir("atomic");
    const std::string p = (d / "f.bin").string();
    wb::write_file_atomically(p, "test file", {1, 2, 3});
    CHECK(slurp(p) == Bytes{1, 2, 3});
    // Steps of one atomic write: open, write, flush, fsync, close, rename.
    for (int step = 1; step <= 6; ++step) {
        CAPTURE(step);
        wb::set_fault("fail:" + std::to_string(step));
        const std::string msg = error_of([&] { wb::write_file_atomically(p, "test file", {9, 9}); });
        wb::set_fault("");
        CHECK(msg.find("cannot write test file '" + p + "': No space left on device (the previous file is kept)") == 0);
        CHECK(slurp(p) == Bytes{1, 2, 3});
        CHECK(!has_tmp(d));
    }
    wb::set_fault("fail:7");  // past the last step: the write succeeds
    wb::write_file_atomically(p, "test file", {9, 9});
    wb::set_fault("");
    CHECK(slurp(p) == Bytes{9, 9});
    CHECK_THROWS_WITH(wb::set_fault("kill"), doctest::Contains("kill:N or fail:N"));
    fs::remove_all(d);
}

TEST_CASE("a real full disk (/dev/full): the PNG writer reports it and keeps the old picture") {
    if (!fs::exists("/dev/full")) return;
    const fs::path d = temp_dir("full");
    const std::string p = (d / "a.png").string();
    wb::Canvas c(4, 3, 10);
    wb::write_png(p, c);
    const Bytes good = slurp(p);
    // The temporary file is a link to /dev/full, where every write fails with ENOSPC.
    fs::create_symlink("/dev/full", wb::temporary_path(p));
    c.set(0, 0, 255, 0, 0);
    const std::string msg = error_of([&] { wb::write_png(p, c); });
    CHECK(msg.find("No space left on device") != std::string::npos);
    CHECK(slurp(p) == good);
    CHECK(!fs::exists(fs::symlink_status(wb::temporary_path(p))));
    fs::remove_all(d);
}

TEST_CASE("a PNG round trip: grey levels read back exactly (luma of R, G, B)") {
    const fs::path d = temp_dir("png");
    wb::Canvas c(3, 2, 0);
    c.set(0, 0, 255, 255, 255);
    c.set(1, 0, 255, 0, 0);
    c.set(2, 1, 0, 0, 255);
    wb::write_png((d / "c.png").string(), c);
    const auto g = wb::read_image_gray((d / "c.png").string());
    REQUIRE(g.h() == 2);
    REQUIRE(g.w() == 3);
    CHECK(g(0, 0) == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(g(0, 1) == doctest::Approx(0.299).epsilon(1e-12));
    CHECK(g(1, 2) == doctest::Approx(0.114).epsilon(1e-12));
    CHECK(g(1, 0) == 0.0);
    fs::remove_all(d);
}

TEST_CASE("pictures: anything but PNG refused by its signature, sizes by the header, before decoding") {
    const fs::path d = temp_dir("refuse");
    const auto refusal = [&](const std::string& name, const Bytes& b) {
        spit(d / name, b);
        return error_of([&] { wb::read_image_gray((d / name).string()); });
    };
    // A JPEG start (Debian 12's stb_image JPEG decoder has an out-of-bounds write).
    CHECK(refusal("x.jpg", {0xff, 0xd8, 0xff, 0xc4, 0x00, 0x05, 0x00, 0x00, 0x00}).find("it is a JPEG; only PNG is read") !=
          std::string::npos);
    CHECK(refusal("x.gif", {'G', 'I', 'F', '8', '9', 'a'}).find("it is a GIF") != std::string::npos);
    CHECK(refusal("x.txt", {'h', 'i'}).find("not a PNG") != std::string::npos);
    // 20000×20000 declared in 60-odd bytes: refused from the header, nothing allocated.
    CHECK(refusal("huge.png", grey_png(20000, 20000, {0, 0})).find("20000×20000 pixels; the largest accepted is 1024×1024") !=
          std::string::npos);
    CHECK(refusal("wide.png", grey_png(1025, 1, Bytes(1026, 0))).find("the largest accepted") != std::string::npos);
    Bytes ok_rows;
    for (int r = 0; r < 2; ++r) ok_rows.insert(ok_rows.end(), {0, 7, 7, 7});
    CHECK(refusal("ok.png", grey_png(3, 2, ok_rows)).empty());
    Bytes cut = grey_png(3, 2, ok_rows);
    cut.resize(cut.size() - 20);
    CHECK(refusal("cut.png", cut).find("a PNG chunk runs past the end of the file") != std::string::npos);
    Bytes no_data = grey_png(3, 2, ok_rows);  // the IDAT chunk's data zeroed: not deflate
    std::fill(no_data.begin() + 41, no_data.end() - 16, 0);
    CHECK(refusal("nodata.png", no_data).find("corrupt PNG (") != std::string::npos);
    CHECK(refusal("short.png", Bytes(cut.begin(), cut.begin() + 20)).find("truncated or corrupt PNG header") !=
          std::string::npos);
    // Larger than 16 MiB: refused by the file's size (a sparse file costs no disk).
    { std::ofstream(d / "big.png").put('x'); }
    fs::resize_file(d / "big.png", wb::max_image_file_bytes + 1);
    CHECK(error_of([&] { wb::read_image_gray((d / "big.png").string()); }).find("larger than 16 MiB") !=
          std::string::npos);
    fs::remove_all(d);
}
