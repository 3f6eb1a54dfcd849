"""GGUF reader/writer: interop with the gguf package both ways, clear errors, fuzzing."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probes.smoke.target import gguf

gguf_pkg = pytest.importorskip("gguf")
from gguf import GGMLQuantizationType, GGUFReader, GGUFWriter, quants  # noqa: E402

from tests.smoke.conftest import MODEL  # noqa: E402


def _tensors():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 64)).astype(np.float32)
    return [
        ("a.f32", (3, 5), 0, rng.standard_normal((3, 5)).astype("<f4").tobytes()),
        ("b.f16", (7,), 1, rng.standard_normal(7).astype("<f2").tobytes()),
        ("c.q8_0", (4, 64), 8, quants.quantize(x, GGMLQuantizationType.Q8_0).tobytes()),
        ("d.q4_0", (4, 64), 2, quants.quantize(x, GGMLQuantizationType.Q4_0).tobytes()),
        ("e.q6_k", (2, 256), 14, bytes((i * 7) % 256 for i in range(420))),
    ]


def test_our_writer_is_read_by_the_gguf_package(tmp_path):
    meta = {"general.architecture": "x", "n": 7, "f": 0.5, "flag": True, "names": ["p", "q"], "big": 2**40}
    path = tmp_path / "ours.gguf"
    path.write_bytes(gguf.dumps(meta, _tensors(), alignment=64))
    reader = GGUFReader(str(path))
    assert reader.fields["general.architecture"].contents() == "x"
    assert reader.fields["n"].contents() == 7
    assert reader.fields["flag"].contents() is True
    assert reader.fields["names"].contents() == ["p", "q"]
    assert reader.fields["big"].contents() == 2**40
    assert reader.fields["general.alignment"].contents() == 64
    by_name = {t.name: t for t in reader.tensors}
    for name, shape, ggml_type, raw in _tensors():
        t = by_name[name]
        assert int(t.tensor_type) == ggml_type
        assert list(t.shape) == list(reversed(shape))  # gguf lists ne (innermost first)
        assert bytes(np.asarray(t.data).tobytes()) == raw


def test_gguf_package_writer_is_read_by_ours(tmp_path):
    path = tmp_path / "theirs.gguf"
    w = GGUFWriter(str(path), arch="rigpilot-test")
    w.add_uint32("u", 5)
    w.add_string("s", "测试")
    w.add_array("arr", [1, 2, 3])
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 32)).astype(np.float32)
    q8 = quants.quantize(x, GGMLQuantizationType.Q8_0)
    w.add_tensor("w.q8", q8, raw_dtype=GGMLQuantizationType.Q8_0)
    w.add_tensor("w.f32", x)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    f = gguf.read(path)
    assert f.version == 3
    assert f.metadata["general.architecture"] == "rigpilot-test"
    assert f.metadata["u"] == 5 and f.metadata["s"] == "测试" and f.metadata["arr"] == [1, 2, 3]
    assert f.tensors["w.q8"].shape == (8, 32) and f.tensors["w.q8"].type_name == "Q8_0"
    assert bytes(f.tensor_bytes("w.q8")) == q8.tobytes()
    assert bytes(f.tensor_bytes("w.f32")) == x.tobytes()


def test_shipped_model_uses_every_required_type_and_fits():
    f = gguf.read(MODEL)
    types = {t.type_name for t in f.tensors.values()}
    assert {"Q4_0", "Q8_0", "F16", "F32"} <= types and types & {"Q4_K", "Q6_K"}
    assert MODEL.stat().st_size <= 3 * 2**20
    assert f.version == 3


def _header(n_tensors=0, n_kv=0, version=3):
    return b"GGUF" + struct.pack("<IQQ", version, n_tensors, n_kv)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "truncated"),
        (b"GG", "truncated"),
        (b"PK\x03\x04" + b"\0" * 40, "bad-magic"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "bad-magic"),
        (_header(version=1), "bad-version"),
        (_header(n_tensors=2**40), "truncated"),
        (_header(n_kv=1) + struct.pack("<Q", 3) + b"key" + struct.pack("<I", 99), "bad-value"),
    ],
)
def test_bad_headers_give_clear_errors(data, reason):
    with pytest.raises(gguf.GgufError) as err:
        gguf.parse(data)
    assert err.value.reason == reason


def test_every_truncation_of_the_model_is_reported():
    data = MODEL.read_bytes()
    f = gguf.parse(data)
    cuts = sorted({1, 3, 4, 8, 23, 24, 100, 1000, f.data_offset - 1, len(data) // 2, len(data) - 1})
    for cut in cuts:
        with pytest.raises(gguf.GgufError) as err:
            gguf.parse(data[:cut])
        assert err.value.reason == "truncated", cut


def _one_tensor_file(ggml_type: int, offset: int = 0, ne=(32,), payload: bytes = b"") -> bytes:
    name = b"t"
    head = _header(n_tensors=1) + struct.pack("<Q", len(name)) + name + struct.pack("<I", len(ne))
    head += struct.pack(f"<{len(ne)}Q", *ne) + struct.pack("<IQ", ggml_type, offset)
    head += b"\0" * (-len(head) % 32)
    return head + payload


def test_unknown_type_misalignment_and_bounds():
    with pytest.raises(gguf.GgufError) as err:
        gguf.parse(_one_tensor_file(99, payload=b"\0" * 64))
    assert err.value.reason == "unsupported-type"
    with pytest.raises(gguf.GgufError) as err:
        gguf.parse(_one_tensor_file(8, offset=4, payload=b"\0" * 64))
    assert err.value.reason == "misaligned"
    with pytest.raises(gguf.GgufError) as err:
        gguf.parse(_one_tensor_file(8, ne=(30,), payload=b"\0" * 64))
    assert err.value.reason == "bad-value"  # 30 is not a multiple of the block size
    assert gguf.parse(_one_tensor_file(8, payload=b"\0" * 34)).tensors["t"].nbytes == 34


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_random_bytes_only_gguf_error(data):
    try:
        gguf.parse(b"GGUF" + data)
    except gguf.GgufError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2000), st.integers(0, 255), st.integers(0, 2000))
def test_fuzz_mutated_model_only_gguf_error(pos, value, cut):
    data = bytearray(MODEL.read_bytes()[:4096])
    data[pos % len(data)] = value
    try:
        gguf.parse(bytes(data[: len(data) - cut]))
    except gguf.GgufError:
        pass
