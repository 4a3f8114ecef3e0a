#!/usr/bin/python3
"""Open every page of the generated docs in headless Chromium and fail on what a reader
would see wrong but Doxygen does not warn about.

    tests/docs/browser_check.py build/docs/html            # every page
    tests/docs/browser_check.py build/docs/html ch01_conv_forward.html errata.html
    tests/docs/browser_check.py --expect tests/docs/bugs/expected.txt build/docs-bugs/html

Each page is opened from disk (file://), MathJax is allowed to finish, and every check in
CHECKS runs on it. A check is a function `check(page) -> list of problems` registered with
@page_check; `page` gives the Selenium driver (`page.driver`), the page's path under the
HTML folder (`page.name`), `page.js(script)` and `page.text(roots, skip)` (the visible
text). To add one, write a function below (or in a module that imports this one and
calls `main()`), e.g.

    @page_check("live panels compute", only=lambda name: name.startswith("ch"))
    def live_panels(page):
        return [f"panel {i}: {msg}" for i, msg in page.js("return window.wbPanelErrors || []")]

Debian packages: chromium chromium-driver python3-selenium (./workbook setup-browser).
"""
import argparse
import html.parser
import os
import sys
import time
import urllib.parse
import xml.etree.ElementTree

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service

CHECKS = []  # (name, function, predicate on the page name)


def page_check(name, only=lambda page_name: True):
    """Registers `function(page) -> [problem, …]` to run on every page `only` accepts."""
    def register(function):
        CHECKS.append((name, function, only))
        return function
    return register


# Installed before any page script runs: records MathJax's own error messages, which a
# page shows as a red box or not at all (a file that failed to load).
MATHJAX_HOOKS = r"""
window.__wb = {mathjax: [], jsErrors: []};
window.addEventListener('error', function (e) {
  if (e.message) window.__wb.jsErrors.push(e.message + ' (' + e.filename + ':' + e.lineno + ')');
}, true);
window.MathJax = {AuthorInit: function () {
  var hub = MathJax.Hub, out = window.__wb.mathjax;
  hub.Register.MessageHook('TeX Jax - parse error', function (m) { out.push('TeX error: ' + m[1] + ' in ' + m[2]); });
  hub.Register.MessageHook('Math Processing Error', function (m) { out.push('Math Processing Error: ' + m[2]); });
  hub.Register.MessageHook('file load error', function (m) { out.push('MathJax could not load ' + m[1]); });
}};
"""

# Resolves once MathJax has typeset the page (StartupHook "End" runs at once if it has).
WAIT_FOR_MATHJAX = r"""
var done = arguments[arguments.length - 1];
if (!document.querySelector('script[src*="MathJax.js"]')) { done('none'); return; }
var start = Date.now();
(function poll() {
  if (window.MathJax && MathJax.Hub && MathJax.Hub.Register) {
    MathJax.Hub.Register.StartupHook('End', function () { done('typeset'); });
  } else if (Date.now() - start > 10000) {
    done('MathJax.js did not load');
  } else {
    setTimeout(poll, 50);
  }
})();
"""

# The text a reader sees under `roots`, without the subtrees matching `skip`.
VISIBLE_TEXT = r"""
var roots = document.querySelectorAll(arguments[0]), skip = arguments[1], parts = [];
roots.forEach(function (root) {
  var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (var node = walk.nextNode(); node; node = walk.nextNode()) {
    var el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    if (el.checkVisibility && !el.checkVisibility({checkVisibilityCSS: true})) continue;
    parts.push(node.nodeValue);
  }
});
return parts.join('');
"""


class Page:
    def __init__(self, driver, root, name):
        self.driver, self.root, self.name = driver, root, name
        self.path = os.path.join(root, name)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def text(self, roots="body", skip="script, style, pre, code, .fragment, .line"):
        return self.js(VISIBLE_TEXT, roots, skip)


# ---- the checks ------------------------------------------------------------------------


def excerpt(text, i, width=50):
    return " ".join(text[max(0, i - width):i + width].split())


@page_check("MathJax errors")
def mathjax_errors(page):
    problems = list(page.js("return window.__wb ? window.__wb.mathjax : []"))
    for box in page.js("return Array.from(document.querySelectorAll("
                       "'.MathJax_Error, .merror, [class*=\"merror\"]')).map(e => e.textContent)"):
        problems.append(f"MathJax error box: {box.strip()[:120]}")
    return problems


@page_check("raw TeX in the rendered text")
def raw_tex(page):
    text = page.text()
    problems = []
    for token in ("\\f$", "\\f[", "\\(", "\\["):
        i = text.find(token)
        if i >= 0:
            problems.append(f"raw {token} ({text.count(token)}×), e.g. …{excerpt(text, i)}…")
    return problems


