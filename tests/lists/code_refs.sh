#!/usr/bin/env bash
# The paths and names the code's comments cite exist (docs/tools/check_refs.py --code), and
# the check notices each kind of stale citation, planted in a small tree of its own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=$root/docs/tools/check_refs.py
/usr/bin/python3 "$tool" --code "$root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/reference" "$tmp/tests"
cat >"$tmp/reference/kernels.hpp" <<'CPP'
/// The edges use smaller tiles (`dispatch_*`), see `gemm_tile` and reference/simd.hpp.
// tests/reference/test_kernels.cpp pins them; so does old_name.cpp.
template <int N> void gemm_tile() {}
CPP
# (written by printf, so that this script's own comments cite nothing that is missing)
printf '# runs tests/%s.sh, then reference/kernels.hpp (fuzz/fuzz_NAME.cpp: a placeholder)\n' \
    missing >"$tmp/tests/run.sh"
out=$(/usr/bin/python3 "$tool" --code "$tmp" || true)
for expected in "kernels.hpp:1: no code name starts with dispatch_" \
                "kernels.hpp:1: no such path: reference/simd.hpp" \
                "kernels.hpp:2: no such path: tests/reference/test_kernels.cpp" \
                "kernels.hpp:2: no such file: old_name.cpp" \
                "run.sh:1: no such path: tests/missing.sh" \
                "5 problem(s)"; do
    grep -qF -- "$expected" <<<"$out" || { echo "FAIL: expected '$expected' in: $out"; exit 1; }
done
echo "code refs: every citation exists, and each kind of stale one is caught"
