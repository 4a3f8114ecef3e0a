#!/usr/bin/python3
"""Each proving test of the errata page must fail on the note's version of the code.

    tests/errata/prove_errata.py BUILD_DIR [MUTANT ...]

A mutant (tests/errata/mutants/*.txt) is the workbook's code changed to do what a note
says: one or more exact replacements in one file of reference/ or chapters/. For each
mutant this script copies reference/ and chapters/ to a scratch folder, makes the
replacements there (each must match exactly once, so a mutant that no longer applies is
an error, not a silent pass), compiles (with every tensor access bounds-checked) the one test file that holds the proving test
cases against that copy, links it with the normal build's libraries, and runs each case
alone. Every case must fail on the mutant and pass in the normal build; a case that
passes on the note's version is a test that does not prove its entry.

It also checks the page against the mutants: every entry of docs/errata.md (an
`\\anchor errata_…` line) that cites a test has a mutant, and every mutant names an
entry of the page.

The reference code carries no switch for this: the mutants live only in the scratch
copies, and the normal build never sees them.

Mutant file format:

    # one line saying what the note says, and where
    entry: errata_001_eq7             (the anchor of its entry on docs/errata.md; one or more)
    file: chapters/02_delta_2x2/delta_2x2.hpp
    test: tests/chapters/test_02_delta_2x2.cpp
    case: the test case's name (one line per case)
    <<<< the workbook
    exact lines of the file
    ==== the note
    the lines that replace them
    >>>>
"""
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MUTANTS = os.path.join(ROOT, "tests", "errata", "mutants")
ERRATA = os.path.join(ROOT, "docs", "errata.md")
TREES = ("reference", "chapters")


class Problem(Exception):
    pass


def parse(path):
    name = os.path.basename(path)[:-4]
    m = {"name": name, "cases": [], "edits": [], "entries": []}
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("<<<<"):
            old, new, j = [], [], i + 1
            while j < len(lines) and not lines[j].startswith("===="):
                old.append(lines[j]); j += 1
            j += 1
            while j < len(lines) and not lines[j].startswith(">>>>"):
                new.append(lines[j]); j += 1
            if j >= len(lines):
                raise Problem(f"{name}: a replacement without its closing >>>>")
            m["edits"].append(("\n".join(old) + "\n", "\n".join(new) + "\n"))
            i = j + 1
            continue
        if line.startswith("#") or not line.strip():
            i += 1
            continue
        key, _, value = line.partition(":")
        value = value.strip()
        if key == "case":
            m["cases"].append(value)
        elif key == "entry":
            m["entries"].append(value)
        elif key in ("file", "test"):
            m[key] = value
        else:
            raise Problem(f"{name}: unknown line '{line}'")
        i += 1
    if not m["entries"]:
        raise Problem(f"{name}: no 'entry:' line")
    for key in ("file", "test"):
        if key not in m:
            raise Problem(f"{name}: no '{key}:' line")
    if not m["cases"] or not m["edits"]:
        raise Problem(f"{name}: needs at least one 'case:' and one replacement")
    if m["file"].split("/")[0] not in TREES:
        raise Problem(f"{name}: the file must be under reference/ or chapters/")
    return m


def entries_of_page():
    """Anchors of docs/errata.md's entries, and whether each cites a test."""
    text = open(ERRATA, encoding="utf-8").read()
    entries = {}
    for block in re.split(r"\n(?=- )", text):
        a = re.search(r"\\anchor (errata_\w+)", block)
        if a:
            entries[a.group(1)] = "Test:" in block or "Tests:" in block
    return entries


def compile_command(build, source):
    for e in json.load(open(os.path.join(build, "compile_commands.json"))):
        if os.path.realpath(e["file"]) == os.path.realpath(source):
            return shlex.split(e["command"]) if "command" in e else e["arguments"], e["directory"]
    raise Problem(f"{source} is not in {build}/compile_commands.json (configure the build first)")


def target_of(build, source):
    rel = os.path.relpath(os.path.realpath(source), ROOT)
    for d in os.listdir(os.path.join(build, "CMakeFiles")):
        if d.endswith(".dir") and os.path.exists(os.path.join(build, "CMakeFiles", d, rel + ".o")):
            return d[:-4]
    raise Problem(f"no target of {build} compiles {rel}")


