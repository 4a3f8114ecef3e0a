#!/usr/bin/env bash
# tests/README.md's table names every folder of tests/, and no folder that is gone.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readme=$root/tests/README.md
status=0
for d in "$root"/tests/*/; do
    name=$(basename "$d")
    grep -qF "| \`$name/\` |" "$readme" || { echo "tests/README.md does not name tests/$name/"; status=1; }
done
while read -r name; do
    [ "$name" = ../fuzz ] && continue
    [ -d "$root/tests/$name" ] || { echo "tests/README.md names tests/$name/, which does not exist"; status=1; }
done < <(grep -oE '^\| `[^`]+/` \|' "$readme" | sed -E 's/^\| `(.*)\/` \|$/\1/')
[ "$status" = 0 ] && echo "tests/README.md names every folder of tests/"
exit "$status"
