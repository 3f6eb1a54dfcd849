"""Preallocated ring buffers for live plots (docs/ARCHITECTURE.md, GUI conventions), Qt-free.

Each series is stored twice (index ``i`` and ``i + capacity``) so the newest ``capacity`` values
are always one contiguous slice: ``view()`` returns numpy views, no copy, no ``np.roll`` per frame.
None becomes NaN (plotted with ``connect="finite"`` as a gap).
"""

from __future__ import annotations

import math

import numpy as np

from probes.live.telemetry.base import SAMPLE_FIELDS, Sample


class SampleRing:
    def __init__(self, capacity: int, fields=SAMPLE_FIELDS):
        self.capacity = int(capacity)
        self.fields = tuple(fields)
        self.t = np.full(2 * self.capacity, np.nan, dtype=np.float64)
        # float32 halves the memory of a day of data; byte counts keep float64 so exports are exact
        self.values = {
            f: np.full(2 * self.capacity, np.nan, dtype=np.float64 if f.endswith("_bytes") else np.float32)
            for f in self.fields
        }
        self.count = 0
        self.last: Sample | None = None

    def append(self, s: Sample) -> None:
        i = self.count % self.capacity
        j = i + self.capacity
        self.t[i] = self.t[j] = s.t
        for f in self.fields:
            v = getattr(s, f)
            x = math.nan if v is None else float(v)
            arr = self.values[f]
            arr[i] = arr[j] = x
        self.count += 1
        self.last = s

    def __len__(self) -> int:
        return min(self.count, self.capacity)

    def _span(self) -> tuple[int, int]:
        if self.count <= self.capacity:
            return 0, self.count
        start = self.count % self.capacity
        return start, start + self.capacity

    def view(self, field: str | None = None) -> np.ndarray:
        a, b = self._span()
        return (self.t if field is None else self.values[field])[a:b]

    def window(self, since: float) -> tuple[int, int]:
        """Index range (into the views) of the samples with ``t >= since``."""
        t = self.view()
        return int(np.searchsorted(t, since, side="left")), len(t)

    def samples(self, gpu: int):
        """The buffered samples back as Sample objects (for CSV export)."""
        t = self.view()
        cols = {f: self.view(f) for f in self.fields}
        for k in range(len(t)):
            kw = {}
            for f in self.fields:
                x = float(cols[f][k])
                if math.isnan(x):
                    kw[f] = None
                elif f.endswith("_bytes"):
                    kw[f] = int(x)
                else:
                    kw[f] = x
            yield Sample(t=float(t[k]), gpu=gpu, **kw)
