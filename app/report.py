"""The diagnostic report: a Markdown summary of a ProbeResult, redacted, ready to paste into an issue.

Qt-free: ``python main.py report`` and the Detect page's "Copy report"/"Save report" both call
:func:`build_report`, and :func:`write_report` to save it to a file. Personal data (user names,
host names, home folders, serial numbers, UUIDs) is replaced by placeholders with :func:`redact`,
which is a pure function of the text and a :class:`RedactContext`.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import re
import socket
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from app.format import gib, or_missing
from app.version import VERSION
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr
from probes.core.model import SCHEMA

CTX = "report"

USER = "<user>"
HOST = "<host>"
HOME = "<home>"
SERIAL = "<serial>"
UUID = "<uuid>"

# 8-4-4-4-12 hex digits, as in NVML/nvidia-smi "GPU-22b2c6ac-2d49-4863-197c-9c469071178a" and
# Windows PNP instance paths; also the MIG form "MIG-<uuid>".
_UUID_RE = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
# "Serial Number : 1324021022093" (nvidia-smi -q, mthreads-gmi -q), "serial": "..." (JSON tools)
_SERIAL_LINE_RE = re.compile(
    r"(?im)^(\s*(?:board\s+|gpu\s+)?serial(?:\s*number)?\s*[:=]\s*)(?!N/A\b)(\S.*?)\s*$"
)
_SERIAL_JSON_RE = re.compile(r'(?i)("[a-z_ ]*(?:serial|uuid)[a-z_ ]*"\s*:\s*)"((?:[^"\\]|\\.)+)"')
# Home folders by shape, for names we were not told about (another user's path in a recording).
_HOME_RES = (
    re.compile(r"(?<![\w.])/home/([^/\s\"'`|]+)"),
    re.compile(r"(?<![\w.])/Users/([^/\s\"'`|]+)"),
    re.compile(r"(?i)\b([A-Z]:\\\\?Users\\\\?)([^\\\s\"'`|]+)"),
)
# user@host shell prompts pasted from terminals ("casoul@casoul-mt:~$")
_PROMPT_RE = re.compile(r"\b([A-Za-z_][\w.-]{0,31})@([A-Za-z0-9][\w.-]{0,62})(?=:[~/])")
_GENERIC_USERS = {"root", "user", "admin", "administrator", "public", "default", "shared", USER}


@dataclass
class RedactContext:
    """What counts as personal on this machine. Every field is a list of literal strings."""

    user_names: list[str] = field(default_factory=list)
    host_names: list[str] = field(default_factory=list)
    home_dirs: list[str] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)


def _literal_pattern(value: str) -> re.Pattern:
    # word-ish boundaries so the user "amd" does not eat "amdgpu"; paths match as written
    return re.compile(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", re.IGNORECASE)


def redact(text: str, context: RedactContext | None = None) -> str:
    """Replace user names, host names, home folders, serials and UUIDs in ``text``.

    Pure: the same text and context always give the same output. Known literals (from the
    context) go first, longest first; then shapes (UUIDs, serial lines, ``/home/<name>``).
    """
    if not text:
        return text
    ctx = context or RedactContext()
    out = text
    # home folders before user names: "/home/ann" -> "<home>", not "/home/<user>"
    for home in sorted(
        {h.rstrip("/\\") for h in ctx.home_dirs if h and len(h.rstrip("/\\")) > 3}, key=len, reverse=True
    ):
        for variant in {home, home.replace("\\", "\\\\"), home.replace("\\", "/")}:
            out = re.sub(
                re.escape(variant) + r"(?=$|[/\\\s\"'`|,;:)\]])", lambda _m: HOME, out, flags=re.IGNORECASE
            )
    for serial in sorted({s for s in ctx.serials if s and len(s) >= 4}, key=len, reverse=True):
        out = re.sub(re.escape(serial), SERIAL, out, flags=re.IGNORECASE)
    out = _SERIAL_LINE_RE.sub(lambda m: m.group(1) + SERIAL, out)
    out = _SERIAL_JSON_RE.sub(
        lambda m: m.group(1) + (f'"{UUID}"' if "uuid" in m.group(1).lower() else f'"{SERIAL}"'), out
    )
    out = _UUID_RE.sub(UUID, out)
    out = _PROMPT_RE.sub(f"{USER}@{HOST}", out)
    for host in sorted({h for h in ctx.host_names if h and len(h) >= 2}, key=len, reverse=True):
        out = _literal_pattern(host).sub(HOST, out)
        short = host.split(".")[0]
        if short != host and len(short) >= 2:
            out = _literal_pattern(short).sub(HOST, out)
    for pat in _HOME_RES[:2]:
        out = pat.sub(
            lambda m: (
                m.group(0).replace(m.group(1), USER)
                if m.group(1).lower() not in _GENERIC_USERS
                else m.group(0)
            ),
            out,
        )
    out = _HOME_RES[2].sub(
        lambda m: m.group(1) + (USER if m.group(2).lower() not in _GENERIC_USERS else m.group(2)), out
    )
    for user in sorted(
        {u for u in ctx.user_names if u and u.lower() not in _GENERIC_USERS}, key=len, reverse=True
    ):
        if len(user) >= 3:
            out = _literal_pattern(user).sub(USER, out)
    return out


def local_context(result=None, env: dict | None = None) -> RedactContext:
    """The RedactContext for this machine plus everything personal found in ``result``."""
    env = os.environ if env is None else env
    ctx = RedactContext()
    for name in (env.get("USER"), env.get("USERNAME"), env.get("LOGNAME"), _safe(getpass.getuser)):
        if name and name not in ctx.user_names:
            ctx.user_names.append(name)
    for home in (env.get("HOME"), env.get("USERPROFILE"), _safe(lambda: str(Path.home()))):
        if home and home not in ctx.home_dirs:
            ctx.home_dirs.append(home)
    for host in (
        env.get("COMPUTERNAME"),
        env.get("HOSTNAME"),
        _safe(socket.gethostname),
        _safe(platform.node),
    ):
        if host and host not in ctx.host_names and host.lower() != "localhost":
            ctx.host_names.append(host)
    if result is not None:
        hn = getattr(result.host, "hostname", None)
        if hn and hn not in ctx.host_names:
            ctx.host_names.append(hn)
        for gpu in result.gpus:
            if gpu.uuid:
                ctx.serials.append(str(gpu.uuid))
            for key, value in (gpu.extra or {}).items():
                if isinstance(value, (str, int)) and re.search(r"serial|uuid|board_id", key, re.I):
                    ctx.serials.append(str(value))
    return ctx


def _safe(fn):
    try:
        return fn()
    except Exception:  # getpass fails without a login name (containers, services)
        return None


def _cell(value) -> str:
    return or_missing(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def compute_text(compute) -> str:
    detail = compute.capability or compute.gfx or compute.arch
    shown = or_missing(compute.api)
    if detail:
        shown += f" {detail}"
    if compute.max_cuda:
        shown += " (" + tr(CTX, "max CUDA {version}", version=compute.max_cuda) + ")"
    return shown


def tool_versions(result) -> list[tuple[str, str]]:
    """(tool, version) pairs seen in the probe: smi tools, drivers' tools, torch builds."""
    seen: dict[str, str] = {}
    for g in result.gpus:
        if g.driver.tool:
            seen.setdefault(g.driver.tool, or_missing(g.driver.tool_version))
    for r in result.runtimes:
        if r.torch:
            seen.setdefault(f"torch ({r.python})", r.torch)
        for pkg, ver in sorted((r.packages or {}).items()):
            seen.setdefault(f"{pkg} ({r.python})", str(ver))
    return sorted(seen.items())


