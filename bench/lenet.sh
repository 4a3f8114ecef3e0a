#!/usr/bin/env bash
# Side-by-side training speed of chapter 11's LeNet-5 and the same network in each peer a user
# would pick, every peer in its strongest CPU setup: same images (ours with --shift 0:
# unaugmented, like the peers'), batch, thread count, network and optimiser.
#
# The peers (each only if its Debian package is installed; ./workbook bench installs them):
#   torch-refblas    PyTorch 1.13 (python3-torch) on Debian's reference BLAS (libblas3): the
#                    setup a plain machine has, kept as a labelled row
#   torch-openblas   the same with OpenBLAS (libopenblas0-pthread)
#   libtorch         the same net in C++ (bench/lenet_libtorch.cpp, libtorch-dev) + OpenBLAS
#   dlib             dlib 19.24 (bench/lenet_dlib.cpp, libdlib-dev) + OpenBLAS
# Each side gets its BLAS by LD_LIBRARY_PATH, whichever libblas.so.3 the system's alternative
# names (installing libopenblas0-pthread makes it the system's unless the alternative is set
# by hand): so the rows say what they measure on any machine.
#
# First a search, at batch 64, for each peer's best settings per thread count T
# (OPENBLAS_NUM_THREADS 1 or T beside the framework's own T threads); then, for every batch
# size and thread count, RUNS runs of every side alternate (ours, each peer, ours, ...) so all
# see the same machine; the table shows the medians and ours / peer. Never a test.
#
#   bench/lenet.sh [--ch11 PATH] [--peers DIR] [--data DIR] [--images N] [--runs R]
#                  [--batches "32 64 256"] [--threads "1 2"] [--cpu C] [--ceiling N]
#
# --cpu: the CPU every side's 1-thread runs are pinned to (taskset; default 0).
#
# --ceiling: images/s one thread trains at the FMA peak (lenet_profile prints it; bench/run
# passes it): adds the table of the most any code doing our FLOPs could reach over each peer.
#
# --peers: where bench/run put lenet_libtorch and lenet_dlib (skipped when absent).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ch11=$root/build/ch11
peers_dir=$root/build/bench-peers
data=$root/data
images=8000
runs=3
batches="32 64 256"
threads_list="1 2"
cpu=0
ceiling=
while [ $# -gt 0 ]; do
  case $1 in
    --ch11) ch11=$2; shift 2 ;;
    --peers) peers_dir=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --threads) threads_list=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --ceiling) ceiling=$2; shift 2 ;;
    *) echo "bench/lenet.sh: error: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -z "$ceiling" ] || [[ $ceiling =~ ^[0-9]+$ ]] || { echo "bench/lenet.sh: error: --ceiling takes images/s, a whole number, not '$ceiling'" >&2; exit 2; }
[ -x "$ch11" ] || { echo "bench/lenet.sh: error: no ch11 program at $ch11 (build it, or pass --ch11)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread
refblas=/usr/lib/x86_64-linux-gnu/blas
# The C++ peers read plain IDX: the training set, uncompressed once.
for f in images-idx3-ubyte labels-idx1-ubyte; do
  src=$data/train-$f
  if [ -f "$src.gz" ]; then gzip -dc "$src.gz" >"$out/train-$f"; else cp "$src" "$out/train-$f"; fi
done

# One run of a side: "ours", or a peer with a setting "T/B" (framework threads T, BLAS threads B);
# prints images/s. A 1-thread run of every side is pinned to the same CPU: this machine's two
# vCPUs are not alike (on 2026-12-06 a 1-thread step ran 14% slower on cpu1 than on cpu0, each
# alone, at the same FMA peak), and unpinned runs landed on either, moving a side's median by
# as much as the change being measured.
rate() { sed -E 's/.* = ([0-9]+) images\/s.*/\1/'; }
run_side() {
  local side=$1 batch=$2 t=$3 blas=${4:-1}
  local pin=()
  [ "$t" != 1 ] || pin=(taskset -c "$cpu")
  case $side in
    ours) "${pin[@]}" "$ch11" --data "$data" --epochs 1 --limit "$images" --batch "$batch" --threads "$t" \
            --shift 0 --out "$out" | grep '^training:' | rate ;;
    torch-refblas) LD_LIBRARY_PATH=$refblas OMP_NUM_THREADS=$t "${pin[@]}" /usr/bin/python3 "$here/lenet_torch.py" --data "$data" \
            --images "$images" --batch "$batch" --threads "$t" | rate ;;
    torch-openblas) LD_LIBRARY_PATH=$openblas OPENBLAS_NUM_THREADS=$blas OMP_NUM_THREADS=$t \
            "${pin[@]}" /usr/bin/python3 "$here/lenet_torch.py" --data "$data" --images "$images" \
            --batch "$batch" --threads "$t" | rate ;;
    libtorch) LD_LIBRARY_PATH=$openblas OPENBLAS_NUM_THREADS=$blas OMP_NUM_THREADS=$t \
            "${pin[@]}" "$peers_dir/lenet_libtorch" "$out/train-images-idx3-ubyte" "$out/train-labels-idx1-ubyte" \
            --images "$images" --batch "$batch" --threads "$t" | rate ;;
    dlib) LD_LIBRARY_PATH=$openblas OPENBLAS_NUM_THREADS=$blas OMP_NUM_THREADS=$t \
            "${pin[@]}" "$peers_dir/lenet_dlib" "$out/train-images-idx3-ubyte" "$out/train-labels-idx1-ubyte" \
            --images "$images" --batch "$batch" --threads "$t" | rate ;;
  esac
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

