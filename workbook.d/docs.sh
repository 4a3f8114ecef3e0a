# shellcheck shell=bash
# The reader's command: `docs` builds the HTML docs (Doxygen, MathJax, the live panels).
# docs-check and live-check, which test what it builds, are developer commands (dev.sh).

# Chapter 11's figures for the docs, and the live panel's weights: from the last complete
# `./workbook run 11` if there is one (its checkpoint, no training at all), else from the
# default run (15 epochs, seconds), trained into DIR; out/11_lenet/ is left as it was.
# Writes ch11_figures_run.md (English, into $BUILD/docs; Chinese, into $BUILD/docs-zh):
# the run the pictures come from, which the chapter page includes.
lenet_figures() {
    local dir=$1 ckpt=out/11_lenet/11_checkpoint.safetensors meta epoch epochs log=$BUILD/docs/ch11.log
    local from="" from_zh=""
    rm -rf "$dir"
    mkdir -p "$dir" "$BUILD/docs-zh"
    if [ -f "$ckpt" ]; then
        meta=$(head -c 65536 "$ckpt" | tr -d '\0' | grep -ao '"__metadata__": *{[^}]*}' || true)
        epoch=$(sed -n 's/.*"epoch": *"\([0-9]*\)".*/\1/p' <<<"$meta")
        epochs=$(sed -n 's/.*"epochs": *"\([0-9]*\)".*/\1/p' <<<"$meta")
        if [ -n "$epoch" ] && [ "$epoch" = "$epochs" ] &&
            "$BUILD/ch11" --resume "$ckpt" --epochs "$epochs" --out "$dir" >"$log" 2>&1; then
            say "chapter 11's figures: from $ckpt (epoch $epoch, no training)"
            from="your last complete \`./workbook run 11\` (its checkpoint in \`out/11_lenet/\`)"
            from_zh="你最近一次完整的 \`./workbook run 11\`（\`out/11_lenet/\` 里的检查点）"
        fi
    fi
    if [ -z "$from" ]; then
        say "chapter 11's figures: training the default run (15 epochs, a few seconds; log: $log)"
        "$BUILD/ch11" --out "$dir" >"$log" 2>&1 \
            || die "chapter 11 failed while making figures (log: $log)"
        from="the default run, \`./workbook run 11\` (trained by \`./workbook docs\`: \`out/11_lenet/\` held no complete run)"
        from_zh="默认的一次训练 \`./workbook run 11\`（由 \`./workbook docs\` 训练：\`out/11_lenet/\` 里没有完整的一次）"
    fi
    local settings acc
    settings=$(sed -n 's/^settings: //p' "$log")
    acc=$(sed -n 's/^test accuracy \([0-9.]*\)% (epoch \([0-9]*\) weights, chosen on the validation split: \([0-9.]*\)%.*/\1 \2 \3/p' "$log")
    [ -n "$settings" ] && [ -n "$acc" ] || die "chapter 11's log has no settings or test accuracy line (log: $log)"
    local test_acc chosen val_acc
    read -r test_acc chosen val_acc <<<"$acc"
    printf '%s\n' "**The run these pictures come from** (and the live panel's weights): $from, with" \
        "\`$settings\`. Its test accuracy: **$test_acc%**, for the weights of epoch $chosen, the epoch chosen" \
        "on the validation split ($val_acc% there)." >"$BUILD/docs/ch11_figures_run.md"
    printf '%s\n' "**这些图来自的那次训练** （在线面板的权重也来自它）：$from_zh，设置为" \
        "\`$settings\`。测试集准确率 **$test_acc%** ，用的是第 $chosen 个迭代周期的权重——这个周期是按验证集选出的" \
        "（验证集上 $val_acc%）。" >"$BUILD/docs-zh/ch11_figures_run.md"
}

# The part of Debian's MathJax the pages use (TeX in, SVG out, the AMS macros, the menu),
# copied beside them: the docs then work copied anywhere, offline (2 MB of its 54).
copy_mathjax() {
    local src=/usr/share/javascript/mathjax dst=$1/mathjax f
    rm -rf "$dst"
    for f in MathJax.js extensions/tex2jax.js extensions/MathEvents.js extensions/MathMenu.js \
             extensions/MathZoom.js extensions/TeX jax/input/TeX jax/element/mml \
             jax/output/SVG/config.js jax/output/SVG/jax.js jax/output/SVG/autoload \
             jax/output/SVG/fonts/TeX; do
        mkdir -p "$dst/$(dirname "$f")"
        cp -RL "$src/$f" "$dst/$f"
    done
}