def build_report(
    result, *, context: RedactContext | None = None, now: datetime | None = None, include_json: bool = True
) -> str:
    """The Markdown report for ``result``, redacted with ``context`` (default: this machine)."""
    ctx = context if context is not None else local_context(result)
    now = now or datetime.now(timezone.utc)
    h = result.host
    lines: list[str] = [f"# {tr(CTX, 'RigPilot diagnostic report')}", ""]
    lines.append(f"RigPilot {VERSION} · `{SCHEMA}` · {now.strftime('%Y-%m-%d %H:%M UTC')}")
    lines.append("")
    if h.simulated:
        lines += [
            "> **" + tr(CTX, "SIMULATED rig '{name}': this is not a real machine.", name=h.simulated) + "**",
            "",
        ]
    lines += [f"## {tr(CTX, 'Host')}", ""]
    lines += _table(
        [tr(CTX, "Field"), tr(CTX, "Value")],
        [
            [tr(CTX, "Operating system"), " ".join(x for x in (h.os, h.os_version) if x) or None],
            [tr(CTX, "Platform"), h.platform],
            [tr(CTX, "Kernel"), h.kernel],
            [tr(CTX, "Architecture"), h.arch],
            [tr(CTX, "CPU"), f"{h.cpu} ({h.cpu_count})" if h.cpu and h.cpu_count else h.cpu],
            [tr(CTX, "Memory"), gib(h.memory_total_bytes)],
            [
                tr(CTX, "Python interpreters"),
                ", ".join(
                    f"{p.get('version') or '?'} ({p.get('path') or '?'})"
                    for p in h.pythons
                    if isinstance(p, dict)
                )
                or None,
            ],
        ],
    )
    lines += ["", f"## {tr(CTX, 'GPUs')}", ""]
    if not result.gpus:
        lines.append(tr(CTX, "No GPU was found."))
    else:
        lines += _table(
            [
                "#",
                tr(CTX, "Vendor"),
                tr(CTX, "Name"),
                "PCI",
                tr(CTX, "Bus"),
                tr(CTX, "Driver"),
                tr(CTX, "Tool"),
                "VRAM",
                tr(CTX, "Compute"),
                tr(CTX, "Sources"),
            ],
            [
                [
                    g.index,
                    g.vendor,
                    g.name,
                    f"{g.pci.vendor_id or '????'}:{g.pci.device_id or '????'}",
                    g.pci.bus_id,
                    g.driver.version
                    if g.driver.loaded is not False
                    else tr(CTX, "{version} (not loaded)", version=or_missing(g.driver.version)),
                    " ".join(x for x in (g.driver.tool, g.driver.tool_version) if x) or None,
                    gib(g.memory_total_bytes),
                    compute_text(g.compute),
                    ", ".join(g.sources) or None,
                ]
                for g in result.gpus
            ],
        )
    adapters = getattr(result, "display_adapters", None) or []
    if adapters:
        lines += ["", f"## {tr(CTX, 'Display adapters (not GPUs)')}", ""]
        lines += _table(
            [tr(CTX, "Name"), tr(CTX, "Kind"), "PCI", tr(CTX, "Bus"), tr(CTX, "Driver")],
            [
                [
                    a.name,
                    a.kind,
                    f"{a.pci.vendor_id or '????'}:{a.pci.device_id or '????'}",
                    a.pci.bus_id,
                    a.driver.module,
                ]
                for a in adapters
            ],
        )
    lines += ["", f"## {tr(CTX, 'Problems')}", ""]
    if not result.problems:
        lines.append(tr(CTX, "No problems found."))
    for p in result.problems:
        where = f" (GPU {p.gpu})" if p.gpu is not None else ""
        lines.append(f"- **{p.severity}** `{p.code}`{where}: {render(p.message)}")
        if p.hint:
            lines.append("  - " + tr(CTX, "Hint: {hint}", hint=render(p.hint)))
    lines += ["", f"## {tr(CTX, 'Python and torch runtimes')}", ""]
    if not result.runtimes:
        lines.append(tr(CTX, "No Python environment was inspected (use --python PATH)."))
    else:
        lines += _table(
            [
                tr(CTX, "Python"),
                tr(CTX, "Version"),
                "torch",
                tr(CTX, "Device APIs"),
                tr(CTX, "Devices"),
                tr(CTX, "Error"),
            ],
            [
                [
                    r.python,
                    r.python_version,
                    r.torch,
                    ", ".join(k for k, v in sorted((r.apis or {}).items()) if v) or None,
                    "; ".join(_device_text(d) for d in r.devices) or None,
                    r.error,
                ]
                for r in result.runtimes
            ],
        )
    lines += ["", f"## {tr(CTX, 'Tool versions')}", ""]
    versions = [("RigPilot", VERSION), ("Python (RigPilot)", platform.python_version())]
    lines += _table(
        [tr(CTX, "Tool"), tr(CTX, "Version")], [list(v) for v in versions + tool_versions(result)]
    )
    if result.timings:
        lines += ["", f"## {tr(CTX, 'Probe timings')}", ""]
        rows = sorted(((k, v) for k, v in result.timings.items() if k != "total"), key=lambda kv: -kv[1])
        if "total" in result.timings:
            rows.append((tr(CTX, "total"), result.timings["total"]))
        lines += _table([tr(CTX, "Source"), tr(CTX, "Seconds")], [[k, f"{v:.3f}"] for k, v in rows])
    if include_json:
        data = json.dumps(
            result.to_json(lang="en", timings=bool(result.timings)), indent=1, ensure_ascii=False
        )
        lines += [
            "",
            "<details><summary>" + tr(CTX, "probe JSON") + "</summary>",
            "",
            "```json",
            data,
            "```",
            "",
            "</details>",
        ]
    lines.append("")
    return redact("\n".join(lines), ctx)


