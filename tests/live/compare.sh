#!/usr/bin/env bash
# The WebAssembly build of the live panels answers exactly what the native build answers:
# the requests of requests.txt (the notes' worked examples, other sizes, bad input) and a
# drawn 7, 1 and 0 through LeNet (He-initialised weights, and the trained ones if given),
# compared byte for byte; where the two C libraries' exp, log or cos round a last bit
# apart, compare_answers.py allows that number (and only that) a relative 1e-15. Also
# checks that the worked numbers are in the wasm answers.
#
#   tests/live/compare.sh BUILD_DIR WB_LIVE_JS [LENET_WEIGHTS.js]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${1:?usage: compare.sh BUILD_DIR WB_LIVE_JS [WEIGHTS]} JS=${2:?wb_live.js} TRAINED=${3:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "live compare: $*" >&2; exit 1; }

"$BUILD/live_cli" --init-weights 7 "$TMP/init.bin"
{ cat "$HERE/requests.txt"; echo "---"; node "$HERE/make_requests.cjs"; } >"$TMP/requests.txt"
count=$(( $(grep -c '^---$' "$TMP/requests.txt") + 1 ))

compare() {  # weights, name
    "$BUILD/live_cli" --weights "$1" "$TMP/requests.txt" >"$TMP/native.$2"
    node "$HERE/node_panels.cjs" "$JS" --weights "$1" "$TMP/requests.txt" >"$TMP/wasm.$2"
    [ "$(wc -l <"$TMP/wasm.$2")" -eq "$count" ] || fail "$2: $(wc -l <"$TMP/wasm.$2") answers for $count requests"
    if cmp -s "$TMP/native.$2" "$TMP/wasm.$2"; then
        echo "live compare: $count requests, $2 weights: wasm = native, byte for byte ($(wc -c <"$TMP/wasm.$2") bytes)"
    else
        /usr/bin/python3 "$HERE/compare_answers.py" "$TMP/native.$2" "$TMP/wasm.$2" >&2 \
            || fail "$2: the wasm answers differ from the native ones (above)"
        echo "live compare: $count requests, $2 weights: wasm = native, byte for byte but for the last bits above"
    fi
}
compare "$TMP/init.bin" init
if [ -n "$TRAINED" ]; then
    # The trained weights as the page gets them (lenet_weights.js), decoded to raw floats.
    node -e 'const fs = require("fs"), window = {}; eval(fs.readFileSync(process.argv[1], "utf8"));
             fs.writeFileSync(process.argv[2], Buffer.from(window.WB_LENET.weights, "base64"));' \
        "$TRAINED" "$TMP/trained.bin"
    compare "$TMP/trained.bin" trained
fi

# The worked numbers of the notes, in the wasm answers themselves.
for expected in '"a":[[4,3,4],[2,4,3],[2,3,4]]' \
                '"rule":[[1,0,-4],[6,9,2],[9,27,20]],"naive":[[1,0,-4],[6,9,2],[9,27,20]]' \
                '"max":[[0,7,0,0],[0,0,0,3],[0,0,0,0],[1,0,4,0]]' \
                '"mean":[[2,2,1,1],[2,2,1,1],[4,4,1,1],[4,4,1,1]]' \
                '"sum":[[-1,-1,-4],[11,10,3],[7,32,23]],"naive":[[-1,-1,-4],[11,10,3],[7,32,23]]' \
                '"sum":[[0,-1,2],[2,-6,-7],[6,13,5]]' \
                '"rule":[[3,4,6],[2,3,3],[2,1,2]],"elements":[[3,4,6],[2,3,3],[2,1,2]]' \
                '"db":7,"db_003":7,"db_naive":7' \
                '"J":0.14070903378544802' \
                '"bound":9.5367431640625e-07' \
                '"naive":["NaN","NaN","NaN"]' \
                '"iterations":11,"outcome":"diverged","past":200' \
                '"error":"x row 1, column 2 is empty"'; do
    grep -qF "$expected" "$TMP/wasm.init" || fail "the wasm answers lack $expected"
done
echo "live compare: the notes' worked numbers are in the wasm answers"
