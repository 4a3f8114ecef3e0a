#!/usr/bin/env bash
# The chapter table of README.md and docs/mainpage.md (and of their Chinese twins) agrees
# with the chapter pages, and docs/tools/chapter_table.py --check notices each way the two
# can drift (tried on a copy).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=$root/docs/tools/chapter_table.py
/usr/bin/python3 "$tool" --check

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fresh() {  # a copy of what the tool reads
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/docs/chapters" "$tmp/t/tests/chapters" "$tmp/t/docs/zh/chapters"
    cp "$root/README.md" "$root/README.zh-CN.md" "$tmp/t/"
    cp "$root/docs/mainpage.md" "$tmp/t/docs/"
    cp "$root/docs/zh/mainpage.md" "$tmp/t/docs/zh/"
    cp "$root"/docs/chapters/*.md "$tmp/t/docs/chapters/"
    cp -r "$root"/docs/zh/chapters/. "$tmp/t/docs/zh/chapters/" 2>/dev/null || true
    local d
    for d in "$root"/chapters/[0-9][0-9]_*/; do
        mkdir -p "$tmp/t/chapters/$(basename "$d")"
        touch "$tmp/t/tests/chapters/test_$(basename "$d").cpp"
    done
}
# must_fail WHAT EXPECTED: --check on the copy exits 1 with EXPECTED in its message.
must_fail() {
    local out
    if out=$(/usr/bin/python3 "$tool" --check --root "$tmp/t" 2>&1); then
        echo "FAIL: $1: --check passed"; exit 1
    fi
    grep -qF -- "$2" <<<"$out" || { echo "FAIL: $1: expected '$2' in: $out"; exit 1; }
    echo "ok: $1: $out"
}

fresh
/usr/bin/python3 "$tool" --check --root "$tmp/t" >/dev/null
page=$(ls "$tmp"/t/docs/chapters/0[0-9]_*.md | head -n 1)
sed -i 's/^<!-- table: /<!-- table: drifted, /' "$page"
must_fail "a page's summary changed" "README.md and docs/mainpage.md differs"
/usr/bin/python3 "$tool" --root "$tmp/t" >/dev/null  # rewriting makes them agree again
/usr/bin/python3 "$tool" --check --root "$tmp/t" >/dev/null
grep -q "drifted, " "$tmp/t/README.md" || { echo "FAIL: README.md not rewritten"; exit 1; }

fresh
sed -i '0,/^| 0/s/^| 0\([0-9]\) | /| 0\1 | hand-edited /' "$tmp/t/README.md"
must_fail "README edited by hand" "the chapter table of README.md differs"

fresh
rm "$page"
must_fail "a folder without its page" "has no page"

fresh
mkdir "$tmp/t/chapters/99_new"
must_fail "a new folder without its page" "chapters/99_new/ has no page"

fresh
rm -r "$tmp/t/chapters/$(basename "$page" .md)"
must_fail "a page without its folder" "a chapter page without its folder"

fresh
sed -i '/^<!-- end of chapter table -->$/d' "$tmp/t/docs/mainpage.md"
must_fail "a marker missing" "docs/mainpage.md: needs one line"

fresh
sed -i '/^<!-- table: /d' "$page"
must_fail "a page without its table line" "no line '<!-- table:"
fresh
more=${page%.md}_more.md
nn=$(basename "$page" | cut -c1-2)
printf 'Chapter %s, more: a second page {#ch%s_more}\n====\n\n<!-- table: the sequel | 004 -->\n' "$nn" "$nn" >"$more"
must_fail "a chapter's second page not in the tables" "README.md and docs/mainpage.md"
/usr/bin/python3 "$tool" --root "$tmp/t" >/dev/null
grep -A1 -F "| \\ref ch$(basename "$page" .md) |" "$tmp/t/docs/mainpage.md" | tail -n 1 \
    | grep -qF "| \\ref ch${nn}_more | the sequel | 004 |" \
    || { echo "FAIL: the second page is not right after its chapter"; exit 1; }
sed -i '/^<!-- table: /d' "$more"
must_fail "a second page without its table line" "_more.md: no line '<!-- table:"

# The Chinese tables: a chapter's Chinese twin gives its row.
fresh
name=$(basename "$page" .md)
zh=$tmp/t/docs/zh/chapters/$name.md
printf '第 %s 章 — 一个标题 {#ch%s}\n====\n\n<!-- table: 一段摘要 | 004 -->\n' "$nn" "$name" >"$zh"
must_fail "a Chinese twin's summary not in the Chinese tables" "README.zh-CN.md and docs/zh/mainpage.md differs"
/usr/bin/python3 "$tool" --root "$tmp/t" >/dev/null
grep -qF "| \\ref ch$name | 一段摘要 | 004 |" "$tmp/t/docs/zh/mainpage.md" \
    || { echo "FAIL: docs/zh/mainpage.md does not take the twin's summary"; exit 1; }
grep -qF "| $nn | 一个标题 | 一段摘要 | 004 |" "$tmp/t/README.zh-CN.md" \
    || { echo "FAIL: README.zh-CN.md does not take the twin's title"; exit 1; }
/usr/bin/python3 "$tool" --check --root "$tmp/t" >/dev/null
sed -i "0,/^| $nn | /s/^| $nn | 一个标题 /| $nn | 手改的标题 /" "$tmp/t/README.zh-CN.md"
must_fail "README.zh-CN.md edited by hand" "the chapter table of README.zh-CN.md differs"
sed -i '1s/ — / - /' "$zh"
must_fail "a Chinese twin's title line in another form" "the first line must be '第 $nn 章 — 标题"
echo "chapter table: in step, and each kind of drift is caught"
