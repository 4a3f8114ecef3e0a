// libFuzzer harness: the checkpoint reader on any bytes. First the safetensors layer
// (io/safetensors.hpp: header length, JSON, offsets, checksum), in memory; what passes it
// is written to a file and given to chapter 11's Trainer::load, which checks identity,
// settings, data fingerprint and the state's consistency against tiny data sets.
//
// The checksum stops most mutations at the first layer, so an input whose only fault is
// its checksum is also tried re-signed (written with the right one): that lets the fuzzer
// reach the metadata and state checks of Trainer::load.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "11_lenet/train.hpp"
#include "io/safetensors.hpp"

namespace {

const ch11::Dataset& tiny(int offset) {
    static ch11::Dataset d[2];
    ch11::Dataset& s = d[offset];
    if (s.count == 0) {
        s.count = 4;
        s.pixels.resize(4 * 784);
        for (std::size_t i = 0; i < s.pixels.size(); ++i) s.pixels[i] = static_cast<float>((i * 7 + offset) % 256) / 255.0f;
        s.labels = {1, 2, 3, 4};
    }
    return s;
}

ch11::Config config() {
    ch11::Config c;
    c.epochs = 2;
    c.batch = 2;
    c.threads = 1;
    c.validation = 4;  // the second tiny data set stands for the validation split
    return c;
}

void try_load(const wb::StFile& f) {
    static const std::string path = "/dev/shm/wb_fuzz_ckpt_" + std::to_string(::getpid());
    try {
        wb::write_safetensors(path, f);  // re-signed with the right checksum
        static ch11::Trainer t(config(), tiny(0), tiny(1));  // a failed load leaves it as it was
        t.load(path);
        const ch11::State& s = t.state();
        if (s.history.val_acc.size() != static_cast<std::size_t>(s.epoch)) __builtin_trap();
    } catch (const std::runtime_error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // WB_FUZZ_SEEDS=DIR writes the valid seed files of the committed corpus.
    if (const char* dir = std::getenv("WB_FUZZ_SEEDS")) {
        ch11::Trainer t(config(), tiny(0), tiny(1));
        t.run_epoch();
        t.save(std::string(dir) + "/state_epoch1.safetensors");  // 0.7 MB: LeNet-5 three times
        wb::StFile f;
        f.metadata = {{"note", "quote \" backslash \\ tab \t \xc3\xa9"}};
        f.tensors = {{"a", {2, 1}, {1, -2}}, {"b", {0}, {}}};
        wb::write_safetensors(std::string(dir) + "/small.safetensors", f);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const char* bytes = reinterpret_cast<const char*>(data);
    try {
        try_load(wb::parse_safetensors(bytes, size, "fuzz"));
        return 0;
    } catch (const std::runtime_error& e) {
        if (std::strstr(e.what(), "checksum") == nullptr) return 0;
    }
    try {  // only the checksum was wrong (or missing): load it re-signed
        try_load(wb::parse_safetensors(bytes, size, "fuzz", false));
    } catch (const std::runtime_error&) {
    }
    return 0;
}
