#!/usr/bin/python3
"""The live panels in a real browser: each chapter page with a panel is opened from disk
(file://, no server, no network) in headless Chromium; the test sets inputs through the
DOM as a reader would (typing, sliders, hovering, drawing with the mouse), reads the
outputs from the DOM and compares them with the notes' worked numbers.

    tests/live/browser_live.py build/docs/html
    tests/live/browser_live.py --not-built COPY_OF_HTML   # the pages without the wasm build

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
from selenium.webdriver.common.keys import Keys  # noqa: E402

PANELS = ("ch01", "ch02", "ch03", "ch06", "ch10", "ch11")
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


def grid(root, name):
    """An output grid's numbers (or symbols) as a list of rows."""
    rows = []
    for tr in root.find_elements(By.CSS_SELECTOR, f'table[data-grid="{name}"] tr'):
        cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        rows.append([float(c) if re.fullmatch(r"-?[0-9.e+-]+", c) else c for c in cells])
    return rows


def cell_input(root, name, i, j):
    return root.find_elements(By.CSS_SELECTOR, f'table[data-grid="{name}"] tr')[i].find_elements(By.TAG_NAME, "input")[j]


def type_into(element, text):
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def control(root, name):
    return root.find_element(By.CSS_SELECTOR, f'[data-name="{name}"]')


def message(root):
    return root.find_element(By.CSS_SELECTOR, '[data-role="message"]').text


