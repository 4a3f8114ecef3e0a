#!/usr/bin/env bats
# The front door, tried as a learner would: ids, verdicts, the safe learner build, watch,
# reset and progress. Runs in a copy of the working tree (a git repository of its own, as a
# clone is), so the tracked exercise files are never touched; `./workbook test` runs it.

load tree  # setup_file: $TREE, a copy of the working tree as a git repository

teardown() {  # every test starts from the stubs and no progress; the learner build stays
    git -C "$TREE" checkout -q -- exercises
    git -C "$TREE" clean -qfx exercises
    rm -rf "$TREE/.workbook"
}

# put ID BODY: your file of exercise ID becomes these lines (the header included first)
put() {
    local id=$1 file
    file="$TREE/exercises/$1/${1#[0-9][0-9]_}.cpp"
    shift
    { echo "#include \"$id/${id#[0-9][0-9]_}.hpp\""; echo '#include "ops.hpp"'; printf '%s\n' "$@"; } >"$file"
}
OUTPUT_SIZE_RIGHT='int ex::output_size(int n, int f, int p, int s) { return (n + 2 * p - f) / s + 1; }'
OUTPUT_SIZE_WRONG='int ex::output_size(int n, int f, int p, int s) { return (n + p - f) / s + 1; }'

# case_commands FILE INDENT: the commands a `case` in FILE dispatches (arms at INDENT spaces
# whose pattern starts with a word), the arms that only refuse (die) left out.
case_commands() {
    awk -v ind="$2" '
        /^[[:space:]]*case "\$(cmd|sub)" in/ { on = 1; next }
        on && /^[[:space:]]*esac/ { on = 0 }
        on && index($0, ind) == 1 && substr($0, length(ind) + 1, 1) ~ /[a-z]/ && $0 !~ /\) *die / {
            sub(/^ */, ""); sub(/[ )|].*/, ""); print
        }' "$1"
}

@test "help lists every command the dispatcher knows, the dev commands among them" {
    run wb help
    [ "$status" -eq 0 ]
    local c n=0
    for c in $(case_commands "$TREE/workbook" "    "); do
        n=$((n + 1))
        [[ $output == *"  $c "* ]] || { echo "help does not list: $c"; false; }
    done
    [ "$n" -ge 12 ]  # run test docs exercises check watch reset hint solution bench setup dev help
    local dev_help=$output
    run wb dev help
    [ "$status" -eq 0 ]
    n=0
    for c in $(case_commands "$TREE/workbook.d/dev.sh" "        "); do
        n=$((n + 1))
        [ "$c" = help ] && continue
        [[ $dev_help == *"      $c "* ]] || { echo "help does not list: dev $c"; false; }
        [[ $output == *"  $c "* ]] || { echo "dev help does not list: $c"; false; }
    done
    [ "$n" -ge 8 ]  # sanitize test-avx2 fuzz prove-exercises prove-errata docs-check live-check help
}

@test "a developer command by its old name says where it went, one line, exit 2" {
    run wb prove-exercises
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"./workbook dev prove-exercises"* ]]
    run wb dev frobnicate
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
}

@test "an unknown command is one line and exit 2" {
    run wb frobnicate
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
}

@test "ids are never patterns: '0.*' and '1.' are unknown, one line, exit 2, with the candidates" {
    run wb check '0.*'
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"unknown exercise '0.*'"*01_output_size*11_delta_c3* ]]
    run wb run '1.'
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"unknown chapter '1.'"*01_conv_forward* ]]
    run wb hint 'delta_out|rot'
    [ "$status" -eq 2 ]
}

@test "an ambiguous id lists its candidates; a unique beginning or a number works" {
    run wb hint 01
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"01_output_size 01_cross_correlate"* ]]
    run wb check 1
    [ "$status" -eq 2 ]
    [[ $output == *"could be any of 2 exercises"* ]]
    run wb hint 02_delta
    [ "$status" -eq 0 ]
    [[ $output == *"(hint 1 of "*"./workbook hint 02_delta_out for the next)"* ]]
    run wb hint rot all
    [ "$status" -eq 0 ]
    [[ $output == *"$(cd "$TREE" && awk '/^[0-9]+\. /{n++} n>=1' exercises/02_rot180/HINT.md)" ]]
}

