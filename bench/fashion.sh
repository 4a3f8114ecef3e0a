#!/usr/bin/env bash
# Fashion-MNIST (60,000 training / 10,000 test images, Debian's dataset-fashion-mnist):
# 15 epochs of chapter 11's LeNet-5 and of the same network in PyTorch, same batch (32),
# optimiser, cosine schedule and thread count. Prints wall time, peak memory (maximum
# resident set size, from GNU time) and the test accuracy of both: ours for the epoch it
# chose on its validation split (ch11 holds out 1,000 training images), PyTorch's after
# the last epoch, trained on all 60,000. Ours runs with --shift 0: the same images as
# PyTorch's, unaugmented.
#
#   bench/fashion.sh [--ch11 PATH] [--data DIR] [--threads T] [--epochs E]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ch11=$root/build/ch11
data=/usr/share/datasets/fashion-mnist
threads=2
epochs=15
while [ $# -gt 0 ]; do
  case $1 in
    --ch11) ch11=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    *) echo "bench/fashion.sh: error: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -d "$data" ] || { echo "bench/fashion.sh: error: no Fashion-MNIST in $data (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/fashion.sh: error: GNU time missing (apt-get install time)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# PyTorch in its strongest setup (bench/lenet.sh's search: OpenBLAS, one BLAS thread beside
# the framework's own), whatever the system's libblas.so.3 is; the reference BLAS otherwise.
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [ -f "$openblas/libblas.so.3" ]; then
  torch_env=(env LD_LIBRARY_PATH="$openblas" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS="$threads")
  torch_blas="OpenBLAS ($openblas), OPENBLAS_NUM_THREADS=1"
else
  torch_env=(env OMP_NUM_THREADS="$threads")
  torch_blas="the system's libblas.so.3 (libopenblas0-pthread not installed)"
fi
echo "Fashion-MNIST, $epochs epochs, batch 32, $threads thread(s), data $data; PyTorch on $torch_blas"
/usr/bin/time -f '%e %M' -o "$out/ours.time" \
  "$ch11" --data "$data" --epochs "$epochs" --threads "$threads" --shift 0 --out "$out" >"$out/ours.log"
/usr/bin/time -f '%e %M' -o "$out/torch.time" \
  "${torch_env[@]}" /usr/bin/python3 "$here/lenet_torch.py" --data "$data" --images 0 --epochs "$epochs" \
  --threads "$threads" >"$out/torch.log"
ours_acc=$(grep -E '^test accuracy' "$out/ours.log" | tail -n 1 | sed -E 's/^test accuracy ([0-9.]+%).*/\1/')
torch_acc=$(tail -n 1 "$out/torch.log" | sed -E 's/.*test accuracy ([0-9.]+%).*/\1/')
read -r ours_s ours_kb <"$out/ours.time"
read -r torch_s torch_kb <"$out/torch.time"
echo
echo "| | wall time | peak memory (RSS) | test accuracy |"
echo "|---|---|---|---|"
awk -v s="$ours_s" -v k="$ours_kb" -v a="$ours_acc" 'BEGIN { printf "| ours (ch11) | %.1f s | %.0f MB | %s |\n", s, k / 1024, a }'
awk -v s="$torch_s" -v k="$torch_kb" -v a="$torch_acc" 'BEGIN { printf "| PyTorch | %.1f s | %.0f MB | %s |\n", s, k / 1024, a }'
awk -v o="$ours_s" -v t="$torch_s" 'BEGIN { printf "\nwall time ratio PyTorch / ours: %.2f×\n", t / o }'
