#!/usr/bin/env python3
"""Independent count of the grey levels of chapter 10's 80×80 sample picture, and the
loss at w = 0 as an exact fraction.

Parses the disc table of ../shared/notes/INDEX.md ("Extra facts for chapter 17.3.7"),
copied verbatim below, with plain Python (no code shared with the C++ chapter), and prints
how many pixels have each grey level. tests/chapters/test_10_edge_kernel_fit.cpp asserts
the numbers this prints:

    python3 tests/chapters/10_picture_counts.py
"""
TABLE = """
5:35–44  6:30–49  7:27–52  8:25–54  9:23–56  10:22–58  11:20–59  12:19–60  13:18–61
14:16–63  15:15–64  16–17:14–65  18:13–66  19:12–67  20–21:11–68  22:10–69  23–24:9–70
25–26:8–71  27–29:7–72  30:6–72  31–34:6–73  35–44:5–74  45–49:6–73  50–52:7–72
53–54:8–71  55–56:9–70  57–58:10–69  59:11–68  60:12–67  61:13–66  62–63:14–65  64:15–64
65:16–63  66:18–61  67:19–60  68:20–59  69:22–58  70:23–56  71:25–54  72:27–52  73:31–49
74:35–44
"""


def span(text):
    a, _, b = text.partition("–")
    return int(a), int(b or a)


def level(row, col):
    """White top-left and bottom-right, red (grey 54) top-right, green (131) bottom-left."""
    top, left = row < 40, col < 40
    if top == left:
        return 255
    return 54 if top else 131


counts = {0: 0, 54: 0, 131: 0, 255: 0}
disc = set()
for item in TABLE.split():
    rows, cols = item.split(":")
    r0, r1 = span(rows)
    c0, c1 = span(cols)
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            disc.add((r, c))
for r in range(80):
    for c in range(80):
        counts[level(r, c) if (r, c) in disc else 0] += 1
print("disc pixels:", len(disc))
for g in sorted(counts):
    print(f"grey {g:3d}: {counts[g]} pixels")
print("total:", sum(counts.values()))

# The target y = x ⋆ w_true with w_true = [[0,-1,0],[0,2,0],[0,-1,0]], in grey levels
# (whole numbers), and the loss at w = 0: Σy²/(2m) with y in levels/255.
grey = [[(level(r, c) if (r, c) in disc else 0) for c in range(80)] for r in range(80)]
S = sum((2 * grey[i + 1][j + 1] - grey[i][j + 1] - grey[i + 2][j + 1]) ** 2
        for i in range(78) for j in range(78))
m = 78 * 78
print(f"sum of (255·y)^2: {S}; loss at w = 0 = {S} / (255^2 · 2 · {m}) = {S / (255 ** 2 * 2 * m)!r}")
