#!/usr/bin/python3
"""The live panels in a real browser: each chapter page with a panel is opened from disk
(file://, no server, no network) in headless Chromium; the test sets inputs through the
DOM as a reader would (typing, sliders, hovering, drawing with the mouse), reads the
outputs from the DOM and compares them with the notes' worked numbers.

    tests/live/browser_live.py build/docs/html
    tests/live/browser_live.py --not-built COPY_OF_HTML   # the pages without the wasm build

Which panels there are is the table in docs/live/registry.hpp, read from the page
(window.wbLive.registry, as the page script gets it from the WebAssembly): every panel it
lists must be on its page, drawn by the page script and tested here by test_<name>.
WB_LIVE_ONLY=ch04,ch05 runs only those panels' tests (while working on them); zh in the list
runs the Chinese edition's check (chinese(): the zh strings, refusals in Chinese).

Prints the time from navigation to the first usable panel on each page and the size the
panels add (live/*.js). Uses the docs' browser harness (tests/docs/browser_check.py).
"""
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs"))
import browser_check  # noqa: E402  (the docs' harness: the same Chromium set-up)

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.actions import interaction  # noqa: E402
from selenium.webdriver.common.actions.action_builder import ActionBuilder  # noqa: E402
from selenium.webdriver.common.actions.pointer_input import PointerInput  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402

failures = []


def check(ok, what):
    print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def wait_for(driver, script, seconds=20, what="condition"):
    """Polls a JS expression until it is truthy; returns its value."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = driver.execute_script("return " + script)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"waited {seconds} s for {what}")


def settle(driver):
    """Waits until no size box is waiting to apply what was typed into it."""
    wait_for(driver, "window.wbLive.pending === 0", 10, "the size boxes to apply")


def cells(root, name, what):
    """A grid's cells, row by row, read in one round trip: `what` is a JS expression of td."""
    return root.parent.execute_script(
        "return Array.prototype.map.call(arguments[0].querySelectorAll('table[data-grid=\"' + arguments[1] + '\"] tr'),"
        " function (tr) { return Array.prototype.map.call(tr.cells, function (td) { return " + what + "; }); });",
        root, name)


def grid(root, name):
    """An output grid's numbers (or symbols) as a list of rows."""
    return [[float(c) if re.fullmatch(r"-?[0-9.e+-]+", c) else c for c in row] for row in cells(root, name, "td.textContent")]


def input_grid(root, name):
    """An input grid's cells as typed, a list of rows of text."""
    return cells(root, name, "td.firstChild.value")


def classed(root, name, cls):
    """(row, col) of the cells of a grid that carry class `cls`."""
    marks = cells(root, name, f"td.classList.contains('{cls}')")
    return [(i, j) for i, row in enumerate(marks) for j, on in enumerate(row) if on]


def close(got, want, tol=5e-6):
    """Grids equal to six significant digits (the page shows six; the C++ tests are exact)."""
    return len(got) == len(want) and all(
        len(g) == len(w) and all(isinstance(a, float) and abs(a - b) <= tol * max(1, abs(b)) for a, b in zip(g, w))
        for g, w in zip(got, want))


def cell_input(root, name, i, j):
    return root.find_elements(By.CSS_SELECTOR, f'table[data-grid="{name}"] tr')[i].find_elements(By.TAG_NAME, "input")[j]


def output_cell(root, name, i, j):
    return root.find_elements(By.CSS_SELECTOR, f'table[data-grid="{name}"] tr')[i].find_elements(By.TAG_NAME, "td")[j]


TYPE = """
var e = arguments[0], text = arguments[1];
e.scrollIntoView({block: 'center'}); e.focus();
e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true}));
for (var k = 1; k <= text.length; ++k) { e.value = text.slice(0, k); e.dispatchEvent(new Event('input', {bubbles: true})); }
"""


def type_into(element, text, keys=False):
    """Replaces a box's text as typing does: an input event per character. With keys=True
    through real key presses (slow on a busy machine: about a second each here)."""
    if not keys:
        element.parent.execute_script(TYPE, element, text)
        return
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def control(root, name):
    return root.find_element(By.CSS_SELECTOR, f'[data-name="{name}"]')


def role(root, name):
    return root.find_element(By.CSS_SELECTOR, f'[data-role="{name}"]').text


def message(root):
    return role(root, "message")


def type_size(driver, root, name, text, keys=False):
    """Types into a size box digit by digit, as a reader does, and lets it apply."""
    type_into(control(root, name), text, keys)
    settle(driver)


def choose(driver, root, name, value):
    Select(control(root, name)).select_by_value(value)
    settle(driver)


def set_slider(driver, element, value):
    """A range input moved to `value` (the input and change events a drag would send)."""
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, str(value))


STILL = """
var e = arguments[0]; e.scrollIntoView({block: 'nearest'});
var r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
var under = document.elementFromPoint(x, y);
return [Math.round(r.left), Math.round(r.top), !!under && (under === e || e.contains(under))];
"""


def hover(driver, element):
    """Puts the pointer on `element` once the page has stopped moving under it: pictures and
    MathJax above a panel can still shift it after load, and a pointer moved to where the
    cell was rests on its neighbour (seen: a22's hover showed a32's formula)."""
    last, still = None, 0
    for _ in range(100):  # (at most 5 s) until it has not moved for 0.25 s
        now = driver.execute_script(STILL, element)
        still = still + 1 if now == last and now[2] else 0
        if still == 5:
            break
        last = now
        time.sleep(0.05)
    ActionChains(driver).move_to_element(element).perform()


def tap(driver, element):
    """A tap as a touch screen's browser reports it on a cell: a click, with no hover
    before it (Chromium's own touch emulation also sends mouseenter, so it could not tell
    a hover-only panel from one that answers taps)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def touch(driver, element):
    """A real touch tap through WebDriver's touch pointer."""
    finger = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    finger.pointer_action.move_to(element).pointer_down().pointer_up()
    finger.perform()


