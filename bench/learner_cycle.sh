#!/usr/bin/env bash
# The learner's loop, timed on a fresh clone after `./workbook test` (which builds the
# workbook and every exercise harness): the first `./workbook check`, the first check of
# each exercise (the learner's file edited: here, the solution copied in), then edit-check
# cycles after a one-line change, then `run 11 --yours` with every exercise solved;
# wall-clock and CPU time (user + system, the workbook and everything it runs). The
# targets (issue 19): first check < 20 s, each exercise's first check < 5 s, edit-check
# cycle < 1.5 s, ≥ 97% within 2 minutes.
# usage: bench/learner_cycle.sh [CYCLES]   (from a git checkout; clones it into a temp dir)
set -euo pipefail
cycles=${1:-5}
[[ $cycles =~ ^[1-9][0-9]*$ ]] || { echo "learner_cycle: CYCLES must be a positive number" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/wb"
cd "$tmp/wb"
export CCACHE_DISABLE=1  # a fresh machine has no compiler cache
unset CMAKE_CXX_COMPILER_LAUNCHER

wall=""
timed() {  # LABEL COMMAND…: runs it, prints wall and CPU seconds; the wall time in $wall
    local label=$1 rc=0; shift
    /usr/bin/time -f "%e %U %S" "$@" >"$tmp/out" 2>"$tmp/time" || rc=$?
    read -r wall user sys < <(tail -n 1 "$tmp/time")
    printf '%-44s %6.2f s wall, %5.2f + %5.2f s CPU%s\n' "$label:" "$wall" "$user" "$sys" \
        "$([ "$rc" -eq 0 ] || echo "  (exit $rc: $(grep -m1 -E '✗|workbook:' "$tmp/out" || true))")"
}
over() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
timed "./workbook test (builds everything, once)" ./workbook test

ids=$(grep -vE '^[[:space:]]*(#|$)' exercises/manifest.txt | awk '{print $1}')
first=1 worst=0 worst_id="" slow=0
for id in $ids; do
    cp "exercises/solutions/$id.cpp" "exercises/$id/${id#[0-9][0-9]_}.cpp"
    if [ "$first" = 1 ]; then timed "first check on this clone ($id)" ./workbook check "$id"; first=0
    else timed "first check of $id" ./workbook check "$id"
    fi
    if over "$wall" "$worst"; then worst=$wall; worst_id=$id; fi
    over "$wall" 5 && slow=$((slow + 1))
done
echo "slowest first check: $worst s ($worst_id); $slow over 5 s"

id=02_delta_out
file=exercises/$id/delta_out.cpp
for i in $(seq "$cycles"); do
    echo "// edit $i" >>"$file"
    timed "edit-check cycle $i ($id)" ./workbook check "$id"
done

# Every exercise is solved now: the learner's own layers train LeNet-5 (target: ≥ 97% in
# under 2 minutes; the build of ch11_yours is timed apart).
timed "build ch11_yours (the learner's files)" cmake --build build --target ch11_yours
timed "./workbook run 11 --yours (all solved)" ./workbook run 11 --yours
grep -E '^(test accuracy|training: )' "$tmp/out" || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
