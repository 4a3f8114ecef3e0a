#!/usr/bin/python3
"""Writes the page "Every formula → code → test" from the chapters' own tables.

    docs/tools/formula_index.py OUT.md docs/chapters/*.md
    docs/tools/formula_index.py --zh OUT.md docs/chapters/*.md   the Chinese edition's page

Each chapter page has a section "## Formula → code → test" holding a table
| formula | in the notes | code | test |. This page gathers every row, ordered by note
(000 … 004, then the workbook's own additions) and adds the chapter, so the index can
never disagree with the chapters; then the same rows again by topic (TOPICS: convolution
forward, δ, kernel gradient, pooling, …), so a reader who knows what, not where, finds it.

With --zh the rows come from each chapter's Chinese twin (docs/zh/chapters/…, whose table
parity.py holds to the English one), or from the English page while it has none; the page's
own words are Chinese, and the two pages are compared like any twins (parity.py --pair).
"""
import os
import re
import sys

HEADING = "## Formula → code → test"
SECTION = re.compile(r"^#+ .*(?:Formula → code → test|\{#formulas_ch\d\d\}).*$", re.M)
PAGE = {
    "en": ("Every formula → code → test {#formulas}\n"
           "===========================\n\n"
           "Every formula of the five notes the workbook computes, ordered by note: where it is,\n"
           "the function that computes it (a click opens its documentation and source), the\n"
           "test that checks it (under `tests/`), and the chapter that derives it. Gathered\n"
           "from the chapters' own tables by `docs/tools/formula_index.py`.\n\n"
           "| formula | in the notes | code | test | chapter |\n|---|---|---|---|---|\n"),
    "zh": ("全书公式 → 代码 → 测试 {#formulas}\n"
           "===========================\n\n"
           "练习册算到的五篇笔记中的每一个公式，按笔记排序：它在笔记中的位置、计算它的函数（点击可打开它的文档和\n"
           "源代码）、检验它的测试（在 `tests/` 下）以及推导它的章节。由 `docs/tools/formula_index.py` 从各章自己的\n"
           "表格汇集而成；还没有中文版的章节，其行暂用英文。\n\n"
           "| 公式 | 笔记中的位置 | 代码 | 测试 | 章节 |\n|---|---|---|---|---|\n"),
}


# The topics, in the order a network is built: (id, English, Chinese, the chapters whose
# rows it takes). A row goes to its chapter's topic, unless its code names a function of
# another topic (OVERRIDES: e.g. chapter 10's kernel gradient).
TOPICS = [
    ("forward", "Convolution forward", "卷积的正向传播", ["01"]),
    ("delta", "δ: the error term passed back", "δ：传回的误差项", ["02", "03", "04"]),
    ("kernel_gradient", "Kernel gradient (and the bias gradient)", "卷积核的梯度（及偏置的梯度）", ["05"]),
    ("pooling", "Pooling", "池化", ["06"]),
    ("dense", "Dense layers (matrix form)", "全连接层（矩阵形式）", ["07"]),
    ("activations", "Activation functions", "激活函数", ["08"]),
    ("softmax", "Softmax and cross-entropy", "softmax 与交叉熵", ["09"]),
    ("training", "Training: gradient descent and LeNet-5", "训练：梯度下降与 LeNet-5", ["10", "11"]),
]
OVERRIDES = [("kernel_gradient", ("kernel_gradient", "grad_w", "grad_b")), ("pooling", ("pool",)),
             ("softmax", ("softmax", "cross_entropy"))]
BY = {"en": ("By note {#formulas_by_note}", "By topic {#formulas_by_topic}",
             "The same rows, gathered by what they compute:"),
      "zh": ("按笔记 {#formulas_by_note}", "按主题 {#formulas_by_topic}", "同样的各行，按所算的内容归类：")}


def topic_of(row):
    code = row[2].lower()
    for topic, words in OVERRIDES:
        if any(w in code for w in words):
            return topic
    chapter = re.search(r"ch(\d\d)_", row[4]).group(1)
    return next(t[0] for t in TOPICS if chapter in t[3])


def chinese_twin(path):
    """docs/chapters/X.md → docs/zh/chapters/X.md if that exists, else the English page."""
    twin = os.path.join(os.path.dirname(os.path.dirname(path)), "zh", "chapters", os.path.basename(path))
    return twin if os.path.exists(twin) else path


def rows_of(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    label = re.search(r"\{#(ch\d\d_\w+)\}", text.splitlines()[0])
    heading = SECTION.search(text)
    if not label or not heading:
        sys.exit(f"formula_index: {path} has no page label or no '{HEADING}' section")
    section = text[heading.end():].split("\n## ", 1)[0]
    rows, header = [], True
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if not line.startswith("|") or set(line.strip()) <= set("|-"):
            header = header and not line.startswith("|")  # the separator ends the header
            continue
        if header:
            continue
        if len(cells) != 4:
            sys.exit(f"formula_index: {path}: a row without four cells: {line}")
        rows.append(cells + [f"\\ref {label.group(1)}"])
    if not rows:
        sys.exit(f"formula_index: the table of {path} is empty")
    return rows


def note_order(row):
    m = re.match(r"(\d{3})", row[1])
    return (m.group(1) if m else "999", row[4])


def main():
    args = sys.argv[1:]
    lang = "zh" if args[:1] == ["--zh"] else "en"
    args = args[1:] if lang == "zh" else args
    if len(args) < 2:
        sys.exit(__doc__)
    pages = [chinese_twin(p) if lang == "zh" else p for p in args[1:]]
    rows = sorted((r for path in pages for r in rows_of(path)), key=note_order)
    table_head = PAGE[lang][PAGE[lang].index("| "):]
    intro = PAGE[lang][:PAGE[lang].index("| ")]
    by_note, by_topic, topic_intro = BY[lang]
    with open(args[0], "w", encoding="utf-8") as out:
        out.write(intro + "## " + by_note + "\n\n" + table_head)
        for r in rows:
            out.write("| " + " | ".join(r) + " |\n")
        out.write("\n## " + by_topic + "\n\n" + topic_intro + "\n")
        for topic, en, zh, _ in TOPICS:
            mine = [r for r in rows if topic_of(r) == topic]
            if not mine:
                continue
            out.write(f"\n### {en if lang == 'en' else zh} {{#formulas_topic_{topic}}}\n\n" + table_head)
            for r in mine:
                out.write("| " + " | ".join(r) + " |\n")
    print(f"formula_index: {len(rows)} formulas from {len(pages)} chapters")


if __name__ == "__main__":
    main()
