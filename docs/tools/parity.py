#!/usr/bin/python3
"""The two editions show the same book: each Chinese page and its English twin have the
same sections, formulas, snippets, figures, code blocks, tables, live panels and anchors;
only the words differ.

    docs/tools/parity.py              every twin pair; exit 1 naming each difference
    docs/tools/parity.py --self-test  first prove that planted drifts are caught
    docs/tools/parity.py --pair EN.md ZH.md   one pair of generated pages (the formula index)

The twin of docs/X.md is docs/zh/X.md (and of README.md, README.zh-CN.md). Compared, in
each section (a section is a heading and what follows it, up to the next heading):

- the sections themselves: their number, levels and {#ids}, and the page's label;
- display formulas (\\f[ … \\f], \\f{…}{ … \\f}) in order; inline ones (\\f$ … \\f$) as a set
  with counts, since a Chinese sentence may name them in another order;
- snippets (\\snippet, \\snippetfrom, \\include…), figures (\\image, <img>, <object>), live
  panels (data-panel="…"), \\anchor names, folded blocks (\\spoiler{…}, \\fold) in order;
- code blocks (fenced or indented: commands, what a program prints), line for line, but
  for a shell comment at the end of a line (`./workbook test   # …`), which is prose;
- tables: the same number of tables, and in each the same columns and rows; in each row
  the same formulas, `code`, code names (wb::…, chNN::…), \\ref targets, numbers and,
  beside a cited test file, the "quoted" test names, in any order.
"""
import argparse
import collections
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ZH = "docs/zh"

COMMENT = re.compile(r"<!--.*?-->", re.S)
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LABEL = re.compile(r"\{#([\w-]+)\}\s*$")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s")
SHELL_COMMENT = re.compile(r"\s+#\s.*$", re.M)

DISPLAY = re.compile(r"\\f\[(.*?)\\f\]|\\f\{(.*?)\\f\}", re.S)
INLINE = re.compile(r"\\f\$(.*?)\\f\$", re.S)
ITEMS = {  # what, in order, a section shows besides its words
    "snippet": re.compile(r"\\(?:snippetfrom|snippetdoc|snippet|includedoc|include|dontinclude)\b\{?\s*([^\n}]*)"),
    "figure": re.compile(r"\\image\s+html\s+(\S+)|<img\b[^>]*\bsrc=\"([^\"]+)\"|<object\b[^>]*\bdata=\"([^\"]+)\""),
    "live panel": re.compile(r"data-panel=\"([^\"]+)\""),
    "anchor": re.compile(r"\\anchor\s+(\S+)"),
    "folded block": re.compile(r"\\(spoiler\{[^}]*\}|fold)\b"),
}
CELL_TOKENS = re.compile(r"\\f\$.*?\\f\$|`[^`]*`|\b(?:wb|ch\d\d)::[\w:~]+(?:\(\))?|\\ref\s+\S+"
                         r"|\d+(?:\.\d+)?")
TEST_NAME = re.compile(r"\"[^\"]*\"")  # a test case's name, in a cell that cites its file


def squash(s):
    return " ".join(s.split())


class Section:
    def __init__(self, level, heading):
        label = LABEL.search(heading)
        self.level, self.heading = level, heading
        self.id = label.group(1) if label else None
        self.prose, self.code, self.tables = [], [], []

    def name(self):
        return f"{'#' * self.level} {self.heading}" if self.level else "the page's title"


