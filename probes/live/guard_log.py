"""The thermal guard's log: every action as one JSON line in ``<data dir>/monitor/guard-events.jsonl``.

Written by :class:`probes.live.monitor.GuardLoop` whoever drives it (``monitor --guard`` and the
Monitor page alike), so a step down at night can be read in the morning. A line is
``GuardEvent.to_json()``: ``{"type": "guard", "t", "gpu", "event", "reason", "temperature_c",
"from_w", "to_w"}``. Appending is best effort: a full disk or a read-only folder must never stop
the guard, so :meth:`GuardLog.append` reports failure by returning False instead of raising.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from probes.live.guard import GuardEvent

FILE_NAME = "guard-events.jsonl"


def default_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / "monitor" / FILE_NAME


class GuardLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def append(self, events: Iterable[GuardEvent]) -> bool:
        """Append the events (GuardEvents); True when written (or nothing to write)."""
        lines = [json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in events]
        if not lines:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.writelines(lines)
        except OSError:
            return False
        return True

    def read(self) -> list[dict]:
        """The logged events, oldest first; a damaged line is skipped."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        out = []
        for line in text.splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                out.append(value)
        return out
