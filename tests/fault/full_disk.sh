#!/usr/bin/env bash
# A real full disk: chapters 10 and 11 write their figures and checkpoints onto a small
# tmpfs, then again once it is full. The second runs must exit 2 with one line on stderr,
# keep every file of the first run byte for byte and leave no .tmp behind; chapter 11 must
# then resume once space is freed. Needs root (mount in a private mount namespace);
# exits 77 (CTest: skipped) without it.
#   tests/fault/full_disk.sh BUILD_DIR DATA_DIR
set -euo pipefail
ch08=$1/ch08 ch10=$1/ch10 ch11=$1/ch11 data=$2

if [ "${WB_IN_NAMESPACE:-}" != 1 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null \
        || ! unshare -m true 2>/dev/null; then
        echo "skipped: mounting a tmpfs needs root and unshare"
        exit 77
    fi
    WB_IN_NAMESPACE=1 exec unshare -m --propagation private bash "$0" "$@"
fi

disk=$(mktemp -d) logs=$(mktemp -d)  # the logs off the full disk
mount -t tmpfs -o size=8m tmpfs "$disk"
trap 'umount "$disk"; rmdir "$disk"; rm -rf "$logs"' EXIT

fail() { echo "full_disk: $*" >&2; exit 1; }

fill() { dd if=/dev/zero of="$disk/filler" bs=64k 2>/dev/null || true; }

# $1: what; $2: directory; then the command. It must fail in one line, changing nothing.
refused_keeping() {
    local what=$1 dir=$2; shift 2
    local before after code=0
    before=$(cd "$dir" && sha256sum -- * | sort)
    "$@" >"$logs/stdout" 2>"$logs/stderr" || code=$?
    [ "$code" -eq 2 ] || fail "$what on a full disk: exit $code, expected 2 ($(cat "$logs/stderr"))"
    [ "$(wc -l <"$logs/stderr")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$logs/stderr")"
    after=$(cd "$dir" && sha256sum -- * | sort)
    [ "$before" = "$after" ] || fail "$what changed files of the previous run"
    ! ls "$dir" | grep -q '\.tmp$' || fail "$what left .tmp files: $(ls "$dir")"
    echo "full_disk: $what refused: $(cat "$logs/stderr")"
}

# Chapter 8: gnuplot's figures (gnuplot does not report a failed write; a truncated PNG
# must be noticed).
"$ch08" --out "$disk/ch08" >/dev/null || fail "ch08 failed with space left"
fill
refused_keeping "ch08 (gnuplot)" "$disk/ch08" "$ch08" --out "$disk/ch08"
rm -f "$disk/filler"

# Chapter 10: figures (stb PNGs and a gnuplot plot).
"$ch10" --seeds 0 --out "$disk/ch10" >/dev/null || fail "ch10 failed with space left"
fill
refused_keeping "ch10" "$disk/ch10" "$ch10" --seeds 0 --out "$disk/ch10"
rm -f "$disk/filler"

# Chapter 11: a finished run; on a full disk its --resume cannot rewrite the best file;
# once space is freed, the same --resume finishes.
run11() { "$ch11" --data "$data" --limit 64 --epochs 2 --threads 1 --out "$disk/ch11" "$@"; }
run11 >/dev/null || fail "ch11 failed with space left"
fill
refused_keeping "ch11 (checkpoints)" "$disk/ch11" run11 --resume "$disk/ch11/11_checkpoint.safetensors"
rm -f "$disk/filler"
run11 --resume "$disk/ch11/11_checkpoint.safetensors" >/dev/null || fail "ch11 did not resume after the disk was freed"
echo "full_disk: all refusals clean"
