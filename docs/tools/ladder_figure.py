#!/usr/bin/python3
"""Draws the speed ladder of the chapter 11 fast page as a bar chart, from the page's own
table of measurements (so the picture cannot disagree with the numbers beside it).

    docs/tools/ladder_figure.py docs/chapters/11_lenet_fast.md OUT.svg

The table is the one whose header starts "| rung | threads | images/s |".
"""
import html
import re
import sys


def rows(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("| rung | threads | images/s |")), None)
    if start is None:
        sys.exit(f"ladder_figure: {path} has no '| rung | threads | images/s |' table")
    out = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        out.append((cells[0], int(cells[1]), int(cells[2].replace("*", "").replace(",", ""))))
    return out


def svg(data):
    bar_h, gap, left, right, top = 22, 8, 300, 90, 34
    width = 900
    height = top + len(data) * (bar_h + gap) + 30
    most = max(v for _, _, v in data)
    scale = (width - left - right) / most
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Verdana, sans-serif">',
         '<rect width="100%" height="100%" fill="#ffffff"/>',
         f'<text x="{width / 2}" y="20" font-size="15" text-anchor="middle" fill="#1f2328">'
         'LeNet-5 training, images per second (batch 64, the measured table above)</text>']
    for k, (rung, threads, value) in enumerate(data):
        y = top + k * (bar_h + gap)
        colour = "#9aa5b1" if rung.startswith("1") else "#74a9cf" if rung.startswith("2") else "#2166ac"
        label = f"{rung}, {threads} thread{'s' if threads > 1 else ''}"
        s.append(f'<text x="{left - 8}" y="{y + bar_h / 2}" font-size="12" text-anchor="end" '
                 f'dominant-baseline="central" fill="#1f2328">{html.escape(label)}</text>')
        s.append(f'<rect x="{left}" y="{y}" width="{max(1.0, value * scale):.1f}" height="{bar_h}" fill="{colour}"/>')
        s.append(f'<text x="{left + value * scale + 6:.1f}" y="{y + bar_h / 2}" font-size="12" '
                 f'dominant-baseline="central" fill="#1f2328">{value:,}</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = rows(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(svg(data))
    print(f"ladder_figure: {len(data)} rungs drawn")


if __name__ == "__main__":
    main()