def size_box_keeps_grid(driver, root, size_name, grid_name, notes, big):
    """Typing a larger size digit by digit ("1", then "10") grows the grid once and keeps
    the notes' numbers in it; typing the old size back gives exactly the notes' grid."""
    rows, cols = len(notes), len(notes[0])
    axis_is_rows = size_name.endswith("rows") or size_name in ("inputs", "hidden", "outputs", "classes", "layers")
    type_size(driver, root, size_name, str(big), keys=True)
    got = input_grid(root, grid_name)
    shape = (len(got), len(got[0]) if got else 0)
    want = (big, cols) if axis_is_rows else (rows, big)
    kept = all(got[i][j] == str(notes[i][j]) for i in range(rows) for j in range(cols)) if shape == want else False
    check(shape == want and kept, f"typing {big} into {size_name} grows {grid_name} to {want[0]}×{want[1]} "
                                  f"and keeps the notes' numbers ({shape[0]}×{shape[1]}, kept: {kept})")
    type_size(driver, root, size_name, str(rows if axis_is_rows else cols))
    check(input_grid(root, grid_name) == [[str(v) for v in r] for r in notes],
          f"typing {rows if axis_is_rows else cols} back gives the notes' {grid_name} exactly")


# ---- one function per panel -------------------------------------------------------------

CH01_X = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]


def test_ch01(driver, root):
    check(grid(root, "a") == [[4, 3, 4], [2, 4, 3], [2, 3, 4]], "ch01: 001 §5.1's map [[4,3,4],[2,4,3],[2,3,4]]")
    hover(driver, root.find_element(By.CSS_SELECTOR, 'table[data-grid="a"] td'))
    note = role(root, "sum")
    check(note.startswith("z₀₀ = 1·1 + 0·1 + 1·1") and "= 4" in note, f"ch01: hovering a₀₀ shows its sum of products ({note[:60]}…)")
    windows = len(classed(root, "padded", "wb-win"))
    check(windows == 9, f"ch01: hovering a₀₀ highlights its 3×3 window ({windows} cells)")
    tap(driver, output_cell(root, "a", 2, 2))
    note = role(root, "sum")
    check(note.startswith("z₂₂ = ") and note.endswith("= 4") and classed(root, "padded", "wb-win")[0] == (2, 2),
          f"ch01: tapping a₂₂ shows its sum and window ({note[-30:]})")
    size_box_keeps_grid(driver, root, "x-rows", "x", CH01_X, 10)
    check(grid(root, "a") == [[4, 3, 4], [2, 4, 3], [2, 3, 4]], "ch01: and the map is the notes' again")
    type_into(cell_input(root, "x", 0, 0), "2")
    check(grid(root, "a")[0][0] == 5, "ch01: x₀₀ = 2 makes a₀₀ = 5")
    type_into(control(root, "stride"), "2")
    check(grid(root, "a") == [[5, 4], [2, 4]], "ch01: stride 2 gives [[5,4],[2,4]]")
    check(classed(root, "padded", "wb-unreached") == [] and "every row and column" in role(root, "unreached"),
          "ch01: 5×5, f = 3, S = 2 leaves no row unreached")
    type_size(driver, root, "x-cols", "6")
    far = classed(root, "padded", "wb-unreached")
    check(far == [(i, 5) for i in range(5)] and "0 row(s), 1 column(s)" in role(root, "unreached"),
          f"ch01: 5×6 with S = 2: (6 − 3) mod 2 = 1 column no window reaches, shaded ({far})")
    type_size(driver, root, "x-cols", "5")
    type_into(control(root, "pad"), "1")
    check(len(grid(root, "a")) == 3, "ch01: stride 2, padding 1 gives a 3×3 map")
    type_into(cell_input(root, "x", 1, 2), "")
    check(message(root) == "x row 2, column 3 is empty", f"ch01: an empty cell is named ({message(root)})")
    type_into(cell_input(root, "x", 1, 2), "abc")
    check(message(root) == "x row 2, column 3: 'abc' is not a number", f"ch01: text is refused ({message(root)})")
    type_into(cell_input(root, "x", 1, 2), "1")
    check(message(root) == "", "ch01: the message goes once the cell is fixed")
    type_size(driver, root, "x-rows", "100000")
    check("x-rows must be a whole number from 1 to 12" in message(root), f"ch01: a huge size is refused ({message(root)})")
    type_size(driver, root, "x-rows", "2")
    type_into(control(root, "pad"), "0")
    check(message(root) == "output_size: kernel is larger than the padded input (n=2, f=3, p=0, s=2)",
          f"ch01: a kernel larger than the input is refused by the reference library ({message(root)})")
    control(root, "reset").click()
    check(grid(root, "a") == [[4, 3, 4], [2, 4, 3], [2, 3, 4]] and input_grid(root, "x") == [[str(v) for v in r] for r in CH01_X],
          "ch01: reset brings back the notes' numbers and map")