peers=()
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  peers+=(torch-refblas)
  [ -f "$openblas/libblas.so.3" ] && peers+=(torch-openblas)
fi
[ -x "$peers_dir/lenet_libtorch" ] && [ -f "$openblas/libblas.so.3" ] && peers+=(libtorch)
[ -x "$peers_dir/lenet_dlib" ] && [ -f "$openblas/libblas.so.3" ] && peers+=(dlib)
[ ${#peers[@]} -gt 0 ] || { echo "bench/lenet.sh: error: no peer installed (./workbook bench installs them)" >&2; exit 2; }

torch_version=$(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)
echo "LeNet-5 training speed, images/s: $images images of $data, median of $runs interleaved runs per side"
echo "ours: $ch11 --shift 0; peers: ${peers[*]} (PyTorch $torch_version; OpenBLAS from $openblas via LD_LIBRARY_PATH); every side's 1-thread runs pinned to cpu $cpu"

# The search: each OpenBLAS peer's BLAS threads per framework thread count, at batch 64, best of 2.
declare -A best_blas  # by "peer threads"
echo
echo "Each peer's thread settings at batch 64 (images/s, best of 2; OMP_NUM_THREADS and the framework's threads = T):"
printf '| peer | T | OPENBLAS_NUM_THREADS=1 | OPENBLAS_NUM_THREADS=T | chosen |\n|---|---|---|---|---|\n'
for p in "${peers[@]}"; do
  [ "$p" != torch-refblas ] || continue
  for t in $threads_list; do
    r1=0 rt=0
    for ((i = 0; i < 2; i++)); do
      v=$(run_side "$p" 64 "$t" 1); [ "$v" -gt "$r1" ] && r1=$v
      if [ "$t" != 1 ]; then v=$(run_side "$p" 64 "$t" "$t"); [ "$v" -gt "$rt" ] && rt=$v; fi
    done
    if [ "$t" = 1 ] || [ "$r1" -ge "$rt" ]; then best_blas["$p $t"]=1; else best_blas["$p $t"]=$t; fi
    printf '| %s | %s | %s | %s | %s |\n' "$p" "$t" "$r1" "$([ "$t" = 1 ] && echo "(same)" || echo "$rt")" \
      "OPENBLAS_NUM_THREADS=${best_blas[$p $t]}"
  done
done

echo
printf '| threads | batch | ours |'; for p in "${peers[@]}"; do printf ' %s |' "$p"; done
for p in "${peers[@]}"; do printf ' ours / %s |' "$p"; done; echo
printf '|---|---|---|'; for _ in "${peers[@]}" "${peers[@]}"; do printf -- '---|'; done; echo
declare -A med  # by "side threads batch"
for t in $threads_list; do
  for b in $batches; do
    declare -A samples=()
    for ((r = 0; r < runs; r++)); do
      samples[ours]+=" $(run_side ours "$b" "$t")"
      for p in "${peers[@]}"; do samples[$p]+=" $(run_side "$p" "$b" "$t" "${best_blas[$p $t]:-1}")"; done
    done
    med["ours $t $b"]=$(echo "${samples[ours]}" | median)
    row="| $t | $b | ${med[ours $t $b]} |"
    for p in "${peers[@]}"; do med["$p $t $b"]=$(echo "${samples[$p]}" | median); row+=" ${med[$p $t $b]} |"; done
    for p in "${peers[@]}"; do
      row+=$(awk -v o="${med[ours $t $b]}" -v q="${med[$p $t $b]}" 'BEGIN { printf " **%.2f×** |", o / q }')
    done
    echo "$row"
    unset samples
  done
done

# What the second thread adds, each side: the medians above, more threads over one.
first=${threads_list%% *}
for t in $threads_list; do
  [ "$t" != "$first" ] || continue
  echo
  for b in $batches; do
    line="$t threads over $first, batch $b:"
    for side in ours "${peers[@]}"; do
      line+=$(awk -v s="$side" -v a="${med[$side $t $b]}" -v z="${med[$side $first $b]}" \
        'BEGIN { printf " %s ×%.2f", s, a / z }')
    done
    echo "$line"
  done
done

# What the arithmetic allows: T threads at the 1-thread FMA peak over each peer's median. Where
# this is under 5, no code doing our FLOPs reaches 5× that peer on this machine.
if [ -n "$ceiling" ]; then
  echo
  echo "What the FMA peak allows: T × $ceiling images/s (one thread at the peak, lenet_profile) over each peer's median above; under 5, 5× is beyond this machine's arithmetic:"
  printf '| threads | batch | at the peak |'; for p in "${peers[@]}"; do printf ' peak / %s |' "$p"; done; echo
  printf '|---|---|---|'; for _ in "${peers[@]}"; do printf -- '---|'; done; echo
  for t in $threads_list; do
    for b in $batches; do
      row="| $t | $b | $((t * ceiling)) |"
      for p in "${peers[@]}"; do
        row+=$(awk -v c="$((t * ceiling))" -v q="${med[$p $t $b]}" 'BEGIN { printf " %.2f× |", c / q }')
      done
      echo "$row"
    done
  done
fi
