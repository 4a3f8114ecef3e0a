#!/usr/bin/env bats
# ./workbook run 11 --yours on a copy of the tree: no exercise solved, one broken on
# purpose, all solved. CI-only (.ci/run): it builds chapter 11 again with the learner's
# files and trains LeNet-5 twice, minutes that `./workbook test` should not cost everyone.

load ../tree

solve_all() {  # every exercise file becomes its solution
    local id
    for id in $(grep -vE '^[[:space:]]*(#|$)' "$TREE/exercises/manifest.txt" | awk '{print $1}'); do
        cp "$TREE/exercises/solutions/$id.cpp" "$TREE/exercises/$id/${id#[0-9][0-9]_}.cpp"
    done
}

teardown() {
    git -C "$TREE" checkout -q -- exercises
    git -C "$TREE" clean -qfx exercises
}

@test "none solved: it says it trains the workbook's own layers, and trains" {
    run wb run 11 --yours --epochs 1 --limit 600 --validation 100
    [ "$status" -eq 0 ]
    [[ $output == *"·  01_cross_correlate"*"not solved yet, the workbook's function runs instead"* ]]
    [[ $output == *"None of these exercises is solved yet: this run trains the workbook's own layers."* ]]
    [[ $output == *"epoch 1: "* ]]
}

@test "one exercise broken on purpose: named, with what differs, before any training" {
    solve_all
    # = for += in the bias gradient: only the last element of each map counts.
    sed -i 's/+= delta_in(n, k, i, j)/= delta_in(n, k, i, j)/' "$TREE/exercises/05_grad_b/grad_b.cpp"
    ! cmp -s "$TREE/exercises/05_grad_b/grad_b.cpp" "$TREE/exercises/solutions/05_grad_b.cpp"
    run wb run 11 --yours
    [ "$status" -eq 1 ]
    [[ $output == *"✓  04_delta_out_layer"* ]]
    [[ $output == *"✗  05_grad_b"* ]]
    [[ $output == *"Your 05_grad_b disagrees (C1 and C3 backward: the bias gradient): db vs wb::conv2d_backward: relative error"* ]]
    [[ $output == *"Nothing was trained. Fix it (./workbook check 05_grad_b), then run again."* ]]
    [[ $output != *"epoch 1"* ]]
}

@test "all solved: the learner's own layers train LeNet-5 to at least 97% on the test digits" {
    solve_all
    run wb run 11 --yours
    echo "$output" | tail -n 30
    [ "$status" -eq 0 ]
    [ "$(grep -c '^  ✓  ' <<<"$output")" -eq 11 ]
    [[ $output == *"Training with your functions in 11 of 11 places"* ]]
    local acc
    acc=$(sed -n 's/^test accuracy \([0-9.]*\)%.*/\1/p' <<<"$output")
    [ -n "$acc" ]
    awk -v a="$acc" 'BEGIN { exit !(a >= 97) }'
    [ -s "$TREE/out/11_lenet_yours/11_accuracy.png" ] || ! command -v gnuplot
}
