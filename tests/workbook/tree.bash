# Shared by the bats files: setup_file makes $TREE, a copy of the working tree (tracked and
# new files as they are now, no build trees) committed as a git repository of its own, as
# a clone is; so the tracked exercise files are never touched.
setup_file() {
    local repo
    repo=$(cd "$BATS_TEST_DIRNAME" && git rev-parse --show-toplevel)
    export TREE="$BATS_FILE_TMPDIR/tree"
    mkdir -p "$TREE"
    (cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 sh -c \
        'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh | tar -c --null -T - -f -) \
        | tar -x -C "$TREE"
    git -C "$TREE" init -q
    git -C "$TREE" add -A
    git -C "$TREE" -c user.name=bats -c user.email=bats@localhost commit -qm "the workbook as shipped"
}

wb() { "$TREE/workbook" "$@"; }
