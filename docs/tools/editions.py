#!/usr/bin/python3
"""Joins the English and the Chinese edition of the built docs into one book.

    docs/tools/editions.py build/docs/html                 (the Chinese edition in html/zh)
    docs/tools/editions.py --english-only build/docs-bugs/html
    docs/tools/editions.py --tag-for-chinese build/docs/workbook.tag OUT.tag docs/zh

Run after Doxygen has written both editions (the Chinese one by its own, smaller run into
html/zh, linking to the English edition's code pages). It

1. declares each page's language: <html lang="en"> or <html lang="zh-CN">, and in the
   Chinese pages removes the line breaks of the Markdown between Chinese characters
   (a browser would show each as a space);
2. marks the Chinese in the English pages (the notes' terms) <span lang="zh-CN">, so a
   browser picks a Chinese font and a screen reader a Chinese voice;
3. puts the switch on every page: 中文 on an English page, English on a Chinese one,
   opening the twin page at the same section (docs/editions.js); a code page, which
   both editions share, switches to the Chinese main page;
4. adds the glossary's Chinese terms to both editions' search boxes: 误差项 finds the
   page and section where the term first matters, and the glossary.
5. points a Chinese page's live panel scripts (live/…) at the English edition's folder,
   so the WebAssembly is built and shipped once; the panels pick their Chinese strings
   from the page's lang.

A page already processed (its <html> has a lang) is left alone, so running twice is safe.
"""
import argparse
import html
import json
import os
import re
import shutil
import sys

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWITCH_JS = os.path.join(DOCS, "editions.js")
GLOSSARY = os.path.join(DOCS, "glossary.md")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_MARKS = "\u3000-\u303f\uff00-\uffef"  # 。，、（）“” and the like
CJK = HAN + CJK_MARKS
CHINESE_RUN = re.compile(f"[{CJK}](?:[{CJK}0-9 ]*[{CJK}])?")
TAG = re.compile(r"(<[^>]*>)")
MATH = re.compile(r"(\\\(.*?\\\)|\\\[.*?\\\])", re.S)
RAW = ("script", "style", "title", "textarea")
HTML_TAG = re.compile(r"<html\b([^>]*)>")
DONE = re.compile(r"<html\b[^>]*\blang=")
HEADING_ANCHOR = re.compile(r"<h[1-6]\b[^>]*>\s*<a class=\"anchor\" id=\"([^\"]+)\"")
LABEL = re.compile(r"\{#([\w-]+)\}\s*$")
LIVE_SCRIPT = re.compile(r'(<script src=")live/')
PROJECT_ROW_END = re.compile(r"(<tr id=\"projectrow\">.*?)(\s*</tr>)", re.S)


def pages(root):
    """Every HTML file under root, as paths relative to it (the Chinese edition's too)."""
    for folder, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(folder, f), root)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---- 1, 2: languages -----------------------------------------------------------------------

def declare_language(page, lang):
    return HTML_TAG.sub(lambda m: f'<html{m.group(1)} lang="{lang}" xml:lang="{lang}">', page, count=1)


def mark_chinese(page):
    """Wraps each run of Chinese in the page's text (not in tags, scripts, the title or
    formulas, which MathJax must see whole) in <span lang="zh-CN">."""
    out, raw = [], None
    for part in TAG.split(page):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            name = name.group(1).lower() if name else ""
            if raw is None and name in RAW and not part.startswith("</") and not part.endswith("/>"):
                raw = name
            elif raw == name and part.startswith("</"):
                raw = None
            out.append(part)
        elif raw is not None or not re.search(f"[{HAN}]", part):
            out.append(part)
        else:
            for i, piece in enumerate(MATH.split(part)):
                out.append(piece if i % 2 else
                           CHINESE_RUN.sub(lambda m: f'<span lang="zh-CN">{m.group(0)}</span>', piece))
    return "".join(out)


