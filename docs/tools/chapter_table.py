#!/usr/bin/python3
"""The table of chapters in README.md and docs/mainpage.md, made from the chapter pages,
and in their Chinese twins README.zh-CN.md and docs/zh/mainpage.md.

    docs/tools/chapter_table.py           rewrite the tables from the pages
    docs/tools/chapter_table.py --check   exit 1, naming the file, if one differs

The list of chapters is the folders chapters/NN_name. Each has its page
docs/chapters/NN_name.md, whose first line is its title and label,

    Chapter 02 — The error term through a 2×2 kernel {#ch02_delta_2x2}

and which holds, near the top, one line Doxygen does not show:

    <!-- table: what the chapter reproduces | where in the notes -->

A page docs/chapters/NN_name_more.md of an existing chapter, titled "Chapter NN, more: …
{#label}" and with its own table line, is listed right after its chapter.

Each table sits between the lines `<!-- chapter table: … -->` and
`<!-- end of chapter table -->` of its file. A folder without its page or test, or a page
without its folder, is an error too: adding a chapter is writing its files, then running
this script. --root DIR works on another copy of the tree (the script's own test).

The Chinese tables take a chapter's title and summary from its Chinese twin
docs/zh/chapters/NN_name.md, written the same way in Chinese:

    第 02 章 — 误差项穿过 2×2 卷积核 {#ch02_delta_2x2}
    <!-- table: 它复现的内容 | 笔记中的位置 -->

(a second page: "第 NN 章，…：标题 {#label}"). Until a chapter has its twin, its row keeps
what the Chinese table already says of it (or, for a new chapter, the English).
"""
import argparse
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEGIN = "<!-- chapter table: made by docs/tools/chapter_table.py from the chapter pages; edit those -->"
END = "<!-- end of chapter table -->"
TITLE = re.compile(r"^Chapter (\d\d) — (.+?) \{#(ch\d\d_\w+)\}\s*$")
SUBTITLE = re.compile(r"^Chapter (\d\d), (.+?) \{#(ch\d\d_\w+)\}\s*$")
ROW = re.compile(r"^<!-- table: (.+?) \| (.+?) -->\s*$")
ZH_TITLE = re.compile(r"^第 (\d\d) 章 — (.+?) \{#(ch\d\d_\w+)\}\s*$")
ZH_SUBTITLE = re.compile(r"^第 (\d\d) 章，(.+?) \{#(ch\d\d_\w+)\}\s*$")


def fail(message):
    sys.exit(f"chapter_table: {message}")


def table_line(root, page):
    """(what, notes) of a page's hidden table line."""
    with open(os.path.join(root, page), encoding="utf-8") as f:
        lines = f.read().splitlines()
    row = next((ROW.match(line) for line in lines[:6] if ROW.match(line)), None)
    if not row:
        fail(f"{page}: no line '<!-- table: what it reproduces | notes -->' in its first 6 lines")
    return lines[0] if lines else "", row.group(1), row.group(2)


def chapters(root):
    """(number, label, title, what, notes) for each chapters/NN_name and each page of it, in order."""
    folders = sorted(os.path.basename(d) for d in glob.glob(os.path.join(root, "chapters", "[0-9][0-9]_*"))
                     if os.path.isdir(d))
    pages = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(root, "docs", "chapters", "*.md")))
    rows = []  # (number, label, title, what, notes, page)
    for name in folders:
        page = f"docs/chapters/{name}.md"
        if name not in pages:
            fail(f"chapters/{name}/ has no page {page}")
        if not os.path.exists(os.path.join(root, "tests", "chapters", f"test_{name}.cpp")):
            fail(f"chapters/{name}/ has no test tests/chapters/test_{name}.cpp")
        first, what, notes = table_line(root, page)
        title = TITLE.match(first)
        if not title or title.group(1) != name[:2] or title.group(3) != "ch" + name:
            fail(f"{page}:1: the first line must be 'Chapter {name[:2]} — Title {{#ch{name}}}'")
        rows.append((name[:2], title.group(3), title.group(2), what, notes, page))
        for more in (p for p in pages if p.startswith(name + "_")):
            page = f"docs/chapters/{more}.md"
            first, what, notes = table_line(root, page)
            title = SUBTITLE.match(first)
            if not title or title.group(1) != name[:2]:
                fail(f"{page}:1: the first line must be 'Chapter {name[:2]}, more: title {{#label}}'")
            rows.append((name[:2], title.group(3), title.group(2), what, notes, page))
    for page in pages:
        with open(os.path.join(root, "docs", "chapters", page + ".md"), encoding="utf-8") as f:
            first = f.readline()
        if TITLE.match(first) and page not in folders:
            fail(f"docs/chapters/{page}.md is a chapter page without its folder chapters/{page}/")
    if not rows:
        fail("no chapters/NN_name folders")
    return rows