@test "a mistyped id gets a suggestion, in one line" {
    run wb check 01_output_sise
    [ "$status" -eq 2 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ $output == *"unknown exercise '01_output_sise': did you mean 01_output_size?"* ]]
    run wb hint crosscorrelate
    [ "$status" -eq 2 ]
    [[ $output == *"did you mean 01_cross_correlate?"* ]]
    run wb run lenett
    [ "$status" -eq 2 ]
    [[ $output == *"did you mean 11_lenet?"* ]]
}

@test "hint shows the declaration to write and the wb:: calls it needs" {
    run wb hint 04_delta_out_layer
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "You write (declared in exercises/04_delta_out_layer/delta_out_layer.hpp):" ]]
    [[ $output == *"wb::Tensor<double> delta_out_layer(const wb::Tensor<double>& delta_in"* ]]
    [[ $output == *"Tensor<T> pad(const Tensor<T>& x, int ph, int pw)"* ]]
    [[ $output == *"void add_to_plane(int n, int c, const Tensor& map)"* ]]
    [[ $output == *"1. "* ]]
}

@test "a corrupted hints file is one line of warning, then hint 1" {
    mkdir -p "$TREE/.workbook"
    printf '3+(\n' >"$TREE/.workbook/hints-02_rot180"
    run wb hint 02_rot180
    [ "$status" -eq 0 ]
    [[ $output != *"operand expected"* ]]
    [[ $output == *".workbook/hints-02_rot180 was not a count of hints seen; starting again from hint 1"* ]]
    [[ $output == *"(hint 1 of "* ]]
    [ "$(cat "$TREE/.workbook/hints-02_rot180")" = 1 ]
}

@test "setup has nothing to install here" {
    run wb setup
    [ "$status" -eq 0 ]
}

@test "an untouched stub is one line: not started, open FILE" {
    run wb check 01_output_size
    [ "$status" -eq 1 ]
    [ "${lines[-1]}" = "01_output_size: not started, open exercises/01_output_size/output_size.cpp (then ./workbook check 01_output_size; a hint: ./workbook hint 01_output_size)" ]
    run wb check 01_output_size
    [ "${#lines[@]}" -eq 1 ]
    run wb exercises
    [[ $output == *"[ ] 01_output_size"* ]]
}

@test "a wrong answer: the first failing check, expected vs actual, what to try, in under 25 lines" {
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb check 01_output
    [ "$status" -eq 1 ]
    [ "${#lines[@]}" -le 25 ]
    # a fresh copy builds the exercise's harness first, and says so in one line
    local report=("${lines[@]}")
    [[ ${report[0]} != "workbook: building the test harness of 01_output_size"* ]] || report=("${report[@]:1}")
    [ "${report[0]}" = "✗ 01_output_size: The output-size formula, floor and all" ]
    [ "${report[1]}" = "check: padding counts on both sides: 5×5, pad 1, stride 2 → 3" ]
    [[ $output == *"expected 3, actual 2"* ]]
    [ "${lines[-1]}" = "Try: ./workbook hint 01_output_size (3 hints, cheapest first); your file: exercises/01_output_size/output_size.cpp" ]
    run wb check --verbose 01_output_size
    [ "$status" -eq 1 ]
    [ "$(grep -c '^check: ' <<<"$output")" -gt 1 ]
}

@test "what the learner's code prints is shown, a few lines of it" {
    put 01_output_size '#include <iostream>' \
        'int ex::output_size(int n, int f, int p, int s) { std::cout << "n=" << n << " f=" << f << "\n"; return (n + p - f) / s + 1; }'
    run wb check 01_output_size
    [ "$status" -eq 1 ]
    [[ $output == *"your code printed 5 lines (all of them: ./workbook check --verbose 01_output_size):"* ]]
    [[ $output == *"  | n=5 f=3"* ]]
    [[ $output == *"expected 3, actual 2"* ]]
    [ "${#lines[@]}" -le 25 ]
}

