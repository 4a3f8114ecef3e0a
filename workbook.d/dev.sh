# shellcheck shell=bash
# The developer's and CI's commands, `./workbook dev COMMAND` (.ci/run calls each of them).

# The developer commands, as `./workbook help` and `./workbook dev help` list them.
dev_commands_help() {
    cat <<'USAGE'
  sanitize            the tests under AddressSanitizer + UndefinedBehaviorSanitizer
  test-avx2           the tests on the 256-bit (AVX2 + FMA) kernels, where the CPU has them
  fuzz [SECONDS]      the fuzzers of the parsers and the live panels (fuzz/): each committed
                      input once, then new inputs for SECONDS (default 60) per fuzzer
  prove-exercises     every exercise test fails on its stub and passes on its solution
  prove-wrong [ID…]   every committed wrong answer (tests/exercises/wrong/) fails its
                      exercise's test, and the solution passes it
  new-exercise ID "title" ["declaration"]
                      scaffold exercise ID (NN_name): stub, header, hints, solution and
                      test skeletons, wrong answers' file, manifest line
  prove-errata        every test the errata page cites fails on the note's version of
                      the code (tests/errata/mutants/) and passes on the workbook's
  docs-check          the docs in headless Chromium: planted bugs caught, every page clean
  live-check          the live panels: WebAssembly = native, and in Chromium from disk
  format [BASE]       the C++ lines changed since BASE (default: .ci/format-base) are as
                      .clang-format lays them out (clang-format-diff); -i fixes them
USAGE
}

cmd_dev() {
    local sub=${1:-help}
    [ $# -gt 0 ] && shift
    case "$sub" in
        prove-exercises) cmd_prove_exercises "$@" ;;
        prove-wrong) cmd_prove_wrong "$@" ;;
        new-exercise) /usr/bin/python3 tests/exercises/new_exercise.py "$@" || exit $? ;;
        prove-errata) cmd_prove_errata "$@" ;;
        sanitize) cmd_sanitize "$@" ;;
        test-avx2) cmd_test_avx2 "$@" ;;
        docs-check) cmd_docs_check "$@" ;;
        live-check) cmd_live_check "$@" ;;
        fuzz) cmd_fuzz "$@" ;;
        format) cmd_format "$@" ;;
        help | -h | --help) echo "usage: ./workbook dev COMMAND [ARGS]   (the developer's and CI's checks)"
                            echo; dev_commands_help ;;
        *) die "unknown developer command '$sub' (./workbook dev help lists them)" ;;
    esac
}

# Each errata entry's proving tests against the note's version of the code (a mutant per
# entry, built in a scratch copy; see tests/errata/prove_errata.py). MUTANT names pick some.
cmd_prove_errata() {
    setup
    build release test_chapters test_reference
    /usr/bin/python3 tests/errata/prove_errata.py "$BUILD" "$@" || die "errata proof failed (above)"
}

# Runs test case NAME of PROGRAM alone; prints "passed" or "failed" if exactly one case ran.
run_one_case() {
    local program=$1 name=$2 out
    # doctest filters split on commas and treat * ? as wildcards: escape commas only, a
    # name always matches itself.
    out=$("$program" --test-case="${name//,/\\,}" --no-version=true 2>&1 || true)
    if printf '%s\n' "$out" | grep -qE 'test cases: +1 \| +1 passed'; then echo passed
    elif printf '%s\n' "$out" | grep -qE 'test cases: +1 \| +0 passed \| +1 failed'; then echo failed
    else echo "ran-not-one"
    fi
}

# Every exercise test case must fail against its stub and pass against its solution,
# each case run on its own.
cmd_prove_exercises() {
    local stubs=build-stubs
    # Stubs are the learner files as committed; refuse if they were edited in this tree.
    git diff --quiet HEAD -- exercises/ ':!exercises/solutions' ':!exercises/manifest.txt' \
        || die "exercises/ has local edits; prove the stubs on a clean clone"
    setup
    build release
    build stubs
    local id name total=0 bad=0 n on_stub on_solution
    for id in $(exercise_ids); do
        n=0
        while IFS= read -r name; do
            n=$((n + 1)); total=$((total + 1))
            on_stub=$(run_one_case "$stubs/ex_$id" "$name")
            on_solution=$(run_one_case "$BUILD/ex_$id" "$name")
            if [ "$on_stub" != failed ] || [ "$on_solution" != passed ]; then
                echo "  $id: \"$name\": stub $on_stub, solution $on_solution"
                bad=$((bad + 1))
            fi
        done < <("$BUILD/ex_$id" --list-test-cases --no-version=true | grep -vE '^\[doctest\]|^=+$|^$')
        [ "$n" -gt 0 ] || { echo "  $id: no test cases"; bad=$((bad + 1)); }
    done
    if [ "$bad" -gt 0 ]; then die "exercise proof failed ($bad problem(s))"; fi
    say "all $total exercise test cases fail against the stubs and pass against the solutions"
}

