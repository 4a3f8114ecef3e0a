#!/usr/bin/python3
"""Every list of live panels agrees with the one table, docs/live/registry.hpp.

    tests/live/registry_check.py LIVE_CLI        (ctest "live: …"; LIVE_CLI prints the table)

The table comes from `live_cli --panels` (the C++ itself, not a reading of its source).
Checked against it, one line per disagreement:
  - every chapter (chapters/NN_*) has a panel: "every chapter live";
  - each panel's block (<div class="wb-live" data-panel="chNN">) is on its chapter page,
    once, with the scripts it needs, and no page holds a block the table does not list;
  - the page script docs/live/panels.js defines each panel (definePanel('chNN', …)) and
    no other (that each language's strings have the English keys is checked in the
    browser, by browser_live.py, where the script runs);
  - the browser test tests/live/browser_live.py has test_chNN for each, and no other;
  - the native tests (tests/live/test_live.cpp) have a TEST_CASE "chNN panel: …" and the
    wasm = native comparison (tests/live/requests.txt) a request for each.
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
problems = []


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def page_labels():
    """{label: path} of the docs' markdown pages, from their first line's {#label}."""
    labels = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            m = re.search(r"\{#([A-Za-z0-9_]+)\}", f.readline())
        if m:
            labels.setdefault(m.group(1), []).append(os.path.relpath(path, ROOT))
    return labels


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: registry_check.py LIVE_CLI")
    table = json.loads(subprocess.check_output([sys.argv[1], "--panels"], text=True))
    names = [p["name"] for p in table]
    print(f"registry: {len(table)} panels: {', '.join(names)}")

    for d in sorted(glob.glob(os.path.join(ROOT, "chapters", "[0-9][0-9]_*"))):
        name = "ch" + os.path.basename(d)[:2]
        if name not in names:
            problems.append(f"chapter {os.path.basename(d)} has no live panel in docs/live/registry.hpp")

    labels = page_labels()
    blocks = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True)):
        text = open(path, encoding="utf-8").read()
        for name in re.findall(r'<div class="wb-live" data-panel="(\w+)"', text):
            blocks.setdefault(name, []).append(os.path.relpath(path, ROOT))
    for p in table:
        pages = labels.get(p["page"], [])
        if not pages:
            problems.append(f"{p['name']}: no docs page has the label {{#{p['page']}}}")
        for page in pages:
            text = read(page)
            count = text.count(f'data-panel="{p["name"]}"')
            if count != 1:
                problems.append(f"{p['name']}: {page} holds its block {count} times, not once")
            for script in ["live/wb_live.js", "live/panels.js"] + (["live/lenet_weights.js"] if p["name"] == "ch11" else []):
                if f'<script src="{script}"></script>' not in text:
                    problems.append(f"{p['name']}: {page} does not load {script}")
        for where in blocks.get(p["name"], []):
            if where not in pages:
                problems.append(f"{p['name']}: its block is on {where}, not on its page {{#{p['page']}}}")
    for name in sorted(set(blocks) - set(names)):
        problems.append(f"{', '.join(blocks[name])}: a block for panel {name}, which the table does not list")

    js = read("docs/live/panels.js")
    defined = re.findall(r"definePanel\('(\w+)'", js)
    for name in names:
        if defined.count(name) != 1:
            problems.append(f"{name}: docs/live/panels.js defines it {defined.count(name)} times, not once")
    for name in sorted(set(defined) - set(names)):
        problems.append(f"docs/live/panels.js defines panel {name}, which the table does not list")

    tests = set(re.findall(r"^def test_(\w+)\(", read("tests/live/browser_live.py"), re.M))
    for name in names:
        if name not in tests:
            problems.append(f"{name}: tests/live/browser_live.py has no test_{name}")
    for name in sorted(tests - set(names)):
        problems.append(f"tests/live/browser_live.py has test_{name}, for a panel the table does not list")
    native = read("tests/live/test_live.cpp")
    requests = read("tests/live/requests.txt") + read("tests/live/make_requests.cjs")
    for name in names:
        if not re.search(r'TEST_CASE\("' + name + r" panel: ", native):
            problems.append(f'{name}: tests/live/test_live.cpp has no TEST_CASE("{name} panel: …")')
        if f"panel={name}\n" not in requests and f"panel={name}\\n" not in requests:
            problems.append(f"{name}: tests/live/requests.txt has no request for it (wasm = native is not compared)")

    for p in problems:
        print("registry: " + p)
    print(f"registry: {len(problems)} disagreement(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
