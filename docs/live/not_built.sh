#!/usr/bin/env bash
# Where the live panels cannot be built (no emscripten): OUT_DIR/wb_live.js becomes a
# one-line script saying so, which the pages show in place of each panel. The pages and
# their links stay whole.
#
#   docs/live/not_built.sh OUT_DIR
set -euo pipefail
out=${1:?usage: docs/live/not_built.sh OUT_DIR}
mkdir -p "$out"
echo 'window.WB_LIVE_MISSING = "Debian'"'"'s emscripten was not available when these docs were built (./workbook docs builds them where it is)";' \
    >"$out/wb_live.js"
echo "window.WB_LENET = null;  // not built" >"$out/lenet_weights.js"