def parse(text):
    """The page as a list of Sections (the first holds the title and what precedes the
    first heading)."""
    lines = COMMENT.sub("", text).splitlines()
    title = Section(0, lines[0] if lines else "")
    if len(lines) > 1 and re.fullmatch(r"=+\s*", lines[1]):
        lines = lines[2:]
    sections = [title]
    fence, block, table = None, None, None
    previous = ""  # the last line that was not blank
    blank_before = True
    for line in lines:
        here = sections[-1]
        if fence is not None:
            if FENCE.match(line) and line.strip().startswith(fence):
                here.code.append("\n".join(block))
                fence, block = None, None
            else:
                block.append(line.rstrip())
            continue
        if block is not None:  # an indented code block goes on while lines are indented
            if line.startswith("    ") or not line.strip():
                block.append(line[4:].rstrip())
                continue
            here.code.append("\n".join(block).strip("\n"))
            block = None
        if FENCE.match(line):
            fence, block = FENCE.match(line).group(1), []
            continue
        if line.startswith("    ") and blank_before and line.strip() and not (
                LIST_ITEM.match(previous) or previous.startswith(" ")):
            block = [line[4:].rstrip()]
            continue
        if line.lstrip().startswith("|"):
            if table is None:
                table = []
                here.tables.append(table)
            table.append(line.strip())
        else:
            table = None
        heading = HEADING.match(line)
        if heading:
            sections.append(Section(len(heading.group(1)), heading.group(2)))
            sections[-1].prose.append(heading.group(2))
        elif table is None:
            here.prose.append(line)
        blank_before = not line.strip()
        if line.strip():
            previous = line
    if block is not None:
        sections[-1].code.append("\n".join(block).strip("\n"))
    return sections


def tokens(cell):
    """What a table cell shows in either language, sorted: a sentence may order it otherwise."""
    found = CELL_TOKENS.findall(TEST_NAME.sub("", cell))
    if "`" in cell:
        found += TEST_NAME.findall(cell)
    return sorted(found)


def rows(table):
    """The body rows of a Markdown table, as lists of cells (header and rule left out)."""
    body = table[2:] if len(table) > 1 and set(table[1]) <= set("|-: ") else table[1:]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip().strip("|"))] for r in body]