def retarget(args, scratch, out):
    """The normal build's compile command, aimed at the scratch copy, at -O1 for speed."""
    res, skip = [], False
    for a in args:
        if skip:
            res.append(out); skip = False; continue
        if a == "-o":
            res.append(a); skip = True; continue
        for tree in TREES:
            if a == "-I" + os.path.join(ROOT, tree):
                a = "-I" + os.path.join(scratch, tree)
        if re.fullmatch(r"-O[0-9s]", a):
            a = "-O1"
        # A note's version of the code may leave a parameter unused: that warning is the
        # mutant's, not an error (CI builds with warnings as errors).
        if a == "-Werror" or (a.startswith("-Werror=") and a != "-Werror=return-type"):
            continue
        res.append(a)
    # Every element access checked: a note's index that runs past a map throws (and the
    # case fails) instead of reading memory it does not own.
    return res[:1] + ["-DWB_CHECKED"] + res[1:]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise Problem(" ".join(cmd[:3]) + " …: failed\n" + (p.stderr or p.stdout)[-3000:])
    return p.stdout


def one_case(program, case):
    arg = "--test-case=" + case.replace(",", "\\,")
    out = subprocess.run([program, arg, "--no-version=true"], capture_output=True, text=True,
                         timeout=120).stdout
    if re.search(r"test cases: +1 \| +1 passed", out):
        return "passed"
    if re.search(r"test cases: +1 \| +0 passed \| +1 failed", out):
        return "failed"
    return "ran-not-one"


def prove(m, build, work):
    scratch = os.path.join(work, m["name"])
    for tree in TREES:
        shutil.copytree(os.path.join(ROOT, tree), os.path.join(scratch, tree))
    path = os.path.join(scratch, m["file"])
    text = open(path, encoding="utf-8").read()
    for old, new in m["edits"]:
        n = text.count(old)
        if n != 1:
            raise Problem(f"{m['name']}: the workbook's lines occur {n} times in {m['file']} "
                          "(the code changed: update the mutant)")
        text = text.replace(old, new)
    open(path, "w", encoding="utf-8").write(text)
    test = os.path.join(ROOT, m["test"])
    target = target_of(build, test)
    objects = []
    for source in [test] + ([os.path.join(ROOT, m["file"])] if m["file"].endswith(".cpp") else []):
        args, cwd = compile_command(build, source)
        obj = os.path.join(scratch, os.path.basename(source) + ".o")
        args = retarget(args, scratch, obj)
        if source != test:  # compile the mutated copy, not the original
            args[-1] = path
        run(args, cwd)
        objects.append(obj)
    link = shlex.split(open(os.path.join(build, "CMakeFiles", target + ".dir", "link.txt")).read())
    program = os.path.join(scratch, "mutant_test")
    out_at = link.index("-o")
    link = [a for k, a in enumerate(link) if not a.endswith(".o") and k != out_at + 1]
    link = link[:1] + objects + ["-o", program] + [a for a in link[1:] if a != "-o"]
    run(link, build)
    results = []
    for case in m["cases"]:
        results.append((case, one_case(program, case), one_case(os.path.join(build, target), case)))
    shutil.rmtree(os.path.join(scratch, "reference"))
    shutil.rmtree(os.path.join(scratch, "chapters"))
    return results


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    chosen = set(sys.argv[2:])
    problems = []
    mutants = []
    for f in sorted(os.listdir(MUTANTS)):
        if f.endswith(".txt") and (not chosen or f[:-4] in chosen):
            try:
                mutants.append(parse(os.path.join(MUTANTS, f)))
            except Problem as e:
                problems.append(str(e))
    entries = entries_of_page()
    if not chosen:
        named = {e for m in mutants for e in m["entries"]}
        for e, cites in entries.items():
            if cites and e not in named:
                problems.append(f"docs/errata.md: entry {e} cites a test but no mutant proves it")
    for m in mutants:
        for e in m["entries"]:
            if e not in entries:
                problems.append(f"{m['name']}: entry {e} is not on docs/errata.md")
    # A fixed scratch folder per mutant: the same paths each run, so ccache can reuse
    # the compiled mutants of an earlier run.
    work = os.path.join(build, "prove-errata")
    shutil.rmtree(work, ignore_errors=True)
    jobs = max(1, min(len(mutants), os.cpu_count() or 1))
    cases = 0
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = {pool.submit(prove, m, build, work): m for m in mutants}
        for fut in concurrent.futures.as_completed(futures):
            m = futures[fut]
            try:
                bad = [(c, om, ob) for c, om, ob in fut.result() if om != "failed" or ob != "passed"]
                cases += len(m["cases"])
                for case, on_mutant, on_build in bad:
                    problems.append(f"{m['name']}: \"{case}\": note's version {on_mutant}, "
                                    f"workbook {on_build}")
                if not bad:
                    print(f"errata: {m['name']}: {len(m['cases'])} case(s) fail on the note's version")
            except Problem as e:
                problems.append(str(e))
    for p in problems:
        print("errata: " + p, file=sys.stderr)
    if problems:
        sys.exit(f"errata: {len(problems)} problem(s)")
    print(f"errata: all {len(mutants)} mutants caught: {cases} proving test case(s), each "
          "failing on the note's version and passing on the workbook's")


if __name__ == "__main__":
    main()
