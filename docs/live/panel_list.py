#!/usr/bin/python3
"""The docs' list of live panels, made from the one table (docs/live/registry.hpp): reads
`live_cli --panels` (JSON) on stdin and writes a Markdown table that docs/live_panels.md
includes (\\includedoc), so the list on the "Live panels" page cannot drift from the code.

    build/live_cli --panels | docs/live/panel_list.py > build/docs/live_panel_list.md
    build/live_cli --panels | docs/live/panel_list.py --zh > …   the Chinese edition's (its header)
"""
import json
import sys

table = json.load(sys.stdin)
if sys.argv[1:] == ["--zh"]:
    print("| 面板 | 所在页面 | 作答的函数 | 用到的函数 |")
else:
    print("| panel | on the page | answered by | computes with |")
print("|---|---|---|---|")
for p in table:
    print(f"| `{p['name']}` | \\ref {p['page']} | `{p['function']}` | {p['computes']} |")
