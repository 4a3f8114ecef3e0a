# shellcheck shell=bash
# The learner's commands: exercises, check, watch, hint, solution, reset, and what they
# share (the manifest, your progress, the learner build and its verdict).

# ---- exercises: ids a person types --------------------------------------------------------

# The manifest: "id page title…" lines, comments and blanks skipped.
# Read once, when the workbook starts (a check asks for the ids several times).
EXERCISE_IDS=()
[ ! -f "$MANIFEST" ] || mapfile -t EXERCISE_IDS < <(grep -vE '^[[:space:]]*(#|$)' "$MANIFEST" | awk '{print $1}')
exercise_ids() { [ ${#EXERCISE_IDS[@]} -eq 0 ] || printf '%s\n' "${EXERCISE_IDS[@]}"; }
exercise_title() { awk -v id="$1" '$1 == id { $1 = ""; $2 = ""; $3 = ""; sub(/^  */, ""); print }' "$MANIFEST"; }
exercise_level() {  # ID → ★, ★★ or ★★★ (the manifest's difficulty), padded to three columns
    local stars=("" "★  " "★★ " "★★★") n
    n=$(awk -v id="$1" '$1 == id { print $3 }' "$MANIFEST")
    [[ $n =~ ^[1-3]$ ]] || die "exercises/manifest.txt: $1 has difficulty '$n', not 1, 2 or 3"
    printf '%s' "${stars[$n]}"
}
learner_file() { echo "exercises/$1/${1#[0-9][0-9]_}.cpp"; }
exercise_id() { resolve exercise "$1" $(exercise_ids); }

# ---- exercises: your progress, as your files are now --------------------------------------

# $STATE/status/ID holds the last verdict on your file and the file's hash at that moment:
# "pass HASH", "fail HASH" or "new HASH" (not started). A verdict on another version of the
# file is stale: `state` checks the file again, so a solved exercise broken since shows as
# failing, not as solved.
file_hash() { sha1sum <"$(learner_file "$1")" | cut -c1-40; }
record() { mkdir -p "$STATE/status"; echo "$2 $(file_hash "$1")" >"$STATE/status/$1"; KNOWN[$1]=$2; }
recorded() {  # ID → pass|fail|new if a verdict on the file as it is now exists
    local f="$STATE/status/$1" verdict hash
    [ -f "$f" ] || return 1
    read -r verdict hash <"$f"
    [ "$hash" = "$(file_hash "$1")" ] || return 1
    echo "$verdict"
}
# KNOWN[ID]: the verdicts that need no build, for all the files at once (know_all): the
# recorded one if the file is as it was then, or "new" for a stub never checked. One
# sha1sum and one grep instead of several processes per exercise: the loops over every
# exercise (progress, what is next) are part of each check.
declare -A KNOWN=()
know_all() {
    local ids=() files=() i id f h v hash
    local -A hashes=() stub=()
    KNOWN=()
    for id in $(exercise_ids); do ids+=("$id"); files+=("exercises/$id/${id#[0-9][0-9]_}.cpp"); done
    while read -r h f; do hashes[$f]=$h; done < <(sha1sum "${files[@]}" 2>/dev/null || true)
    while read -r f; do stub[$f]=1; done < <(grep -l 'NotImplemented(' "${files[@]}" 2>/dev/null || true)
    for i in "${!ids[@]}"; do
        id=${ids[$i]} f=${files[$i]}
        if [ -f "$STATE/status/$id" ]; then
            read -r v hash <"$STATE/status/$id" || continue
            if [ "$hash" = "${hashes[$f]:-}" ]; then KNOWN[$id]=$v; fi
        elif [ -n "${stub[$f]:-}" ]; then
            KNOWN[$id]=new
        fi
    done
}

state() {  # ID → pass|fail|new, checking the file again (quietly) if it changed
    local v
    if [ -n "${KNOWN[$1]:-}" ]; then echo "${KNOWN[$1]}"; return 0; fi
    if v=$(recorded "$1"); then echo "$v"; return 0; fi
    # Never checked and still throwing NotImplemented: not started, no need to build.
    if [ ! -f "$STATE/status/$1" ] && grep -q 'NotImplemented(' "$(learner_file "$1")"; then
        echo new; return 0
    fi
    check_exercise "$1" quiet >/dev/null 2>&1 || true
    recorded "$1" || echo fail
}
is_solved() {  # (known verdicts without a subshell: the progress bar asks for all of them)
    if [ -n "${KNOWN[$1]:-}" ]; then [ "${KNOWN[$1]}" = pass ]; return; fi
    [ "$(state "$1")" = pass ]
}
next_unsolved() {  # [AFTER] → the first exercise not passing, after AFTER in order if given
    local id seen=${1:+no} first=""
    know_all
    for id in $(exercise_ids); do
        if [ "$seen" = no ]; then [ "$id" = "$1" ] && seen=yes; continue; fi
        is_solved "$id" || { echo "$id"; return 0; }
    done
    [ -n "${1:-}" ] && for id in $(exercise_ids); do is_solved "$id" || { echo "$id"; return 0; }; done
    return 1
}

progress_bar() {
    local done=0 total=0 id width=30
    know_all
    for id in $(exercise_ids); do
        total=$((total + 1))
        if is_solved "$id"; then done=$((done + 1)); fi
    done
    local filled=$((total ? done * width / total : 0))
    printf 'Progress: [%s%s] %d/%d exercises (%d%%)\n' \
        "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$(printf '%*s' $((width - filled)) '' | tr ' ' '-')" \
        "$done" "$total" $((total ? done * 100 / total : 0))
    KNOWN=()  # (what watch checks next may have changed by then)
}

cmd_exercises() {
    [ $# -eq 0 ] || die "exercises takes no arguments"
    local id mark
    know_all
    for id in $(exercise_ids); do
        case $(state "$id") in
            pass) mark="[x]" ;;
            fail) mark="[!]" ;;
            *) mark="[ ]" ;;
        esac
        printf '  %s %-22s %s %s\n' "$mark" "$id" "$(exercise_level "$id")" "$(exercise_title "$id")"
    done
    echo "  ([x] passes, [!] fails as your file is now, [ ] not started; ★ a few lines, ★★ loops"
    echo "  with a catch, ★★★ a whole layer: stride, padding, channels)"
    echo
    progress_bar
    if id=$(next_unsolved); then
        echo "Next: ./workbook check $id"
        echo "Your solved layers train LeNet-5 (the rest are the workbook's): ./workbook run 11 --yours"
    else
        recap
    fi
}

# What you derived, chapter by chapter (every exercise passes), and your LeNet's command.
recap() {
    echo "Every exercise passes. What you derived, chapter by chapter:"
    local ch
    for ch in $(exercise_ids | cut -c1-2 | uniq); do
        awk -v ch="$ch" 'substr($1, 1, 2) == ch { $1 = ""; $2 = ""; $3 = ""; sub(/^ */, "")
                         printf "  %-12s %s\n", (n++ ? "" : "Chapter " ch), $0 }' "$MANIFEST"
    done
    echo "Now your own backprop reads digits: ./workbook run 11 --yours"
    echo "(chapter 11's LeNet-5 trained with your cross-correlation, δ, kernel and bias gradients,"
    echo " pooling, ReLU, dense backward, softmax, cross-entropy and SGD step, each checked first)"
}

