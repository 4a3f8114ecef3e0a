# shellcheck shell=bash
# The runner's commands: run the chapters, test everything, the benchmarks.

cmd_run() {
    local ids=() d
    case " $* " in *" --yours "*) cmd_run_yours "$@"; return ;; esac  # workbook.d/learner.sh
    if [ $# -eq 0 ]; then
        for d in $(chapter_dirs); do ids+=("$(basename "$d" | cut -c1-2)"); done
    else
        for d in "$@"; do d=$(chapter_dir "$d") || exit 2; ids+=("$(basename "$d" | cut -c1-2)"); done
    fi
    setup
    build release chapters
    local failed=()
    for id in "${ids[@]}"; do
        echo
        echo "==================== chapter $id: $(basename "$(chapter_dir "$id")") ===================="
        "$BUILD/ch$id" || failed+=("$id")
    done
    [ ${#failed[@]} -eq 0 ] || die "chapter(s) ${failed[*]} reported a failed check"
}

cmd_test() {
    setup bats inotify-tools  # bats: the front door's own tests; inotify-tools: watch
    build release
    ctest --preset release -j "$JOBS"
    learner_prepare  # every exercise's first ./workbook check then only compiles your file
    say "testing the workbook script itself: tests/workbook/*.bats, in a copy of this tree"
    bats tests/workbook
}

cmd_bench() {
    [ -x bench/run ] || die "no benchmarks yet (bench/run)"
    # the peers (the same LeNet-5 in PyTorch, libtorch and dlib; OpenBLAS given to them alone),
    # Fashion-MNIST, and GNU time for peak memory
    setup python3-torch libtorch-dev libdlib-dev libopenblas0-pthread dataset-fashion-mnist time
    build release ch11 lenet_profile
    bench/run "$BUILD"
}