def join_chinese_lines(page):
    """A line break in the Markdown between two Chinese characters, or beside a Chinese
    punctuation mark, is no space in Chinese; a browser would show one. Removes those
    (and any single space there, which is how Doxygen writes most line breaks), in the
    text of a page (not in tags, scripts, <pre>)."""
    parts = TAG.split(page)
    texts, raw = [], None  # indices of the text parts a reader sees
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            name = name.group(1).lower() if name else ""
            if raw is None and name in RAW + ("pre",) and not part.startswith("</") and not part.endswith("/>"):
                raw = name
            elif raw == name and part.startswith("</"):
                raw = None
        elif raw is None and part:
            texts.append(i)
    for k, i in enumerate(texts):
        if "\n" not in parts[i] and " " not in parts[i]:
            continue
        before_all = parts[texts[k - 1]].rstrip()[-1:] if k else ""
        after_all = parts[texts[k + 1]].lstrip()[:1] if k + 1 < len(texts) else ""
        text = parts[i]

        def join(m):
            before = text[:m.start()].rstrip()[-1:] or before_all
            after = text[m.end():].lstrip()[:1] or after_all
            han = re.match(f"[{HAN}]", before) and re.match(f"[{HAN}]", after)
            mark = re.match(f"[{CJK_MARKS}“”‘’]", before) or re.match(f"[{CJK_MARKS}“”‘’]", after)
            return "" if han or mark else m.group(0)
        # Doxygen 1.9 writes most of a paragraph's line breaks as single spaces
        parts[i] = re.sub(r"[ \t]*\n[ \t]*| ", join, text)
    return "".join(parts)


# ---- 3: the switch -------------------------------------------------------------------------

def heading_anchors(page):
    return HEADING_ANCHOR.findall(page)


def add_switch(page, href, label, lang, title, pairs, script):
    """The switch as the last cell of Doxygen's title row: a plain link to the twin page
    (it works without JavaScript) carrying the pairs of section anchors, this page's =
    the twin's, with which editions.js opens the twin at the section being read."""
    pairs = " ".join(a if a == b else f"{a}={b}" for a, b in pairs)
    cell = (f'\n  <td id="wb-lang-cell"><a id="wb-lang" href="{href}" lang="{lang}" hreflang="{lang}" '
            f'title="{html.escape(title)}" data-anchors="{pairs}">{label}</a>'
            f'<script type="text/javascript" src="{script}"></script></td>')
    return PROJECT_ROW_END.sub(lambda m: m.group(1) + cell + m.group(2), page, count=1)


# ---- 4: the Chinese terms in the search box ------------------------------------------------