# ---- exercises: the learner build and its verdict ----------------------------------------

# The learner build compiles your file at -O0 with bounds-checked tensors, AddressSanitizer
# and UndefinedBehaviorSanitizer (CMake's WB_LEARNER); the test harness is built once per
# exercise and only your file is compiled again after an edit. Its test runs with a limit.
TIME_LIMIT=${WB_TIME_LIMIT:-5}  # seconds of CPU time
[[ $TIME_LIMIT =~ ^[1-9][0-9]*$ ]] || die "WB_TIME_LIMIT must be a whole number of seconds, not '$TIME_LIMIT'"

# Learner builds take a lock: two checks at once (or watch in one terminal and check in
# another) wait for each other instead of building in the same tree together. Held until
# learner_unlock or the end of the command.
LEARNER_LOCK_FD=""
learner_lock() {
    [ -n "$LEARNER_LOCK_FD" ] && return 0
    mkdir -p "$LEARNER_BUILD"
    exec {LEARNER_LOCK_FD}>"$LEARNER_BUILD/.lock"
    if ! flock -n "$LEARNER_LOCK_FD"; then
        say "waiting for another check (or watch) to finish with $LEARNER_BUILD/" >&2
        flock "$LEARNER_LOCK_FD"
    fi
}
learner_unlock() {
    [ -n "$LEARNER_LOCK_FD" ] || return 0
    flock -u "$LEARNER_LOCK_FD"
    exec {LEARNER_LOCK_FD}>&-
    LEARNER_LOCK_FD=""
}