@test "a map that is close but not equal: side by side, with the first difference's relative error" {
    put 01_cross_correlate \
        'wb::Tensor<double> ex::cross_correlate(const wb::Tensor<double>& x, const wb::Tensor<double>& w, int S) {' \
        '    wb::Tensor<double> z(wb::Shape{1, 1, wb::output_size(x.h(), w.h(), 0, S), wb::output_size(x.w(), w.w(), 0, S)});' \
        '    for (int i = 0; i < z.h(); ++i) for (int j = 0; j < z.w(); ++j)' \
        '        for (int m = 0; m < w.h(); ++m) for (int n = 0; n < w.w(); ++n) z(i, j) += w(m, n) * x(i * S + m, j * S + n);' \
        '    z(1, 2) *= 1 + 1e-9;' \
        '    return z;' \
        '}'
    run wb check 01_cross
    [ "$status" -eq 1 ]
    [ "${#lines[@]}" -le 25 ]
    [[ $output == *"  expected (3×3)    actual"* ]]
    [[ $output == *"first difference at row 1, col 2: expected 3, actual 3.000000003 (relative error 5.0"*"e-10)"* ]]
    [[ $output == *"1 of 9 elements differ"* ]]
}

@test "a correct answer passes, names the next exercise and opens the solution" {
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb solution 01_output_size
    [ "$status" -eq 1 ]
    [[ $output == *"the solution of 01_output_size opens once your own passes"* ]]
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    run wb check 01_output_size
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "✓ 01_output_size passes: "*" checks in 4 test cases." ]]
    [[ $output == *"Progress: ["*"] 1/"* ]]
    [[ ${lines[-1]} == "Next: 01_cross_correlate, "*": ./workbook check 01_cross_correlate" ]]
    run wb solution 01_out
    [ "$status" -eq 0 ]
    [ "$output" = "$(cat "$TREE/exercises/solutions/01_output_size.cpp")" ]
    run wb exercises
    [[ $output == *"[x] 01_output_size"* ]]
    [[ $output == *"Next: ./workbook check 01_cross_correlate"* ]]
}

@test "a plain check after a fix prints the fix's pass first, then what is next, building nothing for it" {
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb check 01_output_size
    [ "$status" -eq 1 ]
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    run wb check
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "✓ 01_output_size passes: "* ]]
    [[ ${lines[-1]} == "Next: 01_cross_correlate, "*": ./workbook check 01_cross_correlate" ]]
    [[ $output != *"building"* ]]
    [ ! -e "$TREE/.workbook/status/01_cross_correlate" ]  # its harness was not even run
    # Nothing changed since: the next exercise, not started, in one line.
    run wb check
    [ "$status" -eq 1 ]
    [ "$output" = "01_cross_correlate: not started, open exercises/01_cross_correlate/cross_correlate.cpp (then ./workbook check 01_cross_correlate; a hint: ./workbook hint 01_cross_correlate)" ]
    # A wrong answer, checked plainly, is shown too (not skipped for the next exercise).
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb check
    [ "$status" -eq 1 ]
    printf "%s\n" "${lines[@]}" >/tmp/bats_out.txt
    [ "${lines[0]}" = "✗ 01_output_size: The output-size formula, floor and all" ]
}

