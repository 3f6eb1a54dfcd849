"""The smoke-test history: every finished run, kept in ``<data dir>/smoke_history.json`` so runs
can be compared across drivers, interpreters and settings.

Qt-free and shared: ``python main.py smoke`` and the Verify page both append to it, and
``smoke --history`` lists it. The file is a JSON list of run records (the newest last, at most
:data:`LIMIT`), written atomically (a temporary file next to it, then ``os.replace``). A damaged
file is moved aside as ``smoke_history.json.damaged-<time>``, never deleted, and a new history
starts.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from probes.core import jsonfile
from probes.core.paths import default_data_dir

FILE = "smoke_history.json"
LIMIT = 200  # records kept; older ones are dropped when a run is appended
SCHEMA = "rigpilot.smoke-history/1"  # what ``smoke --history --json`` prints
# the fields of a rigpilot.smoke/1 result that a record keeps
RESULT_KEYS = (
    "python",
    "torch",
    "device",
    "device_name",
    "dtype",
    "verdict",
    "codes",
    "steps",
    "resolution",
    "steps_per_s",
    "dequant_gbps",
    "peak_memory_bytes",
    "psnr_db_vs_cpu",
    "max_abs_error_vs_cpu",
    "image",
    "total_s",
)


def default_path(data_dir: str | os.PathLike | None = None) -> Path:
    """``<data dir>/smoke_history.json`` (the default data folder when ``data_dir`` is None)."""
    return Path(data_dir if data_dir is not None else default_data_dir()) / FILE


def read(path: Path) -> tuple[list[dict], Path | None]:
    """The recorded runs and, when the file was damaged, where it was moved aside (else None)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], None
    except (OSError, ValueError):
        return [], jsonfile.move_aside(path)
    return ([r for r in data if isinstance(r, dict)] if isinstance(data, list) else []), None


def load(path: Path) -> list[dict]:
    """Earlier runs; a damaged file is kept aside (never deleted) and an empty history returned."""
    return read(path)[0]


def save(path: Path, runs: list[dict]) -> None:
    """Write the newest :data:`LIMIT` runs atomically. Raises OSError."""
    jsonfile.write_atomic(path, runs[-LIMIT:])


def record(result: dict, requested: dict | None = None, when: str | None = None) -> dict:
    """The history record of a ``rigpilot.smoke/1`` result; ``requested``: what the user asked for
    (python, device, dtype, steps, resolution), kept beside what the run used."""
    requested = dict(requested or {})
    entry: dict[str, Any] = {"when": when or time.strftime("%Y-%m-%d %H:%M:%S")}
    entry.update({k: result.get(k) for k in RESULT_KEYS})
    entry["device"] = entry["device"] or requested.get("device")
    entry["requested"] = requested
    return entry


def append(path: Path, entry: dict) -> list[dict]:
    """Add ``entry`` to the history on disk (read again first, so runs recorded meanwhile by the
    other interface are kept) and return the runs now stored. Raises OSError."""
    runs = load(path) + [entry]
    save(path, runs)
    return runs[-LIMIT:]