# Ninja when installed: its no-op check of a target is ~10× faster than make's, and that
# is part of every edit-check cycle.
learner_generator() { if command -v ninja >/dev/null; then echo "-GNinja"; fi; }

learner_configure() {
    if [ -f "$LEARNER_BUILD/CMakeCache.txt" ] && grep -q '^WB_LEARNER:BOOL=ON' "$LEARNER_BUILD/CMakeCache.txt"; then
        return 0
    fi
    mkdir -p "$LEARNER_BUILD"
    # shellcheck disable=SC2046
    cmake --preset learner $(learner_generator) >"$LEARNER_BUILD/configure.log" 2>&1 \
        || { cat "$LEARNER_BUILD/configure.log" >&2; die "cmake configure failed (log above)"; }
}

# Every exercise's harness built at once (./workbook test does it after the tests), so the
# first check of any exercise only compiles your file. A file of yours that does not
# compile does not stop the others (-k 0).
learner_prepare() {
    learner_lock
    learner_configure
    say "building the exercise harnesses for ./workbook check (log: $LEARNER_BUILD/prepare.log)"
    local k="-k" && [ -f "$LEARNER_BUILD/build.ninja" ] && k="-k 0"
    # shellcheck disable=SC2086
    cmake --build "$LEARNER_BUILD" -j "$JOBS" --target exercises -- $k >"$LEARNER_BUILD/prepare.log" 2>&1 \
        || say "some exercise files of yours do not compile yet: ./workbook exercises shows which"
    learner_unlock
}

# Builds TARGET in the learner build. With Ninja, from a copy of build.ninja (learner.ninja)
# that has no rule to remake itself: CMake's re-check of the globbed source folders costs
# ~0.7 s of CPU, half an edit-check cycle. The full `cmake --build` (which refreshes the
# copy) runs when CMakeLists.txt or the manifest changed since, or the quick build fails.
learner_build() {
    local b=$LEARNER_BUILD
    if [ -f "$b/build.ninja" ] && [ "$b/learner.ninja" -nt "$b/build.ninja" ] \
        && [ -z "$(find CMakeLists.txt "$MANIFEST" -newer "$b/learner.ninja" 2>/dev/null)" ] \
        && ninja -C "$b" -f learner.ninja -j "$JOBS" "$1"; then
        return 0
    fi
    cmake --build "$b" -j "$JOBS" --target "$1" || return
    if [ -f "$b/build.ninja" ]; then cp "$b/build.ninja" "$b/learner.ninja"; fi
}

# The stub as shipped, never checked: "not started" without building anything.
# (GIT_CHANGED, when set, is `git diff --name-only` of exercises/, asked once for many ids.)
GIT_CHANGED=""
untouched_stub() {
    local file
    file=$(learner_file "$1")
    grep -q 'NotImplemented(' "$file" || return 1
    if [ -f "$STATE/status/$1" ]; then [ "$(recorded "$1")" = new ]; return; fi
    if [ -n "$GIT_CHANGED" ]; then ! grep -qxF "$file" <<<"$GIT_CHANGED"; return; fi
    ! git rev-parse --git-dir >/dev/null 2>&1 || git diff --quiet HEAD -- "$file" 2>/dev/null
}

