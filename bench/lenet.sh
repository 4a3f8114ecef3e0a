#!/usr/bin/env bash
# Side-by-side training speed of chapter 11's LeNet-5 and the same network in PyTorch (CPU),
# same data, batch and thread count, in the same run. Never a test: numbers depend on the
# machine and on whatever else it is doing.
#
#   bench/lenet.sh [--ch11 PATH] [--data DIR] [--images N] [--threads T]
#
# Needs Debian's python3-torch (run by /usr/bin/python3). Prints both rates and the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ch11=$root/build/ch11
data=$root/data
images=8000
threads=2
while [ $# -gt 0 ]; do
  case $1 in
    --ch11) ch11=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "bench/lenet.sh: error: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$ch11" ] || { echo "bench/lenet.sh: error: no ch11 program at $ch11 (build it, or pass --ch11)" >&2; exit 2; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench/lenet.sh: error: PyTorch missing (apt-get install python3-torch)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "LeNet-5 training, $images images, batch 32, $threads thread(s), data $data"
ours=$("$ch11" --data "$data" --epochs 1 --limit "$images" --threads "$threads" --out "$out" | grep '^training:')
echo "ours:  ${ours#training: }"
theirs=$(/usr/bin/python3 "$here/lenet_torch.py" --data "$data" --images "$images" --threads "$threads")
echo "$theirs"
ours_rate=$(sed -E 's/.* = ([0-9]+) images\/s.*/\1/' <<<"$ours")
theirs_rate=$(sed -E 's/.* = ([0-9]+) images\/s.*/\1/' <<<"$theirs")
awk -v a="$ours_rate" -v b="$theirs_rate" 'BEGIN { printf "ratio ours/torch: %.2f\n", a / b }'
