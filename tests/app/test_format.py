"""app/format.py: one way to show missing values, numbers with units and sizes."""

from __future__ import annotations

from app.format import MISSING, PLAIN, fixed, gib, in_gib, mib, number, or_missing, watts


def test_missing_values_use_the_one_mark_unless_told():
    for shown in (or_missing(None), or_missing(""), number(None), fixed(None), watts(None), gib(None)):
        assert shown == MISSING == "—"
    assert gib(None, missing=PLAIN) == "-" and number(None, missing="n/a") == "n/a"
    assert or_missing(0) == "0" and number(0) == "0" and gib(0) == "0.0 GiB"  # zero is a value


def test_numbers_and_units():
    assert number(12.3456) == "12.35" and number(12.3456, 1, " dB") == "12.3 dB"
    assert number(7, 3, " MiB") == "7 MiB"  # integers as they are
    assert fixed(45, 1) == "45.0" and fixed(45.26) == "45" and fixed(0.5, 1, " %") == "0.5 %"
    assert watts(150) == "150 W" and watts(150.0) == "150 W" and watts(150.25) == "150.25 W"


def test_sizes_are_binary():
    assert gib(12 * 2**30) == "12.0 GiB" and gib(3 * 2**29, 2) == "1.50 GiB"
    assert mib(512 * 2**20) == "512.0 MiB" and in_gib(2**31) == 2.0 and in_gib(None) is None
