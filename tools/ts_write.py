#!/usr/bin/env python3
"""Write/merge a Qt Linguist .ts file from a Python dict (used by maintainers, not at run time).

    python3 tools/ts_write.py assets/i18n/core_zh_CN.ts entries.json
entries.json: {"context": {"English source": "中文"}}; existing entries are kept unless replaced.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def write_ts(path: Path, entries: dict[str, dict[str, str]], language: str = "zh_CN") -> None:
    merged: dict[str, dict[str, str]] = {}
    if path.exists():
        for ctx in ET.parse(path).getroot().iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                merged.setdefault(name, {})[msg.findtext("source") or ""] = msg.findtext("translation") or ""
    for ctx, msgs in entries.items():
        merged.setdefault(ctx, {}).update(msgs)
    root = ET.Element("TS", version="2.1", language=language)
    for ctx in sorted(merged):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = ctx
        for src in sorted(merged[ctx]):
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "source").text = src
            ET.SubElement(m, "translation").text = merged[ctx][src]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_ts(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