def test_ch02(driver, root):
    expected = [[1, 0, -4], [6, 9, 2], [9, 27, 20]]
    check(grid(root, "rule") == expected, "ch02: δ_out by the rule is 000 eq 8's [[1,0,-4],[6,9,2],[9,27,20]]")
    check(grid(root, "naive") == expected, "ch02: the naive backward pass gives the same")
    check(grid(root, "padded") == [[0, 0, 0, 0], [0, 1, -2, 0], [0, 3, 5, 0], [0, 0, 0, 0]], "ch02: the padded δ, pad(δ_in, F−1)")
    check(grid(root, "rot") == [[4, 3], [2, 1]], "ch02: rot180(W) = [[4,3],[2,1]]")
    hover(driver, output_cell(root, "naive", 1, 1))
    note = role(root, "formula")
    check(note == "∂J/∂a22 = δ11·w22 + δ12·w21 + δ21·w12 + δ22·w11 = 9", f"ch02: hovering a22 shows 000 eq 7 ({note})")
    tap(driver, output_cell(root, "rule", 0, 0))
    lit = classed(root, "padded", "wb-win")
    check(role(root, "formula") == "∂J/∂a11 = δ11·w11 = 1" and lit == [(0, 0), (0, 1), (1, 0), (1, 1)],
          f"ch02: tapping a11 shows eq 1 and its window in the padded δ ({lit})")
    why = role(root, "why-a")
    type_into(cell_input(root, "a", 1, 1), "7")
    check(grid(root, "rule") == expected and "linear in A" in why,
          f"ch02: editing A changes nothing, and the panel says why ({why[:50]}…)")
    type_into(cell_input(root, "delta", 0, 0), "2")
    check(grid(root, "rule")[0][0] == 2 and grid(root, "rule") == grid(root, "naive"), "ch02: δ11 = 2 changes both, equally")
    type_size(driver, root, "w-rows", "3")
    check(len(grid(root, "rule")) == 3 and len(input_grid(root, "delta")) == 1,
          "ch02: a 3×2 kernel makes δ_in 1×2 and δ_out still 3×3")
    control(root, "reset").click()
    check(grid(root, "rule") == expected, "ch02: reset brings back 000 eq 8's numbers")


def test_ch03(driver, root):
    check(len(grid(root, "layout")) == 3 and len(grid(root, "layout")[0]) == 6,
          "ch03: 5×8 input, 3×3 kernel, S = 2: a 3×6 restored δ (the remainder column included)")
    note = role(root, "sizes")
    check("remainder (n + 2P − f) mod S = 1, so needed = drawn + 1" in note, "ch03: the width's remainder is 1")
    tail = classed(root, "layout", "wb-tail")
    check(tail == [(0, 5), (1, 5), (2, 5)], f"ch03: the remainder column is coloured apart ({tail})")
    type_size(driver, root, "width", "7")
    check(classed(root, "layout", "wb-tail") == [], "ch03: width 7 has no remainder, nothing coloured apart")
    set_slider(driver, control(root, "stride"), 3)
    layout = grid(root, "layout")
    check(layout[0][:4] == ["δ11", 0.0, 0.0, "δ12"] and len(layout) == 3, f"ch03: stride 3 puts two zeros between ({layout[0]})")
    type_size(driver, root, "height", "1")
    check(message(root) == "output_size: kernel is larger than the padded input (n=1, f=3, p=0, s=3)", f"ch03: too small refused ({message(root)})")
    control(root, "reset").click()
    check(len(grid(root, "layout")[0]) == 6 and message(root) == "", "ch03: reset brings back the 5×8 example")


def test_ch04(driver, root):
    sums = [[-1, -1, -4], [11, 10, 3], [7, 32, 23]]
    check(grid(root, "sum1") == sums and grid(root, "naive1") == sums,
          "ch04: 000 §17.3.3, two kernels: δ_out = [[-1,-1,-4],[11,10,3],[7,32,23]], the naive pass agrees")
    check(grid(root, "part11") == [[1, 0, -4], [6, 9, 2], [9, 27, 20]] and grid(root, "part12") == [[-2, -1, 0], [5, 1, 1], [-2, 5, 3]],
          "ch04: each kernel's part, chapter 02's rule with its own kernel")
    check(grid(root, "padded12") == [[0, 0, 0, 0], [0, 2, 1, 0], [0, -1, 3, 0], [0, 0, 0, 0]] and grid(root, "rot21") == [[1, 2], [0, -1]],
          "ch04: the steps: pad(δ₂, F−1) and rot180(W₂)")
    tap(driver, output_cell(root, "sum1", 1, 1))
    note = role(root, "formula")
    check(note == "∂J/∂a1,22 = δz111·w122 + δz112·w121 + δz121·w112 + δz122·w111 + δz211·w222 + δz212·w221 + δz221·w212 + δz222·w211 = 10",
          f"ch04: tapping a22 gives 000 §17.3.3's eight terms ({note[:40]}…)")
    check(len(classed(root, "padded11", "wb-win")) == 4 and len(classed(root, "padded12", "wb-win")) == 4,
          "ch04: and lights its window in both padded δ's")
    size_box_keeps_grid(driver, root, "a-rows", "w11", [[1, 2], [3, 4]], 2)  # the kernel grid is unchanged by the input's size
    type_size(driver, root, "a-rows", "10")
    check(len(input_grid(root, "delta1")) == 9 and input_grid(root, "delta1")[:2] == [["1", "-2"], ["3", "5"]] and len(grid(root, "sum1")) == 10,
          "ch04: input rows 10 (typed digit by digit): δ maps of 9 rows that keep the notes' numbers, δ_out of 10")
    type_size(driver, root, "a-rows", "3")
    type_size(driver, root, "kernels", "3")
    check(len(root.find_elements(By.CSS_SELECTOR, 'table[data-grid="delta3"]')) == 1 and grid(root, "sum1") == sums,
          "ch04: a third kernel (zeros) adds a grid and leaves the sum as it was")
    type_size(driver, root, "kernels", "2")
    choose(driver, root, "example", "channels")
    check(grid(root, "sum1") == [[1, 0, -4], [6, 9, 2], [9, 27, 20]] and grid(root, "sum2") == [[0, -1, 2], [2, -6, -7], [6, 13, 5]],
          "ch04: 000 §17.3.4, two channels: one δ per channel, each from its own slice")
    tap(driver, output_cell(root, "sum2", 1, 1))
    check(role(root, "formula") == "∂J/∂a2,22 = δz11·w222 + δz12·w221 + δz21·w212 + δz22·w211 = -6",
          f"ch04: a222's formula, slice 2 only ({role(root, 'formula')})")
    type_into(cell_input(root, "w12", 0, 0), "x")
    check(message(root) == "w12 row 1, column 1: 'x' is not a number", f"ch04: a bad kernel cell is named ({message(root)})")
    control(root, "reset").click()
    check(grid(root, "sum2") == [[0, -1, 2], [2, -6, -7], [6, 13, 5]] and message(root) == "", "ch04: reset brings back the example")


