#!/usr/bin/python3
"""browser_check.py with the checks of the two editions (English in html/, Chinese in
html/zh/, joined by docs/tools/editions.py). Same arguments as browser_check.py:

    tests/docs/editions_check.py build/docs/html      # every page, "All" search frames
    tests/docs/editions_check.py build/docs/html zh/ch02_delta_2x2.html

Added to every page's checks:

| check | fails on |
|---|---|
| the page declares its language | an <html> without lang, or lang="en" under zh/ (zh-CN elsewhere) |
| Chinese in an English page is marked | a Chinese word of an English page outside any lang="zh-CN" |
| Chinese text has no stray spaces | (zh/ pages) a space between two Chinese characters, or after a Chinese punctuation mark: a line break of the Markdown that editions.py did not join |
| the switch opens the twin at the same section | (when the docs have a zh/) a page without the 中文 / English switch; a twin without the switch back or without a section the switch pairs; a click on it, read at a section, that does not open the twin at that section, and back |
| the search box finds Chinese terms | (index.html of each edition) 误差项, 步长, 池化 or 卷积核 not found, or not leading to its chapter |
"""
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_check  # noqa: E402
from browser_check import anchors_of, page_check  # noqa: E402

HAN = "[\u3400-\u4dbf\u4e00-\u9fff]"


def in_chinese_edition(name):
    return name.startswith("zh/")


@page_check("the page declares its language")
def language(page):
    lang = page.js("return document.documentElement.getAttribute('lang')")
    want = "zh-CN" if in_chinese_edition(page.name) else "en"
    return [] if lang == want else [f"<html lang> is {lang!r}, not {want!r}"]


UNMARKED = r"""
var han = new RegExp(arguments[0]), out = [];
var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (var node = walk.nextNode(); node && out.length < 3; node = walk.nextNode()) {
  var el = node.parentElement;
  if (!el || el.closest('script, style') || !han.test(node.nodeValue)) continue;
  var marked = el.closest('[lang]');
  if (!marked || marked.getAttribute('lang').indexOf('zh') !== 0) out.push(node.nodeValue.trim().slice(0, 40));
}
return out;
"""


@page_check("Chinese in an English page is marked", only=lambda name: not in_chinese_edition(name))
def chinese_marked(page):
    return [f"Chinese outside lang=\"zh-CN\": {text!r}" for text in page.js(UNMARKED, HAN)]


STRAY_SPACES = r"""
var bad = new RegExp(arguments[0]), out = [];
var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (var node = walk.nextNode(); node && out.length < 3; node = walk.nextNode()) {
  var el = node.parentElement, m;
  if (!el || el.closest('script, style, pre, code, .fragment, .wb-live') || !(m = bad.exec(node.nodeValue))) continue;
  out.push(node.nodeValue.slice(Math.max(0, m.index - 8), m.index + 10));
}
return out;
"""


@page_check("Chinese text has no stray spaces", only=in_chinese_edition)
def stray_spaces(page):
    return [f"a space inside Chinese text: {text!r}" for text in
            page.js(STRAY_SPACES, f"{HAN}\\s+{HAN}|[、。，：；（）]\\s+{HAN}")]


# ---- the switch ---------------------------------------------------------------------------

SWITCH = r"""
var a = document.getElementById('wb-lang');
return a ? [a.getAttribute('href'), a.getAttribute('data-anchors') || ''] : null;
"""


def pairs_of(data):
    return [tuple(p.split("=")) if "=" in p else (p, p) for p in data.split()]


