"""The user's preferences between runs (language, Monitor page: window, thermal guard, CSV log).

One JSON file, ``<data dir>/settings.json``, Qt-free. Writes are atomic (a temporary file in the
same folder, then ``os.replace``) so a crash never leaves half a file; a damaged or foreign file is
moved aside as ``settings.json.damaged-<time>`` (never deleted) and the defaults are used.
Reading never raises; a failed write is reported to the caller as ``False``.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

FILE = "settings.json"


def path(data_dir) -> Path:
    return Path(data_dir) / FILE


def load(data_dir) -> dict:
    p = path(data_dir)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError:
        return {}
    try:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value
    except ValueError:
        try:
            p.replace(p.with_name(f"{FILE}.damaged-{time.strftime('%Y%m%d-%H%M%S')}"))
        except OSError:
            pass
        return {}


def save(data_dir, settings: dict) -> bool:
    p = path(data_dir)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=p.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(settings, fh, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def update(data_dir, section: str, values: dict) -> bool:
    """Merge ``values`` into ``section`` of the stored settings and write them back."""
    current = load(data_dir)
    stored = current.get(section)
    merged = {**stored, **values} if isinstance(stored, dict) else dict(values)
    current[section] = merged
    return save(data_dir, current)