def test_ch05(driver, root):
    check(grid(root, "rule") == [[1, 9], [25, 12]] and grid(root, "elements") == [[1, 9], [25, 12]] and grid(root, "naive") == [[1, 9], [25, 12]],
          "ch05: 000 §17.3.5: ∂J/∂W = A ⋆ δ = [[1,9],[25,12]] by the rule, the element sums and the naive pass")
    check("∂J/∂b = Σ δ = 7" in role(root, "bias"), f"ch05: ∂J/∂b = 1 − 2 + 3 + 5 = 7 ({role(root, 'bias')})")
    choose(driver, root, "example", "s2")
    expected = [[3, 4, 6], [2, 3, 3], [2, 1, 2]]
    check(grid(root, "rule") == expected and grid(root, "naive") == expected,
          "ch05: 001 §6.1.2, stride 2: [[3,4,6],[2,3,3],[2,1,2]]")
    check(grid(root, "restored") == [[1, 0, -1], [0, 0, 0], [2, 0, 3]] and len(classed(root, "restored", "wb-delta")) == 4
          and len(classed(root, "restored", "wb-zero")) == 5, "ch05: δ₁, the zero-inserted δ, its four elements and five inserted zeros")
    tap(driver, output_cell(root, "rule", 0, 0))
    lit = classed(root, "padded", "wb-win")
    check(lit == [(0, 0), (0, 2), (2, 0), (2, 2)] and role(root, "formula") == "∂J/∂w11 = δz11·a11 + δz12·a13 + δz21·a31 + δz22·a33 = 3",
          f"ch05: tapping ∂J/∂w11 lights a11, a13, a31, a33 ({lit})")
    type_size(driver, root, "a-rows", "6")
    far, tail = classed(root, "padded", "wb-unreached"), classed(root, "restored", "wb-tail")
    check(far == [(5, j) for j in range(5)] and tail == [(3, j) for j in range(3)] and grid(root, "rule") == expected,
          f"ch05: a 6-row input: the row no window reaches is shaded, δ₁ gains a remainder row coloured apart, ∂J/∂W unchanged ({far}, {tail})")
    size_box_keeps_grid(driver, root, "a-cols", "a", [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0], [0, 0, 0, 0, 0]], 10)
    control(root, "reset").click()
    check(grid(root, "rule") == expected and len(input_grid(root, "a")) == 5, "ch05: reset brings back the stride-2 example")


def test_ch06(driver, root):
    check(grid(root, "max") == [[0, 7, 0, 0], [0, 0, 0, 3], [0, 0, 0, 0], [1, 0, 4, 0]], "ch06: 002's max-pooling routing")
    check(grid(root, "mean") == [[2, 2, 1, 1], [2, 2, 1, 1], [4, 4, 1, 1], [4, 4, 1, 1]], "ch06: 002's mean-pooling routing")
    type_into(cell_input(root, "a", 0, 0), "9")
    check(grid(root, "max")[0][:2] == [7, 0], "ch06: a₀₀ = 9 takes the first window's δ")
    type_into(cell_input(root, "delta_mean", 1, 1), "x")
    check(message(root) == "delta_mean row 2, column 2: 'x' is not a number", f"ch06: bad δ named ({message(root)})")
    control(root, "reset").click()
    check(grid(root, "max") == [[0, 7, 0, 0], [0, 0, 0, 3], [0, 0, 0, 0], [1, 0, 4, 0]] and message(root) == "", "ch06: reset")
    type_size(driver, root, "a-rows", "5")
    far = classed(root, "mean", "wb-unreached")
    check(far == [(4, j) for j in range(4)] and "1 row(s), 0 column(s)" in role(root, "unreached"),
          f"ch06: a 5-row map with 2×2 windows, stride 2: the last row is reached by no window, shaded ({far})")
    size_box_keeps_grid(driver, root, "a-cols", "a", [[1, 8, 4, 3], [7, 2, 1, 9], [6, 1, 2, 4], [8, 7, 6, 0], [0, 0, 0, 0]], 8)


