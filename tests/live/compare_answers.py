#!/usr/bin/python3
"""Compares two files of panel answers (one JSON answer a line), the native build's and
the WebAssembly build's, and fails on any difference but one: a number may differ in its
last bits (relative difference at most 1e-15, a few units in the last place), since
glibc's and musl's exp, log, cos and tanh may round the last bit differently (chapter 08's
N(0, 1) draws, the sigmoid's and softmax's e^z). Keys, strings (error lines), booleans,
whole numbers and the shape of every answer must be identical.

    tests/live/compare_answers.py NATIVE WASM       prints what differs; exit 1 if it matters
"""
import json
import sys

TOLERANCE = 1e-15


def walk(a, b, where, out):
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or a is None or b is None:
        if a != b:
            out.append((where, a, b, None))
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a != b:
            rel = abs(a - b) / max(abs(a), abs(b))
            out.append((where, a, b, rel if isinstance(a, float) and isinstance(b, float) else None))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{where}[{i}]", out)
    elif isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        for k in a:
            walk(a[k], b[k], f"{where}.{k}", out)
    else:
        out.append((where, str(a)[:40], str(b)[:40], None))


def main():
    native, wasm = (open(f, encoding="utf-8").read().splitlines() for f in sys.argv[1:3])
    if len(native) != len(wasm):
        print(f"compare_answers: {len(native)} native answers, {len(wasm)} wasm answers")
        return 1
    bad, last_bits, worst = [], 0, 0.0
    for line, (n, w) in enumerate(zip(native, wasm), 1):
        if n == w:
            continue
        diffs = []
        walk(json.loads(n), json.loads(w), f"answer {line}", diffs)
        for where, a, b, rel in diffs:
            if rel is not None and rel <= TOLERANCE:
                last_bits += 1
                worst = max(worst, rel)
            else:
                bad.append(f"{where}: native {a}, wasm {b}")
    for b in bad[:20]:
        print("compare_answers: " + b)
    if last_bits:
        print(f"compare_answers: {last_bits} number(s) differ in the last bits (relative {worst:.1e} at most)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
