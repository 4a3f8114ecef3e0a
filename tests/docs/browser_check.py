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
import html
import html.parser
import os
import re
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


# ---- the chapter pages' shape ----------------------------------------------------------

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def chapter_page(name):
    return re.match(r"ch\d\d_\w+\.html$", name) is not None


# In document order: every picture (a figure or a live panel) and every code block, with
# where it sits: the closed <details> around it (\spoiler, \fold), the file a \snippetfrom
# names above it, and its lines.
BLOCKS = r"""
var out = [];
document.querySelectorAll('.contents div.image, .contents .wb-live, .contents div.fragment').forEach(function (e) {
  if (e.parentElement.closest('div.fragment')) return;
  var kind = e.matches('div.fragment') ? 'code' : 'picture';
  var details = e.closest('details'), prev = e.previousElementSibling;
  out.push({kind: kind,
            lines: kind == 'code' ? Array.from(e.querySelectorAll('div.line')).map(l => l.textContent) : [],
            folded: details ? {cls: details.className, open: details.open,
                               exercise: details.getAttribute('data-exercise') || ''} : null,
            file: prev && prev.matches('div.snippet-file') ? prev.textContent.trim() : ''});
});
return out;
"""


@page_check("a picture before the first code block", only=chapter_page)
def picture_first(page):
    blocks = page.js(BLOCKS)
    kinds = [b["kind"] for b in blocks]
    if "code" not in kinds:
        return []
    if "picture" not in kinds:
        return ["the page has code but no picture or live panel"]
    if kinds.index("code") < kinds.index("picture"):
        first = blocks[kinds.index("code")]
        return [f"code before the first picture or live panel: "
                f"{(first['file'] + ': ') if first['file'] else ''}"
                f"{next((l.strip() for l in first['lines'] if l.strip()), '')[:80]}"]
    return []


def answers():
    """{function name: (file or '', [exercise ids])} from tests/docs/answers.txt, which must
    list exactly the exercises of exercises/manifest.txt."""
    def ids(path):
        with open(path, encoding="utf-8") as f:
            return [line.split() for line in f if line.strip() and not line.startswith("#")]
    listed = ids(os.path.join(HERE, "answers.txt"))
    manifest = [row[0] for row in ids(os.path.join(REPO, "exercises", "manifest.txt"))]
    if sorted(row[0] for row in listed) != sorted(manifest):
        sys.exit("browser_check: tests/docs/answers.txt and exercises/manifest.txt list different "
                 f"exercises: {sorted(set(manifest) ^ set(row[0] for row in listed))}")
    found = {}
    for row in listed:
        for entry in row[1:]:
            path, _, name = entry.rpartition(":")
            found.setdefault((path, name), []).append(row[0])
    return found


ANSWERS = None


def defines(lines, name):
    """Whether the code defines a function `name` (its body follows), rather than calling
    or declaring it: a type before the name, and `{` after the closing parenthesis."""
    text = "\n".join(lines)
    for m in re.finditer(r"(?<![\w.>])(?:\w+::)*" + re.escape(name) + r"\s*\(", text):
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        if not before.strip():
            prev = text[:m.start()].rstrip()
            before = prev[prev.rfind("\n") + 1:]
        if not re.fullmatch(r"\s*(?:template\s*<.*>\s*)?[\w:<>,\s]*?[\w>][\s&*]+", before) \
                or re.match(r"\s*(return|else|case|throw|new|delete|co_return)\b", before):
            continue
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        tail = re.match(r"[^;{]*", text[i + 1:]).group(0)
        if i + 1 + len(tail) < len(text) and text[i + 1 + len(tail)] == "{" \
                and re.fullmatch(r"[\s\w:<>&*,\->]*", tail):
            return True
    return False


@page_check("no exercise's answer unfolded", only=chapter_page)
def answers_folded(page):
    global ANSWERS
    ANSWERS = ANSWERS or answers()
    problems = []
    for block in page.js(BLOCKS):
        if block["kind"] != "code":
            continue
        for (path, name), exercises in ANSWERS.items():
            if path and block["file"] != path or not defines(block["lines"], name):
                continue
            fold = block["folded"]
            where = f"{name}" + (f" ({block['file']})" if block["file"] else "")
            if not fold:
                problems.append(f"the answer to {' / '.join(exercises)} is shown unfolded: {where}")
            elif "wb-spoiler" not in fold["cls"].split():
                problems.append(f"the answer to {' / '.join(exercises)} is folded without saying it "
                                f"spoils the exercise (\\fold, not \\spoiler): {where}")
            elif fold["open"]:
                problems.append(f"the spoiler of {where} is open when the page loads")
            elif fold["exercise"] not in exercises:
                problems.append(f"{where} is folded as a spoiler of {fold['exercise'] or '?'}, "
                                f"not of {' / '.join(exercises)}")
    return problems


# The "test" column of each formula table (the chapters' and the formula index): each
# cell's links, with the text they show.
TEST_CELLS = r"""
var out = [];
document.querySelectorAll('.contents table').forEach(function (t) {
  var head = Array.from(t.querySelectorAll('tr:first-child th')).map(th => th.textContent.trim());
  var col = head.indexOf('test');
  if (col < 0 || head.indexOf('formula') < 0) return;
  Array.from(t.querySelectorAll('tr')).slice(1).forEach(function (tr, row) {
    var cell = tr.children[col];
    if (!cell) return;
    out.push({row: row + 1, text: cell.textContent.trim(),
              links: Array.from(cell.querySelectorAll('a[href]')).map(a => [a.textContent.trim(), a.href])});
  });
});
return out;
"""


_cases_at = {}


def case_names(path):
    """{anchor: the TEST_CASE name right after it} of a test page (docs/tools/test_links.py)."""
    if path not in _cases_at:
        with open(path, encoding="utf-8", errors="replace") as f:
            page = f.read()
        found = {}
        for m in re.finditer(r'id="([^"]+)"', page):
            after = html.unescape(re.sub(r"<[^>]+>", "", page[m.end():m.end() + 4000]))
            name = re.search(r'TEST_CASE\("((?:[^"\\]|\\.)*)"', after)
            if name:
                found.setdefault(m.group(1), name.group(1))
        _cases_at[path] = found
    return _cases_at[path]


@page_check("every test cell links to its test case",
            only=lambda name: chapter_page(name) or name == "formulas.html")
def test_cells(page):
    sys.path.insert(0, os.path.join(REPO, "docs", "tools"))
    from check_refs import matches
    problems = []
    for cell in page.js(TEST_CELLS):
        cases = [(text, href) for text, href in cell["links"] if "#" in href]
        if not cases:
            problems.append(f"formula table row {cell['row']}: the test cell links to no test case: "
                            f"{cell['text'][:80]}")
        for text, href in cases:
            parts = urllib.parse.urlsplit(href)
            path = urllib.parse.unquote(parts.path)
            name = case_names(path).get(parts.fragment) if os.path.isfile(path) else None
            quote = " ".join(text.strip("“”\"").split())
            if name is None:
                problems.append(f"formula table row {cell['row']}: {text} leads to no test case ({href})")
            elif not matches(quote, name):
                problems.append(f"formula table row {cell['row']}: {text} leads to the test case \"{name}\"")
    return problems


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