# The exercise you worked on last: of the files changed since their last verdict (stubs as
# shipped aside), the one saved last. Nothing if every file has its verdict.
last_worked() {
    local id t best="" newest=0
    GIT_CHANGED=$(git diff --name-only HEAD -- exercises 2>/dev/null || true)
    GIT_CHANGED=${GIT_CHANGED:-none}
    for id in $(exercise_ids); do
        recorded "$id" >/dev/null && continue
        untouched_stub "$id" && continue
        t=$(stat -c %.9Y "$(learner_file "$id")" 2>/dev/null) || continue
        t=${t/./}
        if [ "$t" -gt "$newest" ]; then newest=$t; best=$id; fi
    done
    GIT_CHANGED=""
    [ -n "$best" ] && echo "$best"
}

# Your file's path in the compiler's and sanitizers' messages, made relative to the workbook.
tidy_paths() { sed -E "s#$ROOT/##g; s#(^|[ (])(\.\./)+(exercises|tests|reference|chapters)/#\1\3/#g"; }

# The diagnostics (error or warning, per KIND) about your file in a build log, each with
# its source lines and notes, in full; the first one only with `first`.
diagnostics() {
    local log=$1 file=$2 kind=$3 first=${4:-}
    tidy_paths <"$log" | awk -v file="$file" -v kind="$kind" -v first="$first" '
        function flush() { if (n) { printf "%s", block; shown++; if (first) exit } n = 0; block = "" }
        /^[^ ].*: (error|warning|note): / || /^[^ ].*: In (function|member function|instantiation)/ || /^(In file included from|                 from )/ || /^\[ *[0-9]+%\]|^\[[0-9]+\/[0-9]+\] |^FAILED: |^(g?make|ninja)(\[[0-9]+\])?:|^compilation terminated|^[0-9]+ (error|warning)s? generated/ {
            top = ($0 ~ /: (error|warning): /)
            if (top) { flush() }
            if ($0 ~ /: note: / && n) { block = block $0 "\n"; next }
            if (top && index($0, file ":") == 1 && $0 ~ (": " kind ": ")) { n = 1; block = ctx $0 "\n"; ctx = ""; next }
            if (top) { ctx = "" }
            if ($0 ~ /: In (function|member function)/ && index($0, file ":") == 1) { ctx = $0 "\n" }
            next
        }
        n { block = block $0 "\n" }
        END { flush() }'
}

# The learner's own line in a sanitizer's stack: "FILE:LINE (in FUNCTION)", or nothing.
learner_frame() {
    local err=$1 file=$2
    tidy_paths <"$err" | awk -v file="$file" '
        /^ *#[0-9]+ 0x[0-9a-f]+ in / && index($0, file ":") {
            fn = $0; sub(/^ *#[0-9]+ 0x[0-9a-f]+ in /, "", fn); sub(/\(.*/, "", fn); sub(/ .*/, "", fn)
            at = substr($0, index($0, file ":")); sub(/:[0-9]+$/, "", at) 
            if (at !~ /:[0-9]+$/) at = substr($0, index($0, file ":"))
            print at " (in " fn ")"; exit
        }'
}