def _device_text(d) -> str:
    if isinstance(d, dict):
        api, index, name = d.get("api"), d.get("index"), d.get("name")
    else:
        api, index, name = d.api, d.index, d.name
    return f"{api}:{index} {name or ''}".strip()


def rebuild_problems(data: dict, problems: list) -> list:
    """Problems of a saved probe that carry ``"args"`` rebuilt from the catalog, so that their messages
    render (in the current language) like a fresh probe's."""
    from probes.core.problems import CATALOG, problem

    rebuilt = []
    for raw, prob in zip(data.get("problems") or [], problems, strict=True):
        args = raw.get("args")
        if isinstance(args, dict) and raw.get("code") in CATALOG:
            rebuilt.append(
                problem(
                    raw["code"],
                    gpu=raw.get("gpu"),
                    severity=raw.get("severity"),
                    source=raw.get("source"),
                    **args,
                )
            )
        else:
            rebuilt.append(prob)
    return rebuilt


def load_probe_json(path) -> object:
    """A ProbeResult from a saved ``probe --json`` file (``timings_s`` kept).

    A problem may carry ``"args"`` (the placeholders of its catalog message); it is then rebuilt
    from the catalog so it re-renders in the current language, like a fresh probe's problems.
    Raises RigPilotError ``probe-json-unreadable`` for a missing or malformed file.
    """
    from probes.core.errors import RigPilotError
    from probes.core.i18n import Text
    from probes.core.model import ProbeResult

    p = Path(path).expanduser()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document")
        result = ProbeResult.from_json(data)
        result.problems = rebuild_problems(data, result.problems)
        result.timings = {str(k): float(v) for k, v in (data.get("timings_s") or {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RigPilotError(
            "probe-json-unreadable",
            Text(
                "errors",
                "Cannot read the probe result {path}: {detail}",
                path=str(p),
                detail=getattr(exc, "strerror", None) or str(exc),
            ),
            Text("errors", "Pass a file written by 'python main.py probe --json'."),
        ) from None
    return result


def write_report(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; an existing file is kept unless ``force``."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise RigPilotError(
            "report-path-invalid",
            Text("errors", "{path} is a folder, not a file.", path=str(target)),
            Text("errors", "Give a file name, for example rigpilot-report.md."),
        )
    if target.exists() and not force:
        raise RigPilotError(
            "report-file-exists",
            Text("errors", "{path} already exists; it was left unchanged.", path=str(target)),
            Text("errors", "Choose another file name or add --force to overwrite it."),
        )
    parent = target.parent if str(target.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rigpilot-report-", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise RigPilotError(
            "report-write-failed",
            Text(
                "errors",
                "Cannot write the report to {path}: {detail}",
                path=str(target),
                detail=exc.strerror or str(exc),
            ),
            Text("errors", "Choose a folder you can write to."),
        ) from None
    return target
