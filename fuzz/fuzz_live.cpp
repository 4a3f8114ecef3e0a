// libFuzzer harness: the live panels' request handler (docs/live/registry.hpp) on any
// bytes, with the promises the page relies on checked on every input (issue 23):
// - an answer within a time budget: 200 ms of CPU time natively; this build runs under
//   ASan + UBSan with coverage counters, about 10–20× slower, so 20 × 200 ms here (the
//   budget tests/live/test_live.cpp applies to its sanitizer builds too);
// - one line, valid UTF-8 and valid JSON, read by an independent strict parser
//   (nlohmann::json refuses invalid UTF-8), an object with "ok";
// - a refusal is one non-empty line of error, with no control character.
// Any broken promise traps, and libFuzzer keeps the input.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "registry.hpp"

namespace {

constexpr double budget_ms = 20 * 200.0;

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    live::handle("panel=ch10\nlr=0.5\niterations=1\n");  // the picture and its Gram matrix, built once
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view request(reinterpret_cast<const char*>(data), size);
    const double t0 = cpu_ms();
    const std::string answer = live::handle(request);
    if (cpu_ms() - t0 > budget_ms) __builtin_trap();
    if (answer.find_first_of("\n\r") != std::string::npos) __builtin_trap();
    const auto j = nlohmann::json::parse(answer, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean()) __builtin_trap();
    if (!j["ok"].get<bool>()) {
        if (!j.contains("error") || !j["error"].is_string()) __builtin_trap();
        const std::string why = j["error"].get<std::string>();
        if (why.empty() || std::any_of(why.begin(), why.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            __builtin_trap();
    }
    return 0;
}