def test_ch07(driver, root):
    check("J = ½‖a³ − y‖² = 0.140709" in role(root, "loss"), f"ch07: the chapter's J ({role(root, 'loss')})")
    check(close(grid(root, "dW3"), [[-0.04959149894883842, -0.02573638645628092, -0.012558927751932122],
                                    [0.07928749898278797, 0.04114765147708463, 0.02007936828817209]]),
          "ch07: ∂J/∂W³ = δ³ a²ᵀ, 004 eq 4.13 on the chapter's network")
    check(close(grid(root, "delta2"), [[-0.02723591442855425], [0.020421008843530517], [0.01372107891592322]]),
          "ch07: δ² = W³ᵀδ³ ⊙ σ′(z²), 004 eq 4.17")
    check(close(grid(root, "dA2"), [[-0.14535908596582464], [0.08588954481952471], [0.08915524595636137]]), "ch07: ∂J/∂a² = W³ᵀδ³")
    check(role(root, "dense").endswith("yes"), "ch07: wb::dense_backward gives the output layer's gradients too")
    errors = [float(e) for e in re.findall(r"[0-9.]+e-[0-9]+", role(root, "check"))]
    check(len(errors) == 4 and max(errors) < 1e-7, f"ch07: every gradient within 1e-7 of finite differences ({errors})")
    tap(driver, output_cell(root, "dW3", 0, 1))
    check(role(root, "formula") == "∂J/∂W³₁₂ = δ³₁·a²₂ = (-0.06609907494615043)·0.3893607660507781 = -0.025736386456280923",
          f"ch07: tapping ∂J/∂W³₁₂ shows δ³₁·a²₂ ({role(root, 'formula')})")
    tap(driver, output_cell(root, "dA2", 0, 0))
    check(role(root, "formula").startswith("∂J/∂a²₁ = Σᵢ W³ᵢ₁·δ³ᵢ = 1·(-0.06609907494615043) + (-0.75)·0.10568001469289898"),
          f"ch07: tapping ∂J/∂a²₁ shows W³ᵀδ³'s sum ({role(root, 'formula')[:60]}…)")
    size_box_keeps_grid(driver, root, "hidden", "W2", [[0.5, -0.25], [0.75, 0.5], [-1, 0.25]], 5)
    check(message(root) == "" and len(grid(root, "delta2")) == 3, "ch07: and the network computes again")
    type_into(cell_input(root, "y", 0, 0), "0")
    check(not close(grid(root, "dW3"), [[-0.04959149894883842, -0.02573638645628092, -0.012558927751932122],
                                        [0.07928749898278797, 0.04114765147708463, 0.02007936828817209]]), "ch07: a new target, new gradients")
    control(root, "reset").click()
    check("0.140709" in role(root, "loss"), "ch07: reset brings back the chapter's network")


def chain(root):
    """ch08's table: (f′, gradient reaching z_i) per unit."""
    rows = root.parent.execute_script(
        "return Array.prototype.map.call(arguments[0].querySelectorAll('tr[data-unit]'), function (r) {"
        " return [r.querySelector('[data-role=fprime]').textContent, r.querySelector('[data-role=reach]').title]; });", root)
    return [(float(f), float(g)) for f, g in rows]


def test_ch08(driver, root):
    c = chain(root)
    check(len(c) == 10 and all(f == 0.25 for f, _ in c) and c[0][1] == 0.25 ** 10 and c[9][1] == 0.25,
          f"ch08: ten sigmoid units at z = 0: f′ = 1/4 each, the gradient reaching unit 1 is (1/4)^10 = {0.25 ** 10:.4g}")
    check("(1/4)^k = 9.537e-7" in role(root, "bound"), f"ch08: the bound 4^−10 ≈ 9.5e-7 ({role(root, 'bound')})")
    type_into(cell_input(root, "z", 9, 0), "3")
    c = chain(root)
    check(abs(c[9][0] - 0.045176659730912) < 1e-6 and c[0][1] < 0.25 ** 10, "ch08: z₁₀ = 3: σ′(3) = 0.0452, the product shrinks further")
    choose(driver, root, "f", "relu")
    check([f for f, _ in chain(root)] == [0] * 9 + [1] and chain(root)[0][1] == 0,
          "ch08: ReLU: f′ = 0 at z = 0 (the workbook's choice), 1 at z = 3, and one 0 stops the gradient")
    choose(driver, root, "f", "sigmoid")
    type_size(driver, root, "layers", "20")
    control(root, "draw").click()
    c = chain(root)
    z = input_grid(root, "z")
    check(len(c) == 20 and len(z) == 20 and all(0 < f <= 0.25 for f, _ in c) and c[0][1] < 0.25 ** 20 and z[0][0] not in ("0", ""),
          f"ch08: 20 units with z ~ N(0, 1) from the C++: every factor below 1/4, the product below (1/4)^20 ({c[0][1]:.3g})")
    control(root, "reset").click()
    check(len(chain(root)) == 10 and chain(root)[0][1] == 0.25 ** 10, "ch08: reset brings back ten units at z = 0")


def softmax_column(root, role_name):
    return root.parent.execute_script(
        "return Array.prototype.map.call(arguments[0].querySelectorAll('tr[data-class] [data-role=\"' + arguments[1] + '\"]'),"
        " function (td) { return td.textContent; });", root, role_name)


def test_ch09(driver, root):
    y = [float(v) for v in softmax_column(root, "y")]
    check(close([y], [[0.8788782427321509, 0.11894323591065209, 0.002178521357197023]]),
          f"ch09: softmax(3, 1, −3) = (0.879, 0.119, 0.002), 004 §三.5 ({y})")
    grad = [float(v) for v in softmax_column(root, "grad")]
    check(close([grad], [[0.8788782427321509 - 1, 0.11894323591065209, 0.002178521357197023]]),
          f"ch09: ∂L/∂z = y − t for every class, not only the true one ({grad})")
    check(softmax_column(root, "by_class") == softmax_column(root, "grad"), "ch09: ch09's per-class formula agrees")
    loss = role(root, "loss")
    check("L = −ln y_0 = 0.129109" in loss and float(loss.rsplit(" ", 1)[1]) < 1e-7, f"ch09: the loss and the gradient check ({loss})")
    control(root, "big").click()
    check(softmax_column(root, "exp") == ["∞"] * 3 and softmax_column(root, "naive") == ["NaN"] * 3,
          "ch09: logits of 1000: e^1000 = ∞ and eq 4.20 as written gives NaN")
    y = [float(v) for v in softmax_column(root, "y")]
    check(close([y], [[0.6652409557748218, 0.24472847105479764, 0.09003057317038046]]),
          f"ch09: subtracting the largest first: softmax(1000, 999, 998) = softmax(2, 1, 0) ({y})")
    type_into(control(root, "label"), "2")
    grad = [float(v) for v in softmax_column(root, "grad")]
    check(abs(grad[2] - (0.09003057317038046 - 1)) < 1e-6 and softmax_column(root, "t") == ["0", "0", "1"], "ch09: true class 2: y₂ − 1")
    size_box_keeps_grid(driver, root, "classes", "z", [[1000], [999], [998]], 10)
    control(root, "reset").click()
    check(input_grid(root, "z") == [["3"], ["1"], ["-3"]], "ch09: reset brings back 004's logits")