# One sentence for a run that the bounds checks, a sanitizer or the time limit stopped.
explain_stop() {
    local rc=$1 out=$2 err=$3 file=$4 where msg what
    where=$(learner_frame "$err" "$file")
    [ -n "$where" ] || where="a line outside your file (whole report: ${err#"$ROOT/"})"
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] || [ "$rc" -eq 152 ]; then  # timeout, KILL, XCPU
        what=$(grep '^@@wb case ' "$out" | tail -n 1 | sed 's/^@@wb case //')
        echo "✗ your function did not return within the time limit ($TIME_LIMIT s of CPU time), while checking: $what"
        echo "  Look for a loop whose condition never becomes false, or an index that never moves."
    elif [ "$rc" -eq 153 ]; then  # SIGXFSZ
        echo "✗ your code printed more than 20 MB and was stopped: a print inside a loop that never ends?"
    elif msg=$(grep -m1 '^wb-bounds: ' "$err"); then
        msg=${msg#wb-bounds: Tensor: }
        echo "✗ out of bounds at $where: ${msg/ is outside / is outside a tensor of shape }."
        echo "  An index runs one step too far (or below 0): check each loop's bounds against the shapes."
    elif msg=$(grep -m1 -E 'runtime error: ' "$err"); then
        echo "✗ undefined behaviour at $where: ${msg#*runtime error: } (UndefinedBehaviorSanitizer)."
    elif msg=$(grep -m1 -E "Assertion '.*' failed" "$err"); then
        echo "✗ out of bounds at $where: a std::vector or std::array was indexed past its end" \
             "(libstdc++: $(sed -E "s/.*(Assertion '.*' failed).*/\1/" <<<"$msg"))."
    elif msg=$(grep -m1 -E 'ERROR: AddressSanitizer: ' "$err"); then
        msg=$(sed -E 's/.*AddressSanitizer: ([a-zA-Z-]+).*/\1/' <<<"$msg")
        local access
        access=$(grep -m1 -oE '^(READ|WRITE) of size [0-9]+' "$err" | sed -E 's/(READ|WRITE) of size ([0-9]+)/a \L\1\E of \2 bytes/' || true)
        case $msg in
            stack-overflow) echo "✗ stack overflow at $where: the function calls itself without end (AddressSanitizer)." ;;
            SEGV) echo "✗ crash at $where: a read or write through an invalid pointer (AddressSanitizer: SEGV)." ;;
            *) echo "✗ memory error at $where: ${access:-an access} outside the memory it owns (AddressSanitizer: $msg)." ;;
        esac
    else
        echo "✗ the test program stopped (exit code $rc) before a verdict; its output: ${err#"$ROOT/"}"
        return 0
    fi
}

