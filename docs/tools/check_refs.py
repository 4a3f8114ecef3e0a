#!/usr/bin/python3
"""Every code name and every test the docs cite must exist.

    docs/tools/check_refs.py build/docs/workbook.tag docs/mainpage.md docs/chapters/*.md …

Code names: each `wb::…` or `chNN::…` in the Markdown must be a namespace, class,
function, variable or type in Doxygen's tag file (so it is also a link on the page).
Tests: each `test_NN_name.cpp` (or `chapters/test_…`, `reference/test_…`) followed by
one or more quoted case names, e.g. `test_02_delta_2x2.cpp`, "000 eq 8: rule…", must
name a file under tests/ holding a TEST_CASE whose name contains the quote ("…" stands
for any text). Prints one line per problem and exits 1 if there is any.

    docs/tools/check_refs.py --code [ROOT]

The same for the comments of the code and the scripts under ROOT (default: this tree):
each path of the tree a comment names (`reference/conv.hpp`, `tests/fault/full_disk.sh`)
must exist, each bare `name.hpp` or `name.cpp` must be a file somewhere in it, and each
`name` or `name()` in backticks in a C++ comment must be a word of the code outside
comments. Placeholders (NN, NAME, X, OUT, `prefix_*`) stand for any text.
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


TOP = r"(?:reference|chapters|tests|docs|bench|fuzz|exercises|data|workbook\.d|\.ci)"
CODE_PATH = re.compile(r"(?<![\w./$-])(" + TOP + r"/[\w.+/-]*[\w/])")
SOURCE_FILE = re.compile(r"(?<![\w./$-])([A-Za-z_]\w*\.[ch]pp)\b")
TICKED = re.compile(r"`([A-Za-z]\w*(?:::\w+)*\*?)(?:\(\))?`")
PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:NN|NAME|X|OUT|ID|N)(?![A-Za-z])|[*…]|_$")
CXX = (".cpp", ".hpp", ".h", ".js")
SCRIPTS = (".sh", ".py", ".bats", ".cmake")


def code_files(root):
    """The tree's code and scripts, without build trees and program output."""
    for d, dirs, files in os.walk(root):
        top = os.path.relpath(d, root) == "."
        dirs[:] = sorted(x for x in dirs if x not in (".git", "node_modules")
                         and not (top and (x.startswith("build") or x in ("out", ".workbook"))))
        for f in sorted(files):
            if f.endswith(CXX + SCRIPTS) or f in ("CMakeLists.txt", "workbook", "run"):
                yield os.path.relpath(os.path.join(d, f), root)


def comment_lines(path, text):
    """(line number, comment text): // and /* */ in C++ and JavaScript, # elsewhere."""
    for number, line in enumerate(text.split("\n"), 1):
        if path.endswith(CXX):
            m = re.search(r"(?:^|\s)//(.*)$", line)
            stripped = line.strip()
            if m and line[:m.start()].count('"') % 2 == 0:
                yield number, m.group(1)
            elif stripped.startswith(("/*", "* ", "*/")) or stripped == "*":
                yield number, stripped
        else:
            m = re.search(r"(?:^|\s)#(.*)$", line)
            if m and line[:m.start()].count('"') % 2 == 0 and line[:m.start()].count("'") % 2 == 0:
                yield number, m.group(1)


def check_code(root):
    """Problems with the paths and names the code's comments cite."""
    texts = {p: open(os.path.join(root, p), encoding="utf-8", errors="replace").read()
             for p in code_files(root)}
    entries = set()
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x != ".git"]
        entries.update(files)
    words = set()
    for p, t in texts.items():
        if p.endswith(CXX):
            t = re.sub(r"/\*.*?\*/", "", re.sub(r"//.*", "", t), flags=re.S)
        words.update(re.findall(r"[A-Za-z_]\w*", t))
    problems, checked = [], 0
    for p, t in texts.items():
        for number, comment in comment_lines(p, t):
            for m in CODE_PATH.finditer(comment):
                cited = m.group(1).rstrip("/.")
                if PLACEHOLDER.search(cited):
                    continue
                checked += 1
                if not os.path.exists(os.path.join(root, cited)):
                    problems.append(f"{p}:{number}: no such path: {cited}")
            for m in SOURCE_FILE.finditer(comment):
                if PLACEHOLDER.search(m.group(1)):
                    continue
                checked += 1
                if m.group(1) not in entries:
                    problems.append(f"{p}:{number}: no such file: {m.group(1)}")
            if not p.endswith(CXX):
                continue
            for m in TICKED.finditer(comment):
                name = m.group(1).split("::")[-1]
                checked += 1
                if name.endswith("*"):
                    if not any(w.startswith(name[:-1]) for w in words):
                        problems.append(f"{p}:{number}: no code name starts with {name[:-1]}")
                elif name not in words:
                    problems.append(f"{p}:{number}: no such code name: {m.group(1)}")
    return problems, checked, len(texts)


def main_code(root):
    problems, checked, files = check_code(root)
    for p in problems:
        print(p)
    print(f"check_refs --code: {checked} paths and names cited in the comments of {files} files, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


def main():
    if sys.argv[1:2] == ["--code"]:
        return main_code(sys.argv[2] if len(sys.argv) > 2 else ROOT)
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
