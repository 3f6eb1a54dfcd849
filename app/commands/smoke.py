"""``python main.py smoke``: the quantized generation smoke test, run in any interpreter.

Equivalent by hand: ``cd <repo> && PY -m probes.smoke.target --json-lines --device auto``.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading

from app.format import mib, number
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "smoke"
HELP = Text("cli", "run a small quantized image generation on the GPU and check it against the CPU")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--python",
        metavar="PY",
        default=None,
        help=tr("cli", "interpreter of the environment to test (default: this one)"),
    )
    p.add_argument(
        "--device",
        default="auto",
        help=tr("cli", "auto, cpu, cuda[:N], musa[:N], xpu[:N], mps or directml (default auto)"),
    )
    p.add_argument(
        "--dtype",
        default="auto",
        choices=["auto", "fp32", "fp16", "bf16"],
        help=tr("cli", "precision (default: bf16 where supported, else fp16; fp32 on the CPU)"),
    )
    p.add_argument("--steps", type=int, default=None, help=tr("cli", "sampler steps (default 20)"))
    p.add_argument(
        "--resolution",
        type=int,
        default=None,
        help=tr("cli", "image size in pixels, a multiple of 4 (default 32)"),
    )
    p.add_argument(
        "--model", metavar="FILE", default=None, help=tr("cli", "GGUF model file (default: built in)")
    )
    p.add_argument("--out", metavar="DIR", default=None, help=tr("cli", "folder for the generated image"))
    p.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="S",
        help=tr("cli", "stop the test after S seconds (default 300)"),
    )
    p.add_argument("--json", action="store_true", help=tr("cli", "print the rigpilot.smoke/1 result JSON"))
    p.add_argument(
        "--history",
        action="store_true",
        help=tr("cli", "list the earlier runs (this command's and the Verify page's) instead of running"),
    )
    p.add_argument("--inject", default="", help=argparse.SUPPRESS)


def summary(result: dict) -> str:
    """A readable, translated summary of a smoke result."""
    from probes.smoke.codes import VERDICTS, explain

    na = tr("smoke", "n/a")  # the summary's mark for a value the run did not give
    lines = []
    verdict = result.get("verdict")
    lines.append(tr("smoke", "Verdict: {verdict}", verdict=render(VERDICTS.get(verdict, verdict)).upper()))
    if result.get("device"):
        lines.append(
            tr(
                "smoke",
                "Device: {device} ({name}), {dtype} — {reason}",
                device=result["device"],
                name=result.get("device_name") or "?",
                dtype=result.get("dtype") or "?",
                reason=result.get("dtype_reason") or "",
            )
        )
    if result.get("torch"):
        lines.append(
            tr(
                "smoke",
                "Python: {python} · torch {torch}",
                python=result.get("python") or "?",
                torch=result["torch"],
            )
        )
    if result.get("step_times_s"):
        lines.append(
            tr(
                "smoke",
                "Speed: {sps} steps/s over {steps} steps ({res}×{res} px), total {total} s",
                sps=number(result.get("steps_per_s"), missing=na),
                steps=result.get("steps"),
                res=result.get("resolution"),
                total=number(result.get("total_s"), missing=na),
            )
        )
        lines.append(
            tr(
                "smoke",
                "Dequantization: {gbps} GB/s · peak device memory: {mem}",
                gbps=number(result.get("dequant_gbps"), 3, missing=na),
                mem=mib(result.get("peak_memory_bytes"), missing=na),
            )
        )
    if result.get("psnr_db_vs_cpu") is not None:
        lines.append(
            tr(
                "smoke",
                "Against the CPU float32 image: PSNR {psnr} dB, max abs error {err}",
                psnr=number(result["psnr_db_vs_cpu"], 1, missing=na),
                err=number(result.get("max_abs_error_vs_cpu"), 4, missing=na),
            )
        )
    if result.get("image"):
        lines.append(tr("smoke", "Image: {path}", path=result["image"]))
    for problem in result.get("problems", []):
        message, hint = explain(
            problem["code"], **{k: v for k, v in problem.items() if k not in ("code", "severity", "detail")}
        )
        lines.append(f"[{problem['code']}] {render(message)}")
        if problem.get("detail"):
            lines.append("    " + tr("smoke", "detail: {detail}", detail=problem["detail"]))
        if hint:
            lines.append("    " + tr("smoke", "hint: {hint}", hint=render(hint)))
        if problem.get("command"):
            lines.append("    " + tr("smoke", "command: {command}", command=problem["command"]))
    return "\n".join(lines)


def history_text(runs: list[dict], path) -> str:
    """The recorded runs, oldest first, one line each (translated)."""
    from probes.smoke.codes import VERDICTS

    if not runs:
        return tr("smoke", "No smoke test recorded yet ({path}).", path=str(path))
    na = tr("smoke", "n/a")
    lines = [
        tr("smoke", "Smoke-test history: {n} run(s), newest last, in {path}", n=len(runs), path=str(path))
    ]
    for run in runs:
        verdict = run.get("verdict")
        line = tr(
            "smoke",
            "{when}  {verdict}  {device} ({dtype}) · {sps} steps/s · PSNR {psnr} dB · {python}",
            when=run.get("when") or "?",
            verdict=render(VERDICTS.get(verdict, verdict or "?")).upper(),
            device=run.get("device") or "?",
            dtype=run.get("dtype") or "?",
            sps=number(run.get("steps_per_s"), missing=na),
            psnr=number(run.get("psnr_db_vs_cpu"), 1, missing=na),
            python=run.get("python") or "?",
        )
        codes = [c for c in run.get("codes") or [] if isinstance(c, str)]
        lines.append(line + (f"  [{' '.join(codes)}]" if codes else ""))
    return "\n".join(lines)


def show_history(args) -> int:
    """``smoke --history [--json]``: print the recorded runs; a damaged file is kept aside and said so."""
    from probes.smoke import history

    path = history.default_path()
    runs, damaged = history.read(path)
    if damaged is not None:
        print(
            tr(
                "smoke",
                "The history file was damaged; it was kept as {path} and a new history starts.",
                path=str(damaged),
            ),
            file=sys.stderr,
        )
    if args.json:
        out = {"schema": history.SCHEMA, "path": str(path), "damaged": damaged and str(damaged), "runs": runs}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(history_text(runs, path) + "\n")
    return 0


def record(result: dict, requested: dict) -> None:
    """Append a finished run to the history shared with the Verify page; a failed write is said, not fatal."""
    from probes.smoke import history

    if not result or result.get("verdict") == "cancelled":
        return
    path = history.default_path()
    try:
        history.append(path, history.record(result, requested))
    except OSError as exc:
        print(
            tr("smoke", "Could not save the history to {path}: {error}", path=str(path), error=str(exc)),
            file=sys.stderr,
        )


def run(args) -> int:
    from probes.smoke.client import default_out_dir, run_smoke

    if args.history:
        return show_history(args)
    if args.steps is not None and not 1 <= args.steps <= 1000:
        raise RigPilotError(
            "bad-argument",
            Text("cli", "--steps must be between 1 and 1000."),
            Text("cli", "The default is 20."),
        )
    if args.resolution is not None and (args.resolution < 8 or args.resolution % 4 or args.resolution > 4096):
        raise RigPilotError(
            "bad-argument",
            Text("cli", "--resolution must be a multiple of 4 from 8 to 4096."),
            Text("cli", "The default is 32; try 256 or 512 to exercise video memory."),
        )
    live = not args.json and sys.stderr.isatty()

    def on_event(event: dict) -> None:
        kind = event.get("event")
        if args.json:
            return
        if kind == "device":
            print(
                tr(
                    "smoke",
                    "Running on {device} ({name}) in {dtype}…",
                    device=event.get("device"),
                    name=event.get("name"),
                    dtype=event.get("dtype"),
                ),
                file=sys.stderr,
                flush=True,
            )
        elif kind == "step":
            text = tr(
                "smoke",
                "step {step}/{steps}: {seconds} s",
                step=event["step"],
                steps=event["steps"],
                seconds=f"{event['seconds']:.3f}",
            )
            print(("\r" + text) if live else text, end="" if live else "\n", file=sys.stderr, flush=True)
            if live and event["step"] == event["steps"]:
                print(file=sys.stderr)

    cancel = threading.Event()
    holder: dict = {}

    def work():
        holder["result"] = run_smoke(
            args.python,
            on_event=on_event,
            timeout_s=args.timeout,
            cancel=cancel,
            device=args.device,
            dtype=args.dtype,
            steps=args.steps,
            resolution=args.resolution,
            model=args.model,
            out=args.out or str(default_out_dir()),
            inject=args.inject,
        )

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        worker.join(15)
        print(tr("smoke", "Cancelled."), file=sys.stderr)
        return 130
    result = holder.get("result") or {}
    record(
        result,
        {
            "python": args.python or sys.executable,
            "device": args.device,
            "dtype": args.dtype,
            "steps": args.steps,
            "resolution": args.resolution,
        },
    )
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(summary(result) + "\n")
    return 0 if result.get("verdict") in ("pass", "warn") else 1
