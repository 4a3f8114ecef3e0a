#!/usr/bin/env bash
# The learner's loop, timed: the first `./workbook check` on a fresh clone (configure, the
# test harness, the learner's file) and then edit-check cycles after a one-line change,
# each as wall-clock and CPU time (user + system, the workbook and everything it runs).
# usage: bench/learner_cycle.sh [CYCLES]   (from a git checkout; clones it into a temp dir)
set -euo pipefail
cycles=${1:-5}
[[ $cycles =~ ^[1-9][0-9]*$ ]] || { echo "learner_cycle: CYCLES must be a positive number" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/wb"
cd "$tmp/wb"
unset CMAKE_CXX_COMPILER_LAUNCHER  # a fresh machine has no compiler cache
id=02_delta_out
file=exercises/$id/delta_out.cpp

timed() {  # LABEL COMMAND…: runs it, prints wall and CPU seconds
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %U + %S s CPU" "$@" >/dev/null 2>"$tmp/time" || true
    tail -n 1 "$tmp/time"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
timed "first check on a fresh clone" ./workbook check "$id"
cp "exercises/solutions/$id.cpp" "$file"
./workbook check "$id" >/dev/null
for i in $(seq "$cycles"); do
    echo "// edit $i" >>"$file"
    timed "edit-check cycle $i" ./workbook check "$id"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