def test_ch10(driver, root):
    status = '[data-role="status"]'
    done = "document.querySelector('div[data-panel=ch10] " + status + "').getAttribute('data-outcome')"
    # While it runs, the page answers at once (the fit yields between chunks): restart it,
    # then ask the page for its state.
    control(root, "run").click()
    t0 = time.monotonic()
    state = driver.execute_script(f"return {done}")
    check(state == "running" and time.monotonic() - t0 < 0.5,
          f"ch10: the page answers while the fit runs ({state}, {time.monotonic() - t0:.2f} s)")
    outcome = wait_for(driver, f"(({done}) || 'running') !== 'running' && ({done})", 60, "the fit")
    iterations = root.find_element(By.CSS_SELECTOR, status).get_attribute("data-iterations")
    check(outcome == "converged" and iterations == "3456", f"ch10: lr 0.5 from w = 0 converges at 3456 like the chapter ({outcome}, {iterations})")
    w = grid(root, "w")
    check(all(abs(w[i][j] - t) < 1e-2 for i, r in enumerate([[0, -1, 0], [0, 2, 0], [0, -1, 0]]) for j, t in enumerate(r)),
          f"ch10: the kernel converged to the edge kernel ({w})")
    set_slider(driver, control(root, "lr"), 0.7)
    outcome = wait_for(driver, f"(({done}) || 'running') !== 'running' && ({done})", 60, "the fit at 0.7")
    st = root.find_element(By.CSS_SELECTOR, status)
    text, n = st.text, int(st.get_attribute("data-losses"))
    first, last = float(st.get_attribute("data-first-loss")), float(st.get_attribute("data-last-loss"))
    check(outcome == "diverged" and "above" in text and st.get_attribute("data-iterations") == "11",
          f"ch10: lr 0.7 > 2/λ_max = 0.637 diverges at iteration 11 ({text.splitlines()[-1][:60]}…)")
    check(n == 212 and last > 1e20 * first,
          f"ch10: and is drawn diverging: 200 more updates, the loss from {first:.3g} to {last:.3g} ({n} losses)")
    control(root, "reset").click()
    outcome = wait_for(driver, f"(({done}) || 'running') !== 'running' && ({done})", 60, "the fit after reset")
    check(outcome == "converged" and st.get_attribute("data-iterations") == "3456", "ch10: reset runs the chapter's fit again")
    for fit in driver.execute_script("return window.wbLive.fits"):
        print(f"  ch10 fit in the page: lr {fit['lr']}, {fit['outcome']} after {fit['iterations']} iterations in {fit['ms']:.0f} ms")


def draw(driver, canvas, strokes, size):
    """Draws polylines with the mouse: press, move through the points, release."""
    rect = driver.execute_script("arguments[0].scrollIntoView({block: 'center'});"
                                 "var b = arguments[0].getBoundingClientRect(); return [b.width, b.height];", canvas)
    sx, sy = rect[0] / size, rect[1] / size
    for stroke in strokes:
        # Selenium's offsets are from the element's centre.
        pts = [(round(x * sx - rect[0] / 2), round(y * sy - rect[1] / 2)) for x, y in stroke]
        chain = ActionChains(driver, duration=10).move_to_element_with_offset(canvas, *pts[0]).click_and_hold()
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) // 6))
            for k in range(1, steps + 1):
                chain.move_to_element_with_offset(canvas, round(x0 + (x1 - x0) * k / steps), round(y0 + (y1 - y0) * k / steps))
        chain.release().perform()


def test_ch11(driver, root):
    spec = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.json"), encoding="utf-8"))
    canvas = root.find_element(By.CSS_SELECTOR, 'canvas[data-role="pad"]')
    control(root, "backward").click()
    check(message(root) == "the canvas is empty: draw a digit first", f"ch11: an empty canvas is refused ({message(root)})")
    for digit, strokes in spec["digits"].items():
        control(root, "clear").click()
        draw(driver, canvas, strokes, spec["canvas"])
        got = wait_for(driver, "document.querySelector('div[data-panel=ch11] [data-role=predicted]').getAttribute('data-predicted')", 10, "a prediction")
        probs = {td.get_attribute("data-digit"): td.text for td in root.find_elements(By.CSS_SELECTOR, "td[data-digit]")}
        check(got == digit, f"ch11: a drawn {digit} is read as {got} (p = {probs.get(got)})")
    maps = len(root.find_elements(By.CSS_SELECTOR, "canvas.wb-map"))
    check(maps == 1 + 6 + 6 + 16 + 16 + 2, f"ch11: every layer's maps are drawn ({maps} maps)")
    scales = [float(e.get_attribute("data-scale")) for e in root.find_elements(By.CSS_SELECTOR, "[data-layer] [data-scale]")]
    check(len(scales) == 7 and all(v > 0 for v in scales), f"ch11: each forward layer states its colour scale ({scales})")
    choose(driver, root, "label", "0")
    control(root, "backward").click()
    deltas = wait_for(driver, "document.querySelector('div[data-panel=ch11] [data-label]') && document.querySelector('div[data-panel=ch11] [data-label]').getAttribute('data-label')", 10, "the backward pass")
    n = len(root.find_elements(By.CSS_SELECTOR, "[data-label] canvas.wb-map"))
    check(deltas == "0" and n == 3 + 16 + 16 + 6 + 6, f"ch11: the backward pass for label 0 draws every layer's δ ({n} maps)")
    # The δ maps' magnitudes: each layer on one stated scale; δ F7 = P − T, so its scale is
    # the largest |p_k − t_k|, small for a digit read confidently as its label.
    probs = [float(td.text) for td in root.find_elements(By.CSS_SELECTOR, "td[data-digit]")]
    want = max(abs(p - (k == 0)) for k, p in enumerate(probs))
    layers = root.find_elements(By.CSS_SELECTOR, "[data-label] [data-layer]")
    per_layer = [float(e.find_element(By.CSS_SELECTOR, "[data-scale]").get_attribute("data-scale")) for e in layers]
    check(len(per_layer) == 7 and abs(per_layer[0] - want) < 1e-4 and want < 0.5,
          f"ch11: δ F7's stated scale is max |P − T| = {want:.4f} for a 0 read as 0 ({per_layer[:1]})")
    check(min(per_layer) < max(per_layer) and all("colour scale: ±" in e.text for e in layers),
          f"ch11: each δ layer states its own scale ({', '.join(f'{v:.2g}' for v in per_layer)})")
    choose(driver, root, "scale", "shared")
    shared = [float(e.get_attribute("data-scale")) for e in root.find_elements(By.CSS_SELECTOR, "[data-label] [data-layer] [data-scale]")]
    check(shared == [max(per_layer)] * 7, f"ch11: one scale for every δ layer, the largest ({shared[0]:.3g})")


