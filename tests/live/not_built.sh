#!/usr/bin/env bash
# The docs without the live panels (what a machine without emscripten builds): a copy of the
# HTML folder with docs/live/not_built.sh's script in place of the WebAssembly, opened in
# headless Chromium. Each panel must say it was not built, and every page must pass the
# docs' own browser check (no broken link, no script error).
#
#   tests/live/not_built.sh build/docs/html
set -euo pipefail
html=$(cd "${1:?usage: tests/live/not_built.sh HTML_DIR}" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
copy=$(mktemp -d "${TMPDIR:-/tmp}/workbook-live-off.XXXXXX")
trap 'rm -rf "$copy"' EXIT
cp -r "$html" "$copy/html"
"$here/../../docs/live/not_built.sh" "$copy/html/live"
/usr/bin/python3 "$here/browser_live.py" --not-built "$copy/html"
/usr/bin/python3 "$here/../docs/browser_check.py" "$copy/html" \
    ch01_conv_forward.html ch02_delta_2x2.html ch03_stride.html ch06_pooling.html \
    ch10_edge_kernel_fit.html ch11_lenet.html
