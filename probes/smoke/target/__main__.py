"""``python -m probes.smoke.target --json-lines [--device D] [--dtype T] [--steps N] [--resolution N]
[--model FILE] [--out DIR]``: one JSON object per line — progress events, then the result."""

from __future__ import annotations

import argparse
import json
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m probes.smoke.target", description="RigPilot's quantized generation smoke test"
    )
    p.add_argument("--json-lines", action="store_true", help="print one JSON object per line")
    p.add_argument(
        "--device", default="auto", help="auto, cpu, cuda[:N], musa[:N], xpu[:N], mps, directml[:N]"
    )
    p.add_argument("--dtype", default="auto", help="auto, fp32, fp16 or bf16")
    p.add_argument("--steps", type=int, default=None, help="sampler steps (default 20)")
    p.add_argument("--resolution", type=int, default=None, help="image size in pixels (default 32)")
    p.add_argument("--model", default=None, help="GGUF model file (default: the built-in one)")
    p.add_argument("--out", default=None, help="folder for the generated PNG")
    p.add_argument("--reference", default=None, help=argparse.SUPPRESS)
    p.add_argument("--inject", default="", help=argparse.SUPPRESS)  # tests: slow-step, no-bf16, nan-output
    return p


def main(argv: list[str] | None = None) -> int:
    from probes.smoke.target import runner

    args = _parser().parse_args(argv)
    out = sys.stdout

    def emit(event: dict) -> None:
        if args.json_lines:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
            out.flush()
        elif event.get("event") == "step":
            out.write(f"step {event['step']}/{event['steps']}: {event['seconds']:.3f} s\n")
            out.flush()

    result = runner.run(
        device=args.device,
        dtype=args.dtype,
        steps=runner.DEFAULT_STEPS if args.steps is None else args.steps,
        resolution=runner.DEFAULT_RESOLUTION if args.resolution is None else args.resolution,
        model=args.model,
        out=args.out,
        reference=args.reference,
        emit=emit,
        inject=args.inject,
    )
    if args.json_lines:
        emit(result)
    else:
        out.write(f"verdict: {result['verdict']} {' '.join(result['codes'])}\n")
        for p in result["problems"]:
            out.write(f"  [{p['code']}] {p['detail']}\n")
        for key in (
            "device",
            "dtype",
            "steps_per_s",
            "dequant_gbps",
            "peak_memory_bytes",
            "psnr_db_vs_cpu",
            "image",
        ):
            out.write(f"{key}: {result[key]}\n")
    return {"pass": 0, "warn": 0}.get(result["verdict"], 1)


if __name__ == "__main__":
    sys.exit(main())