# ---- running ----------------------------------------------------------------------------

def find_pages(html):
    """panel → the page holding it (the English edition's, at the top of the folder)."""
    found = {}
    for name in sorted(browser_check.pages_under(html), key=lambda n: n.count("/")):
        with open(os.path.join(html, name), encoding="utf-8", errors="replace") as f:
            for panel in re.findall(r'data-panel="(ch\d\d)"', f.read()):
                found.setdefault(panel, name)
    return found


def open_panel(driver, html, page, panel):
    """Opens the page from disk and waits until its panel has a state; the panel's div."""
    driver.get("file://" + urllib.parse.quote(os.path.join(html, page)))
    try:
        wait_for(driver, f"document.querySelector('div[data-panel={panel}]').getAttribute('data-state')", 20, "the panel")
    except TimeoutError as e:
        check(False, f"{panel}: {e}")
        return None
    # MathJax typesets after load and moves what is below it: the panel's cells settle first.
    driver.execute_async_script(browser_check.WAIT_FOR_MATHJAX)
    return driver.find_element(By.CSS_SELECTOR, f"div[data-panel={panel}]")


def registry(driver, html, pages):
    """The panel table (docs/live/registry.hpp) as the page script reads it from the
    WebAssembly, checked against the pages, the page script and this file's tests."""
    panel, page = sorted(pages.items())[0]
    if open_panel(driver, html, page, panel) is None:
        return []
    table = driver.execute_script("return window.wbLive.registry") or []
    defined = driver.execute_script("return window.wbLive.defined") or []
    names = [p["name"] for p in table]
    check(len(table) > 0, f"the page script read the panel table from the WebAssembly ({len(table)} panels)")
    for p in table:
        where = pages.get(p["name"])
        check(where == p["page"] + ".html", f"{p['name']}: its block is on its page {p['page']}.html ({where})")
        check(p["name"] in defined, f"{p['name']}: the page script draws it")
        check(callable(globals().get("test_" + p["name"])), f"{p['name']}: this file has test_{p['name']}")
    # Each panel's strings in another language (zh) have exactly the English keys.
    keys = driver.execute_script(
        "var out = {}, all = Object.assign({'(shared)': {strings: window.wbLive.common}}, window.wbLive.panels);"
        "for (var n in all) { out[n] = {}; for (var l in all[n].strings) out[n][l] = Object.keys(all[n].strings[l]).sort(); }"
        "return out;")
    for name, langs in sorted(keys.items()):
        for lang, k in sorted(langs.items()):
            if lang != "en":
                missing, extra = sorted(set(langs["en"]) - set(k)), sorted(set(k) - set(langs["en"]))
                check(not missing and not extra, f"{name}: the {lang} strings have the English keys (lack {missing}, extra {extra})")
    for name in sorted(set(pages) - set(names)):
        check(False, f"{name}: the block on {pages[name]} names a panel the table does not list")
    for name in sorted(set(defined) - set(names)):
        check(False, f"{name}: the page script draws a panel the table does not list")
    return table


HAN = re.compile("[\u4e00-\u9fff]")
REFUSALS_SEEN = """
var done = arguments[arguments.length - 1], asks = arguments[0];
Promise.all(asks.map(function (q) { return window.wbLive.request(q); })).then(function (answers) {
  done(answers.filter(function (r) { return !r.ok; }).map(function (r) { return [r.error, window.wbLive.refusal('zh', r.error)]; }));
}, function (e) { done('failed: ' + e); });
"""


