"""The installs RigPilot made, kept in the data folder (``installs.json``) so that the Launch and Verify
pages, and ``installs list``, offer them without typing a path. The install folder's own state file
(``installers.state``) stays the authority; a record whose folder is gone is shown as missing, never
silently dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from probes.core import jsonfile

FILE = "installs.json"
SCHEMA = "rigpilot.installs/1"


def path(data_dir: Path | str) -> Path:
    return Path(data_dir) / FILE


def load(data_dir: Path | str) -> list[dict]:
    p = path(data_dir)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        jsonfile.move_aside(p)
        return []
    items = data.get("installs") if isinstance(data, dict) else None
    return [x for x in items or [] if isinstance(x, dict) and x.get("dir")]


def add(data_dir: Path | str, record: dict) -> None:
    """Add or replace (same folder) a record; the newest first."""
    items = [x for x in load(data_dir) if x.get("dir") != record["dir"]]
    jsonfile.write_atomic(path(data_dir), {"schema": SCHEMA, "installs": [record, *items]})


def from_result(result: Any, job: Any) -> dict:
    return {
        "dir": result.dir,
        "app": job.app.id,
        "profile": job.selection.id,
        "env": result.env,
        "python": result.python,
        "app_dir": result.app_dir,
        "script": result.script,
        "lock": result.lock,
        "torch": result.torch,
        "installed": _now(),
        "status": result.status,
    }


def _now() -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def refresh(data_dir: Path | str) -> list[dict]:
    """The records, each checked against its folder: ``present`` (the state file is there) and the state's
    current environment (after a rollback or repair the record follows the folder)."""
    from installers import state

    out = []
    for rec in load(data_dir):
        item = dict(rec)
        try:
            st = state.read_state(Path(rec["dir"]))
        except Exception:  # a damaged state file: shown as such
            st = None
            item["damaged"] = True
        item["present"] = st is not None
        cur = (st or {}).get("current") or {}
        for key in ("env", "python", "profile", "torch", "script", "app_dir"):
            if cur.get(key):
                item[key] = cur[key]
        item["previous"] = ((st or {}).get("previous") or {}).get("env_id")
        out.append(item)
    return out