@page_check("literal Markdown in the prose")
def literal_markdown(page):
    # Prose only: C++ signatures (char **argv) are not Markdown.
    text = page.text(".textblock, .memdoc, .contents > p, .contents li")
    i = text.find("**")
    return [f"literal ** ({text.count('**')}×), e.g. …{excerpt(text, i)}…"] if i >= 0 else []


@page_check("images load")
def images_load(page):
    broken = page.js("return Array.from(document.images).filter("
                     "i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))")
    return [f"image did not load: {src}" for src in broken]


@page_check("SVG figures are well-formed grids")
def svg_figures(page):
    # Doxygen shows an SVG in an <object>, whose document a file:// page cannot read; the
    # file itself is checked: it parses, and a grid figure has a number in every cell and
    # a title under every panel.
    problems = []
    for url in page.js("return Array.from(document.querySelectorAll('object[data], img[src]'))"
                       ".map(e => e.data || e.src).filter(u => /[.]svg$/.test(u))"):
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        name = os.path.basename(path)
        if not os.path.isfile(path):
            continue  # reported by the link check
        try:
            svg = xml.etree.ElementTree.parse(path).getroot()
        except xml.etree.ElementTree.ParseError as e:
            problems.append(f"{name} is not well-formed SVG: {e}")
            continue
        for i, panel in enumerate(svg.iter("{http://www.w3.org/2000/svg}g")):
            if panel.get("class") != "panel":
                continue
            kinds = [e.get("class") for e in panel]
            values = [e for e in panel if e.get("class") == "value" and (e.text or "").strip()]
            title = "".join(t for e in panel if e.get("class") == "panel-title" for t in e.itertext())
            if kinds.count("cell") != len(values):
                problems.append(f"{name}, panel {i}: {kinds.count('cell')} cells, {len(values)} numbers")
            if not title.strip():
                problems.append(f"{name}, panel {i}: no title")
    return problems


# Names the search box must find, each with a result opening its documentation: one
# function of the chapters' own code per kind of formula, and two of the reference library.
SEARCHED = ["element_formula", "stride1_rule", "grad_w_rule", "mean_backward_kronecker",
            "mse_backward", "conv2d_backward", "zero_insert"]

VISIBLE_RESULTS = r"""
var frame = document.getElementById('MSearchResults');
var doc = frame && frame.contentDocument;
if (!doc) return null;
return Array.from(doc.querySelectorAll('a')).filter(a => a.offsetParent !== null)
  .map(a => [a.textContent.trim(), a.href]);
"""


SEARCH_BOX = True  # off with --skip-search (pages without the workbook's code)


