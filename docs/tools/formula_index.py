#!/usr/bin/python3
"""Writes the page "Every formula → code → test" from the chapters' own tables.

    docs/tools/formula_index.py OUT.md docs/chapters/*.md

Each chapter page has a section "## Formula → code → test" holding a table
| formula | in the notes | code | test |. This page gathers every row, ordered by note
(000 … 004, then the workbook's own additions) and adds the chapter, so the index can
never disagree with the chapters.
"""
import re
import sys

HEADING = "## Formula → code → test"


def rows_of(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    label = re.search(r"\{#(ch\d\d_\w+)\}", text.splitlines()[0])
    if not label or HEADING not in text:
        sys.exit(f"formula_index: {path} has no page label or no '{HEADING}' section")
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or set(line.strip()) <= set("|-") or cells[0] == "formula":
            continue  # not a row, the separator, or the header
        if len(cells) != 4:
            sys.exit(f"formula_index: {path}: a row without four cells: {line}")
        rows.append(cells + [f"\\ref {label.group(1)}"])
    if not rows:
        sys.exit(f"formula_index: the table of {path} is empty")
    return rows


def note_order(row):
    m = re.match(r"(\d{3})", row[1])
    return (m.group(1) if m else "999", row[4])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = sorted((r for path in sys.argv[2:] for r in rows_of(path)), key=note_order)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write("Every formula → code → test {#formulas}\n"
                  "===========================\n\n"
                  "Every formula of the five notes the workbook computes, ordered by note: where it is,\n"
                  "the function that computes it (a click opens its documentation and source), the\n"
                  "test that checks it (under `tests/`), and the chapter that derives it. Gathered\n"
                  "from the chapters' own tables by `docs/tools/formula_index.py`.\n\n"
                  "| formula | in the notes | code | test | chapter |\n|---|---|---|---|---|\n")
        for r in rows:
            out.write("| " + " | ".join(r) + " |\n")
    print(f"formula_index: {len(rows)} formulas from {len(sys.argv) - 2} chapters")


if __name__ == "__main__":
    main()