def twin_switch(path):
    """(href, data-anchors) of the switch in the page file at path, or None."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'<a id="wb-lang" href="([^"]*)"[^>]*data-anchors="([^"]*)"', text)
    return (m.group(1), m.group(2)) if m else None


def read_section_then_switch(page, anchor):
    """Scrolls the heading of `anchor` to the top of the text, as a reader would be there,
    then clicks the switch; returns the page reached (path, hash) once it has loaded."""
    from selenium.webdriver.common.by import By
    page.js("document.getElementById(arguments[0]).closest('h1,h2,h3,h4,h5,h6').scrollIntoView(true)", anchor)
    before = page.driver.current_url
    page.driver.find_element(By.ID, "wb-lang").click()
    for _ in range(100):
        if page.driver.current_url != before and page.js("return document.readyState") == "complete":
            break
        time.sleep(0.05)
    page.driver.execute_async_script(browser_check.WAIT_FOR_MATHJAX)
    url = urllib.parse.urlsplit(page.driver.current_url)
    return os.path.realpath(urllib.parse.unquote(url.path)), urllib.parse.unquote(url.fragment)


@page_check("the switch opens the twin at the same section",
            only=lambda name: not name.startswith(("search/", "zh/search/")))
def switch(page):
    if not os.path.isdir(os.path.join(page.root, "zh")):
        return []  # docs without a Chinese edition (the self-test's pages)
    found = page.js(SWITCH)
    if not found:
        return ["no 中文 / English switch on the page"]
    href, data = found
    target = os.path.realpath(os.path.join(os.path.dirname(page.path), href.split("#")[0]))
    if in_chinese_edition(page.name):
        twin = os.path.join(page.root, page.name[3:])
    else:  # a code page has one copy, in English: its switch opens the Chinese main page
        twin = os.path.join(page.root, "zh", page.name)
        twin = twin if os.path.isfile(twin) else os.path.join(page.root, "zh", "index.html")
    if target != os.path.realpath(twin):
        return [f"the switch leads to {href}, not to {os.path.relpath(twin, page.root)}"]
    if os.path.basename(twin) != os.path.basename(page.name):
        return []
    pairs = pairs_of(data)
    problems = []
    back = twin_switch(target)
    here = os.path.realpath(page.path)
    if not back or os.path.realpath(os.path.join(os.path.dirname(target), back[0].split("#")[0])) != here:
        problems.append(f"the twin {href} has no switch back to this page")
        return problems
    if sorted((b, a) for a, b in pairs) != sorted(pairs_of(back[1])):
        problems.append(f"the twin {href} pairs the sections otherwise")
    mine, theirs = anchors_of(page.path), anchors_of(target)
    for a, b in pairs:
        if a not in mine or b not in theirs:
            problems.append(f"the switch pairs section #{a} with the twin's #{b}, which does not exist")
    if problems or not pairs:
        return problems
    # A reader at the middle section clicks the switch, then clicks it back.
    a, b = pairs[len(pairs) // 2]
    reached = read_section_then_switch(page, a)
    if reached != (target, b):
        return [f"reading #{a} and clicking the switch opened {reached[0]}#{reached[1]}, not {href}#{b}"]
    returned = read_section_then_switch(page, b)
    if returned != (here, a):
        return [f"clicking the twin's switch at #{b} opened {returned[0]}#{returned[1]}, not this page's #{a}"]
    return []


# ---- the search box -------------------------------------------------------------------------

# Each term with the chapter it must lead to (the glossary's "first in").
CHINESE_TERMS = {"误差项": "ch02_delta_2x2.html", "步长": "ch01_conv_forward.html",
                 "池化": "ch06_pooling.html", "卷积核": "ch01_conv_forward.html"}

RESULT_LINKS = r"""
var frame = document.getElementById('MSearchResults');
var doc = frame && frame.contentDocument;
if (!doc) return null;
return Array.from(doc.querySelectorAll('.SRResult')).filter(r => r.style.display == 'block')
  .map(r => [r.querySelector('.SRSymbol').textContent.trim(),
             Array.from(r.querySelectorAll('a')).map(a => a.href).filter(h => !h.startsWith('javascript:'))]);
"""


@page_check("the search box finds Chinese terms",
            only=lambda name: name in ("index.html", "zh/index.html") and browser_check.SEARCH_BOX)
def chinese_search(page):
    problems = []
    for term, chapter in CHINESE_TERMS.items():
        results = browser_check.searched(page, term, RESULT_LINKS, lambda row: row[0].startswith(term))
        links = [urllib.parse.unquote(urllib.parse.urlsplit(h).path) for _, hrefs in results for h in hrefs]
        want = os.path.realpath(os.path.join(os.path.dirname(page.path), chapter))
        if not os.path.isfile(want):  # a chapter without its Chinese twin yet: the English page
            want = os.path.realpath(os.path.join(page.root, chapter))
        if not results:
            problems.append(f"searching {term} finds nothing")
        elif want not in [os.path.realpath(p) for p in links]:
            problems.append(f"searching {term} does not lead to {chapter} (it leads to {links})")
        problems += [f"searching {term} leads to a missing page {p}" for p in links if not os.path.isfile(p)]
    browser_check.close_search(page)
    return problems


def default_pages(root):
    """Every page of both editions; of Doxygen's search frames only the "All" ones
    (search/all_*.html): a frame of another kind (functions_3.html) shows a subset of
    the same results, from the same template, so it adds load time and nothing else."""
    for name in sorted(browser_check.pages_under(root)):
        folder, file = os.path.split(name)
        if os.path.basename(folder) != "search" or file.startswith("all_") or file == "nomatches.html":
            yield name


if __name__ == "__main__":
    argv = sys.argv[1:]
    positional = [a for a in argv if not a.startswith("--")]
    if len(positional) == 1 and "--expect" not in argv:
        argv += list(default_pages(positional[0]))
    sys.exit(browser_check.main(argv))
