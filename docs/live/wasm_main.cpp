// The WebAssembly entry points of the live panels (built by build.sh with em++). The page
// passes a request as UTF-8 text and reads the JSON answer; see panels.hpp.
#include <emscripten/emscripten.h>

#include "registry.hpp"

namespace {
std::string answer;  // kept until the next call, so the page can read it
}

extern "C" {

/// Answers one request; the pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* wb_live(const char* request) {
    answer = live::handle(request);
    return answer.c_str();
}

/// Hands LeNet's weights over (count floats at `values`); returns "" or the reason refused.
EMSCRIPTEN_KEEPALIVE const char* wb_live_set_weights(const float* values, int count) {
    try {
        live::set_lenet_weights(std::span<const float>(values, static_cast<std::size_t>(count)));
        answer.clear();
    } catch (const std::exception& e) {
        answer = e.what();
    }
    return answer.c_str();
}
}
