#!/usr/bin/env bash
# exercises/manifest.txt, the exercise folders, the solutions and the tests agree: each id of
# the manifest has its five files, and each folder, solution, test or wrong-answer file
# belongs to an id of the manifest (tried on a copy: each kind of drift must be caught).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# check DIR: prints one line per disagreement; exit 1 if there is any.
check() {
    local dir=$1 id name f problems=0
    local ids
    ids=$(grep -vE '^[[:space:]]*(#|$)' "$dir/exercises/manifest.txt" | awk '{print $1}')
    [ -n "$ids" ] || { echo "the manifest lists no exercise"; return 1; }
    if dup=$(sort <<<"$ids" | uniq -d | grep .); then echo "listed twice in the manifest: $dup"; problems=1; fi
    for id in $ids; do
        name=${id#[0-9][0-9]_}
        for f in "exercises/$id/$name.cpp" "exercises/$id/$name.hpp" "exercises/$id/HINT.md" \
                 "exercises/solutions/$id.cpp" "tests/exercises/test_$id.cpp"; do
            [ -f "$dir/$f" ] || { echo "$id: no $f"; problems=1; }
        done
    done
    for f in "$dir"/exercises/[0-9][0-9]_*/ "$dir"/exercises/solutions/*.cpp \
             "$dir"/tests/exercises/test_*.cpp "$dir"/tests/exercises/wrong/*.txt; do
        [ -e "$f" ] || continue
        id=$(basename "$f" | sed -E 's/^test_//; s/\.(cpp|txt)$//')
        grep -qxF "$id" <<<"$ids" || { echo "${f#"$dir"/}: no exercise $id in the manifest"; problems=1; }
    done
    return $problems
}

check "$root" || { echo "FAIL: the exercise lists disagree (above)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fresh() {  # a copy of what the check reads
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/tests"
    cp -R "$root/exercises" "$tmp/t/"
    cp -R "$root/tests/exercises" "$tmp/t/tests/"
}
# must_fail WHAT EXPECTED
must_fail() {
    local out
    if out=$(check "$tmp/t"); then echo "FAIL: $1: not caught"; exit 1; fi
    grep -qF -- "$2" <<<"$out" || { echo "FAIL: $1: expected '$2' in: $out"; exit 1; }
    echo "ok: $1: $out"
}
first=$(grep -vE '^[[:space:]]*(#|$)' "$root/exercises/manifest.txt" | awk 'NR == 1 {print $1}')
fresh; rm "$tmp/t/tests/exercises/test_$first.cpp"
must_fail "a test missing" "$first: no tests/exercises/test_$first.cpp"
fresh; rm "$tmp/t/exercises/$first/HINT.md"
must_fail "hints missing" "$first: no exercises/$first/HINT.md"
fresh; mkdir "$tmp/t/exercises/99_new"
must_fail "a folder not in the manifest" "exercises/99_new/: no exercise 99_new in the manifest"
fresh; touch "$tmp/t/exercises/solutions/99_new.cpp"
must_fail "a solution not in the manifest" "no exercise 99_new"
fresh; grep -v "^$first " "$root/exercises/manifest.txt" >"$tmp/t/exercises/manifest.txt"
must_fail "a manifest line removed" "tests/exercises/test_$first.cpp: no exercise $first"
fresh; grep "^$first " "$root/exercises/manifest.txt" >>"$tmp/t/exercises/manifest.txt"
must_fail "a line twice" "listed twice in the manifest: $first"
echo "exercise lists: in step, and each kind of drift is caught"