# doxygen_html DIR [SETTING…]: docs/Doxyfile plus the settings → DIR/html with MathJax
# beside it; warnings are listed, and fatal under WORKBOOK_DOCS_STRICT=1.
doxygen_html() {
    local dir=$1 setting; shift
    rm -rf "$dir/html"
    mkdir -p "$dir"
    {
        cat docs/Doxyfile
        echo "OUTPUT_DIRECTORY = $dir"
        for setting in "$@"; do echo "$setting"; done
        if [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ]; then echo "WARN_AS_ERROR = FAIL_ON_WARNINGS"; fi
    } | doxygen - >"$dir/doxygen.log" 2>&1 || {
        { grep -iE "warning|error" "$dir/doxygen.log" || true; } | head -n 30 >&2
        die "doxygen failed (log: $dir/doxygen.log)"
    }
    copy_mathjax "$dir/html"
    local warnings
    warnings=$(grep -ciE "warning:" "$dir/doxygen.log" || true)
    if [ "$warnings" -gt 0 ]; then
        { grep -iE "warning:" "$dir/doxygen.log" || true; } | head -n 30 >&2
        say "$warnings Doxygen warning(s) (log: $dir/doxygen.log)"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "docs must build without warnings"
    fi
    return 0
}

# The live panels of the chapter pages (docs/live): the panels' C++ compiled to WebAssembly
# by Debian's emscripten, embedded in live/wb_live.js beside the pages, with the weights
# chapter 11 trained for the figures. Without emscripten (or with WORKBOOK_LIVE=0) the
# pages stay static and each panel says it was not built.
LIVE_PACKAGES=(emscripten node-acorn)
live_panels() {
    local html=$1 figures=$2 out=$1/live ckpt
    rm -rf "$out"
    mkdir -p "$out"
    cp docs/live/panels.js "$out/"
    if [ "${WORKBOOK_LIVE:-1}" = 0 ] || ! (setup "${LIVE_PACKAGES[@]}") || ! command -v em++ >/dev/null; then
        docs/live/not_built.sh "$out"
        say "live panels: not built (no emscripten, or WORKBOOK_LIVE=0); the pages say so"
        return 0
    fi
    say "live panels: compiling them to WebAssembly (log: $BUILD/docs/live.log)"
    docs/live/build.sh "$out" >"$BUILD/docs/live.log" 2>&1 \
        || { tail -n 20 "$BUILD/docs/live.log" >&2; die "the live panels did not build (log: $BUILD/docs/live.log)"; }
    ckpt=$figures/11_best.safetensors
    [ -f "$ckpt" ] || ckpt=$figures/11_checkpoint.safetensors
    "$BUILD/live_weights" "$ckpt" "$out/lenet_weights.js" >>"$BUILD/docs/live.log" 2>&1 \
        || { tail -n 5 "$BUILD/docs/live.log" >&2; die "chapter 11's weights for the live panel (log: $BUILD/docs/live.log)"; }
    say "live panels: $(du -cb "$out"/*.js | tail -n 1 | cut -f1) bytes in $out"
}

