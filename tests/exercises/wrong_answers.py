#!/usr/bin/env python3
"""The committed wrong answers to the exercises (tests/exercises/wrong/ID.txt).

Each wrong answer is the exercise's solution with one mistake a learner plausibly makes,
written as a patch of exercises/solutions/ID.cpp:

    == name: the mistake, in one line
    - text that occurs exactly once in the solution (several '-' lines: consecutive lines,
    -   each matched whatever its indentation)
    + what replaces it (several '+' lines, or none to delete it)

A wrong answer may have several '-'/'+' hunks. Lines starting with '#', and blank lines,
are comments. A patch that no longer applies (the solution changed) is an error, so a wrong
answer can never silently turn into something else.

    wrong_answers.py write DIR   writes DIR/ID/NAME.cpp for every wrong answer (and removes
                                 stale ones); each exercise needs at least MIN of them
    wrong_answers.py list        prints "ID NAME: the mistake", one a line
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
WRONG = ROOT / "tests" / "exercises" / "wrong"
MIN = 3


class Bad(Exception):
    pass


def exercise_ids():
    ids = []
    for line in (ROOT / "exercises" / "manifest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            ids.append(line.split()[0])
    return ids


def parse(path):
    """[(name, mistake, [(old, new), ...])] of one file."""
    answers = []
    hunk = None  # [old lines, new lines] being read
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.relative_to(ROOT)}:{n}"
        if line.startswith("=="):
            m = re.fullmatch(r"== ([A-Za-z0-9_]+): (\S.*)", line)
            if not m:
                raise Bad(f"{where}: a wrong answer starts '== name: the mistake' (name: letters, digits, _)")
            if any(a[0] == m[1] for a in answers):
                raise Bad(f"{where}: a second wrong answer named '{m[1]}'")
            answers.append((m[1], m[2], []))
            hunk = None
        elif line[:2] in ("- ", "+ ") or line in ("-", "+"):
            if not answers:
                raise Bad(f"{where}: a '{line[0]}' line before the first '== name: the mistake'")
            text = line[2:]
            if line[0] == "-":
                if hunk is None or hunk[1]:  # a new hunk
                    hunk = [[], []]
                    answers[-1][2].append(hunk)
                hunk[0].append(text)
            else:
                if hunk is None:
                    raise Bad(f"{where}: a '+' line with no '-' line above it")
                hunk[1].append(text)
        elif line.strip() == "" or line.startswith("#"):
            hunk = None
        else:
            raise Bad(f"{where}: not '== name: mistake', '- old', '+ new', '#' or blank: {line!r}")
    for name, _, hunks in answers:
        if not hunks:
            raise Bad(f"{path.relative_to(ROOT)}: wrong answer '{name}' changes nothing")
    return [(name, mistake, [(o, "\n".join(w)) for o, w in hunks]) for name, mistake, hunks in answers]


def apply(ex_id, name, hunks, solution):
    text = solution
    for old, new in hunks:
        # Consecutive lines, each after any indentation: the patch need not copy the spaces.
        pattern = re.compile(r"\n[ \t]*".join(re.escape(line.lstrip()) for line in old))
        found = pattern.findall(text)
        if len(found) != 1:
            raise Bad(f"{ex_id} '{name}': {' / '.join(old)!r} occurs {len(found)} times in "
                      f"exercises/solutions/{ex_id}.cpp (it must occur once)")
        # The '+' lines after the first keep the indentation of the line the match starts on.
        found_at = pattern.search(text).start()
        line_start = text.rfind("\n", 0, found_at) + 1
        indent = text[line_start:found_at] if text[line_start:found_at].strip() == "" else ""
        replacement = new.replace("\n", "\n" + indent)
        text = pattern.sub(lambda _: replacement, text)
    return text


def all_answers():
    """{id: [(name, mistake, source)]} for every exercise in the manifest."""
    out, problems = {}, []
    for ex_id in exercise_ids():
        path = WRONG / f"{ex_id}.txt"
        try:
            answers = parse(path) if path.exists() else []
            solution = (ROOT / "exercises" / "solutions" / f"{ex_id}.cpp").read_text(encoding="utf-8")
            out[ex_id] = [(n, m, apply(ex_id, n, h, solution)) for n, m, h in answers]
        except Bad as e:
            problems.append(str(e))
            continue
        if len(answers) < MIN:
            problems.append(f"{ex_id}: {len(answers)} wrong answer(s) in tests/exercises/wrong/"
                            f"{ex_id}.txt, at least {MIN} needed")
    ids = exercise_ids()
    problems += [f"tests/exercises/wrong/{p.name}: no exercise {p.stem} in the manifest"
                 for p in sorted(WRONG.glob("*.txt")) if p.stem not in ids]
    if problems:
        raise Bad("\n".join(problems))
    return out


def write(directory):
    directory = pathlib.Path(directory)
    answers = all_answers()
    keep = set()
    for ex_id, items in answers.items():
        (directory / ex_id).mkdir(parents=True, exist_ok=True)
        for name, mistake, source in items:
            path = directory / ex_id / f"{name}.cpp"
            keep.add(path)
            body = re.sub(r"\A// Solution to exercise .*\n", "", source)
            text = (f"// Wrong answer '{name}' to exercise {ex_id} (tests/exercises/wrong/{ex_id}.txt):\n"
                    f"// {mistake}\n{body}")
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")  # unchanged files keep their time
    for stale in directory.glob("*/*.cpp"):
        if stale not in keep:
            stale.unlink()
    print(sum(len(v) for v in answers.values()))


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "write":
            write(argv[1])
        elif argv == ["list"]:
            for ex_id, items in all_answers().items():
                for name, mistake, _ in items:
                    print(f"{ex_id} {name}: {mistake}")
        else:
            print("usage: wrong_answers.py write DIR | list", file=sys.stderr)
            return 2
    except Bad as e:
        for line in str(e).splitlines():
            print(f"wrong answers: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
