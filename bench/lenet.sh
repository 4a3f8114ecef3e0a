#!/usr/bin/env bash
# Side-by-side training speed of chapter 11's LeNet-5 and the same network in PyTorch (CPU):
# same images (ours with --shift 0: unaugmented, like PyTorch's), batch, thread count,
# network and optimiser. For every batch size and thread count, RUNS runs of each side
# alternate (ours, torch, ours, torch, ...) so both see the same machine; the table shows
# the medians and their ratio. Never a test: numbers depend on the machine and on whatever
# else it is doing.
#
#   bench/lenet.sh [--ch11 PATH] [--data DIR] [--images N] [--runs R]
#                  [--batches "32 64 256"] [--threads "1 2"]
#
# Needs Debian's python3-torch (run by /usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ch11=$root/build/ch11
data=$root/data
images=8000
runs=3
batches="32 64 256"
threads_list="1 2"
while [ $# -gt 0 ]; do
  case $1 in
    --ch11) ch11=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    *) echo "bench/lenet.sh: error: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$ch11" ] || { echo "bench/lenet.sh: error: no ch11 program at $ch11 (build it, or pass --ch11)" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench/lenet.sh: error: PyTorch missing (apt-get install python3-torch)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

rate() { sed -E 's/.* = ([0-9]+) images\/s.*/\1/'; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

torch_version=$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')
echo "LeNet-5 training speed, images/s: $images images of $data, median of $runs interleaved runs per side"
echo "(ours: $ch11; PyTorch $torch_version CPU: bench/lenet_torch.py)"
echo
printf '| threads | batch | ours | PyTorch | ours / PyTorch | runs (ours; PyTorch) |\n'
printf '|---|---|---|---|---|---|\n'
declare -A ours_median torch_median  # by "threads batch"
for t in $threads_list; do
  for b in $batches; do
    ours=() theirs=()
    for ((r = 0; r < runs; r++)); do
      ours+=("$("$ch11" --data "$data" --epochs 1 --limit "$images" --batch "$b" --threads "$t" \
                  --shift 0 --out "$out" | grep '^training:' | rate)")
      theirs+=("$(/usr/bin/python3 "$here/lenet_torch.py" --data "$data" --images "$images" \
                    --batch "$b" --threads "$t" | rate)")
    done
    mo=$(echo "${ours[*]}" | median)
    mt=$(echo "${theirs[*]}" | median)
    ours_median["$t $b"]=$mo torch_median["$t $b"]=$mt
    awk -v t="$t" -v b="$b" -v o="$mo" -v p="$mt" -v ro="${ours[*]}" -v rt="${theirs[*]}" \
      'BEGIN { printf "| %s | %s | %s | %s | **%.2f×** | %s; %s |\n", t, b, o, p, o / p, ro, rt }'
  done
done

# What the second thread adds, each side: the medians above, more threads over one.
first=${threads_list%% *}
for t in $threads_list; do
  [ "$t" != "$first" ] || continue
  echo
  sep=""
  printf '%s threads over %s:' "$t" "$first"
  for b in $batches; do
    awk -v b="$b" -v sep="$sep" -v o="${ours_median[$t $b]}" -v o1="${ours_median[$first $b]}" \
        -v p="${torch_median[$t $b]}" -v p1="${torch_median[$first $b]}" \
      'BEGIN { printf "%s batch %s **ours ×%.2f** (PyTorch ×%.2f)", sep, b, o / o1, p / p1 }'
    sep=";"
  done
  echo
done
