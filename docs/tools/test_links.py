#!/usr/bin/python3
"""The tests in the docs: a page per test file, and every cited test case a link to it.

    docs/tools/test_links.py --pages OUT_DIR   # writes OUT_DIR/tests.md and a page per test file
    docs/tools/test_links.py --pages OUT_DIR chapters/test_06_pooling.cpp …   # only these,
                                               # without links to other pages (a test build)
    docs/tools/test_links.py PAGE.md           # Doxygen's INPUT_FILTER for *.md: PAGE with links

The pages cite tests as check_refs.py reads them: a test file, then the quoted names of its
cases ("…" stands for any text), e.g.

    `chapters/test_06_pooling.cpp`, "002 max-pooling slide: [[1,8…", "001 §6.2.1…"

As a filter this script turns the file name into a link to the file's page and each quote
into a link to its test case (an anchor per TEST_CASE on that page); the Markdown on disk
stays as written, so check_refs.py and parity.py read the same text. A citation that names
no case is left as it is (the strict docs build reports it).
"""
import glob
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_refs import QUOTED, ROOT, matches, test_cases  # noqa: E402 (one reading of citations)

TESTS = os.path.join(ROOT, "tests")
# A citation: the file, with or without `tests/` and backticks (check_refs's TEST_FILE plus
# the `tests/` prefix the prose writes).
CITED_FILE = re.compile(r"`?(?:tests/)?((?:[a-z]+/)?test_\w+\.cpp)`?")


def test_files():
    return sorted(os.path.relpath(p, TESTS) for p in glob.glob(os.path.join(TESTS, "**", "test_*.cpp"),
                                                                recursive=True))


def page_id(rel):
    """tests/chapters/test_06_pooling.cpp → tests_chapters_test_06_pooling"""
    return "tests_" + re.sub(r"\W", "_", rel[:-len(".cpp")])


def case_anchor(rel, name):
    # From the case's name, not its position: a link survives new cases above it.
    return page_id(rel) + "_" + hashlib.sha1(name.encode()).hexdigest()[:10]


def find(rel):
    """The one file under tests/ a citation names (by its ending), or None."""
    found = [f for f in test_files() if f == rel or f.endswith("/" + rel)]
    return found[0] if len(found) == 1 else None


# ---- the pages ---------------------------------------------------------------------------

def cases_with_code(path):
    """(name, source lines) of each TEST_CASE: from its line to the closing brace in column 0."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    cases, i = [], 0
    while i < len(lines):
        m = re.match(r'TEST_CASE\("((?:[^"\\]|\\.)*)"', lines[i])
        if not m:
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end] != "}" and not lines[end].rstrip().endswith("{}"):
            end += 1
        cases.append((m.group(1), lines[i:end + 1], i + 1))
        i = end + 1
    return cases


def chapter_of(rel):
    """The chapter page a test file belongs to (test_06_… → ch06_pooling), or None."""
    m = re.search(r"test_(\d\d)_", rel)
    if not m:
        return None
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "chapters", m.group(1) + "_*.md"))):
        with open(path, encoding="utf-8") as f:
            label = re.search(r"\{#(ch\d\d_\w+)\}", f.readline())
        if label:
            return label.group(1)
    return None


def write_pages(out_dir, only=()):
    os.makedirs(out_dir, exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "tests*.md")):
        os.remove(old)
    files = [find(f) or sys.exit(f"test_links: no test file {f} under tests/") for f in only] or test_files()
    index = ["The tests {#tests}", "=========", "",
             "Every test file of the workbook, each case with its code: the chapters' "
             "\"Check it\" sections and formula tables link to the case that checks a formula. "
             "Run them all with `./workbook test`, one file's cases with "
             "`ctest --test-dir build -R NAME`.", ""]
    total = 0
    for rel in files:
        cases = cases_with_code(os.path.join(TESTS, rel))
        if not cases:
            continue
        total += len(cases)
        index.append(f"- \\subpage {page_id(rel)} ({len(cases)} cases)")
        chapter = None if only else chapter_of(rel)
        lines = [f"tests/{rel} {{#{page_id(rel)}}}", "=" * (len(rel) + 6), "",
                 f"The {len(cases)} test cases of `tests/{rel}`"
                 + (f", which check \\ref {chapter}" if chapter else "")
                 + ("." if only else "; back to \\ref tests."), ""]
        for name, code, line in cases:
            lines += [f"\\anchor {case_anchor(rel, name)}", f"<p class=\"wb-test-line\">line {line}</p>", "",
                      "```{.cpp}", *code, "```", ""]
        with open(os.path.join(out_dir, page_id(rel) + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    if not only:
        with open(os.path.join(out_dir, "tests.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(index) + "\n")
    print(f"test_links: {total} test cases in {len(files)} files, a page each")


# ---- the filter --------------------------------------------------------------------------

def linked(text):
    out, at = [], 0
    for m in CITED_FILE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        # code blocks (four spaces in, or a tab) show output and commands, not citations
        if text.startswith("    ", line_start) or text.startswith("\t", line_start):
            continue
        rel = find(m.group(1))
        if not rel:
            continue
        out.append(text[at:m.start()])
        out.append(f'<code>\\ref {page_id(rel)} "tests/{rel}"</code>')
        at = m.end()
        names = test_cases(os.path.join(TESTS, rel))
        while True:
            q = QUOTED.match(text, at)
            if not q:
                break
            quote = " ".join(q.group(1).split())
            hit = next((n for n in names if matches(quote, n)), None)
            if hit is None:
                break
            # the separator as written, then the quote as a link with its quotation marks;
            # a \ref's text must be on one line, so a quote's line breaks go before it
            # (the page keeps its line numbers for Doxygen's messages)
            out.append(text[at:q.start(1) - 1])
            out.append("\n" * q.group(1).count("\n"))
            out.append(f'\\ref {case_anchor(rel, hit)} "“{" ".join(q.group(1).split())}”"')
            at = q.end()
    out.append(text[at:])
    return "".join(out)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--pages":
        write_pages(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        with open(sys.argv[1], encoding="utf-8") as f:
            sys.stdout.write(linked(f.read()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