# check_exercise ID show|quiet|verbose: build your file, run its test, print the verdict and
# record it. Returns 0 if it passes.
check_exercise() {
    local id=$1 mode=$2 file title
    file=$(learner_file "$id")
    title=$(exercise_title "$id")
    # The test's verdict (the reporter's lines) goes to its own file; out and err are what
    # the program printed, your own prints included.
    local log="$LEARNER_BUILD/build-$id.log" verdict="$LEARNER_BUILD/ex_$id.verdict"
    local out="$LEARNER_BUILD/ex_$id.out" err="$LEARNER_BUILD/ex_$id.err"
    if untouched_stub "$id"; then
        record "$id" new
        [ "$mode" = quiet ] || echo "$id: not started, open $file (then ./workbook check $id; a hint: ./workbook hint $id)"
        return 1
    fi
    learner_lock
    learner_configure
    [ -x "$LEARNER_BUILD/ex_$id" ] || [ "$mode" = quiet ] \
        || say "building the test harness of $id (once; later checks only compile your file)"
    if ! learner_build "ex_$id" >"$log" 2>&1; then
        record "$id" fail
        local first
        first=$(diagnostics "$log" "$file" error first)
        if [ -n "$first" ]; then
            echo "✗ $id: your file does not compile. The first error:"
            printf '%s\n' "$first" | head -n 60
        else
            echo "✗ $id: the build failed (not in your file?). The first error:"
            grep -m1 -A12 -E 'error' "$log" | tidy_paths
        fi
        echo "Fix that first, then check again: ./workbook check $id   (full log: $log)"
        return 1
    fi
    # Warnings are only printed when your file is compiled; keep them for later checks.
    if grep -q "ex_$id.dir/$file.o" "$log"; then diagnostics "$log" "$file" warning >"$LEARNER_BUILD/warnings-$id.txt"; fi
    if [ -s "$LEARNER_BUILD/warnings-$id.txt" ] && [ "$mode" != quiet ]; then
        echo "⚠ the compiler warns about your file:"
        head -n 12 "$LEARNER_BUILD/warnings-$id.txt"
    fi

    # The limit is on CPU time, so a busy machine does not make a slow but finite test fail;
    # the wall-clock limit only catches a test that waits without computing.
    local rc=0
    # (SIGXCPU at the limit, SIGKILL a second later; no core file.)
    (
        ulimit -c 0
        ulimit -f 20480  # KiB: a print in an endless loop must not fill the disk
        ulimit -t $((TIME_LIMIT + 1))
        ulimit -S -t "$TIME_LIMIT"
        export WB_VERBOSE=$([ "$mode" = verbose ] && echo 1 || echo 0)
        export ASAN_OPTIONS=detect_leaks=0:handle_abort=1:symbolize=1
        export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        timeout -k 2 $((TIME_LIMIT * 6)) "$LEARNER_BUILD/ex_$id" -r=verdict --out="$verdict" --no-version=true
        exit $?  # (not exec'd: this shell, not the terminal, gets bash's "CPU time limit exceeded")
    ) >"$out" 2>"$err" </dev/null || rc=$?
    touch "$verdict"

    if [ "$rc" -eq 0 ] && grep -q '^@@wb passed' "$verdict"; then
        record "$id" pass
        [ "$mode" = quiet ] && return 0
        echo "✓ $id passes: $(sed -n 's/^@@wb passed //p' "$verdict")."
        echo "  Compare with the reference solution: ./workbook solution $id"
        progress_bar
        local next
        if next=$(next_unsolved "$id"); then
            echo "Next: $next, $(exercise_title "$next"): ./workbook check $next"
        else
            recap
        fi
        return 0
    fi
    if grep -q '^@@wb not-started' "$verdict" && [ ! -s "$err" ]; then
        record "$id" new
        echo "$id: not started, open $file (then ./workbook check $id; a hint: ./workbook hint $id)"
        return 1
    fi
    record "$id" fail
    [ "$mode" = quiet ] && return 1
    echo "✗ $id: $title"
    local stopped=""
    if [ "$rc" -ne 1 ] || grep -qE "^wb-bounds: |ERROR: AddressSanitizer|runtime error: |Assertion '.*' failed" "$err"; then
        stopped=$(explain_stop "$rc" "$verdict" "$err" "$file")
    fi
    if [ "$mode" = verbose ]; then
        grep -v '^@@wb ' "$verdict" | tidy_paths
        [ -s "$out" ] && { echo "--- what your code printed (the first 200 lines):"; head -n 200 "$out"; }
        [ -s "$err" ] && { echo "--- the program's error output:"; tidy_paths <"$err"; }
    else
        if [ -s "$out" ]; then
            local n
            n=$(wc -l <"$out")
            echo "your code printed $n line$([ "$n" -eq 1 ] || echo s) (all of them: ./workbook check --verbose $id):"
            head -n 4 "$out" | cut -c1-100 | sed 's/^/  | /'
        fi
        if grep -q '^@@wb failure' "$verdict" && [ -z "$stopped" ] || grep -q '^wb-bounds: ' "$err"; then
            # The first failing check, at most about 18 lines.
            awk '/^@@wb failure/ { n++; next } /^@@wb / { next } n == 1' "$verdict" | tidy_paths \
                | awk 'NR <= 18 { print } END { if (NR > 18) print "  … (" NR - 18 " more lines: ./workbook check --verbose)" }'
        fi
    fi
    [ -n "$stopped" ] && echo "$stopped"
    local hints
    hints=$(grep -cE '^[0-9]+\. ' "exercises/$id/HINT.md" 2>/dev/null || echo 0)
    echo "Try: ./workbook hint $id ($hints hints, cheapest first); your file: $file"
    return 1
}

cmd_check() {
    local mode=show id="" a
    for a in "$@"; do
        case $a in
            -v | --verbose) mode=verbose ;;
            -*) die "unknown option '$a' (usage: ./workbook check [--verbose] [ID])" ;;
            *) [ -z "$id" ] || die "one exercise at a time (usage: ./workbook check [--verbose] [ID])"
               id=$(exercise_id "$a") || exit 2 ;;
        esac
    done
    # No id: the file you worked on last first (its verdict, pass or fail, then what is
    # next); if every file has its verdict, the next exercise not passing.
    if [ -z "$id" ]; then
        id=$(last_worked) || id=$(next_unsolved) || { progress_bar; recap; return 0; }
    fi
    # A configured learner build means the packages are there (0.1 s of the cycle saved).
    grep -qs '^WB_LEARNER:BOOL=ON' "$LEARNER_BUILD/CMakeCache.txt" || setup
    check_exercise "$id" "$mode"
}

