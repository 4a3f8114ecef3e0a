#!/usr/bin/env python3
"""Scaffold a new exercise: ./workbook dev new-exercise ID "title" ["declaration"].

Writes, for ID = NN_name (NN an existing chapter):
  exercises/ID/name.hpp           the declaration (default: a map in, a map out)
  exercises/ID/name.cpp           the stub the learner edits: throws NotImplemented
  exercises/ID/HINT.md            hints, cheapest first (one to replace)
  exercises/solutions/ID.cpp      the solution's skeleton: write the body
  tests/exercises/test_ID.cpp     the test's skeleton: write the checks
  tests/exercises/wrong/ID.txt    where its wrong answers go (three or more)
and adds the manifest line after the chapter's last exercise. The solution and the test
fail on purpose until they are written.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT = "wb::Tensor<double> {name}(const wb::Tensor<double>& x)"


def fail(msg):
    print(f"new-exercise: {msg}", file=sys.stderr)
    sys.exit(2)


def split_params(params):
    """The parameters of a declaration, split at the commas outside <> () {}."""
    out, depth, cur = [], 0, ""
    for ch in params:
        depth += ch in "<({"
        depth -= ch in ">)}"
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def main(argv):
    if len(argv) not in (2, 3):
        fail('usage: ./workbook dev new-exercise NN_name "title" ["declaration"]')
    ex_id, title = argv[0], argv[1].strip()
    m = re.fullmatch(r"([0-9]{2})_([a-z][a-z0-9_]*)", ex_id)
    if not m:
        fail(f"'{ex_id}' is not an id like 09_logsumexp (two digits, _, lower-case name)")
    if not title or "\n" in title:
        fail("the title is one line, e.g. \"Log-sum-exp, stable for logits of 1000\"")
    chapter, name = m[1], m[2]
    chapters = sorted(p.name for p in (ROOT / "chapters").glob(f"{chapter}_*") if p.is_dir())
    if not chapters:
        fail(f"no chapter {chapter} (chapters/{chapter}_*) for exercise {ex_id}")
    page = "ch" + chapters[0]
    manifest = ROOT / "exercises" / "manifest.txt"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    ids = [ln.split()[0] for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if ex_id in ids:
        fail(f"exercise {ex_id} exists already")
    decl = (argv[2] if len(argv) == 3 else DEFAULT.format(name=name)).strip().rstrip(";")
    d = re.fullmatch(r"(.+?)\b([A-Za-z_]\w*)\s*\((.*)\)", decl, re.S)
    if not d or d[2] != name:
        fail(f"the declaration must declare a function named {name}, e.g. '{DEFAULT.format(name=name)}'")
    ret, params = d[1].strip(), split_params(d[3])
    files = {
        f"exercises/{ex_id}/{name}.hpp": HEADER,
        f"exercises/{ex_id}/{name}.cpp": STUB,
        f"exercises/{ex_id}/HINT.md": HINT,
        f"exercises/solutions/{ex_id}.cpp": SOLUTION,
        f"tests/exercises/test_{ex_id}.cpp": TEST,
        f"tests/exercises/wrong/{ex_id}.txt": WRONG,
    }
    for path in files:
        if (ROOT / path).exists():
            fail(f"{path} exists already")
    values = dict(
        id=ex_id, name=name, title=title, page=page, chapter=chapter, decl=decl + ";",
        ret=ret,
        stub_params=", ".join(f"[[maybe_unused]] {p}" for p in params),
        params=", ".join(params),
        chapter_title=f"Chapter {chapter}",
    )
    for path, template in files.items():
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / path).write_text(template.format(**values), encoding="utf-8")
    # The manifest line goes after the chapter's last exercise (or before the first later one).
    width = max(len(i) for i in ids) if ids else len(ex_id)
    entries = [ln.split() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    # A difficulty column (1–3) after the page, if the manifest has one: 2 until it is judged.
    level = "2  " if entries and all(len(e) > 2 and e[2] in ("1", "2", "3") for e in entries) else ""
    entry = f"{ex_id:<{max(width, len(ex_id)) + 1}} {page:<21} {level}{title}"
    at = len(lines)
    for i, ln in enumerate(lines):
        if ln.strip() and not ln.lstrip().startswith("#") and ln.split()[0][:2] > chapter:
            at = i
            break
    lines.insert(at, entry)
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"new exercise {ex_id} ({page}): wrote")
    for path in files:
        print(f"  {path}")
    print(f"  and its line in exercises/manifest.txt" + (" (difficulty 2 of 3: adjust it)" if level else "") + "\n"
          f"Now write the solution and the test, then three wrong answers and the hints:\n"
          f"  ./workbook dev prove-exercises; ./workbook dev prove-wrong {ex_id}")


HEADER = """\
// Exercise {id} — see docs page "{chapter_title}", section "Try it".
#pragma once

#include "tensor.hpp"

namespace ex {{

/// {title}.
{decl}

}}  // namespace ex
"""

STUB = """\
// Exercise {id}: replace the throw with your code, then run
//   ./workbook check {id}
#include "{id}/{name}.hpp"

#include "not_implemented.hpp"

{ret} ex::{name}({stub_params}) {{
    throw NotImplemented("{id}", "{chapter_title}");
}}
"""

HINT = """\
1. (The cheapest hint first: which formula of the notes, and where. Then one hint per line
   of thought, each numbered; the last may nearly give the answer.)
"""

SOLUTION = """\
// Solution to exercise {id}.
#include "{id}/{name}.hpp"

#include "not_implemented.hpp"

{ret} ex::{name}({stub_params}) {{
    // Write the solution here (the naive loops, in the notes' notation).
    throw NotImplemented("{id}", "the solution is not written yet");
}}
"""

TEST = """\
// Verdict for exercise {id}.
#include <doctest/doctest.h>

#include "{id}/{name}.hpp"
#include "check.hpp"

using Map = wb::Tensor<double>;

// Each case: the note and section it reproduces, inputs that no zero or copy can pass,
// exact values for integer examples, relative error for the rest (see tests/check.hpp).
TEST_CASE("the notes' worked example") {{
    // CHECK_EXACT(ex::{name}(…), expected);  the call, and what the notes give
    FAIL_CHECK("the test of exercise {id} is not written yet (tests/exercises/test_{id}.cpp)");
}}
"""

WRONG = """\
# Wrong answers to {id} (format: tests/exercises/wrong_answers.py): at least three, each the
# solution with one mistake a learner plausibly makes, which the test must reject.
#
# == name: the mistake, in one line
# - a piece of exercises/solutions/{id}.cpp that occurs once
# + what replaces it
"""

if __name__ == "__main__":
    main(sys.argv[1:])