@test "two checks at once (as watch and check in two terminals) each report the right verdict" {
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    local a="$BATS_TEST_TMPDIR/a" b="$BATS_TEST_TMPDIR/b" ra=0 rb=0
    "$TREE/workbook" check 01_output_size >"$a" 2>&1 3>&- &
    local pa=$!
    "$TREE/workbook" check 01_output_size >"$b" 2>&1 3>&- &
    local pb=$!
    wait "$pa" || ra=$?
    wait "$pb" || rb=$?
    cat "$a" "$b"
    [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ]
    grep -q "✓ 01_output_size passes" "$a"
    grep -q "✓ 01_output_size passes" "$b"
    # and a wrong answer is failed by both
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    "$TREE/workbook" check 01_output_size >"$a" 2>&1 3>&- &
    pa=$!
    "$TREE/workbook" check 01_output_size >"$b" 2>&1 3>&- &
    pb=$!
    ra=0 rb=0
    wait "$pa" || ra=$?
    wait "$pb" || rb=$?
    cat "$a" "$b"
    [ "$ra" -eq 1 ] && [ "$rb" -eq 1 ]
    grep -q "expected 3, actual 2" "$a"
    grep -q "expected 3, actual 2" "$b"
}

@test "an exception thrown inside a library helper names the learner's line" {
    put 01_cross_correlate \
        'wb::Tensor<double> ex::cross_correlate(const wb::Tensor<double>& x, const wb::Tensor<double>& w, int) {' \
        '    wb::Tensor<double> z(x.shape());' \
        '    z.add_to_plane(0, 0, w);' \
        '    return z;' \
        '}'
    run wb check 01_cross_correlate
    [ "$status" -eq 1 ]
    [[ $output == *"Tensor::add_to_plane: the map is "* ]]
    [[ $output == *"thrown in a call made at exercises/01_cross_correlate/cross_correlate.cpp:5 (in ex::cross_correlate"* ]]
}

@test "progress is the files as they are now: a solved exercise broken again shows as failing" {
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    run wb check 01_output_size
    [ "$status" -eq 0 ]
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb exercises
    [[ $output == *"[!] 01_output_size"* ]]
    [[ $output == *"] 0/"* ]]
    run wb solution 01_output_size
    [ "$status" -eq 1 ]
    run wb check
    [ "$status" -eq 1 ]
    [[ ${lines[0]} == "✗ 01_output_size: "* ]]
}

@test "progress counts a file solved but never checked: exercises checks it" {
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    run wb exercises
    [ "$status" -eq 0 ]
    [[ $output == *"[x] 01_output_size"* ]]
    [[ $output == *"] 1/"* ]]
}

@test "an endless loop: your function did not return within the stated limit" {
    put 01_output_size 'int ex::output_size(int n, int, int, int) { volatile int k = 0; while (k < 1) k = 0; return n; }'
    WB_TIME_LIMIT=2 run wb check 01_output_size
    [ "$status" -eq 1 ]
    [[ $output == *"✗ your function did not return within the time limit (2 s of CPU time), while checking: the notes' examples"* ]]
}

@test "an out-of-bounds write: one sentence at the learner's line" {
    put 01_cross_correlate \
        'wb::Tensor<double> ex::cross_correlate(const wb::Tensor<double>& x, const wb::Tensor<double>&, int) {' \
        '    wb::Tensor<double> z(x.shape());' \
        '    for (int i = 0; i <= z.h(); ++i) z(i, 0) = 1;' \
        '    return z;' \
        '}'
    run wb check 01_cross_correlate
    [ "$status" -eq 1 ]
    [[ $output == *"✗ out of bounds at exercises/01_cross_correlate/cross_correlate.cpp:5 (in ex::cross_correlate): element (0,0,"*") is outside a tensor of shape "* ]]
    [ "${#lines[@]}" -le 25 ]
}

@test "a write past a raw buffer: AddressSanitizer's report in one sentence at the learner's line" {
    put 01_cross_correlate \
        'wb::Tensor<double> ex::cross_correlate(const wb::Tensor<double>& x, const wb::Tensor<double>&, int) {' \
        '    wb::Tensor<double> z(x.shape());' \
        '    double* p = z.values().data();' \
        '    for (std::size_t i = 0; i <= z.size(); ++i) p[i] = 1;' \
        '    return z;' \
        '}'
    run wb check 01_cross_correlate
    [ "$status" -eq 1 ]
    [[ $output == *"✗ memory error at exercises/01_cross_correlate/cross_correlate.cpp:6 (in ex::cross_correlate): a write of 8 bytes outside the memory it owns (AddressSanitizer: heap-buffer-overflow)."* ]]
}