def glossary_terms(path):
    """(Chinese term, English words, page label) for each Chinese term of the glossary's
    table, whose first column may hold several, separated by commas or slashes."""
    terms = []
    for line in read(path).splitlines():
        if not line.startswith("|") or set(line.strip()) <= set("|-: "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        page = re.search(r"\\ref\s+(\w+)", cells[-1])
        if not page or not re.search(f"[{HAN}]", cells[0]):
            continue
        english = re.sub(r"\s*\(.*?\)", "", cells[1]).strip()
        for piece in re.split(r"[,/，、]", re.sub(r"\(.*?\)", "", cells[0])):
            words = [w for w in piece.split() if re.search(f"[{HAN}]", w)]
            if words:
                terms.append((" ".join(words), english, page.group(1)))
    return terms


def page_title(page):
    m = re.search(r'<div class="title">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip() if m else ""


def section_of(page, term):
    """(anchor of the last heading before the first place the page's text writes the
    term or None, whether it writes it at all)."""
    body = page.split('<div class="contents">', 1)[-1]
    text_only = TAG.sub(lambda m: "\0" * len(m.group(0)), body)  # same offsets, no tags
    at = text_only.find(term)
    if at < 0:
        return None, False
    found = HEADING_ANCHOR.findall(body[:at])
    return (found[-1] if found else None), True


def id_of(name):
    """The id Doxygen's search.js compares a typed prefix with (its convertToId)."""
    return "".join(c if re.match(r"[a-z0-9\u0080-\uffff]", c) else f"_{ord(c):02x}" for c in name.lower())


class SearchIndex:
    """Doxygen's (1.9.4) search data in html/search: searchdata.js lists, per kind of
    result, the first characters that have results, and <kind>_<i>.js holds the results
    whose name starts with the i-th of them (<kind>_<i>.html shows them)."""

    def __init__(self, folder):
        self.folder, self.added = folder, 0
        self.data_js = read(os.path.join(folder, "searchdata.js"))
        chars, rest = self.data_js.split("indexSectionNames", 1)
        names = rest.split("indexSectionLabels", 1)[0]
        self.kinds = {name: key for key, name in re.findall(r'(\d+):\s*"(\w+)"', names)}
        self.chars = dict(re.findall(r'(\d+):\s*"([^"]*)"', chars))

    def add(self, kind, name, results):
        """One result `name` opening the pages [(url from the search folder, page title)]."""
        key = self.kinds[kind]
        first = re.sub(r"<[^>]+>", "", name)[0].lower()  # the name may carry markup
        if first not in self.chars.get(key, ""):
            self.chars[key] = self.chars.get(key, "") + first
        i = self.chars[key].index(first)
        js = os.path.join(self.folder, f"{kind}_{i:x}.js")
        self.added += 1  # keeps each result's element id unique
        entry = json.dumps([f"{id_of(re.sub(r'<[^>]+>', '', name))}_wb{self.added}", [name] + [[url, 1, scope] for url, scope in results]],
                           ensure_ascii=False)
        if os.path.exists(js):
            text = read(js).rstrip()
            if not text.endswith("];"):
                sys.exit(f"editions: unexpected search data in {js} (another Doxygen version?)")
            text = text[:-2].rstrip() + ",\n  " + entry + "\n];\n"
        else:
            text = "var searchData=\n[\n  " + entry + "\n];\n"
            frame = read(os.path.join(self.folder, f"{kind}_0.html"))
            write(os.path.join(self.folder, f"{kind}_{i:x}.html"), frame.replace(f"{kind}_0.js", f"{kind}_{i:x}.js"))
        write(js, text)

    def save(self):
        chars, rest = self.data_js.split("indexSectionNames", 1)
        for key, value in self.chars.items():
            chars = re.sub(rf'(\b{key}:\s*)"[^"]*"', lambda m: m.group(1) + json.dumps(value, ensure_ascii=False),
                           chars, count=1)
        write(os.path.join(self.folder, "searchdata.js"), chars + "indexSectionNames" + rest)


TARGET = re.compile(r"\['([^']*)',1,'[^']*'\]")


def prune_dead_results(folder):
    """Drops the results of a search folder that open no page. The Chinese run lists its
    own Markdown files (mainpage.md) as files, with pages it does not write."""
    dropped = 0
    for name in os.listdir(folder):
        if not name.endswith(".js") or name in ("search.js", "searchdata.js"):
            continue
        path = os.path.join(folder, name)
        kept = []
        for line in read(path).splitlines():
            targets = TARGET.findall(line)
            dead = [t for t in targets if not os.path.exists(os.path.join(folder, t.split("#")[0]))]
            if not dead:
                kept.append(line)
                continue
            dropped += len(dead)
            if len(dead) < len(targets):
                for t in dead:
                    line = re.sub(r",\['" + re.escape(t) + r"',1,'[^']*'\]", "", line, count=1)
                kept.append(line)
        text = "\n".join(kept) + "\n"
        write(path, re.sub(r",(\s*\];)", r"\1", text))  # the last entry has no comma after it
    return dropped


def add_terms(folder, terms):
    """Each (name, results) into the search of the edition in folder (under "All", the
    search box's default)."""
    index = SearchIndex(os.path.join(folder, "search"))
    for name, results in terms:
        index.add("all", name, results)
    index.save()
    return len(terms)


def topic_terms(folder):
    """The formula index's topics (formula_index.py: "Kernel and bias gradients", …) for
    the search box: typing "kernel gradient" opens that part of the index."""
    path = os.path.join(folder, "formulas.html")
    if not os.path.exists(path):
        return []
    page = read(path)
    terms = []
    for anchor, title in re.findall(r'<h[234]><a class="anchor" id="(formulas_topic_\w+)"></a>\s*(.*?)</h[234]>', page, re.S):
        title = html.unescape(re.sub(r"<[^>]+>", "", title)).strip()
        terms.append((html.escape(title), [(f"../formulas.html#{anchor}", page_title(page))]))
    return terms


def search_terms(root, texts, pairs, problems):
    """The glossary's terms for each edition's search: (name, [(url, title)]). A term
    opens the page where the glossary says it first matters, at the section that
    introduces it, then each page whose Chinese title names it (步长: chapter 03, "步长与
    插零"), then the glossary."""
    titles = {n: (page_title(en), page_title(zh)) for n, (en, zh) in texts.items()}
    en_terms, zh_terms = [], []
    for term, english, label in glossary_terms(GLOSSARY):
        first = f"{label}.html"
        if not os.path.exists(os.path.join(root, first)):
            problems.append(f"glossary: 「{term}」 first matters in {label}, which is no page")
            continue
        en = texts[first][0] if first in texts else read(os.path.join(root, first))
        en_section, in_en = section_of(en, term)
        named = [n for n in sorted(titles) if n != first and term in titles[n][1]]
        en_terms.append((f'<span lang="zh-CN">{term}</span> ({html.escape(english)})',
                         [(f"../{first}" + (f"#{en_section}" if en_section else ""), page_title(en))]
                         + [(f"../{n}", titles[n][0]) for n in named]
                         + [("../glossary.html", page_title(read(os.path.join(root, "glossary.html"))))]))
        if "glossary.html" not in texts:
            continue
        if first not in texts:  # no Chinese twin yet: the English page
            zh_terms.append((term, [(f"../../{first}" + (f"#{en_section}" if en_section else ""), page_title(en)),
                                    ("../glossary.html", titles["glossary.html"][1])]))
            continue
        zh = texts[first][1]
        zh_section, in_zh = section_of(zh, term)
        if not in_zh:
            problems.append(f"zh/{first}: the glossary says 「{term}」 first matters here; the page never writes it")
        if in_en and en_section:  # the section that introduces it in English
            zh_section = dict(pairs[first]).get(en_section, zh_section)
        zh_terms.append((term, [(f"../{first}" + (f"#{zh_section}" if zh_section else ""), titles[first][1])]
                         + [(f"../{n}", titles[n][1]) for n in named]
                         + [("../glossary.html", titles["glossary.html"][1])]))
    return en_terms, zh_terms


# ---- before the Chinese run: what its links may reach --------------------------------------

def tag_for_chinese(tag_in, tag_out, zh_docs):
    """The English run's tag file for the Chinese run: its code (one copy, in English; not
    the Markdown files, which Doxygen lists as files too),
    and its pages without a Chinese twin (a link to one opens the English page); the
    twins are left out, so that a Chinese page's \\ref reaches the Chinese twin (the
    twins the build generates, such as the formula index, lie beside tag_out)."""
    labels = {"index"}
    for folder, files in [(f, n) for f, _, n in os.walk(zh_docs)] + [(os.path.dirname(tag_out) or ".",
                                                                     os.listdir(os.path.dirname(tag_out) or "."))]:
        for f in files:
            if f.endswith(".md"):
                with open(os.path.join(folder, f), encoding="utf-8") as md:
                    label = LABEL.search(md.readline())
                if label:
                    labels.add(label.group(1))
    tag = read(tag_in)
    tag = re.sub(r'  <compound kind="file">\s*<name>[^<]+\.md</name>.*?</compound>\n', "", tag, flags=re.S)
    kept = re.sub(r'  <compound kind="page">\s*<name>([^<]+)</name>.*?</compound>\n',
                  lambda m: "" if m.group(1) in labels else m.group(0), tag, flags=re.S)
    write(tag_out, kept)


# ---- the whole -----------------------------------------------------------------------------

def english_only(root):
    for name in pages(root):
        path = os.path.join(root, name)
        page = read(path)
        if not DONE.search(page):
            write(path, mark_chinese(declare_language(page, "en")))


def join(root):
    """Joins html/ and html/zh/; returns the problems found (a page without its twin, two
    twins with different sections, a glossary term its Chinese page never writes)."""
    zh_root = os.path.join(root, "zh")
    if not os.path.isfile(os.path.join(zh_root, "index.html")):
        sys.exit(f"editions: no Chinese edition in {zh_root}")
    if DONE.search(read(os.path.join(root, "index.html"))):
        print("editions: already joined")
        return []
    problems = []
    shutil.copy(SWITCH_JS, os.path.join(root, "editions.js"))
    # The Chinese run's directory pages (docs/zh/…) say nothing, and nothing links to them.
    for name in os.listdir(zh_root):
        if name.startswith("dir_") and name.endswith(".html"):
            os.remove(os.path.join(zh_root, name))
    zh_pages = {n for n in pages(zh_root) if not n.startswith("search/")}
    en_pages = [n for n in pages(root) if not n.startswith(("zh/", "search/"))]
    texts = {n: (read(os.path.join(root, n)), read(os.path.join(zh_root, n))) for n in en_pages if n in zh_pages}
    pairs = {}
    for name, (en, zh) in texts.items():
        a, b = heading_anchors(en), heading_anchors(zh)
        if len(a) != len(b):
            problems.append(f"{name}: {len(a)} sections in English, {len(b)} in Chinese")
        pairs[name] = list(zip(a, b))
    problems += [f"zh/{n}: a Chinese page without an English twin" for n in sorted(zh_pages - set(texts))]

    en_terms, zh_terms = search_terms(root, texts, pairs, problems)
    prune_dead_results(os.path.join(zh_root, "search"))
    added = add_terms(root, en_terms + topic_terms(root)) + add_terms(zh_root, zh_terms + topic_terms(zh_root))

    for name in pages(root):
        path = os.path.join(root, name)
        page = read(path)
        if name.startswith("zh/"):
            own = name[3:]
            page = join_chinese_lines(declare_language(page, "zh-CN"))
            page = LIVE_SCRIPT.sub(r'\1../live/', page)  # one copy of the panels, beside the English pages
            if own in texts:
                page = add_switch(page, "../" + own, "English", "en", "The English edition of this page",
                                  [(b, a) for a, b in pairs[own]], "../editions.js")
        else:
            page = mark_chinese(declare_language(page, "en"))
            up = "../" * name.count("/")
            if name in texts:
                page = add_switch(page, "zh/" + name, "中文", "zh-CN", "这一页的中文版", pairs[name], "editions.js")
            elif not name.startswith("search/"):  # a code page: one copy, in English
                page = add_switch(page, up + "zh/index.html", "中文", "zh-CN", "中文版首页（代码参考只有英文版）",
                                  [], up + "editions.js")
        write(path, page)
    print(f"editions: {len(texts)} page pairs joined by the switch, {added} Chinese search terms")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", help="the English edition (build/docs/html), the Chinese one in its zh/")
    parser.add_argument("--english-only", action="store_true",
                        help="no Chinese edition: only declare the language and mark the Chinese")
    parser.add_argument("--tag-for-chinese", nargs=2, metavar=("IN", "OUT"),
                        help="before the Chinese run: the English tag file without the pages that "
                             "have a twin in docs/zh (the html argument is then that folder)")
    args = parser.parse_args()
    if args.tag_for_chinese:
        tag_for_chinese(*args.tag_for_chinese, args.html)
        return 0
    if args.english_only:
        english_only(args.html)
        return 0
    problems = join(args.html)
    for p in problems:
        print(f"editions: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