def chinese(driver, html, pages):
    """The Chinese edition's panels: each zh/ page holding one draws it with its zh strings
    (the page's <html lang="zh-CN"> picks them; its scripts come from the English edition's
    live/), shows a refused cell's reason in Chinese with the C++'s English as its title,
    and every refusal of tests/live/requests.txt has a Chinese form. Until a Chinese page
    holds a panel, the first English one is opened with lang set to zh-CN before the panels
    start."""
    zh = {}
    for name in sorted(browser_check.pages_under(os.path.join(html, "zh"))):
        with open(os.path.join(html, "zh", name), encoding="utf-8", errors="replace") as f:
            for panel in re.findall(r'data-panel="(ch\d\d)"', f.read()):
                zh.setdefault(panel, "zh/" + name)
    stand_in = None
    if not zh:
        panel, page = sorted(pages.items())[0]
        zh = {panel: page}
        print(f"  no Chinese page holds a panel yet: {panel} on {page}, opened with lang zh-CN")
        stand_in = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
            "document.addEventListener('DOMContentLoaded', function () { document.documentElement.lang = 'zh-CN'; });"})
    try:
        for panel, page in sorted(zh.items()):
            root = open_panel(driver, html, page, panel)
            state = root.get_attribute("data-state") if root else None
            check(state == "ready", f"{panel} in Chinese ({page}): the panel is ready ({state})")
            if state != "ready":
                continue
            strings = driver.execute_script(f"return window.wbLive.panels['{panel}'].strings")
            title = root.find_element(By.TAG_NAME, "h4").text
            check(title == strings["zh"]["title"] and HAN.search(title), f"{panel} in Chinese: its title is the zh one ({title[:40]}…)")
            how = role(root, "how")
            check(how == strings["zh"]["how"], f"{panel} in Chinese: its instructions are the zh ones ({how[:30]}…)")
            labels = [e.text for e in root.find_elements(By.CSS_SELECTOR, "label, button, .wb-caption") if e.text.strip()]
            english = [t for t in labels if not HAN.search(t) and re.search(r"[a-z]{4,}", t) and "::" not in t]
            check(not english, f"{panel} in Chinese: no English label or caption ({english[:3]})")
            cellbox = root.find_elements(By.CSS_SELECTOR, "table[data-grid] td input")
            if cellbox:
                grid_name = cellbox[0].find_element(By.XPATH, "ancestor::table").get_attribute("data-grid")
                old = cellbox[0].get_attribute("value")
                type_into(cellbox[0], "abc")
                msg = root.find_element(By.CSS_SELECTOR, '[data-role="message"]')
                said, original = msg.text, msg.get_attribute("title")
                check(said == f"{grid_name} 第 1 行第 1 列：“abc”不是一个数" and original == f"{grid_name} row 1, column 1: 'abc' is not a number"
                      and classed(root, grid_name, "wb-bad") == [(0, 0)],
                      f"{panel} in Chinese: a bad cell is refused in Chinese, the C++'s words in the title, the cell marked ({said})")
                type_into(cellbox[0], old)
                check(message(root) == "", f"{panel} in Chinese: the message goes once the cell is fixed")
            errors = driver.execute_script("return (window.__wb && window.__wb.jsErrors || []).concat(window.wbLive.errors)")
            check(not errors, f"{panel} in Chinese: no JavaScript errors ({errors[:2]})")
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "requests.txt"), encoding="utf-8") as f:
            asks = [q.strip("\n") + "\n" for q in f.read().split("\n---\n")]
        seen = driver.execute_async_script(REFUSALS_SEEN, asks)
        untranslated = [e for e, zh_text in seen if not zh_text] if isinstance(seen, list) else [seen]
        check(isinstance(seen, list) and len(seen) > 0 and not untranslated,
              f"every refusal of requests.txt has a Chinese form ({len(seen)} refusals; without one: {untranslated[:3]})")
    finally:
        if stand_in:
            driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": stand_in["identifier"]})


def not_built(driver, html, pages):
    """Each panel, with docs/live/not_built.sh's script instead of the wasm: it says so."""
    check(len(pages) > 0, f"the pages hold live panels ({len(pages)})")
    for panel, page in sorted(pages.items()):
        root = open_panel(driver, html, page, panel)
        if root is None:
            continue
        check(root.get_attribute("data-state") == "not-built" and
              root.text.startswith("The live panel was not built: Debian's emscripten was not available"),
              f"{panel} without the live build: {root.text[:70]}…")


def main():
    args = [a for a in sys.argv[1:] if a != "--not-built"]
    if len(args) != 1:
        sys.exit("usage: browser_live.py [--not-built] HTML_DIR")
    html = os.path.abspath(args[0])
    pages = find_pages(html)
    live = os.path.join(html, "live")
    sizes = {f: os.path.getsize(os.path.join(live, f)) for f in sorted(os.listdir(live))} if os.path.isdir(live) else {}
    start = time.monotonic()
    driver = browser_check.open_browser()
    timings, slowest = {}, {}
    if "--not-built" in sys.argv:
        try:
            not_built(driver, html, pages)
        finally:
            driver.quit()
        print(f"browser_live --not-built: {len(failures)} failure(s), {time.monotonic() - start:.1f} s")
        return 1 if failures else 0
    only = os.environ.get("WB_LIVE_ONLY", "").split(",") if os.environ.get("WB_LIVE_ONLY") else None
    try:
        check(len(pages) > 0, f"the pages hold live panels ({len(pages)})")
        for entry in registry(driver, html, pages) if pages else []:
            panel = entry["name"]
            if panel not in pages or not callable(globals().get("test_" + panel)) or (only and panel not in only):
                continue
            print(f"{panel}: {pages[panel]}")
            panel_start = time.monotonic()
            root = open_panel(driver, html, pages[panel], panel)
            state = root.get_attribute("data-state") if root else None
            check(state == "ready", f"{panel}: the panel is ready ({state})")
            if state != "ready":
                continue
            timings[panel] = driver.execute_script("return window.wbLive.readyMs")
            globals()["test_" + panel](driver, root)
            errors = driver.execute_script("return (window.__wb && window.__wb.jsErrors || []).concat(window.wbLive.errors)")
            check(not errors, f"{panel}: no JavaScript errors ({errors[:2]})")
            slowest[panel] = driver.execute_script(f"return window.wbLive.askMs['{panel}']")
            print(f"  ({time.monotonic() - panel_start:.1f} s)")
        if pages and (not only or "zh" in only):
            print("the Chinese edition")
            chinese(driver, html, pages)
    finally:
        driver.quit()
    print("time to first interaction (navigation start → panel ready), ms: " +
          ", ".join(f"{p} {t:.0f}" for p, t in timings.items()))
    print("slowest answer of each panel (request → JSON parsed), ms: " +
          ", ".join(f"{p} {t:.1f}" for p, t in slowest.items()))
    print("size the panels add: " + ", ".join(f"{f} {s:,} B" for f, s in sizes.items()) +
          f"; total {sum(sizes.values()):,} B")
    print(f"browser_live: {len(failures)} failure(s), {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
