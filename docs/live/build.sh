#!/usr/bin/env bash
# Builds the live panels: panels.hpp and the reference headers compiled to WebAssembly by
# Debian's emscripten, embedded (base64) in one script, so a page opened from disk needs
# no server and no network.
#
#   docs/live/build.sh OUT_DIR        writes OUT_DIR/wb_live.js
#
# The panels are header-only on the reference library, except for reference/io/print.cpp:
# chapter 10's validate() words its refusals with wb::shortest.
#
# Why emscripten and not clang's wasm32-wasi target, and why WebAssembly's own exceptions
# (-fwasm-exceptions) rather than emscripten's JavaScript ones: docs/live_panels.md (measured).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:?usage: docs/live/build.sh OUT_DIR}
mkdir -p "$OUT"
# Debian's node-acorn lives in /usr/share/nodejs; a node not from Debian does not look there.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
em++ -std=c++20 -O2 -fwasm-exceptions -Wall -Wextra \
    -include "$ROOT/docs/live/charconv_shim.hpp" \
    -I "$ROOT/reference" -I "$ROOT/chapters" -I "$ROOT/docs/live" \
    "$ROOT/docs/live/wasm_main.cpp" "$ROOT/reference/io/print.cpp" -o "$OUT/wb_live.js" \
    -sSINGLE_FILE=1 -sMODULARIZE=1 -sEXPORT_NAME=createWbLive -sENVIRONMENT=web,node \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=256MB \
    -sEXPORTED_FUNCTIONS=_wb_live,_wb_live_set_weights,_malloc,_free \
    -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8
