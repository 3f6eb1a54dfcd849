"""Problem codes: stable kebab-case code, severity, message and hint (translatable).

The catalog below is the base set; a source module may ``define()`` its own codes at import time
(plain dict insert, no I/O). Translations live in ``assets/i18n/*_zh_CN.ts`` (context "problems").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from probes.core.host import CommandResult, Host
from probes.core.i18n import Text
from probes.core.model import Problem
from probes.core.values import first_line

CTX = "problems"


@dataclass(frozen=True)
class ProblemSpec:
    code: str
    severity: str
    message: str
    hint: str


CATALOG: dict[str, ProblemSpec] = {}


def define(code: str, severity: str, message: str, hint: str) -> ProblemSpec:
    spec = ProblemSpec(code, severity, message, hint)
    existing = CATALOG.get(code)
    if existing is not None and existing != spec:
        raise ValueError(f"problem code {code!r} defined twice with different texts")
    CATALOG[code] = spec
    return spec


def problem(
    code: str,
    *,
    gpu: int | None = None,
    severity: str | None = None,
    source: str | None = None,
    **args: object,
) -> Problem:
    """Build a Problem from the catalog; ``args`` fill the {placeholders} of message and hint."""
    spec = CATALOG[code]
    if source is not None:
        args.setdefault("source", source)
    return Problem(
        code=code,
        severity=severity or spec.severity,
        message=Text(CTX, spec.message, **args),
        hint=Text(CTX, spec.hint, **args) if spec.hint else None,
        gpu=gpu,
        source=source,
    )


define(
    "no-gpu",
    "warning",
    "No graphics card was found on the PCI bus.",
    "Generation will run on the CPU, which is very slow. If a card is installed, check that it is "
    "seated and powered, and that the BIOS has not disabled it.",
)
define(
    "driver-not-installed",
    "error",
    "{name} is on the PCI bus but no driver is bound to it and no {vendor_tool} tool was found.",
    "Install the {vendor_label} driver for your operating system, then reboot and re-scan.",
)
define(
    "driver-not-loaded",
    "error",
    "The {vendor_label} driver is installed but not loaded for {name}.",
    "Load the kernel module ({module}) or reboot; check 'dmesg' for errors if it still fails.",
)
define(
    "nvml-driver-mismatch",
    "error",
    "The NVIDIA driver library and the loaded kernel module have different versions.",
    "This happens after a driver update without a reboot: reboot (or reload the nvidia kernel modules).",
)
define(
    "smi-tool-failed",
    "warning",
    "{tool} failed (exit code {rc}): {detail}",
    "Run '{command}' in a terminal to see the full message; reinstalling the driver often fixes a "
    "broken management tool.",
)
define(
    "smi-tool-timeout",
    "warning",
    "{tool} did not answer within {timeout} s and was stopped.",
    "The driver may be stuck or the card busy resetting. Reboot if '{command}' also hangs in a terminal.",
)
define(
    "smi-output-unparsed",
    "warning",
    "The output of {tool} could not be read: {detail}",
    "Please attach 'python main.py report' to a bug report so the parser can learn this format.",
)
define(
    "probe-source-timeout",
    "warning",
    "Reading {source} took longer than {timeout} s; its information is missing.",
    "Re-scan; if it keeps happening, the tool behind {source} is hanging.",
)
define(
    "probe-source-failed",
    "warning",
    "Reading {source} failed unexpectedly ({detail}).",
    "Please report this with 'python main.py report' attached.",
)
define(
    "torch-cpu-build-on-gpu-machine",
    "error",
    "{python} has a CPU-only torch ({torch}) although this machine has {gpu_name}.",
    "Generation would silently run on the CPU. Install the torch build the Match page recommends.",
)
define(
    "torch-arch-not-supported",
    "error",
    "torch {torch} in {python} has no kernels for {gpu_name} ({arch}); it was built for {arch_list}.",
    "You would get 'no kernel image is available'. Install a torch build whose arch list includes "
    "{arch} (see the Match page).",
)
define(
    "python-version-unsupported",
    "warning",
    "Python {version} is not supported by {package} (needs {required}).",
    "Install Python {required} and let RigPilot create the environment with it.",
)
define(
    "render-group-missing",
    "error",
    "Your user cannot open {device}; it belongs to group '{group}' and you are not a member.",
    "Run 'sudo usermod -aG {group} $USER', then log out and in again.",
)
define(
    "torch-probe-failed",
    "warning",
    "Could not inspect the Python environment {python}: {detail}",
    "Check that the path is a Python interpreter; run it with '-c \"import torch\"' to see the error.",
)
define(
    "simulated-rig",
    "info",
    "This is the simulated rig '{name}', not your machine.",
    "Run without --simulate to probe the real hardware.",
)


def tool_problem(
    result: CommandResult, tool: str, *, gpu: int | None = None, source: str | None = None
) -> Problem | None:
    """The problem a failed tool run means, or None when it ran fine or simply is not installed."""
    command = " ".join(result.argv)
    if result.error == "not-found":
        return None
    if result.error == "output-too-large":  # stopped by Host.run: its output cannot be read
        return problem(
            "smi-output-unparsed",
            gpu=gpu,
            source=source,
            tool=tool,
            detail=result.detail or "too much output",
        )
    if result.error == "timeout":
        m = re.search(r"within ([0-9.]+)", result.detail or "")
        timeout = m.group(1) if m else "?"
        return problem(
            "smi-tool-timeout", gpu=gpu, source=source, tool=tool, timeout=timeout, command=command
        )
    if result.error is not None or result.rc != 0:
        detail = (
            first_line(result.stderr[:65536], 200)
            or first_line(result.stdout[:65536], 200)
            or first_line(result.detail or "", 200)
            or "-"
        )
        return problem(
            "smi-tool-failed",
            gpu=gpu,
            source=source,
            tool=tool,
            rc=result.rc if result.rc is not None else result.error,
            detail=detail,
            command=command,
        )
    return None


_T = TypeVar("_T")


def run_parsed(
    host: Host,
    argv: list[str],
    tool: str,
    parse: Callable[[str], _T],
    problems: list,
    *,
    source: str | None = None,
    timeout_s: float | None = None,
) -> _T | None:
    """Run a tool and parse its stdout; on failure append the problem (tool failed/timed out, or
    output unparsed) to ``problems`` and return None. A missing tool returns None silently."""
    from probes.core.errors import ParseError

    run = host.run(argv, timeout_s=timeout_s)
    bad = tool_problem(run, tool, source=source)
    if bad is not None:
        problems.append(bad)
        return None
    if run.error is not None:
        return None
    if not run.stdout.strip():  # exit code 0 and nothing printed: not an answer either
        problems.append(problem("smi-output-unparsed", source=source, tool=tool, detail="no output"))
        return None
    try:
        return parse(run.stdout)
    except ParseError as exc:
        problems.append(problem("smi-output-unparsed", source=source, tool=tool, detail=exc.detail))
        return None
