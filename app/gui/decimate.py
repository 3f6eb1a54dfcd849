"""Incremental peak (min/max) decimation of a :class:`SampleRing` for long plot windows, Qt-free.

A day of 1 Hz samples is 86 400 points per series; a plot 1 100 px wide shows a min/max pair per
two pixel columns. Bins are aligned to the ring's *global* sample index (sample ``g`` belongs to
bin ``g // k``), so a complete bin never changes: each update reduces only the bins completed since
the previous one and keeps the older ones, instead of reducing the whole window again every time a
pixel column of time has passed. Samples after the last complete bin are passed through raw.

NaN (a missing value) is ignored inside a bin; a bin with no value at all stays NaN (a gap).
"""

from __future__ import annotations

import numpy as np

from app.gui.ringbuffer import SampleRing


def bin_size(n: int, pairs: int) -> int:
    """Samples per bin so that ``n`` samples give at most ~``pairs`` min/max pairs (1: no binning)."""
    return max(1, n // max(1, pairs))


class PeakDecimator:
    def __init__(self, ring: SampleRing, fields):
        self.ring = ring
        self.fields = tuple(fields)
        self.reset()

    def reset(self) -> None:
        self.k = 0
        self.b0 = self.b1 = 0  # cached complete bins [b0, b1) (global bin indexes)
        self._xs = np.empty(0)
        self._ys = {f: np.empty(0) for f in self.fields}
        self.reduced_bins = 0  # bins reduced by the last update (tests, benchmarks)

    def _reduce(self, g_from: int, g_to: int, k: int):
        """Min/max pairs of the complete bins covering global samples [g_from, g_to)."""
        g_view = self.ring.count - len(self.ring)
        i, j = g_from - g_view, g_to - g_view
        t = self.ring.view()[i:j].reshape(-1, k)
        xs = np.empty(2 * len(t))
        xs[0::2] = t[:, 0]
        xs[1::2] = t[:, -1]
        ys = {}
        for f in self.fields:
            y = self.ring.view(f)[i:j].reshape(-1, k)
            out = np.empty(2 * len(y))
            out[0::2] = np.fmin.reduce(y, axis=1)
            out[1::2] = np.fmax.reduce(y, axis=1)
            ys[f] = out
        return xs, ys

    def update(self, start: int, k: int):
        """Decimated series from view index ``start`` (as ``SampleRing.window`` gives it) to the
        newest sample, ``k`` samples per bin. Returns ``(xs, {field: ys})`` (float64 arrays).

        The up to ``k - 1`` window samples before the first complete bin are left out (under two
        pixel columns at the window's old edge); a bin of the cache is never recomputed."""
        ring = self.ring
        count, length = ring.count, len(ring)
        if k <= 1:
            self.reset()
            t = ring.view()[start:]
            return t.astype(np.float64), {f: ring.view(f)[start:].astype(np.float64) for f in self.fields}
        g_view = count - length
        first = -(-(g_view + start) // k)  # first complete bin inside the window
        last = count // k  # bins [first, last) are complete
        if k != self.k or first < self.b0 or first > self.b1 or last < self.b1:
            self.reset()
            self.k, self.b0, self.b1 = k, first, first
        drop = 2 * (first - self.b0)
        new_from = max(self.b1, first)
        self.reduced_bins = max(0, last - new_from)
        if last > new_from:
            nx, ny = self._reduce(new_from * k, last * k, k)
            self._xs = np.concatenate([self._xs[drop:], nx])
            self._ys = {f: np.concatenate([self._ys[f][drop:], ny[f]]) for f in self.fields}
        elif drop:
            self._xs = self._xs[drop:]
            self._ys = {f: self._ys[f][drop:] for f in self.fields}
        self.b0, self.b1 = first, max(last, first)
        tail = max(last * k, g_view + start) - g_view  # raw samples after the last complete bin
        if tail >= length:
            return self._xs, self._ys
        xs = np.concatenate([self._xs, ring.view()[tail:]])
        return xs, {f: np.concatenate([self._ys[f], ring.view(f)[tail:]]) for f in self.fields}