@test "undefined behaviour: UndefinedBehaviorSanitizer's report in one sentence" {
    put 01_output_size 'int ex::output_size(int n, int f, int p, int s) { int big = 2147483647; big += n; return big + f + p + s; }'
    run wb check 01_output_size
    [ "$status" -eq 1 ]
    [[ $output == *"✗ undefined behaviour at exercises/01_output_size/output_size.cpp:3 (in ex::output_size): signed integer overflow"* ]]
}

@test "a file that does not compile: its first error in full; warnings are shown" {
    put 01_output_size 'int ex::output_size(int n, int f, int p, int s) { int unused = 0; return (n + 2 * p - f) / s + 1 }'
    run wb check 01_output_size
    [ "$status" -eq 1 ]
    [ "${lines[0]}" = "✗ 01_output_size: your file does not compile. The first error:" ]
    [[ $output == *"exercises/01_output_size/output_size.cpp:3:"*"error: expected ';' before '}' token"* ]] \
        || [[ $output == *"exercises/01_output_size/output_size.cpp:3:"*"error: expected ‘;’ before ‘}’ token"* ]]
    [[ $output == *"Fix that first"* ]]
    put 01_output_size 'int ex::output_size(int n, int f, int p, int s) { int unused = 0; return (n + 2 * p - f) / s + 1; }'
    run wb check 01_output_size
    [ "$status" -eq 0 ]
    [[ $output == *"the compiler warns about your file"*"unused variable"* ]]
}

@test "watch checks again on each save and moves on after a pass" {
    local out="$BATS_TEST_TMPDIR/watch.out"
    "$TREE/workbook" watch 01_output_size >"$out" 2>&1 3>&- &
    local pid=$!
    wait_for() {  # TEXT: until the watch output shows it (60 s at most)
        local i
        for i in $(seq 600); do grep -qF -- "$1" "$out" && return 0; sleep 0.1; done
        echo "watch never printed: $1"; cat "$out"; kill "$pid"; return 1
    }
    wait_for "01_output_size: not started"
    wait_for "save it to check again"
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    wait_for "✗ 01_output_size"
    put 01_output_size "$OUTPUT_SIZE_RIGHT"
    wait_for "✓ 01_output_size passes"
    wait_for "01_cross_correlate: not started"
    wait_for "watching exercises/01_cross_correlate/cross_correlate.cpp"
    kill "$pid"
    wait "$pid" || true
}

@test "reset puts the stub back and keeps the learner's version beside it" {
    put 01_output_size "$OUTPUT_SIZE_WRONG"
    run wb reset 01_output
    [ "$status" -eq 0 ]
    [[ $output == *"your version is kept in exercises/01_output_size/output_size.cpp.yours"* ]]
    cmp "$TREE/exercises/01_output_size/output_size.cpp" <(git -C "$TREE" show HEAD:exercises/01_output_size/output_size.cpp)
    grep -qF "$OUTPUT_SIZE_WRONG" "$TREE/exercises/01_output_size/output_size.cpp.yours"
    run wb check 01_output_size
    [[ $output == *"not started"* ]]
    run wb reset 01_output_size
    [[ $output == *"already the stub"* ]]
}

@test "bench/ab.sh refuses what it cannot compare with one line and exit 2, before building" {
    for args in "--rounds 0 HEAD HEAD" "--speed HEAD HEAD" "HEAD" "HEAD no-such-revision"; do
        run "$TREE/bench/ab.sh" $args
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ $output == "bench/ab.sh: error: "* ]]
    done
    [[ $output == *"'no-such-revision' is not a revision"* ]]
    [ ! -e "$TREE/build/ab" ]
    run "$TREE/bench/ab.sh" --help
    [ "$status" -eq 0 ]
    [[ $output == *"REV_A REV_B"* ]]
}