def lower_first(title):
    """'The convolution…' → 'the convolution…'; 'LeNet-5…' stays."""
    first = title.split()[0]
    return title[0].lower() + title[1:] if first[1:] == first[1:].lower() else title


def readme_table(rows):
    out = ["| # | chapter | what it reproduces | notes |", "|---|---|---|---|"]
    out += [f"| {n} | {lower_first(title)} | {what} | {notes} |" for n, _, title, what, notes, _ in rows]
    return out


def mainpage_table(rows):
    out = ["| chapter | what it derives | notes |", "|---|---|---|"]
    out += [f"| \\ref {label} | {what} | {notes} |" for _, label, _, what, notes, _ in rows]
    return out


def table_rows(root, path):
    """The body rows of the chapter table now in path, as lists of cells."""
    with open(os.path.join(root, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if BEGIN not in lines or END not in lines:
        return []
    body = lines[lines.index(BEGIN) + 3:lines.index(END)]
    return [[c.strip() for c in line.strip().strip("|").split(" | ")] for line in body if line.startswith("|")]


def chinese(root, rows):
    """The rows with each chapter's Chinese title and summary (see the top)."""
    readme = table_rows(root, "README.zh-CN.md")
    by_label = {cells[0].split()[-1]: cells[1] for cells in table_rows(root, "docs/zh/mainpage.md") if len(cells) == 3}
    seen, out = {}, []
    for n, label, title, what, notes, page in rows:
        k = seen[n] = seen.get(n, -1) + 1  # the k-th row of chapter n: README.zh-CN.md's rows have no label
        twin = "docs/zh/" + os.path.relpath(page, "docs")
        if os.path.exists(os.path.join(root, twin)):
            first, what, notes = table_line(root, twin)
            m = (ZH_SUBTITLE if k else ZH_TITLE).match(first)
            if not m or m.group(1) != n or m.group(3) != label:
                form = f"第 {n} 章，…：标题" if k else f"第 {n} 章 — 标题"
                fail(f"{twin}:1: the first line must be '{form} {{#{label}}}'")
            title = m.group(2)
        else:
            old = [cells for cells in readme if len(cells) == 4 and cells[0] == n]
            title = old[k][1] if k < len(old) else title
            what = by_label.get(label, what)
        out.append((n, label, title, what, notes, page))
    return out


def zh_readme_table(rows):
    out = ["| # | 章节 | 复现的内容 | 笔记 |", "|---|---|---|---|"]
    return out + [f"| {n} | {title} | {what} | {notes} |" for n, _, title, what, notes, _ in rows]


def zh_mainpage_table(rows):
    out = ["| 章节 | 推导的内容 | 笔记 |", "|---|---|---|"]
    return out + [f"| \\ref {label} | {what} | {notes} |" for _, label, _, what, notes, _ in rows]


TABLES = {"README.md": readme_table, "docs/mainpage.md": mainpage_table}
ZH_TABLES = {"README.zh-CN.md": zh_readme_table, "docs/zh/mainpage.md": zh_mainpage_table}


def replaced(path, text, table):
    lines = text.split("\n")
    if lines.count(BEGIN) != 1 or lines.count(END) != 1 or lines.index(BEGIN) > lines.index(END):
        fail(f"{path}: needs one line\n  {BEGIN}\nand, after it, one line\n  {END}")
    begin, end = lines.index(BEGIN), lines.index(END)
    return "\n".join(lines[:begin + 1] + table + lines[end:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a table differs")
    parser.add_argument("--root", default=ROOT, help="the workbook's folder (default: this one)")
    args = parser.parse_args()
    rows = chapters(args.root)
    zh_rows = chinese(args.root, rows)
    stale = []
    for path, make in list(TABLES.items()) + list(ZH_TABLES.items()):
        with open(os.path.join(args.root, path), encoding="utf-8") as f:
            text = f.read()
        new = replaced(path, text, make(zh_rows if path in ZH_TABLES else rows))
        if new == text:
            continue
        stale.append(path)
        if not args.check:
            with open(os.path.join(args.root, path), "w", encoding="utf-8") as f:
                f.write(new)
    if args.check and stale:
        fail(f"the chapter table of {' and '.join(stale)} differs from the chapter pages: "
             "run docs/tools/chapter_table.py")
    verb = "checked" if args.check else ("rewrote " + ", ".join(stale) if stale else "unchanged")
    print(f"chapter_table: {len(rows)} chapters; {verb}")


if __name__ == "__main__":
    main()