cmd_docs() {
    setup
    build docs
    local d id
    say "running the chapters to regenerate their figures"
    mkdir -p "$BUILD/docs"
    for d in $(chapter_dirs); do
        id=$(basename "$d" | cut -c1-2)
        [ "$id" = 11 ] && continue
        "$BUILD/ch$id" >"$BUILD/docs/ch$id.log" 2>&1 \
            || die "chapter $id failed while making figures (log: $BUILD/docs/ch$id.log)"
    done
    lenet_figures "$BUILD/docs/figures/11_lenet"
    /usr/bin/python3 docs/tools/ladder_figure.py docs/chapters/11_lenet_fast.md \
        "$BUILD/docs/figures/11_lenet/11_ladder.svg" >/dev/null
    local images
    images=$(find out -mindepth 1 -maxdepth 1 -type d ! -name 11_lenet | sort | tr '\n' ' ')
    # The derivation pages (one per chapters/NN_name folder) each hold a formula table;
    # other pages under docs/chapters (11_lenet_fast.md, the speed story) are not in the index.
    local pages=()
    for d in $(chapter_dirs); do pages+=("docs/chapters/$(basename "$d").md"); done
    /usr/bin/python3 docs/tools/formula_index.py "$BUILD/docs/formulas.md" "${pages[@]}" >/dev/null
    # A page per test file, an anchor per case: the pages' test citations link there.
    /usr/bin/python3 docs/tools/test_links.py --pages "$BUILD/docs/tests" >/dev/null
    # The two editions show the same formulas, snippets, figures, tables, panels, sections.
    if ! /usr/bin/python3 docs/tools/parity.py --self-test --allow-missing >"$BUILD/docs/parity.log"; then
        grep -v '^parity: [0-9]' "$BUILD/docs/parity.log" | head -n 30 >&2
        say "a Chinese page and its English twin differ (log: $BUILD/docs/parity.log)"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "the two editions must show the same book"
    fi
    # A snippet marker written as a doc comment (//! [name]) becomes the function's brief.
    if grep -rn '//! \[' chapters reference >&2; then
        say "snippet markers above are doc comments; write them as // [name]"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "docs must build without stray doc comments"
    fi
    # The "Live panels" page's list of panels, from their one table (docs/live/registry.hpp).
    "$BUILD/live_cli" --panels | /usr/bin/python3 docs/live/panel_list.py >"$BUILD/docs/live_panel_list.md"
    say "building the HTML docs with Doxygen (log: $BUILD/docs/doxygen.log)"
    doxygen_html "$BUILD/docs" "IMAGE_PATH = $images $BUILD/docs/figures/11_lenet" \
        "INPUT += $BUILD/docs/formulas.md $BUILD/docs/tests" "GENERATE_TAGFILE = $BUILD/docs/workbook.tag" \
        "EXAMPLE_PATH += $BUILD/docs"
    # Doxygen links a code name silently or not at all: every name and test cited must exist
    # (in the Chinese pages too, whose links go to the same code and tests).
    local cited=(docs/*.md docs/chapters/*.md docs/zh/*.md)
    [ -d docs/zh/chapters ] && cited+=(docs/zh/chapters/*.md)
    if ! /usr/bin/python3 docs/tools/check_refs.py "$BUILD/docs/workbook.tag" "${cited[@]}" \
        >"$BUILD/docs/check_refs.log"; then
        grep -v '^check_refs:' "$BUILD/docs/check_refs.log" | head -n 30 >&2
        say "the docs cite code or tests that do not exist (log: $BUILD/docs/check_refs.log)"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "docs must cite only code and tests that exist"
    fi
    chinese_edition "IMAGE_PATH = $images $BUILD/docs/figures/11_lenet"
    live_panels "$BUILD/docs/html" "$BUILD/docs/figures/11_lenet"
    echo "$ROOT/$BUILD/docs/html/index.html"
    echo "$ROOT/$BUILD/docs/html/zh/index.html"
}

# The Chinese edition (docs/zh/, the twin of each page): a second Doxygen run over the
# Chinese pages alone, into html/zh. Their links to the code go to the English edition's
# code pages (through its tag file), so the code has one copy and the run takes seconds;
# a link to a page without a Chinese twin yet opens the English page. Then docs/tools/editions.py joins the two: lang on every page, the
# 中文 / English switch, the Chinese terms in both search boxes.
chinese_edition() {
    local dir=$BUILD/docs-zh
    mkdir -p "$dir"
    # The generated pages' Chinese versions, from the same sources as the English ones.
    "$BUILD/live_cli" --panels | /usr/bin/python3 docs/live/panel_list.py --zh >"$dir/live_panel_list.md"
    local d pages=()
    for d in $(chapter_dirs); do pages+=("docs/chapters/$(basename "$d").md"); done
    /usr/bin/python3 docs/tools/formula_index.py --zh "$dir/formulas.md" "${pages[@]}" >/dev/null
    if ! /usr/bin/python3 docs/tools/parity.py --pair "$BUILD/docs/formulas.md" "$dir/formulas.md" \
        >"$dir/parity.log"; then
        grep -v '^parity: [0-9]' "$dir/parity.log" | head -n 30 >&2
        say "the two formula indexes differ (log: $dir/parity.log)"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "the two editions must show the same book"
    fi
    /usr/bin/python3 docs/tools/editions.py --tag-for-chinese "$BUILD/docs/workbook.tag" "$dir/english.tag" docs/zh
    say "building the Chinese edition with Doxygen (log: $dir/doxygen.log)"
    doxygen_html "$dir" "@INCLUDE = docs/zh/Doxyfile" "$@" "TAGFILES = $dir/english.tag=.." \
        "EXAMPLE_PATH += $dir" "INPUT += $dir/formulas.md"
    rm -rf "$dir/html/mathjax" "$BUILD/docs/html/zh"  # the pages use the English edition's copy
    mv "$dir/html" "$BUILD/docs/html/zh"
    if ! /usr/bin/python3 docs/tools/editions.py "$BUILD/docs/html" >"$dir/editions.log"; then
        grep -v '^editions: [0-9]' "$dir/editions.log" | head -n 30 >&2
        say "the two editions do not pair up (log: $dir/editions.log)"
        [ "${WORKBOOK_DOCS_STRICT:-0}" = 1 ] && die "each page and its Chinese twin must pair up"
    fi
    return 0
}