# Waits until FILE's content is no longer the one hashed as BEFORE (inotifywait if
# installed, else polling twice a second).
wait_for_change() {
    local file=$1 before=$2
    while [ "$(sha1sum <"$file" 2>/dev/null)" = "$before" ]; do
        if command -v inotifywait >/dev/null; then
            # Editors save by writing or by renaming a new file over the old one.
            inotifywait -qq -t 2 -e close_write -e moved_to -e create "$(dirname "$file")" >/dev/null 2>&1 || true
        else
            sleep 0.5
        fi
    done
    sleep 0.1  # let the editor finish writing
}

cmd_watch() {
    local id checked
    [ $# -le 1 ] || die "usage: ./workbook watch [ID]"
    if [ $# -eq 1 ]; then id=$(exercise_id "$1") || exit 2
    else id=$(next_unsolved) || { say "every exercise passes"; return 0; }
    fi
    setup
    setup inotify-tools 2>/dev/null || say "inotify-tools could not be installed; watching by polling"
    trap 'echo; exit 0' INT TERM
    while :; do
        # The version checked: a save during the check is checked next.
        checked=$(sha1sum <"$(learner_file "$id")")
        if check_exercise "$id" show; then
            id=$(next_unsolved "$id") || { say "every exercise passes: nothing left to watch"; return 0; }
            echo
            checked=$(sha1sum <"$(learner_file "$id")")
            check_exercise "$id" show || true
        fi
        echo
        learner_unlock  # a check in another terminal may build while this one waits
        say "watching $(learner_file "$id"): save it to check again (Ctrl-C to stop)"
        wait_for_change "$(learner_file "$id")" "$checked"
        [ -t 1 ] && clear
    done
}

# What exercise ID asks you to write (its declaration), and the declarations of the wb::
# functions and wb::Tensor members the reference solution calls: the API, not the answer.
api_of() {
    local id=$1 name hpp sol f line
    name=${id#[0-9][0-9]_}
    hpp="exercises/$id/$name.hpp"
    sol="exercises/solutions/$id.cpp"
    echo "You write (declared in $hpp):"
    awk '/^namespace ex/ { on = 1; next } /^}  \/\/ namespace ex/ { on = 0 }
         on && !/^[[:space:]]*(\/\/|$)/ { print "  " $0 }' "$hpp"
    local calls
    calls=$( { grep -ohE 'wb::[a-z_0-9]+\(' "$sol" | sed 's/^wb:://' || true
               grep -ohE '\.(plane|add_to_plane|values)\(' "$sol" | sed 's/^\.//' || true
             } | tr -d '(' | awk '!seen[$0]++')
    grep -q 'wb::Tensor' "$hpp" || [ -n "$calls" ] || return 0
    echo "The wb:: calls it needs (reference/tensor.hpp, ops.hpp, …):"
    if grep -q 'wb::Tensor' "$hpp"; then
        echo "  wb::Tensor<double> t(wb::Shape{n, c, h, w});  (zeros; a 2-D map has n = c = 1)"
        echo "  t(h, w) an element of a map, t(n, c, h, w) of any tensor; t.n() t.c() t.h() t.w() t.shape() its sizes"
    fi
    for f in $calls; do
        line=$(grep -hE "^ *([A-Za-z].*[ *&])?$f\(" reference/tensor.hpp reference/ops.hpp \
                   reference/activation.hpp reference/dense.hpp reference/pooling.hpp \
                   reference/softmax.hpp reference/conv.hpp reference/gradcheck.hpp 2>/dev/null | head -n 1)
        [ -n "$line" ] || continue
        echo "  $(sed -E 's/^ +//; s/^inline //; s/ *\{ *$//' <<<"$line")"
    done
}

cmd_hint() {
    local id which=${2:-next}
    [ $# -ge 1 ] || die "which exercise? usage: ./workbook hint ID [all]"
    id=$(exercise_id "$1") || exit 2
    local file="exercises/$id/HINT.md"
    [ -f "$file" ] || die "exercise $id has no hints"
    # Hints are the numbered items "1. …" of HINT.md, each with its continuation lines.
    local count
    count=$(grep -cE '^[0-9]+\. ' "$file")
    local seen=0
    if [ -f "$STATE/hints-$id" ]; then
        seen=$(head -c 32 "$STATE/hints-$id")
        if ! [[ $seen =~ ^[0-9]{1,4}$ ]]; then
            say "$STATE/hints-$id was not a count of hints seen; starting again from hint 1" >&2
            seen=0
        fi
        seen=$((10#$seen))
    fi
    local upto
    if [ "$which" = all ]; then upto=$count
    elif [ "$which" = next ]; then upto=$((seen < count ? seen + 1 : count))
    else die "usage: ./workbook hint ID [all]"
    fi
    mkdir -p "$STATE"
    echo "$upto" >"$STATE/hints-$id"
    api_of "$id"
    echo
    awk -v upto="$upto" '/^[0-9]+\. /{n++} n>=1 && n<=upto' "$file"
    [ "$upto" -lt "$count" ] && echo "(hint $upto of $count; ./workbook hint $id for the next)"
    return 0
}

cmd_solution() {
    local id
    [ $# -eq 1 ] || die "which exercise? usage: ./workbook solution ID"
    id=$(exercise_id "$1") || exit 2
    if ! is_solved "$id"; then
        say "the solution of $id opens once your own passes: ./workbook check $id"
        return 1
    fi
    cat "exercises/solutions/$id.cpp"
}

# The stub as shipped: the newest committed version of the file that still throws
# NotImplemented (so a learner who committed their own work still gets the stub).
stub_of() {
    local file=$1 commit
    command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 \
        || die "reset needs the workbook's git history to find the stub"
    for commit in $(git log --format=%H -- "$file"); do
        if git show "$commit:$file" 2>/dev/null | grep -q 'NotImplemented('; then
            git show "$commit:$file"
            return 0
        fi
    done
    die "no committed stub of $file found"
}

cmd_reset() {
    local id
    [ $# -eq 1 ] || die "which exercise? usage: ./workbook reset ID"
    id=$(exercise_id "$1") || exit 2
    local file stub keep
    file=$(learner_file "$id")
    stub=$(stub_of "$file") || exit 2
    if [ "$(cat "$file")" = "$stub" ]; then say "$file is already the stub"; return 0; fi
    keep="$file.yours"
    local n=1
    while [ -e "$keep" ]; do keep="$file.yours.$n"; n=$((n + 1)); done
    cp -p "$file" "$keep"
    printf '%s\n' "$stub" >"$file"
    rm -f "$STATE/status/$id"
    say "$file is the stub again; your version is kept in $keep"
}

# ---- your LeNet: ./workbook run 11 --yours [ch11 options] -----------------------------------

YOURS_EPOCHS=5  # 97.90% on the test digits with the solutions (4 epochs: 97.55%, too close)

cmd_run_yours() {
    local a chapter="" rest=()
    for a in "$@"; do
        if [ "$a" = --yours ]; then continue; fi
        if [ -z "$chapter" ] && [ ${#rest[@]} -eq 0 ] && [[ $a != -* ]]; then chapter=$a; continue; fi
        rest+=("$a")
    done
    [ -n "$chapter" ] || die "--yours trains chapter 11's network with your functions: ./workbook run 11 --yours"
    chapter=$(chapter_dir "$chapter") || exit 2
    [ "$chapter" = chapters/11_lenet ] || die "--yours is for chapter 11 only (the network your functions train): ./workbook run 11 --yours"
    case " ${rest[*]} " in *" --epochs "*) ;; *) rest+=(--epochs "$YOURS_EPOCHS") ;; esac
    case " ${rest[*]} " in *" --out "*) ;; *) rest+=(--out out/11_lenet_yours) ;; esac
    setup
    say "building chapter 11 with your exercise files (exercises/*/*.cpp)"
    build release ch11_yours
    echo
    "$BUILD/ch11_yours" "${rest[@]}"
}
