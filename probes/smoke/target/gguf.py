"""A minimal GGUF (version 2/3) reader and writer — standard library only.

Format facts (ggml ``docs/gguf.md``, the GGUF specification):
  header  = magic "GGUF" (bytes 47 47 55 46) · uint32 version · uint64 tensor_count · uint64 kv_count
  kv      = string key · uint32 value_type · value        (all little-endian)
  string  = uint64 length · UTF-8 bytes (no terminator)
  array   = uint32 element_type · uint64 count · elements
  tensor  = string name · uint32 n_dims · uint64 ne[n_dims] · uint32 ggml_type · uint64 offset
  data    starts at the first multiple of ``general.alignment`` (uint32, default 32) after the
          tensor infos; every tensor offset is relative to it and a multiple of the alignment.
``ne[0]`` is the innermost (fastest-varying) dimension, so a torch shape is ``ne`` reversed; this
module speaks torch order (``TensorInfo.shape``) and writes ``ne`` reversed.
Block sizes (elements, bytes) per ggml type come from ggml's type traits (ggml.c ``type_traits``).
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from typing import Any

MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32

# gguf value types
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
_SCALAR = {
    UINT8: "<B",
    INT8: "<b",
    UINT16: "<H",
    INT16: "<h",
    UINT32: "<I",
    INT32: "<i",
    FLOAT32: "<f",
    BOOL: "<?",
    UINT64: "<Q",
    INT64: "<q",
    FLOAT64: "<d",
}

# ggml tensor types: id -> (name, elements per block, bytes per block)
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4),
    1: ("F16", 1, 2),
    2: ("Q4_0", 32, 18),
    3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24),
    8: ("Q8_0", 32, 34),
    9: ("Q8_1", 32, 36),
    10: ("Q2_K", 256, 84),
    11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176),
    14: ("Q6_K", 256, 210),
    15: ("Q8_K", 256, 292),
    24: ("I8", 1, 1),
    25: ("I16", 1, 2),
    26: ("I32", 1, 4),
    27: ("I64", 1, 8),
    28: ("F64", 1, 8),
    30: ("BF16", 1, 2),
}
TYPE_IDS = {name: tid for tid, (name, _, _) in GGML_TYPES.items()}
MAX_DIMS = 4


class GgufError(ValueError):
    """The file is not a GGUF file this reader can use. ``reason`` is a stable kebab-case word:
    ``truncated``, ``bad-magic``, ``bad-version``, ``bad-value``, ``unsupported-type``,
    ``misaligned``, ``out-of-bounds``, ``duplicate-tensor``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]  # torch order (outermost first) = reversed ne
    ggml_type: int
    offset: int  # absolute offset of the data in the file
    nbytes: int

    @property
    def type_name(self) -> str:
        return GGML_TYPES[self.ggml_type][0]

    @property
    def numel(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass
class GgufFile:
    version: int
    alignment: int
    data_offset: int
    metadata: dict = field(default_factory=dict)
    tensors: dict[str, TensorInfo] = field(default_factory=dict)
    data: bytes = b""

    def tensor_bytes(self, name: str) -> memoryview:
        info = self.tensors[name]
        return memoryview(self.data)[info.offset : info.offset + info.nbytes]


class _Cursor:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise GgufError(
                "truncated",
                f"file ends inside {what} at byte {self.pos} "
                f"(needs {n} bytes, {len(self.data) - self.pos} left)",
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def scalar(self, fmt: str, what: str) -> Any:  # what struct unpacks: int, float or bool
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))[0]

    def string(self, what: str) -> str:
        n = self.scalar("<Q", what)
        raw = self.take(n, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise GgufError("bad-value", f"{what} is not valid UTF-8") from None

    def value(self, vtype: int, what: str, depth: int = 0) -> Any:  # a GGUF metadata value of any type
        if vtype in _SCALAR:
            return self.scalar(_SCALAR[vtype], what)
        if vtype == STRING:
            return self.string(what)
        if vtype == ARRAY:
            if depth > 2:
                raise GgufError("bad-value", f"{what}: arrays nested too deeply")
            etype = self.scalar("<I", what)
            count = self.scalar("<Q", what)
            if etype not in _SCALAR and etype not in (STRING, ARRAY):
                raise GgufError("bad-value", f"{what}: unknown array element type {etype}")
            if count > len(self.data) - self.pos:  # every element takes at least one byte
                raise GgufError("truncated", f"{what}: array of {count} elements cannot fit in the file")
            if etype in _SCALAR:
                size = struct.calcsize(_SCALAR[etype])
                raw = self.take(size * count, what)
                return list(struct.unpack(f"<{count}{_SCALAR[etype][1]}", raw))
            return [self.value(etype, what, depth + 1) for _ in range(count)]
        raise GgufError("bad-value", f"{what}: unknown value type {vtype}")


def tensor_nbytes(ggml_type: int, shape: tuple[int, ...], name: str = "?") -> int:
    if ggml_type not in GGML_TYPES:
        raise GgufError("unsupported-type", f"tensor {name!r} has unknown ggml type {ggml_type}")
    tname, block, size = GGML_TYPES[ggml_type]
    inner = shape[-1] if shape else 1
    if inner % block:
        raise GgufError(
            "bad-value",
            f"tensor {name!r}: innermost dimension {inner} is not a multiple "
            f"of the {tname} block size {block}",
        )
    n = 1
    for d in shape:
        n *= d
    return n // block * size


def parse(data: bytes) -> GgufFile:
    """Parse a whole GGUF file held in memory. Raises only GgufError."""
    cur = _Cursor(bytes(data))
    magic = cur.take(4, "the magic number") if len(cur.data) >= 4 else None
    if magic != MAGIC:
        if magic is None:
            raise GgufError("truncated", f"file is {len(cur.data)} bytes long, too short for a GGUF header")
        raise GgufError("bad-magic", f"starts with {magic!r}, not b'GGUF' — not a GGUF model file")
    version = cur.scalar("<I", "the version")
    if version not in (2, 3) and int.from_bytes(struct.pack("<I", version), "big") in (2, 3):
        raise GgufError(
            "bad-version", "this is a big-endian GGUF file; only little-endian files are supported"
        )
    if version not in (2, 3):
        raise GgufError("bad-version", f"GGUF version {version} is not supported (2 and 3 are)")
    n_tensors = cur.scalar("<Q", "the tensor count")
    n_kv = cur.scalar("<Q", "the metadata count")
    remaining = len(cur.data) - cur.pos
    if n_kv * 13 > remaining or n_tensors * 28 > remaining:  # minimal encoded sizes
        raise GgufError(
            "truncated",
            f"header announces {n_tensors} tensors and {n_kv} metadata "
            f"entries, more than {remaining} bytes can hold",
        )
    metadata: dict = {}
    for i in range(n_kv):
        key = cur.string(f"metadata key #{i}")
        vtype = cur.scalar("<I", f"the type of {key!r}")
        metadata[key] = cur.value(vtype, f"metadata {key!r}")
    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if (
        not isinstance(alignment, int)
        or isinstance(alignment, bool)
        or alignment <= 0
        or alignment & (alignment - 1)
    ):
        raise GgufError("bad-value", f"general.alignment {alignment!r} is not a power of two")
    infos = []
    for i in range(n_tensors):
        name = cur.string(f"tensor name #{i}")
        n_dims = cur.scalar("<I", f"the dimension count of {name!r}")
        if n_dims > MAX_DIMS:
            raise GgufError("bad-value", f"tensor {name!r} has {n_dims} dimensions (at most {MAX_DIMS})")
        ne = [cur.scalar("<Q", f"the shape of {name!r}") for _ in range(n_dims)]
        ggml_type = cur.scalar("<I", f"the type of {name!r}")
        offset = cur.scalar("<Q", f"the offset of {name!r}")
        infos.append((name, tuple(reversed(ne)), ggml_type, offset))
    data_offset = -(-cur.pos // alignment) * alignment
    file = GgufFile(
        version=version, alignment=alignment, data_offset=data_offset, metadata=metadata, data=cur.data
    )
    for name, shape, ggml_type, offset in infos:
        if name in file.tensors:
            raise GgufError("duplicate-tensor", f"tensor {name!r} appears twice")
        nbytes = tensor_nbytes(ggml_type, shape, name)
        if offset % alignment:
            raise GgufError(
                "misaligned",
                f"tensor {name!r} starts at offset {offset}, not a multiple of the alignment {alignment}",
            )
        start = data_offset + offset
        if start + nbytes > len(cur.data):
            raise GgufError(
                "truncated",
                f"tensor {name!r} needs bytes {start}..{start + nbytes} but the file has {len(cur.data)}",
            )
        file.tensors[name] = TensorInfo(name, shape, ggml_type, start, nbytes)
    return file


def read(path: str | os.PathLike) -> GgufFile:
    with open(path, "rb") as fh:
        return parse(fh.read())


def _pack_value(value: object) -> tuple[int, bytes]:
    if isinstance(value, bool):
        return BOOL, struct.pack("<?", value)
    if isinstance(value, int):
        if 0 <= value < 2**32:
            return UINT32, struct.pack("<I", value)
        return INT64, struct.pack("<q", value)
    if isinstance(value, float):
        return FLOAT32, struct.pack("<f", value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return STRING, struct.pack("<Q", len(raw)) + raw
    if isinstance(value, (list, tuple)):
        if not value:
            return ARRAY, struct.pack("<IQ", INT32, 0)
        packed = [_pack_value(v) for v in value]
        etype = packed[0][0]
        if any(t != etype for t, _ in packed):
            raise ValueError("GGUF arrays must hold one type")
        return ARRAY, struct.pack("<IQ", etype, len(value)) + b"".join(b for _, b in packed)
    raise TypeError(f"cannot store {type(value).__name__} in GGUF metadata")


def dumps(
    metadata: dict, tensors: list[tuple[str, tuple[int, ...], int, bytes]], alignment: int = DEFAULT_ALIGNMENT
) -> bytes:
    """A GGUF v3 file: ``tensors`` are (name, torch-order shape, ggml type id, raw block bytes)."""
    meta = dict(metadata)
    if alignment != DEFAULT_ALIGNMENT:
        meta["general.alignment"] = alignment
    out = bytearray(MAGIC + struct.pack("<IQQ", 3, len(tensors), len(meta)))
    for key, value in meta.items():
        raw = key.encode("utf-8")
        vtype, body = _pack_value(value)
        out += struct.pack("<Q", len(raw)) + raw + struct.pack("<I", vtype) + body
    offset = 0
    layout = []
    for name, shape, ggml_type, raw in tensors:
        expected = tensor_nbytes(ggml_type, tuple(shape), name)
        if len(raw) != expected:
            raise ValueError(f"tensor {name!r}: {len(raw)} bytes given, {expected} expected")
        enc = name.encode("utf-8")
        out += struct.pack("<Q", len(enc)) + enc + struct.pack("<I", len(shape))
        out += struct.pack(f"<{len(shape)}Q", *reversed(shape))
        out += struct.pack("<IQ", ggml_type, offset)
        layout.append((offset, raw))
        offset += -(-len(raw) // alignment) * alignment
    out += b"\0" * (-len(out) % alignment)
    base = len(out)
    for off, raw in layout:
        out += b"\0" * (base + off - len(out))
        out += raw
    return bytes(out)
