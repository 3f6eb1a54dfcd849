"""The incremental min/max decimation behind the Monitor plots (Qt-free)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.gui.decimate import PeakDecimator, bin_size
from app.gui.ringbuffer import SampleRing
from probes.live.telemetry.base import Sample

FIELDS = ("temperature_c", "power_draw_w")


def _fill(ring: SampleRing, values, start: int = 0) -> None:
    for i, v in enumerate(values, start):
        ring.append(Sample(t=float(i), gpu=0, temperature_c=v, power_draw_w=None if v is None else 2 * v))


def _from_scratch(ring: SampleRing, start: int, k: int):
    """The same result computed the obvious way over the whole window (the reference)."""
    g_view = ring.count - len(ring)
    t = ring.view()
    first = -(-(g_view + start) // k)
    last = ring.count // k
    xs, ys = [], {f: [] for f in FIELDS}
    for b in range(first, last):
        seg = slice(b * k - g_view, (b + 1) * k - g_view)
        xs += [t[seg][0], t[seg][-1]]
        for f in FIELDS:
            y = ring.view(f)[seg]
            finite = y[~np.isnan(y)]
            ys[f] += [finite.min(), finite.max()] if len(finite) else [np.nan, np.nan]
    tail = max(last * k, g_view + start) - g_view
    xs += list(t[tail:])
    for f in FIELDS:
        ys[f] += list(ring.view(f)[tail:])
    return np.array(xs), {f: np.array(v, dtype=np.float64) for f, v in ys.items()}


def test_spikes_and_gaps_survive_and_bins_are_reused():
    ring = SampleRing(2000)
    values = [20.0] * 1000
    values[137] = 99.0  # a one-sample spike must survive
    values[500:520] = [None] * 20  # a whole bin of missing values stays a gap
    _fill(ring, values)
    dec = PeakDecimator(ring, FIELDS)
    xs, ys = dec.update(0, bin_size(1000, 100))
    assert dec.k == 10 and len(xs) == 200 and dec.reduced_bins == 100
    assert np.nanmax(ys["temperature_c"]) == 99.0 and np.nanmax(ys["power_draw_w"]) == 198.0
    assert np.isnan(ys["temperature_c"][100:102]).all()  # bin 50 (t 500..509)
    assert xs[0] == 0 and xs[-1] == 999
    _fill(ring, [21.0] * 25, start=1000)  # two more complete bins and 5 raw samples
    xs, ys = dec.update(0, 10)
    assert dec.reduced_bins == 2 and len(xs) == 204 + 5 and xs[-1] == 1024.0
    assert list(ys["temperature_c"][-5:]) == [21.0] * 5


def test_no_binning_returns_the_raw_window():
    ring = SampleRing(10)
    _fill(ring, [1.0, None, 3.0])
    xs, ys = PeakDecimator(ring, FIELDS).update(1, 1)
    assert list(xs) == [1.0, 2.0] and np.isnan(ys["temperature_c"][0]) and ys["temperature_c"][1] == 3.0


@settings(max_examples=60, deadline=None)
@given(
    capacity=st.integers(5, 300),
    steps=st.lists(
        st.tuples(st.integers(0, 120), st.sampled_from([1, 40, 100, 400]), st.sampled_from([1, 3, 10])),
        min_size=1,
        max_size=12,
    ),
    nan_every=st.integers(2, 50),
)
def test_incremental_updates_equal_a_full_recomputation(capacity, steps, nan_every):
    """Random appends (the ring wraps), windows and bin sizes: the cache never goes stale."""
    ring = SampleRing(capacity)
    dec = PeakDecimator(ring, FIELDS)
    n = 0
    for add, window, pairs in steps:
        _fill(
            ring, [None if (n + i) % nan_every == 0 else float((n + i) * 7 % 31) for i in range(add)], start=n
        )
        n += add
        if not len(ring):
            continue
        t = ring.view()
        start, _ = ring.window(t[-1] - window)
        k = bin_size(len(t) - start, pairs)
        xs, ys = dec.update(start, k)
        ref_x, ref_y = (
            _from_scratch(ring, start, k) if k > 1 else (t[start:], {f: ring.view(f)[start:] for f in FIELDS})
        )
        np.testing.assert_array_equal(xs, ref_x)
        for f in FIELDS:
            np.testing.assert_array_equal(ys[f], ref_y[f])
