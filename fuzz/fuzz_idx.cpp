// libFuzzer harness: the IDX reader (io/idx.hpp) on any bytes, plain or gzip'd. It reads
// from a path (zlib's gzopen), so each input is written to a file first. Any outcome but a
// clean std::runtime_error or a good result is a finding: a crash, a sanitizer report, a
// hang (libFuzzer's -timeout) or an allocation over -rss_limit_mb.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = "/dev/shm/wb_fuzz_idx_" + std::to_string(::getpid());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        const wb::IdxImages im = wb::read_idx_images(path);
        if (im.pixels.size() != static_cast<std::size_t>(im.count) * im.rows * im.cols) __builtin_trap();
    } catch (const std::runtime_error&) {
    }
    try {
        const auto labels = wb::read_idx_labels(path, 10);
        for (auto l : labels)
            if (l >= 10) __builtin_trap();  // the reader promised labels below 10
    } catch (const std::runtime_error&) {
    }
    return 0;
}
