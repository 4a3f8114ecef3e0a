#!/bin/sh
# tests/fault/unknown_option.sh PROGRAM: PROGRAM given a misspelt option exits 2 at once,
# naming the option in one line on stderr and printing nothing else (no minute of timing
# started by a typo).
set -u
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
"$1" --no-such-option >"$dir/out" 2>"$dir/err"
rc=$?
fail() { echo "$1 --no-such-option: $2"; cat "$dir/out" "$dir/err"; exit 1; }
[ "$rc" -eq 2 ] || fail "$1" "exit $rc, not 2"
[ ! -s "$dir/out" ] || fail "$1" "printed to stdout"
[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "$1" "stderr is not one line"
grep -q -- "--no-such-option" "$dir/err" || fail "$1" "stderr does not name the option"