def compare_section(en, zh, where):
    problems = []
    en_text, zh_text = "\n".join(en.prose), "\n".join(zh.prose)

    def report(kind, a, b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                problems.append(f"{where}: {kind} {i + 1} differs: English {x!r}, Chinese {y!r}")
                return
        if len(a) != len(b):
            extra, side = (a[len(b)], "English") if len(a) > len(b) else (b[len(a)], "Chinese")
            problems.append(f"{where}: {kind}s: {len(a)} in English, {len(b)} in Chinese "
                            f"(first extra, {side}: {extra!r})")

    display = [[squash(m.group(1) or m.group(2)) for m in DISPLAY.finditer(t)] for t in (en_text, zh_text)]
    report("display formula", *display)
    inline = [collections.Counter(squash(m) for m in INLINE.findall(DISPLAY.sub("", t)))
              for t in (en_text, zh_text)]
    for side, only in (("English", inline[0] - inline[1]), ("Chinese", inline[1] - inline[0])):
        if only:
            shown = ", ".join(f"\\f${f}\\f$" for f in list(only)[:3])
            problems.append(f"{where}: inline formula only in the {side}: {shown}")
    for kind, pattern in ITEMS.items():
        found = [[squash(next(g for g in m.groups() if g is not None)) for m in pattern.finditer(t)]
                 for t in (en_text, zh_text)]
        report(kind, *found)
    report("code block", *[[SHELL_COMMENT.sub("", c) for c in s.code] for s in (en, zh)])
    if len(en.tables) != len(zh.tables):
        problems.append(f"{where}: tables: {len(en.tables)} in English, {len(zh.tables)} in Chinese")
    for t, (a, b) in enumerate(zip(en.tables, zh.tables), 1):
        ra, rb = rows(a), rows(b)
        if len(ra) != len(rb):
            problems.append(f"{where}: table {t} has {len(ra)} rows in English, {len(rb)} in Chinese")
        if ra and rb and len(ra[0]) != len(rb[0]):
            problems.append(f"{where}: table {t} has {len(ra[0])} columns in English, {len(rb[0])} in Chinese")
        for r, (x, y) in enumerate(zip(ra, rb), 1):
            tx, ty = [[tokens(c) for c in row] for row in (x, y)]
            if tx != ty:
                c = next((i for i, (p, q) in enumerate(zip(tx, ty)) if p != q), min(len(tx), len(ty)))
                problems.append(f"{where}: table {t}, row {r}, column {c + 1} differs: English "
                                f"{' '.join(tx[c]) if c < len(tx) else '(none)'!r}, Chinese "
                                f"{' '.join(ty[c]) if c < len(ty) else '(none)'!r}")
    return problems


def compare(en_text, zh_text, name="page"):
    """Every difference between an English page and its Chinese twin, one line each."""
    en, zh = parse(en_text), parse(zh_text)
    problems = []
    if en[0].id != zh[0].id:
        problems.append(f"{name}: page label {{#{en[0].id}}} in English, {{#{zh[0].id}}} in Chinese")
    shape_en = [(s.level, s.id) for s in en[1:]]
    shape_zh = [(s.level, s.id) for s in zh[1:]]
    if shape_en != shape_zh:
        i = next((i for i, (a, b) in enumerate(zip(shape_en, shape_zh)) if a != b),
                 min(len(shape_en), len(shape_zh)))
        a = en[i + 1].name() if i + 1 < len(en) else "(no section)"
        b = zh[i + 1].name() if i + 1 < len(zh) else "(no section)"
        problems.append(f"{name}: section structure differs ({len(en) - 1} sections in English, "
                        f"{len(zh) - 1} in Chinese); section {i + 1}: English {a!r}, Chinese {b!r}")
        # Go on where the sections can still be paired: by id.
        by_id = {s.id: s for s in zh if s.id}
        pairs = [(s, by_id[s.id]) for s in en if s.id in by_id]
        pairs.insert(0, (en[0], zh[0]))
    else:
        pairs = list(zip(en, zh))
    for a, b in pairs:
        problems += compare_section(a, b, f"{name}, {a.name()!s} / {b.name()!s}")
    return problems


def twins(root):
    """(English path, Chinese path) of every page pair, relative to root; Chinese pages
    without an English twin are returned as (None, path)."""
    english = sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "docs", "**", "*.md"),
                                                                recursive=True)
                     if not os.path.relpath(p, root).startswith(ZH + os.sep))
    pairs = [("README.md", "README.zh-CN.md")]
    pairs += [(p, os.path.join(ZH, os.path.relpath(p, "docs"))) for p in english]
    known = {zh for _, zh in pairs}
    for p in sorted(glob.glob(os.path.join(root, ZH, "**", "*.md"), recursive=True)):
        if os.path.relpath(p, root) not in known:
            pairs.append((None, os.path.relpath(p, root)))
    return pairs


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def check_tree(root, allow_missing):
    problems, missing, checked = [], [], 0
    for en, zh in twins(root):
        if en is None:
            problems.append(f"{zh}: a Chinese page without its English twin")
        elif not os.path.exists(os.path.join(root, zh)):
            missing.append(f"{en} (→ {zh})")
        else:
            checked += 1
            problems += compare(read(root, en), read(root, zh), zh)
    if missing and not allow_missing:
        problems += [f"no Chinese twin: {m}" for m in missing]
    return problems, missing, checked


# ---- the self-test: each planted drift must be caught ----------------------------------

def plant_formula(en, zh):
    """A display formula changed on the English side."""
    m = DISPLAY.search(en)
    return (en[:m.end() - 3] + " + 1" + en[m.end() - 3:], zh) if m else None


def plant_inline(en, zh):
    """An inline formula of the prose changed on the Chinese side."""
    for m in INLINE.finditer(zh):
        if not zh[zh.rfind("\n", 0, m.start()) + 1:].lstrip().startswith("|"):
            return en, zh[:m.end() - 3] + "'" + zh[m.end() - 3:]
    return None


def plant_row(en, zh):
    """The last row of the Chinese page's first table dropped."""
    lines = zh.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|") and i + 2 < len(lines) and set(lines[i + 1].strip()) <= set("|-: "):
            end = i + 2
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            if end > i + 2:
                return en, "".join(lines[:end - 1] + lines[end:])
    return None


