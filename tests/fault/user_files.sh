#!/usr/bin/env bash
# Nothing of the user's is deleted: every chapter program runs into an --out folder that
# holds the user's own thesis.tmp and the temporary file of another run still writing
# there (a name of the workbook's form, PATH.wbPID.tmp, with a live PID: this script's).
# Both must come out byte for byte. The chapters are read from chapters/NN_*, so a new
# chapter is covered the day it is added.
#   tests/fault/user_files.sh SOURCE_DIR BUILD_DIR DATA_DIR
set -euo pipefail
src=$1 build=$2 data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "user_files: $*" >&2; exit 1; }

others=11_checkpoint.safetensors.wb$$.tmp
count=0
for dir in "$src"/chapters/[0-9][0-9]_*/; do
    id=$(basename "$dir") id=${id:0:2}
    exe=$build/ch$id
    [ -x "$exe" ] || fail "ch$id is not built ($exe)"
    out=$work/ch$id
    mkdir -p "$out"
    echo "my draft" >"$out/thesis.tmp"
    echo "another run's half-written checkpoint" >"$out/$others"
    args=()
    case $id in
        10) args=(--seeds 0) ;;
        11) args=(--data "$data" --limit 64 --epochs 1 --threads 1) ;;
    esac
    "$exe" "${args[@]}" --out "$out" >"$work/ch$id.log" 2>&1 || fail "ch$id failed: $(tail -n 3 "$work/ch$id.log")"
    [ "$(cat "$out/thesis.tmp" 2>/dev/null)" = "my draft" ] || fail "ch$id deleted or changed the user's thesis.tmp"
    [ "$(cat "$out/$others" 2>/dev/null)" = "another run's half-written checkpoint" ] \
        || fail "ch$id deleted the temporary file of another run that is still alive"
    count=$((count + 1))
done
[ "$count" -ge 11 ] || fail "found only $count chapter programs under $src/chapters"
echo "user_files: $count chapter programs kept the user's thesis.tmp and another run's temporary file"
