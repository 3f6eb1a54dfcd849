"""JSON files RigPilot keeps between runs (settings, smoke-test history): written atomically, and a
damaged one moved aside, never deleted or overwritten."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: Any, *, sort_keys: bool = False) -> None:
    """Write ``data`` as JSON through a temporary file in the same folder and ``os.replace``, so a
    crash never leaves half a file. Raises OSError (the temporary file is removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=sort_keys)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def aside_name(path: Path, now: float | None = None) -> Path:
    """``<name>.damaged-<YYYYmmdd-HHMMSS>``, numbered when that exists already: an earlier damaged
    file is kept too."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    return aside


def move_aside(path: Path) -> Path | None:
    """Move a damaged file out of the way; where it went, or None when it could not be moved."""
    aside = aside_name(path)
    try:
        path.replace(aside)
    except OSError:
        return None
    return aside