def plant_section(en, zh):
    """The Chinese page's last section (heading and text) missing."""
    starts = [m.start() for m in re.finditer(r"^##+ ", zh, re.M)]
    return (en, zh[:starts[-1]]) if starts else None


def plant_item(kind, pattern, change):
    def plant(en, zh):
        m = pattern.search(zh)
        return (en, zh[:m.start()] + change(m.group(0)) + zh[m.end():]) if m else None
    plant.__doc__ = f"a {kind} changed on the Chinese side"
    return plant


def plant_code(en, zh):
    """The first line of the Chinese page's first indented code block changed (found by
    parsing: a line indented four spaces may also be a formula's or a list item's)."""
    for line in (l for section in parse(zh) for block in section.code for l in block.splitlines()):
        m = re.search(r"^    " + re.escape(line) + "$", zh, re.M) if line.strip() else None
        if m and not line.startswith(" "):
            return en, zh[:m.start()] + "    2" + line + zh[m.end():]
    return None


PLANTED = [  # (drift, the words its report must contain)
    (plant_formula, "display formula"),
    (plant_inline, "inline formula"),
    (plant_row, "rows"),
    (plant_section, "section structure"),
    (plant_item("snippet", re.compile(r"\\snippet\w*\{?[^,\s}]+[, ]\s*\w+"), lambda s: s + "x"), "snippet"),
    (plant_item("figure", re.compile(r"\\image html \S+"), lambda s: s + ".old"), "figure"),
    (plant_item("live panel", re.compile(r"data-panel=\"\w+"), lambda s: s + "x"), "live panel"),
    (plant_code, "code block"),
]


def self_test(pairs):
    """Plants each drift into each pair it applies to; returns the ones not caught."""
    missed, tried = [], collections.Counter()
    for name, en, zh in pairs:
        if compare(en, zh, name):
            missed.append(f"{name}: the pair is not clean before planting, so the self-test cannot use it")
            continue
        for plant, words in PLANTED:
            planted = plant(en, zh)
            if planted is None:
                continue
            tried[words] += 1
            found = compare(*planted, name)
            if not any(words in p for p in found):
                missed.append(f"{name}: {plant.__doc__.strip()} was not reported as '{words}' "
                              f"(reported: {found[:2] or 'nothing'})")
    for _, words in PLANTED:
        if not tried[words]:
            missed.append(f"no pair to plant '{words}' in")
    return missed, sum(tried.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true",
                        help="plant drifts into the fixture pair and every real pair first")
    parser.add_argument("--allow-missing", action="store_true",
                        help="an English page without its Chinese twin is listed, not an error")
    parser.add_argument("--root", default=ROOT, help="the tree to check (default: this one)")
    parser.add_argument("--pair", nargs=2, metavar=("EN", "ZH"),
                        help="compare these two files only (pages the build generates)")
    args = parser.parse_args()
    if args.pair:
        problems = compare(read("", args.pair[0]), read("", args.pair[1]), args.pair[1])
        for p in problems:
            print(f"parity: {p}")
        print(f"parity: 1 page pair, {len(problems)} difference(s)")
        return 1 if problems else 0
    if args.self_test:
        fixture = os.path.join(ROOT, "tests", "docs", "parity")
        pairs = [("tests/docs/parity", read(fixture, "en.md"), read(fixture, "zh.md"))]
        pairs += [(zh, read(args.root, en), read(args.root, zh)) for en, zh in twins(args.root)
                  if en and os.path.exists(os.path.join(args.root, zh))]
        missed, planted = self_test(pairs)
        if missed:
            print("\n".join(f"parity self-test: {m}" for m in missed))
            sys.exit("parity: the self-test failed, so the check cannot be trusted")
        print(f"parity self-test: {planted} drifts planted in {len(pairs)} page pairs, all caught")
    problems, missing, checked = check_tree(args.root, args.allow_missing)
    for p in problems:
        print(f"parity: {p}")
    if missing and args.allow_missing:
        print(f"parity: {len(missing)} page(s) without a Chinese twin yet: " + ", ".join(missing))
    print(f"parity: {checked} page pairs, {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
