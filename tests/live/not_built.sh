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
# the pages that hold a panel, whichever they are
mapfile -t pages < <(cd "$copy/html" && grep -l 'class="wb-live" data-panel=' ./*.html | sed 's|^\./||')
[ "${#pages[@]}" -gt 0 ] || { echo "not_built.sh: no page holds a live panel" >&2; exit 1; }
/usr/bin/python3 "$here/../docs/browser_check.py" "$copy/html" "${pages[@]}"
