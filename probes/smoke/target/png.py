"""Minimal PNG writer and reader (8-bit RGB, non-interlaced) on the standard library's zlib.

Spec facts: PNG signature, chunk = length(4, big-endian) + type + data + CRC-32 over type+data;
IHDR = width, height, bit depth 8, colour type 2 (RGB), compression 0, filter 0, interlace 0;
each scanline starts with a filter-type byte (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth)
(W3C PNG specification, 2nd edition, sections 5, 9 and 11.2).
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PngError(ValueError):
    """The bytes are not an 8-bit RGB PNG this reader understands."""


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_rgb(width: int, height: int, rgb: bytes) -> bytes:
    """PNG bytes for ``rgb`` (height rows of width×3 bytes, top row first)."""
    stride = width * 3
    if len(rgb) != stride * height:
        raise ValueError(f"expected {stride * height} bytes of RGB, got {len(rgb)}")
    raw = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _chunks(data: bytes) -> tuple[tuple[int, ...] | None, list[bytes]]:
    """(IHDR fields or None, IDAT bodies) of a PNG after its signature, each chunk's CRC checked."""
    pos = len(SIGNATURE)
    header = None
    idat = []
    while pos + 8 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            raise PngError("truncated PNG chunk")
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise PngError(f"bad CRC in {kind!r} chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    return header, idat


def _unfilter(ftype: int, line: bytearray, prev: bytearray) -> None:
    """Undo one scanline's filter in place (``prev``: the previous, already unfiltered line)."""
    for i in range(len(line)):
        a = line[i - 3] if i >= 3 else 0
        b = prev[i]
        c = prev[i - 3] if i >= 3 else 0
        if ftype == 1:
            line[i] = (line[i] + a) & 0xFF
        elif ftype == 2:
            line[i] = (line[i] + b) & 0xFF
        elif ftype == 3:
            line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
        elif ftype == 4:
            line[i] = (line[i] + _paeth(a, b, c)) & 0xFF
        elif ftype != 0:
            raise PngError(f"unknown PNG filter type {ftype}")


def decode_rgb(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, rgb bytes) of an 8-bit RGB, non-interlaced PNG; PngError otherwise."""
    if not data.startswith(SIGNATURE):
        raise PngError("not a PNG file (bad signature)")
    header, idat = _chunks(data)
    if header is None:
        raise PngError("PNG has no IHDR chunk")
    width, height, depth, colour, _comp, _filt, interlace = header
    if (depth, colour, interlace) != (8, 2, 0):
        raise PngError("only 8-bit RGB non-interlaced PNG is supported")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as exc:
        raise PngError(f"corrupt PNG image data: {exc}") from None
    stride = width * 3
    if len(raw) != (stride + 1) * height:
        raise PngError("PNG image data has the wrong size")
    out = bytearray(stride * height)
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        _unfilter(ftype, line, prev)
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return width, height, bytes(out)
