#!/usr/bin/env bash
# The docs work copied anywhere: copy the HTML folder (as cp -r, scp or a zip would), move
# the original away so nothing can reach back into it, and render pages of the copy in
# headless Chromium. Usage: tests/docs/portable.sh build/docs/html
set -euo pipefail
html=${1:?usage: tests/docs/portable.sh HTML_DIR}
html=$(cd "$html" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "portable: $*" >&2; exit 1; }

links=$(find "$html" -type l)
[ -z "$links" ] || fail "symbolic links in the docs (a copy would lose what they point to): $links"

copy=$(mktemp -d "${TMPDIR:-/tmp}/workbook-docs-copy.XXXXXX")
away="$html.moved-away-by-portable-test"
restore() { [ -d "$away" ] && mv "$away" "$html"; rm -rf "$copy"; }
trap restore EXIT
cp -r "$html" "$copy/html"
mv "$html" "$away"

# Pages with formulas (inline, display, AMS), Chinese, figures and links to the code, in
# both editions (the Chinese one links to the English one's code pages).
/usr/bin/python3 "$here/editions_check.py" "$copy/html" index.html glossary.html errata.html \
    ch01_conv_forward.html ch10_edge_kernel_fit.html zh/index.html zh/glossary.html \
    || fail "the copy in $copy/html does not render (above)"
echo "portable: a copy of the docs renders with the original folder gone"