def set_slider(driver, element, value):
    """A range input moved to `value` (the input and change events a drag would send)."""
    driver.execute_script(
        "arguments[0].value = arguments[1];"
        "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, str(value))


# ---- one function per panel -------------------------------------------------------------

def test_ch01(driver, root):
    check(grid(root, "a") == [[4, 3, 4], [2, 4, 3], [2, 3, 4]], "ch01: 001 §5.1's map [[4,3,4],[2,4,3],[2,3,4]]")
    ActionChains(driver).move_to_element(root.find_element(By.CSS_SELECTOR, 'table[data-grid="a"] td')).perform()
    note = root.find_element(By.CSS_SELECTOR, '[data-role="sum"]').text
    check(note.startswith("z₀₀ = 1·1 + 0·1 + 1·1") and "= 4" in note, f"ch01: hovering a₀₀ shows its sum of products ({note[:60]}…)")
    windows = len(root.find_elements(By.CSS_SELECTOR, 'table[data-grid="padded"] td.wb-win'))
    check(windows == 9, f"ch01: hovering a₀₀ highlights its 3×3 window ({windows} cells)")
    type_into(cell_input(root, "x", 0, 0), "2")
    check(grid(root, "a")[0][0] == 5, "ch01: x₀₀ = 2 makes a₀₀ = 5")
    type_into(control(root, "stride"), "2")
    check(grid(root, "a") == [[5, 4], [2, 4]], "ch01: stride 2 gives [[5,4],[2,4]]")
    type_into(control(root, "pad"), "1")
    check(len(grid(root, "a")) == 3, "ch01: stride 2, padding 1 gives a 3×3 map")
    type_into(cell_input(root, "x", 1, 2), "")
    check(message(root) == "x row 2, column 3 is empty", f"ch01: an empty cell is named ({message(root)})")
    type_into(cell_input(root, "x", 1, 2), "abc")
    check(message(root) == "x row 2, column 3: 'abc' is not a number", f"ch01: text is refused ({message(root)})")
    type_into(cell_input(root, "x", 1, 2), "1")
    check(message(root) == "", "ch01: the message goes once the cell is fixed")
    type_into(control(root, "x-rows"), "100000")
    check("x-rows must be a whole number from 1 to 12" in message(root), f"ch01: a huge size is refused ({message(root)})")
    type_into(control(root, "x-rows"), "2")
    type_into(control(root, "pad"), "0")
    check(message(root) == "output_size: kernel is larger than the padded input (n=2, f=3, p=0, s=2)",
          f"ch01: a kernel larger than the input is refused by the reference library ({message(root)})")


def test_ch02(driver, root):
    expected = [[1, 0, -4], [6, 9, 2], [9, 27, 20]]
    check(grid(root, "rule") == expected, "ch02: δ_out by the rule is 000 eq 8's [[1,0,-4],[6,9,2],[9,27,20]]")
    check(grid(root, "naive") == expected, "ch02: the naive backward pass gives the same")
    ActionChains(driver).move_to_element(root.find_elements(By.CSS_SELECTOR, 'table[data-grid="naive"] td')[4]).perform()
    note = root.find_element(By.CSS_SELECTOR, '[data-role="formula"]').text
    check(note == "∂J/∂a22 = δ11·w22 + δ12·w21 + δ21·w12 + δ22·w11 = 9", f"ch02: hovering a22 shows 000 eq 7 ({note})")
    type_into(cell_input(root, "delta", 0, 0), "2")
    check(grid(root, "rule")[0][0] == 2 and grid(root, "rule") == grid(root, "naive"), "ch02: δ11 = 2 changes both, equally")
    type_into(control(root, "w-rows"), "3")
    check(len(grid(root, "rule")) == 3 and len(root.find_elements(By.CSS_SELECTOR, 'table[data-grid="delta"] tr')) == 1,
          "ch02: a 3×2 kernel makes δ_in 1×2 and δ_out still 3×3")


def test_ch03(driver, root):
    check(len(grid(root, "layout")) == 3 and len(grid(root, "layout")[0]) == 6,
          "ch03: 5×8 input, 3×3 kernel, S = 2: a 3×6 restored δ (the remainder column included)")
    note = root.find_element(By.CSS_SELECTOR, '[data-role="sizes"]').text
    check("remainder (n + 2P − f) mod S = 1, so needed = drawn + 1" in note, "ch03: the width's remainder is 1")
    set_slider(driver, control(root, "stride"), 3)
    layout = grid(root, "layout")
    check(layout[0][:4] == ["δ11", 0.0, 0.0, "δ12"] and len(layout) == 3, f"ch03: stride 3 puts two zeros between ({layout[0]})")
    type_into(control(root, "height"), "1")
    check(message(root) == "output_size: kernel is larger than the padded input (n=1, f=3, p=0, s=3)", f"ch03: too small refused ({message(root)})")


def test_ch06(driver, root):
    check(grid(root, "max") == [[0, 7, 0, 0], [0, 0, 0, 3], [0, 0, 0, 0], [1, 0, 4, 0]], "ch06: 002's max-pooling routing")
    check(grid(root, "mean") == [[2, 2, 1, 1], [2, 2, 1, 1], [4, 4, 1, 1], [4, 4, 1, 1]], "ch06: 002's mean-pooling routing")
    type_into(cell_input(root, "a", 0, 0), "9")
    check(grid(root, "max")[0][:2] == [7, 0], "ch06: a₀₀ = 9 takes the first window's δ")
    type_into(cell_input(root, "delta_mean", 1, 1), "x")
    check(message(root) == "delta_mean row 2, column 2: 'x' is not a number", f"ch06: bad δ named ({message(root)})")


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
    text = root.find_element(By.CSS_SELECTOR, status).text
    check(outcome == "diverged" and "above" in text, f"ch10: lr 0.7 > 2/λ_max = 0.637 diverges ({text.splitlines()[-1]})")
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
    Select = __import__("selenium.webdriver.support.select", fromlist=["Select"]).Select
    Select(control(root, "label")).select_by_value("0")
    control(root, "backward").click()
    deltas = wait_for(driver, "document.querySelector('div[data-panel=ch11] [data-label]') && document.querySelector('div[data-panel=ch11] [data-label]').getAttribute('data-label')", 10, "the backward pass")
    n = len(root.find_elements(By.CSS_SELECTOR, "[data-label] canvas.wb-map"))
    check(deltas == "0" and n == 3 + 16 + 16 + 6 + 6, f"ch11: the backward pass for label 0 draws every layer's δ ({n} maps)")


# ---- running ----------------------------------------------------------------------------

def find_pages(html):
    """panel → the page holding it."""
    found = {}
    for name in browser_check.pages_under(html):
        with open(os.path.join(html, name), encoding="utf-8", errors="replace") as f:
            for panel in re.findall(r'data-panel="(ch\d\d)"', f.read()):
                found[panel] = name
    return found


def open_panel(driver, html, page, panel):
    """Opens the page from disk and waits until its panel has a state; the panel's div."""
    driver.get("file://" + urllib.parse.quote(os.path.join(html, page)))
    try:
        wait_for(driver, f"document.querySelector('div[data-panel={panel}]').getAttribute('data-state')", 20, "the panel")
    except TimeoutError as e:
        check(False, f"{panel}: {e}")
        return None
    return driver.find_element(By.CSS_SELECTOR, f"div[data-panel={panel}]")


def not_built(driver, html, pages):
    """Each panel, with docs/live/not_built.sh's script instead of the wasm: it says so."""
    for panel in PANELS:
        root = open_panel(driver, html, pages[panel], panel) if panel in pages else None
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
    for p in PANELS:
        if p not in pages:
            failures.append(f"no page holds the {p} panel")
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
    try:
        for panel in PANELS:
            if panel not in pages:
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
