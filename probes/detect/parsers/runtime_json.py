"""Pure parser for the line ``probes/detect/runtime_script.py`` prints inside a target interpreter."""

from __future__ import annotations

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import Runtime, RuntimeDevice

MARKER = "RIGPILOT_RUNTIME "
TOOL = "runtime probe"
_APIS = ("cuda", "rocm", "musa", "xpu", "mps", "directml")


def _s(value, limit=400):
    return value[:limit] if isinstance(value, str) and value else None


def _i(value, bounds=(0, v.MEMORY_BYTES[1])):
    return value if isinstance(value, int) and v.ascii_int(value, bounds) is not None else None


def parse_runtime(text: str, python: str) -> Runtime:
    """The last ``RIGPILOT_RUNTIME {...}`` line -> Runtime (``python`` is the path we ran)."""
    text = v.text(text, TOOL)
    line = None
    for raw in text.splitlines():
        if raw.startswith(MARKER):
            line = raw[len(MARKER) :]
    if line is None:
        raise ParseError(TOOL, "no RIGPILOT_RUNTIME line in the output")
    d = v.json_loads(line, TOOL)
    if not isinstance(d, dict):
        raise ParseError(TOOL, "the runtime line is not an object")
    devices = []
    listed = d.get("devices")
    for dev in listed if isinstance(listed, list) else []:
        if not isinstance(dev, dict) or dev.get("api") not in _APIS or _i(dev.get("index"), v.INDEX) is None:
            continue
        mem = _i(dev.get("memory_total_bytes"))
        devices.append(
            RuntimeDevice(
                api=dev["api"],
                index=dev["index"],
                name=_s(dev.get("name")),
                capability=_s(dev.get("capability"), 40),
                memory_total_bytes=mem or None,
            )
        )
    apis = (
        {k: bool(v) for k, v in (d.get("apis") or {}).items() if k in _APIS and isinstance(v, bool)}
        if isinstance(d.get("apis"), dict)
        else {}
    )
    arch = (
        [a for a in (d.get("arch_list") or []) if isinstance(a, str)]
        if isinstance(d.get("arch_list"), list)
        else []
    )
    packages = (
        {k: v for k, v in (d.get("packages") or {}).items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(d.get("packages"), dict)
        else {}
    )
    errors = (
        {
            k: v[:400]
            for k, v in (d.get("api_errors") or {}).items()
            if isinstance(k, str) and isinstance(v, str)
        }
        if isinstance(d.get("api_errors"), dict)
        else {}
    )
    torch = _s(d.get("torch"), 80)
    local = _s(d.get("torch_local"), 40)
    if local is None and torch and "+" in torch:
        local = torch.split("+", 1)[1]
    return Runtime(
        python=python,
        python_version=_s(d.get("python_version"), 40),
        torch=torch,
        torch_local=local,
        cuda=_s(d.get("cuda"), 40),
        hip=_s(d.get("hip"), 80),
        musa=_s(d.get("musa"), 40),
        apis=apis,
        devices=devices,
        arch_list=arch,
        packages=packages,
        error=_s(d.get("error")),
        api_errors=errors,
    )
