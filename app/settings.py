"""The user's preferences between runs (language, Monitor page: window, thermal guard, CSV log).

One JSON file, ``<data dir>/settings.json``, Qt-free. Writes are atomic (a temporary file in the
same folder, then ``os.replace``) so a crash never leaves half a file; a damaged or foreign file is
moved aside as ``settings.json.damaged-<time>`` (never deleted) and the defaults are used.
Reading never raises; a failed write is reported to the caller as ``False``.
"""

from __future__ import annotations

import json
from pathlib import Path

from probes.core import jsonfile

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
        jsonfile.move_aside(p)
        return {}


def save(data_dir, settings: dict) -> bool:
    try:
        jsonfile.write_atomic(path(data_dir), settings, sort_keys=True)
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
