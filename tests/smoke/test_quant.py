"""Every dequant kernel against the gguf package's numpy reference on random blocks."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from bench import dequant as bench  # noqa: E402
from probes.smoke.target import quant  # noqa: E402

quants = pytest.importorskip("gguf.quants")
from gguf import GGMLQuantizationType  # noqa: E402

TYPES = [(name, tid) for name, (tid, _, _) in bench.TYPES.items()]


def _blocks(name, n=257, seed=0):
    size = bench.TYPES[name][2]
    b = bench.random_blocks(name, n * size, seed=seed)
    rng = np.random.default_rng(seed)
    for off in bench.HALF_FIELDS[name]:  # scales of both signs, 1e-7..1 (no fp16 overflow)
        vals = (rng.standard_normal(n) * 10.0 ** rng.integers(-7, 0, n)).astype(np.float16)
        b[:, off : off + 2] = torch.from_numpy(vals.view(np.uint8).reshape(n, 2).copy())
    return b


def _reference(name, b):
    return torch.from_numpy(quants.dequantize(b.numpy(), getattr(GGMLQuantizationType, name)).reshape(-1))


@pytest.mark.parametrize("name, tid", TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_float32_is_bit_exact(name, tid, seed):
    b = _blocks(name, seed=seed)
    out = quant.KERNELS[tid](b, torch.float32).reshape(-1)
    assert out.dtype == torch.float32
    assert torch.equal(out, _reference(name, b))


@pytest.mark.parametrize("name, tid", [("Q4_0", 2), ("Q8_0", 8)])
def test_float16_is_exact_for_single_scale_blocks(name, tid):
    b = _blocks(name)
    ref = _reference(name, b).to(torch.float16)
    out = quant.KERNELS[tid](b, torch.float16).reshape(-1)
    assert out.dtype == torch.float16 and torch.equal(out, ref)


@pytest.mark.parametrize("name, tid", TYPES)
@pytest.mark.parametrize("dtype, ulps", [(torch.float16, 2), (torch.bfloat16, 2)])
def test_half_precision_within_rounding_of_the_scale(name, tid, dtype, ulps):
    """In 16-bit dtypes the per-block scale is rounded to the dtype first: a few ulps at most."""
    b = _blocks(name)
    ref = _reference(name, b)
    out = quant.KERNELS[tid](b, dtype).reshape(-1).float()
    assert out.dtype == torch.float32
    eps = torch.finfo(dtype).eps
    tol = ulps * eps * ref.abs() + torch.finfo(dtype).tiny * 64
    # values built from a scale times a code: the bound is relative to the block's largest value
    blockwise = ref.abs().view(b.shape[0], -1).amax(dim=1, keepdim=True).expand(-1, ref.numel() // b.shape[0])
    tol = torch.maximum(tol, 2 * ulps * eps * blockwise.reshape(-1))
    assert bool(((out - ref).abs() <= tol).all())


@pytest.mark.parametrize("name, tid", TYPES)
def test_kernels_never_go_through_float32(name, tid, monkeypatch):
    """The last floating-point tensor a kernel makes is created in the target dtype."""
    b = _blocks(name, n=8)
    seen = []
    real_to = torch.Tensor.to

    def spy(self, *args, **kwargs):
        out = real_to(self, *args, **kwargs)
        if out.is_floating_point() and out.numel() >= b.shape[0] * bench.TYPES[name][1] // 2:
            seen.append(out.dtype)
        return out

    monkeypatch.setattr(torch.Tensor, "to", spy)
    out = quant.KERNELS[tid](b, torch.float16)
    assert out.dtype == torch.float16
    assert torch.float32 not in seen


@pytest.mark.parametrize("name, tid", TYPES)
def test_bench_straightforward_references_are_correct(name, tid):
    b = _blocks(name)
    assert torch.equal(bench.STRAIGHT[name](b, torch.float32).reshape(-1), _reference(name, b))


def test_dequantize_reshapes_and_handles_plain_types():
    raw = torch.frombuffer(bytearray(np.arange(6, dtype="<f4").tobytes()), dtype=torch.uint8)
    out = quant.dequantize(raw, 0, (2, 3), torch.float16)
    assert out.dtype == torch.float16 and out.tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(KeyError):
        quant.dequantize(raw, 6, (2, 3), torch.float16)


def test_bench_runs_on_a_named_device_and_refuses_a_missing_one(capsys):
    assert (
        bench.main(
            [
                "--device",
                "cpu",
                "--mb",
                "0.5",
                "--repeats",
                "1",
                "--types",
                "Q8_0",
                "--dtype",
                "fp16",
                "--json",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("# torch") and ", CPU," in out[0]
    row = json.loads(out[1])
    assert row["type"] == "Q8_0" and row["kernel_gbps"] > 0 and row["x_vs_straight"] > 0
    if not torch.cuda.is_available():
        with pytest.raises(SystemExit) as exc:
            bench.main(["--device", "cuda", "--mb", "0.5"])
        assert exc.value.code == 2
        assert "device 'cuda' is not usable here" in capsys.readouterr().err
