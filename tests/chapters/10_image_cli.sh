#!/usr/bin/env bash
# ch10 --image on the pictures a reader may bring (issue 23): a smooth picture and a sine
# pattern pass the self-checks (their tolerance scales with the terms that cancel); a fit
# that runs out of iterations says so in one line on stderr with a suggestion and exits 0,
# or 1 when --must-converge asks for that; a picture with nothing to learn (one grey level,
# or no horizontal edge) is refused in one line; a directory and a device are named as such.
#   tests/chapters/10_image_cli.sh CH10_EXE
set -euo pipefail
ch10=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "10_image_cli: $*" >&2; exit 1; }

python3 - "$work" <<'PY'
import math, struct, sys, zlib
def png(name, w, h, f):
    raw = b''.join(b'\0' + bytes(max(0, min(255, round(f(i, j)))) for j in range(w)) for i in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
    with open(sys.argv[1] + '/' + name, 'wb') as out:
        out.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                  + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png('smooth.png', 200, 150, lambda i, j: 40 + 0.6 * i + 0.5 * j + 20 * math.sin(i / 15) * math.cos(j / 20))
png('sine.png', 128, 128, lambda i, j: 127.5 + 127 * math.sin(0.3 * i + 0.2 * j))
png('grey.png', 20, 20, lambda i, j: 128)
png('columns.png', 20, 20, lambda i, j: 200 if j % 2 else 10)
png('edges.png', 24, 24, lambda i, j: (i * 37 + j * 11) % 256)
PY

# $1: expected exit code; then the arguments. Sets $out and $err.
run() {
    local want=$1 code=0; shift
    "$ch10" --seeds 0 --out "$work/out" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
    out=$(cat "$work/stdout") err=$(cat "$work/stderr")
    [ "$code" -eq "$want" ] || fail "ch10 $*: exit $code, expected $want; stderr: $err; $(grep -m3 FAIL "$work/stdout" || true)"
}
one_line() { [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [ -n "$err" ] || fail "$1: stderr is not one line: $err"; }

for p in smooth sine; do
    run 0 --image "$work/$p.png"
    ! grep -q FAIL <<<"$out" || fail "$p: $(grep FAIL <<<"$out")"
    one_line "$p"
    [[ $err == *"did not converge in 10000 iterations"*"--max-iter"* ]] || fail "$p: no iteration count or suggestion: $err"
    run 1 --image "$work/$p.png" --must-converge
    one_line "$p --must-converge"
done
run 0 --image "$work/edges.png"
[ -z "$err" ] || fail "edges: a fit that converges printed on stderr: $err"
run 0 --image "$work/sine.png" --max-iter 50
[[ $err == *"in 50 iterations"* ]] || fail "sine --max-iter 50: $err"
run 0 --max-iter 100  # the notes' picture on a budget too small: a finding, not a failure
one_line "the notes' picture, --max-iter 100"

run 2 --image "$work/grey.png"
one_line grey
[[ $err == *"one grey level"* ]] || fail "grey: $err"
run 2 --image "$work/columns.png"
one_line columns
[[ $err == *"no horizontal edge"* ]] || fail "columns: $err"
run 2 --image "$work"
one_line directory
[[ $err == *"is a directory"* ]] || fail "a directory: $err"
run 2 --image /dev/zero
one_line /dev/zero
[[ $err == *"not a regular file"* ]] || fail "/dev/zero: $err"
run 2 --image "$work/missing.png"
[[ $err == *"no such file"* ]] || fail "a missing file: $err"
echo "10_image_cli: smooth and sine pictures pass, non-convergence is one line, bad pictures refused"