def searched(page, text, script, keep):
    """Types text into the page's search box; returns the rows of `script` (JavaScript
    run on the page) that keep(row) accepts, once there are any or after 4 s."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    field = page.driver.find_element(By.ID, "MSearchField")
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)
    rows = []
    for _ in range(40):  # the results frame loads after a short delay
        time.sleep(0.1)
        rows = [r for r in (page.js(script) or []) if keep(r)]
        if rows:
            break
    return rows


def close_search(page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    page.driver.find_element(By.ID, "MSearchField").send_keys(Keys.ESCAPE)


@page_check("the search box finds the chapters' functions",
            only=lambda name: name == "index.html" and SEARCH_BOX)
def search_box(page):
    problems = []
    for name in SEARCHED:
        results = searched(page, name, VISIBLE_RESULTS, lambda row: name in row[0])
        found = [href for text, href in results if not href.startswith("javascript:")]
        toggles = [text for text, href in results if text == name and href.startswith("javascript:")]
        if not found and not toggles:
            problems.append(f"searching '{name}' finds no documentation page")
        for href in found:
            path = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
            if not os.path.isfile(path):
                problems.append(f"searching '{name}' leads to a missing page {href}")
    close_search(page)
    return problems


class Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.names.add(value)


_anchors = {}


def anchors_of(path):
    if path not in _anchors:
        parser = Anchors()
        with open(path, encoding="utf-8", errors="replace") as f:
            parser.feed(f.read())
        _anchors[path] = parser.names
    return _anchors[path]


@page_check("local links and resources resolve")
def local_links(page):
    urls = page.js(r"""
      var out = [];
      document.querySelectorAll('a[href], area[href], link[href]').forEach(e => out.push(e.href));
      document.querySelectorAll('img[src], script[src], iframe[src], source[src]').forEach(e => out.push(e.src));
      document.querySelectorAll('object[data]').forEach(e => out.push(e.data));
      return out;""")
    problems = []
    for url in sorted(set(urls)):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "file":
            continue  # http(s), mailto, javascript: not ours to check offline
        path = urllib.parse.unquote(parts.path)
        target = os.path.relpath(path, page.root)
        if not os.path.exists(path):
            problems.append(f"link to a missing file: {target}")
        elif not os.path.realpath(path).startswith(os.path.realpath(page.root) + os.sep):
            problems.append(f"link leaves the docs folder: {target} → {os.path.realpath(path)}")
        elif parts.fragment and path.endswith(".html") \
                and urllib.parse.unquote(parts.fragment) not in anchors_of(path):
            problems.append(f"link to a missing anchor: {target}#{parts.fragment}")
    return problems


@page_check("scripts run without errors")
def script_errors(page):
    return [f"JavaScript error: {m}" for m in page.js("return window.__wb ? window.__wb.jsErrors : []")]


# Renders one character on a canvas in the font the page uses for its text.
GLYPH = r"""
var c = document.createElement('canvas'); c.width = c.height = 40;
var g = c.getContext('2d');
g.font = '32px ' + getComputedStyle(document.body).fontFamily;
g.fillText(arguments[0], 2, 32);
return c.toDataURL();
"""


@page_check("Chinese text has a font", only=lambda name: not name.startswith("search/"))
def cjk_font(page):
    # Without a CJK font each Chinese character is drawn as the same "missing glyph" box
    # (tofu): compare every character with a code point no font has.
    text = page.text()
    han = sorted({ch for ch in text if "\u4e00" <= ch <= "\u9fff"})
    if not han:
        return []
    missing = page.js(GLYPH, "\U0010fffd")
    tofu = [ch for ch in han[:20] if page.js(GLYPH, ch) == missing]
    return [f"no font for Chinese: {''.join(tofu)} drawn as empty boxes"] if tofu else []


# ---- running ---------------------------------------------------------------------------


def open_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--allow-file-access-from-files", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(20)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": MATHJAX_HOOKS})
    return driver


def pages_under(root):
    for folder, _, files in os.walk(root):
        for f in files:
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(folder, f), root)


def check_page(driver, root, name):
    page = Page(driver, root, name)
    url = "file://" + urllib.parse.quote(os.path.abspath(page.path))
    try:
        driver.get(url)
        state = driver.execute_async_script(WAIT_FOR_MATHJAX)
    except TimeoutException:
        return ["timed out loading the page or waiting for MathJax"]
    problems = [] if state in ("none", "typeset") else [state]
    for check_name, function, only in CHECKS:
        if only(name):
            problems += [f"{check_name}: {p}" for p in function(page)]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", help="the generated HTML folder (build/docs/html)")
    parser.add_argument("pages", nargs="*", help="pages to check (default: every .html below)")
    parser.add_argument("--skip-search", action="store_true",
                        help="leave out Doxygen's search: its result frames (search/*.html) "
                             "and the search-box check")
    parser.add_argument("--expect", metavar="FILE",
                        help="self-test: FILE lists 'page<TAB>words' lines; each page must "
                             "report a problem containing the words, every other page none")
    args = parser.parse_args(argv)
    expected = {}
    if args.expect:
        with open(args.expect, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    page, words = line.rstrip("\n").split("\t", 1)
                    expected[page] = words
    root = os.path.abspath(args.html)
    if not os.path.isfile(os.path.join(root, "index.html")):
        sys.exit(f"browser_check: no index.html in {args.html} (run ./workbook docs first)")
    names = args.pages or sorted(pages_under(root))
    if args.skip_search:
        global SEARCH_BOX
        SEARCH_BOX = False
        names = [n for n in names if not n.startswith("search/")]
    start = time.monotonic()
    driver = open_browser()
    failed = 0
    try:
        for name in names:
            if not os.path.isfile(os.path.join(root, name)):
                sys.exit(f"browser_check: no page {name} in {args.html}")
            problems = check_page(driver, root, name)
            if name in expected:
                caught = [p for p in problems if expected[name] in p]
                print(f"{'caught' if caught else 'MISSED'} {name}: {(caught or [expected[name]])[0]}")
                failed += not caught
                continue  # a planted bug may show in more than one check
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for p in problems:
                    print(f"  {p}")
    except WebDriverException as e:
        sys.exit(f"browser_check: the browser failed: {e.msg}")
    finally:
        driver.quit()
    seconds = time.monotonic() - start
    missing = sorted(set(expected) - set(names))
    if missing:
        failed += len(missing)
        print(f"MISSED: no page {', '.join(missing)}")
    if expected:
        print(f"browser_check self-test: {len(names)} pages, {len(expected)} with a planted bug; "
              f"{failed} problem(s), {seconds:.1f} s")
    else:
        print(f"browser_check: {len(names) - failed} of {len(names)} pages clean, "
              f"{len(CHECKS)} checks each, {seconds:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