# Each committed wrong answer (tests/exercises/wrong/ID.txt: the solution with one mistake a
# learner plausibly makes) must fail its exercise's test, and the solution pass it: a test is
# only as good as the mistakes it catches. All are built in $BUILD, one test object per
# exercise. IDs (or unique beginnings) pick some exercises.
cmd_prove_wrong() {
    local ids=() id
    for id in "$@"; do ids+=("$(exercise_id "$id")"); done
    [ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(exercise_ids)
    setup
    local dir=$BUILD/wrong
    /usr/bin/python3 tests/exercises/wrong_answers.py write "$dir" >/dev/null \
        || die "the wrong answers do not apply (above)"
    # Configure again so that the build sees the wrong answers just written.
    mkdir -p "$BUILD"
    cmake --preset release >"$BUILD/configure.log" 2>&1 \
        || { cat "$BUILD/configure.log" >&2; die "cmake configure failed (log above)"; }
    if [ $# -eq 0 ]; then build release wrong_answers
    else build release "${ids[@]/#/wrong_}"
    fi
    local total=0 bad=0 name out summary caught src
    for id in "${ids[@]}"; do
        if ! "$BUILD/ex_$id" --no-version=true >/dev/null 2>&1; then
            echo "  $id: the solution fails its own test"; bad=$((bad + 1))
        fi
        caught=()
        for src in "$dir/$id"/*.cpp; do
            name=$(basename "$src" .cpp); total=$((total + 1))
            # A wrong answer may loop (a stride of 0, say): bounded.
            out=$(timeout -k 5 120 "$BUILD/wrong_${id}__$name" --no-version=true 2>&1) && {
                echo "  $id: wrong answer '$name' PASSES the test: $(sed -n 2p "$src" | cut -c4-)"
                bad=$((bad + 1)); continue; }
            summary=$(printf '%s\n' "$out" | grep -E '^\[doctest\] test cases:' | tail -n 1)
            if [[ $summary =~ \|\ +([0-9]+)\ failed ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
                caught+=("$name (${BASH_REMATCH[1]}/$(grep -oE 'test cases: +[0-9]+' <<<"$summary" | grep -oE '[0-9]+$'))")
            else  # a crash or a time-out is no verdict a learner can read
                echo "  $id: wrong answer '$name' did not fail cleanly:"
                printf '%s\n' "$out" | tail -n 5 | sed 's/^/      /'
                bad=$((bad + 1))
            fi
        done
        echo "  $id: ${#caught[@]} caught: ${caught[*]}"
    done
    [ "$bad" -eq 0 ] || die "wrong-answer proof failed ($bad problem(s))"
    say "all $total wrong answers fail their exercise's test (failing cases / cases in brackets); the solutions pass"
}

# The docs in a real browser (CI): first the checker must catch each bug planted in
# tests/docs/bugs/, then every page of the docs must be clean, then a copy of the docs
# must render with the original folder gone.
cmd_docs_check() {
    setup chromium chromium-driver python3-selenium
    [ -f "$BUILD/docs/html/index.html" ] || cmd_docs >/dev/null
    say "browser check, self-test: each planted bug must be caught"
    # with one test file's page, for the test links of the clean chapter page
    /usr/bin/python3 docs/tools/test_links.py --pages "$BUILD/docs-bugs/tests" chapters/test_06_pooling.cpp >/dev/null
    doxygen_html "$BUILD/docs-bugs" "INPUT = tests/docs/bugs $BUILD/docs-bugs/tests" "IMAGE_PATH = tests/docs/bugs" \
        "USE_MDFILE_AS_MAINPAGE = tests/docs/bugs/control.md"
    local refs
    refs=$(/usr/bin/python3 docs/tools/check_refs.py "$BUILD/docs/workbook.tag" tests/docs/bugs/bad_refs.txt || true)
    grep -q "3 problem(s)" <<<"$refs" || die "check_refs missed a name or test that does not exist: $refs"
    /usr/bin/python3 docs/tools/editions.py --english-only "$BUILD/docs-bugs/html"
    /usr/bin/python3 tests/docs/editions_check.py --skip-search --expect tests/docs/bugs/expected.txt \
        "$BUILD/docs-bugs/html" \
        || die "the browser check missed a planted bug (or the control page failed)"
    say "browser check: every page of both editions, $BUILD/docs/html and its zh/"
    /usr/bin/python3 tests/docs/editions_check.py "$BUILD/docs/html" || die "the docs have problems (above)"
    tests/docs/portable.sh "$BUILD/docs/html"
}

# The live panels (CI): the WebAssembly build answers exactly what the native build does
# (node), the panels work in a real browser from disk, and pages without them stay whole.
cmd_live_check() {
    setup chromium chromium-driver python3-selenium "${LIVE_PACKAGES[@]}"
    [ -f "$BUILD/docs/html/live/wb_live.js" ] || cmd_docs >/dev/null
    ! grep -q WB_LIVE_MISSING "$BUILD/docs/html/live/wb_live.js" || die "the live panels were not built (see ./workbook docs)"
    build release live_cli
    say "live panels: WebAssembly against native, under node"
    tests/live/compare.sh "$BUILD" "$BUILD/docs/html/live/wb_live.js" "$BUILD/docs/html/live/lenet_weights.js"
    say "live panels: in headless Chromium, from disk"
    /usr/bin/python3 tests/live/browser_live.py "$BUILD/docs/html" || die "the live panels failed in the browser (above)"
    say "live panels: a copy of the docs without them"
    tests/live/not_built.sh "$BUILD/docs/html"
}

cmd_sanitize() {
    setup
    # WB_NATIVE=OFF: the sanitizers check the portable vector path of the fast kernels,
    # while ./workbook test checks the -march=native one this machine runs.
    build sanitize
    ctest --preset sanitize -j "$JOBS"  # the preset sets ASAN_OPTIONS and UBSAN_OPTIONS
}

# The 256-bit (AVX2 + FMA) kernels: 8 images per vector, the path of machines without
# AVX-512. On an AVX-512 machine ./workbook test runs the 512-bit path and sanitize the
# portable one; this builds the tests for AVX2 alone so the third is tested too.
cmd_test_avx2() {
    setup
    grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo \
        || { say "test-avx2: this CPU has no AVX2 + FMA; nothing to test"; return 0; }
    build avx2
    build-avx2/test_reference --minimal || die "test_reference fails with the AVX2 kernels"
    build-avx2/test_chapters --minimal || die "test_chapters fails with the AVX2 kernels"
    say "test-avx2: the tests pass on the 256-bit kernels"
}

# The fuzzers need clang's libFuzzer (Debian: clang-14, libclang-rt-14-dev).
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)
FUZZ_BUILD=build-fuzz

cmd_fuzz() {
    local seconds=${1:-60}
    [[ $seconds =~ ^[0-9]+$ ]] || die "fuzz takes the seconds per fuzzer (default 60), got '$seconds'"
    setup "${FUZZ_PACKAGES[@]}"
    build fuzz
    local name corpus work log
    for name in idx image checkpoint live; do
        corpus=fuzz/corpus/$name
        log=$FUZZ_BUILD/fuzz_$name.log
        # Every committed input once: the crashers found so far stay fixed.
        "$FUZZ_BUILD/fuzz_$name" -runs=0 -rss_limit_mb=2048 -timeout=10 "$corpus" >"$log" 2>&1 \
            || { tail -n 30 "$log" >&2; die "fuzz_$name fails on its committed corpus $corpus (log: $log)"; }
        # New inputs, grown from a scratch copy so that the committed corpus stays small.
        work=$(mktemp -d)
        cp "$corpus"/* "$work"/
        "$FUZZ_BUILD/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/crash-$name-" "$work" >"$log" 2>&1 \
            || { tail -n 30 "$log" >&2; rm -rf "$work"
                 die "fuzz_$name found an input that fails: $FUZZ_BUILD/crash-$name-* (fix it, then add it to $corpus)"; }
        rm -rf "$work"
        say "fuzz_$name: $(ls "$corpus" | wc -l) committed inputs pass; $(grep -o 'number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') inputs tried in $seconds s, none failed"
    done
}

# The layout of new C++ lines (CI). .clang-format is applied to what is written, never as a
# tree-wide reformat, so only the lines changed since a base commit are checked: the
# commit in .ci/format-base (the check's start), or BASE. First a planted misformatted line
# must be caught, so that a missing or broken clang-format-diff cannot pass.
cmd_format() {
    local fix=0
    [ "${1:-}" = -i ] && { fix=1; shift; }
    local base=${1:-$(grep -v '^#' .ci/format-base | head -n 1)}
    # a shallow clone (CI's may be one) lacks the base: fetch the history once
    if ! git rev-parse -q --verify "$base^{commit}" >/dev/null && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
        git fetch -q --unshallow 2>/dev/null || true
    fi
    git rev-parse -q --verify "$base^{commit}" >/dev/null || die "format: no commit '$base' in this clone"
    setup clang-format
    local tmp out
    tmp=$(mktemp -d)
    printf 'int  f( ) {return 1;}\n' >"$tmp/planted.cpp"
    out=$(cd "$tmp" && printf -- '--- a/planted.cpp\n+++ b/planted.cpp\n@@ -0,0 +1 @@\n+int  f( ) {return 1;}\n' \
        | clang-format-diff -p1 -style=file:"$ROOT/.clang-format" 2>&1 || true)
    rm -rf "$tmp"
    grep -q '^+int f() { return 1; }' <<<"$out" || die "format: clang-format-diff missed a planted line: $out"
    local diff=(git diff -U0 --no-color "$base" -- '*.cpp' '*.hpp')
    if [ "$fix" = 1 ]; then
        "${diff[@]}" | clang-format-diff -p1 -i
        say "format: the C++ lines changed since ${base:0:12} are laid out as .clang-format says"
        return 0
    fi
    out=$("${diff[@]}" | clang-format-diff -p1)
    if [ -n "$out" ]; then
        head -n 60 <<<"$out"
        die "format: lines changed since ${base:0:12} differ from .clang-format (above; ./workbook dev format -i fixes them)"
    fi
    say "format: the C++ lines changed since ${base:0:12} ($(git diff --name-only "$base" -- '*.cpp' '*.hpp' | wc -l) files) follow .clang-format"
}
