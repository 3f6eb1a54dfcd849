"""Shared helpers for the smoke-test tests: the shipped model and damaged copies of it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "assets" / "smoke" / "rigpilot-smoke.gguf"
REFERENCE = ROOT / "assets" / "smoke" / "reference-cpu-fp32.png"


def rewrite_model(mutate) -> bytes:
    """Re-encode the shipped model after ``mutate(metadata, tensors)`` edits its (name, shape,
    type, raw) list in place."""
    from probes.smoke.target import gguf

    f = gguf.read(MODEL)
    tensors = [
        [name, info.shape, info.ggml_type, bytes(f.tensor_bytes(name))] for name, info in f.tensors.items()
    ]
    meta = {k: v for k, v in f.metadata.items() if k != "general.alignment"}
    mutate(meta, tensors)
    return gguf.dumps(meta, [tuple(t) for t in tensors], alignment=f.alignment)


@pytest.fixture
def damaged_models(tmp_path):
    """name -> path of a damaged model file."""
    data = MODEL.read_bytes()
    out = {}

    def put(name, raw):
        path = tmp_path / f"{name}.gguf"
        path.write_bytes(raw)
        out[name] = path

    put("truncated", data[: len(data) * 2 // 3])
    put("wrong-magic", b"GGML" + data[4:])

    def to_q5_0(meta, tensors):
        for t in tensors:
            if t[2] == 8:  # first Q8_0 tensor → Q5_0 (22 bytes / 32)
                t[2] = 6
                t[3] = bytes(len(t[3]) // 34 * 22)
                return

    put("unsupported-type", rewrite_model(to_q5_0))

    def nan_scales(meta, tensors):
        for t in tensors:
            if t[2] == 8:
                raw = bytearray(t[3])
                for off in range(0, len(raw), 34):
                    raw[off : off + 2] = b"\x00\x7e"  # float16 NaN as the block scale
                t[3] = bytes(raw)
                return

    put("nan-scales", rewrite_model(nan_scales))

    def foreign(meta, tensors):
        meta["general.architecture"] = "llama"

    put("foreign", rewrite_model(foreign))
    return out
