"""RigPilot's version: the one number in pyproject.toml's ``[project] version``, read at import.

The same file is shipped beside the code in every distributable (the Windows setup program's
payload, the Linux bundle), so the window title, ``--version``, the reports and the artifact names
all show the same number (tools/build_dist.py names the artifacts with it).
"""

from __future__ import annotations

import re
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
UNKNOWN = "0+unknown"


def read_version(text: str) -> str | None:
    """The ``version`` string of the ``[project]`` table in pyproject.toml text (no tomllib needed:
    Python 3.10 has none); None when the table or the key is missing."""
    section = ""
    for line in text.splitlines():
        stripped = line.split("#", 1)[0].strip()
        if stripped.startswith("["):
            section = stripped
            continue
        if section == "[project]":
            m = re.fullmatch(r"version\s*=\s*([\"'])([^\"']+)\1", stripped)
            if m:
                return m.group(2)
    return None


def _load() -> str:
    try:
        return read_version(PYPROJECT.read_text(encoding="utf-8")) or UNKNOWN
    except (OSError, UnicodeDecodeError):
        return UNKNOWN


VERSION = _load()
