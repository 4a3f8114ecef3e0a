#!/usr/bin/env bats
# ./workbook dev new-exercise, in a copy of the working tree: the scaffold builds at once, its
# test fails on the stub, prove-wrong asks for its wrong answers, bad requests are refused.

load copy_tree

setup_file() {
    export TREE="$BATS_FILE_TMPDIR/tree"
    copy_tree "$TREE"
}

wb() { "$TREE/workbook" "$@"; }

@test "new-exercise writes six files and the manifest line; its test fails on the stub" {
    run wb dev new-exercise 09_logsumexp "Log-sum-exp that survives logits of 1000"
    [ "$status" -eq 0 ]
    for f in exercises/09_logsumexp/logsumexp.hpp exercises/09_logsumexp/logsumexp.cpp \
             exercises/09_logsumexp/HINT.md exercises/solutions/09_logsumexp.cpp \
             tests/exercises/test_09_logsumexp.cpp tests/exercises/wrong/09_logsumexp.txt; do
        [ -f "$TREE/$f" ]
    done
    # In chapter order: after 09's last exercise, before 10's first.
    run grep -n -E '^(09_softmax_ce_backward|09_logsumexp|10_gradient_step) ' "$TREE/exercises/manifest.txt"
    [[ ${lines[0]} == *09_softmax_ce_backward* && ${lines[1]} == *09_logsumexp*ch09_softmax*"Log-sum-exp"* \
       && ${lines[2]} == *10_gradient_step* ]]
    # The learner's build (their stub) and the solutions' build both compile it; both fail.
    cmake -S "$TREE" -B "$TREE/build-stub" -DWB_EXERCISES=learner >/dev/null
    nice cmake --build "$TREE/build-stub" -j 2 --target ex_09_logsumexp >/dev/null
    run "$TREE/build-stub/ex_09_logsumexp" --no-version=true
    [ "$status" -ne 0 ]
    [[ $output == *"test cases: 1 | 0 passed | 1 failed"* ]]
    # The prove-wrong check wants three wrong answers before anything is built.
    run wb dev prove-wrong 09_logsumexp
    [ "$status" -ne 0 ]
    [[ $output == *"09_logsumexp: 0 wrong answer(s)"*"at least 3 needed"* ]]
}

@test "new-exercise with a declaration of its own writes a stub that matches it" {
    run wb dev new-exercise 10_step_size "The step size" "double step_size(const std::vector<double>& l, std::pair<int, int> p)"
    [ "$status" -eq 0 ]
    grep -qF 'double ex::step_size([[maybe_unused]] const std::vector<double>& l, [[maybe_unused]] std::pair<int, int> p) {' \
        "$TREE/exercises/10_step_size/step_size.cpp"
    grep -qF 'double step_size(const std::vector<double>& l, std::pair<int, int> p);' \
        "$TREE/exercises/10_step_size/step_size.hpp"
}

@test "new-exercise refuses a bad id, a missing chapter, an existing exercise, a wrong name" {
    run wb dev new-exercise Softmax "x"
    [ "$status" -eq 2 ]; [[ $output == *"not an id like 09_logsumexp"* ]]
    run wb dev new-exercise 42_thing "x"
    [ "$status" -eq 2 ]; [[ $output == *"no chapter 42"* ]]
    run wb dev new-exercise 09_softmax "x"
    [ "$status" -eq 2 ]; [[ $output == *"exists already"* ]]
    run wb dev new-exercise 09_other "x" "double another(double z)"
    [ "$status" -eq 2 ]; [[ $output == *"named other"* ]]
    run wb dev new-exercise 09_other
    [ "$status" -eq 2 ]; [[ $output == *usage* ]]
}
