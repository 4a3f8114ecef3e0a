#!/usr/bin/env bash
# Two revisions' training steps side by side: bench/ab.sh [--rounds N] REV_A REV_B
#
# This project's machine shares its cores with other tenants: two lenet_profile runs
# minutes apart can differ by 30% in a cell (bench/README.md), more than most changes
# gain. So the two builds run in turn, A B B A A B ..., N short rounds (`lenet_profile
# --quick`, about 15 s each), and each cell (batch, threads) is reported as both medians
# and the median of the rounds' ratios B/A: a drift of the host falls on both sides.
# Each revision is checked out into build/ab/<commit> (a git worktree) and only
# lenet_profile is built there (a few minutes the first time; the Debian packages of
# ./workbook test must be installed). A benchmark, never a test: it decides whether a
# change is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rounds=8  # even: as many A-first rounds as B-first
die() { echo "bench/ab.sh: error: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a whole number ≥ 1"; rounds=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (bench/ab.sh --help)" ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || die "two revisions wanted: bench/ab.sh [--rounds N] REV_A REV_B"

# Both revisions resolved before anything is built.
sha() { git -C "$root" rev-parse --verify --quiet "$1^{commit}" || die "'$1' is not a revision of this repository"; }
sha_a=$(sha "$1") || exit 2
sha_b=$(sha "$2") || exit 2

# The lenet_profile of a commit, built in its own worktree; prints its path.
profile() {
  local rev=$1 sha=$2 dir
  dir=$root/build/ab/${sha:0:12}
  if [ ! -e "$dir/src/.git" ]; then
    mkdir -p "$dir"
    git -C "$root" worktree add --detach --force "$dir/src" "$sha" >"$dir/worktree.log" 2>&1 ||
      die "could not check out $rev (log: $dir/worktree.log)"
  fi
  echo "building lenet_profile at $rev (${sha:0:12}; log: $dir/build.log)" >&2
  { cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$dir/build" --target lenet_profile -j "$(nproc)"; } >"$dir/build.log" 2>&1 ||
    die "build of $rev failed (log: $dir/build.log)"
  echo "$dir/build/lenet_profile"
}
a=$(profile "$1" "$sha_a") || exit 2
b=$(profile "$2" "$sha_b") || exit 2

samples=$(mktemp)
round=$(mktemp)
trap 'rm -f "$samples" "$round"' EXIT

# One round of one side: "batch threads images/s" per line (a failed run stops the A/B).
cells() {
  "$1" --quick >"$round" 2>&1 || die "$1 --quick failed: $(tail -n 1 "$round")"
  awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && NF >= 3 { print $1, $2, $3 }' "$round"
}
for ((r = 1; r <= rounds; r++)); do  # A B, B A, A B, ...: a steady drift falls on both
  echo "round $r of $rounds" >&2
  if ((r % 2)); then order="A B"; else order="B A"; fi
  for side in $order; do
    if [ "$side" = A ]; then bin=$a; else bin=$b; fi
    cells "$bin" | sed "s/^/$r $side /" >>"$samples"
  done
done

echo "A = $1, B = $2: lenet_profile --quick in turn (A B, B A, ...), $rounds rounds; images/s by the median step"
echo
echo "| batch | threads | A, median | B, median | B/A, median of the rounds' ratios | B/A, range |"
echo "|---|---|---|---|---|---|"
awk '
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { key = $3 " " $4; rate[$1, $2, key] = $5; if (!(key in seen)) { seen[key] = 1; order[++cells] = key } rounds = $1 > rounds ? $1 : rounds }
  END {
    for (c = 1; c <= cells; c++) {
      key = order[c]; as = bs = rs = ""; lo = 1e9; hi = 0
      for (r = 1; r <= rounds; r++) {
        if (!((r, "A", key) in rate) || !((r, "B", key) in rate)) continue
        x = rate[r, "A", key]; y = rate[r, "B", key]
        as = as " " x; bs = bs " " y; q = y / x; rs = rs " " q
        if (q < lo) lo = q; if (q > hi) hi = q
      }
      split(key, k, " ")
      printf "| %s | %s | %.0f | %.0f | **%.3f** | %.3f–%.3f |\n", k[1], k[2], median(as), median(bs), median(rs), lo, hi
    }
  }' "$samples"
