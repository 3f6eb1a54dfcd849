"""CSV logs of telemetry samples: the continuous log (one file per day) and a one-off export.

Used by ``monitor --csv FILE`` and by the Monitor page (its "Log to CSV" box writes beside
:func:`default_base`, its "Export CSV…" button calls :func:`write_csv`). One row per sample:
``time`` (local ISO time), ``t`` (epoch seconds), ``gpu``, every ``Sample`` field (a missing value
is an empty cell, never 0), ``state`` and ``source``.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from probes.core.errors import RigPilotError
from probes.core.i18n import Text
from probes.live.telemetry.base import SAMPLE_FIELDS, Sample

CTX = "monitor"
CSV_COLUMNS = ("time", "t", "gpu") + SAMPLE_FIELDS + ("state", "source")


def default_base(data_dir: str | Path) -> Path:
    """The Monitor page's log: ``<data dir>/monitor/monitor-YYYY-MM-DD.csv`` beside this name."""
    return Path(data_dir) / "monitor" / "monitor.csv"


def local_date(t: float) -> _dt.date:
    return _dt.datetime.fromtimestamp(t).date()


def csv_row(sample: Sample) -> list:
    stamp = _dt.datetime.fromtimestamp(sample.t).isoformat(timespec="seconds")
    row: list = [stamp, f"{sample.t:.3f}", sample.gpu]
    row += ["" if getattr(sample, f) is None else getattr(sample, f) for f in SAMPLE_FIELDS]
    row += [sample.state, sample.source or ""]
    return row


class CsvLog:
    """``base.csv`` → ``base-YYYY-MM-DD.csv`` per day (of the sample's time); header, flush per row.

    The day of a sample is ``date_of(sample.t)`` (default: the local date). An existing file of the
    same day is appended to (never truncated); the header is written only into an empty file.
    """

    def __init__(self, path: str | Path, *, date_of: Callable[[float], _dt.date] = local_date) -> None:
        self.base = Path(path)
        self.date_of = date_of
        self._fh: IO[str] | None = None
        self._writer: Any = None  # a csv writer (its type is private to the csv module)
        self._date: _dt.date | None = None
        self.paths: list[Path] = []

    def path_for(self, day: _dt.date) -> Path:
        suffix = self.base.suffix or ".csv"
        return self.base.with_name(f"{self.base.stem}-{day.isoformat()}{suffix}")

    def _open(self, day: _dt.date) -> None:
        self.close()
        path = self.path_for(day)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a", newline="", encoding="utf-8")
        except OSError as exc:
            raise RigPilotError(
                "monitor-csv-unwritable",
                Text(
                    CTX,
                    "Cannot write the CSV log {path}: {detail}",
                    path=str(path),
                    detail=exc.strerror or str(exc),
                ),
                Text(CTX, "Choose a file in a folder you can write to."),
            ) from None
        self._fh = fh
        self._writer = csv.writer(fh)
        self._date = day
        if fh.tell() == 0:
            self._writer.writerow(CSV_COLUMNS)
            fh.flush()
        self.paths.append(path)

    def write(self, sample: Sample) -> None:
        day = self.date_of(sample.t)
        if day != self._date:
            self._open(day)
        assert self._fh is not None  # opened above
        self._writer.writerow(csv_row(sample))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
        self._fh = self._writer = None
        self._date = None


def write_csv(path: str | Path, samples: Iterable[Sample]) -> int:
    """Export samples into one CSV file (GUI "Export CSV"); returns the number of rows."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for s in samples:
            w.writerow(csv_row(s))
            n += 1
    return n
