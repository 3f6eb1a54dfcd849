"""PNG writer/reader (stdlib zlib)."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.smoke.target import png


def _filtered_png(width, height, rgb, filters):
    """Encode with the given per-row filter types (an independent, naive encoder)."""
    stride = width * 3
    raw = bytearray()
    prev = bytes(stride)
    for y in range(height):
        row = rgb[y * stride : (y + 1) * stride]
        f = filters[y % len(filters)]
        out = bytearray()
        for i in range(stride):
            a = row[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            pred = {
                0: 0,
                1: a,
                2: b,
                3: (a + b) // 2,
                4: min((a, b, c), key=lambda v: (abs(a + b - c - v), (a, b, c).index(v))),
            }[f]
            out.append((row[i] - pred) & 0xFF)
        raw += bytes([f]) + out
        prev = row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        png.SIGNATURE
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.data())
def test_roundtrip(width, height, data):
    rgb = data.draw(st.binary(min_size=width * height * 3, max_size=width * height * 3))
    assert png.decode_rgb(png.encode_rgb(width, height, rgb)) == (width, height, rgb)


@pytest.mark.parametrize("filters", [[1], [2], [3], [4], [0, 1, 2, 3, 4]])
def test_reads_every_filter_type(filters):
    rgb = bytes((i * 37 + (i // 7) * 11) % 256 for i in range(6 * 5 * 3))
    assert png.decode_rgb(_filtered_png(6, 5, rgb, filters)) == (6, 5, rgb)


def test_errors():
    good = png.encode_rgb(2, 2, bytes(12))
    with pytest.raises(png.PngError):
        png.decode_rgb(b"GIF89a")
    with pytest.raises(png.PngError):
        png.decode_rgb(good[:-20])
    bad_crc = bytearray(good)
    bad_crc[20] ^= 0xFF
    with pytest.raises(png.PngError):
        png.decode_rgb(bytes(bad_crc))
    with pytest.raises(ValueError):
        png.encode_rgb(2, 2, bytes(5))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.integers(0, 80))
def test_fuzz_only_png_error(tail, pos):
    data = bytearray(png.encode_rgb(3, 2, bytes(range(18))))
    data[pos % len(data)] ^= 0x5A
    for candidate in (bytes(data), png.SIGNATURE + tail):
        try:
            png.decode_rgb(candidate)
        except png.PngError:
            pass
