#!/usr/bin/python3
"""Every code name and every test the docs cite must exist.

    docs/tools/check_refs.py build/docs/workbook.tag docs/mainpage.md docs/chapters/*.md …

Code names: each `wb::…` or `chNN::…` in the Markdown must be a namespace, class,
function, variable or type in Doxygen's tag file (so it is also a link on the page).
Tests: each `test_NN_name.cpp` (or `chapters/test_…`, `reference/test_…`) followed by
one or more quoted case names, e.g. `test_02_delta_2x2.cpp`, "000 eq 8: rule…", must
name a file under tests/ holding a TEST_CASE whose name contains the quote ("…" stands
for any text). Prints one line per problem and exits 1 if there is any.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CODE_NAME = re.compile(r"\b((?:wb|ch\d\d)(?:::~?[A-Za-z_]\w*)+)")
TEST_FILE = re.compile(r"`?((?:[a-z]+/)?test_\w+\.cpp)`?")
QUOTED = re.compile(r'\s*(?:,|and|;|，|、|；|与|和)?\s*"([^"]{1,300})"')  # and the Chinese pages' separators


checked_names = checked_tests = 0


def known_names(tagfile):
    names = set()
    for compound in ET.parse(tagfile).getroot().iter("compound"):
        if compound.get("kind") in ("file", "page", "dir", "example"):
            continue
        outer = compound.findtext("name")
        names.add(outer)
        for member in compound.iter("member"):
            names.add(f"{outer}::{member.findtext('name')}")
    return names


def test_cases(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = re.findall(r'TEST_CASE\("((?:[^"\\]|\\.)*)"', f.read())
    return cache[path]


def matches(quote, name):
    parts = [p.strip() for p in quote.split("…")]
    at = 0
    for part in parts:
        if not part:
            continue
        i = name.find(part, at)
        if i < 0:
            return False
        at = i + len(part)
    return True


def check(md, names):
    with open(md, encoding="utf-8") as f:
        text = f.read()
    # Code blocks show program output and shell commands, not references.
    text = re.sub(r"^(?: {4}|\t).*$", "", text, flags=re.M)
    problems = []
    global checked_names, checked_tests
    for m in CODE_NAME.finditer(text):
        checked_names += 1
        name = m.group(1)
        if name not in names:
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{md}:{line}: no such code name: {name}")
    for m in TEST_FILE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        rel = m.group(1)
        found = [p for p in glob.glob(os.path.join(ROOT, "tests", "**", os.path.basename(rel)),
                                      recursive=True) if p.endswith(rel)]
        if len(found) != 1:
            problems.append(f"{md}:{line}: " + (f"{rel} is ambiguous: " + ", ".join(
                os.path.relpath(p, os.path.join(ROOT, "tests")) for p in found)
                if found else f"no test file {rel} under tests/"))
            continue
        at = m.end()
        while True:
            q = QUOTED.match(text, at)
            if not q:
                break
            at = q.end()
            quote = " ".join(q.group(1).split())
            checked_tests += 1
            if not any(matches(quote, name) for name in test_cases(found[0])):
                problems.append(f'{md}:{line}: {rel} has no test case matching "{quote}"')
    return problems


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    names = known_names(sys.argv[1])
    problems = [p for md in sys.argv[2:] for p in check(md, names)]
    for p in problems:
        print(p)
    print(f"check_refs: {checked_names} code names and {checked_tests} test cases cited in "
          f"{len(sys.argv) - 2} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
