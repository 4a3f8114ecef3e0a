# shellcheck shell=bash
# The parts every command shares: the Debian packages, set-up, the build, and the ids a
# person types. Sourced by ./workbook, which sets ROOT, BUILD, … and die/say.

# Debian packages the workbook needs (the design card's list, plus zlib for gzip'd IDX).
PACKAGES=(g++ cmake make doctest-dev libstb-dev libgnuplot-iostream-dev libboost-iostreams-dev
          libboost-filesystem-dev
          gnuplot-nox doxygen libjs-mathjax doxygen-awesome-css zlib1g-dev nlohmann-json3-dev
          python3 fonts-wqy-microhei)  # a CJK font (5 MB installed): the docs' Chinese on a fresh Debian

# ---- set-up and build ------------------------------------------------------------------

missing_packages() {
    local p
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

setup() {
    command -v dpkg-query >/dev/null || die "this machine has no dpkg; install by hand: ${PACKAGES[*]}"
    local missing
    missing=$(missing_packages "$@" | tr '\n' ' ')
    [ -z "${missing// /}" ] && return 0
    say "installing missing Debian packages: $missing"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to install: $missing"
        sudo=sudo
    fi
    # shellcheck disable=SC2086
    $sudo apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing \
        >"${TMPDIR:-/tmp}/workbook-apt.log" 2>&1 \
        || { tail -n 20 "${TMPDIR:-/tmp}/workbook-apt.log" >&2; die "apt-get failed (log above)"; }
}

# The configure preset and build folder of build preset NAME (CMakePresets.json).
preset_info() {
    /usr/bin/python3 - "$1" <<'EOF_PY'
import json, sys
presets = json.load(open("CMakePresets.json"))
builds = {p["name"]: p for p in presets["buildPresets"]}
if sys.argv[1] not in builds:
    sys.exit(f"workbook: CMakePresets.json has no build preset '{sys.argv[1]}'")
configures = {p["name"]: p for p in presets["configurePresets"]}
name = builds[sys.argv[1]]["configurePreset"]
p = configures[name]
while "binaryDir" not in p:
    p = configures[p["inherits"]]
print(name, p["binaryDir"].replace("${sourceDir}/", "").replace("${presetName}", name))
EOF_PY
}

# build PRESET [TARGET…]: configure with PRESET's configure preset (again when the presets or
# WORKBOOK_WERROR changed), then build PRESET's targets (or the ones given), with a log.
# WORKBOOK_WERROR=ON (CI) turns every compiler warning into an error.
build() {
    local preset=$1; shift
    local info configure dir
    info=$(preset_info "$preset") || exit 2
    read -r configure dir <<<"$info"
    mkdir -p "$dir"
    local stamp="$configure werror=${WORKBOOK_WERROR:-}"
    if [ ! -f "$dir/CMakeCache.txt" ] || [ CMakePresets.json -nt "$dir/CMakeCache.txt" ] ||
        [ "$(cat "$dir/workbook-preset.txt" 2>/dev/null)" != "$stamp" ]; then
        cmake --preset "$configure" >"$dir/configure.log" 2>&1 \
            || { cat "$dir/configure.log" >&2; die "cmake configure failed (log above)"; }
        echo "$stamp" >"$dir/workbook-preset.txt"
    fi
    local target_args=()
    for t in "$@"; do target_args+=(--target "$t"); done
    say "building in $dir/ (preset $preset, log: $dir/build.log)"
    if ! cmake --build --preset "$preset" -j "$JOBS" "${target_args[@]}" >"$dir/build.log" 2>&1; then
        grep -E "error|Error" -A3 "$dir/build.log" | head -n 40 >&2
        die "build failed (full log: $dir/build.log)"
    fi
    local warnings
    warnings=$(grep -c "warning:" "$dir/build.log" || true)
    [ "$warnings" -eq 0 ] || say "$warnings compiler warning(s) (log: $dir/build.log)"
}

chapter_dirs() { find chapters -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9]_*' | sort; }

chapter_dir() {  # NN, N or a unique prefix → chapters/NN_name
    local name
    name=$(resolve chapter "$1" $(chapter_dirs | sed 's|^chapters/||')) || exit 2
    echo "chapters/$name"
}

# resolve KIND TEXT CANDIDATE…: the candidate a person meant by TEXT: the one equal to it,
# else the only one starting with it (or whose name after "NN_" does); a number N means NN.
# Compared as plain text, never as a pattern. Unknown or ambiguous: one line, exit 2.
resolve() {
    local kind=$1 text=$2 key c
    shift 2
    [ -n "$text" ] || die "which $kind? ($kind: $*)"
    key=$text
    if [[ $text =~ ^[0-9]{1,2}$ ]]; then key=$(printf '%02d' "$((10#$text))"); fi
    for c in "$@"; do [ "$c" = "$key" ] && { echo "$c"; return 0; }; done
    local matches=()
    for c in "$@"; do
        if [[ $c == "$key"* || ${c#[0-9][0-9]_} == "$key"* ]]; then matches+=("$c"); fi
    done
    case ${#matches[@]} in
        1) echo "${matches[0]}" ;;
        0) local near
           near=$(closest "$text" "$@")
           local all="${kind}s: $*"
           [ "$kind" = exercise ] && all="./workbook exercises lists them all"
           [ -z "$near" ] || die "unknown $kind '$text': did you mean ${near// / or }? ($all)"
           die "unknown $kind '$text' (${kind}s: $*)" ;;
        *) die "'$text' could be any of ${#matches[@]} ${kind}s: ${matches[*]}" ;;
    esac
}

# closest TEXT CANDIDATE…: the candidates nearest to TEXT by edit distance (whole, or the
# name after "NN_"), when a slip of a few letters away (at most 2, or a third of TEXT).
closest() {
    local text=$1
    shift
    printf '%s\n' "$@" | awk -v t="$text" '
        function lev(a, b,   i, j, la, lb, cost, x, y, z, d) {
            la = length(a); lb = length(b)
            for (j = 0; j <= lb; j++) d[0, j] = j
            for (i = 1; i <= la; i++) {
                d[i, 0] = i
                for (j = 1; j <= lb; j++) {
                    cost = substr(a, i, 1) != substr(b, j, 1)
                    x = d[i - 1, j] + 1; y = d[i, j - 1] + 1; z = d[i - 1, j - 1] + cost
                    d[i, j] = x < y ? (x < z ? x : z) : (y < z ? y : z)
                }
            }
            return d[la, lb]
        }
        {
            name = $0; sub(/^[0-9][0-9]_/, "", name)
            e = lev(t, $0); f = lev(t, name); if (f < e) e = f
            if (n == 0 || e < best) { best = e; list = $0; n = 1 }
            else if (e == best) list = list " " $0
        }
        END {
            limit = int(length(t) / 3); if (limit < 2) limit = 2
            if (n && best <= limit) print list
        }'
}
