# copy_tree DEST: the working tree as it is now (tracked files and new ones git does not
# ignore, without build trees) copied to DEST, for bats tests that must not touch it.
copy_tree() {
    local repo
    repo=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
    mkdir -p "$1"
    (cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 sh -c \
        'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh | tar -c --null -T - -f -) \
        | tar -x -C "$1"
}
