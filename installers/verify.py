"""Verification after install (issue 12, point 5): the environment that was built against what the
profile chose. Pure: it compares a runtime report (the runtime probe run in the new environment, as
``Runtime.to_json()``) and an environment report (``installers/env_script.py``: distributions and
imports) with the expectations; running them is the executor's job.

Each check has a stable code; a failed ``error`` check stops the switch to the new environment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from installers.plan import normalize
from probes.core.i18n import Text, render

COMPANION_MODULES = {
    "torchvision": "torchvision",
    "torchaudio": "torchaudio",
    "torch-musa": "torch_musa",
    "torch-directml": "torch_directml",
    "torch-supa": "torch_supa",
    "torchada": "torchada",
}
NMS = "torchvision::nms does not exist"


@dataclass(frozen=True)
class Expect:
    torch: str  # the exact version installed from the pins, with its local tag ("2.13.0+cpu")
    api: str  # cuda | rocm | musa | xpu | directml | mps | cpu
    companions: tuple = ()  # distribution names that must import and match torch
    torch_index: str | None = None
    capability: str | None = None  # the card's, for the arch check
    device_pending: bool = False  # the driver is missing: no device is expected yet


@dataclass(frozen=True)
class Check:
    id: str
    ok: bool
    severity: str  # "error" | "warning" | "info"
    message: Text
    code: str | None = None
    hint: Text | None = None

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "id": self.id,
            "ok": self.ok,
            "severity": self.severity,
            "code": self.code,
            "message": render(self.message, lang),
            "hint": render(self.hint, lang) if self.hint is not None else None,
        }


def expected_api(packages: tuple, index_url: str | None, selection_id: str = "") -> str:
    """The device API the profile's build should have: from its vendor packages, its index URL or the
    torch pin's local tag; ``unknown`` skips the API and device checks (a vendor build the runtime probe
    cannot judge, or an index that says nothing)."""
    pins = {}
    for p in packages:
        name, _, version = p.partition("==")
        pins[re.split(r"[<>!~\[]", name, maxsplit=1)[0].strip().lower().replace("_", "-")] = version
    url = (index_url or "").lower().rstrip("/")
    local = (_local(pins.get("torch", "")) or "").lower()
    checks = (
        ("torch-musa" in pins, "musa"),
        ("torch-directml" in pins, "directml"),
        ("torch-supa" in pins, "unknown"),
        (bool(re.search(r"/rocm[\d.]*$", url)) or local.startswith("rocm"), "rocm"),
        (url.endswith("/xpu") or local == "xpu", "xpu"),
        (bool(re.search(r"/cu\d+$", url)) or bool(re.match(r"cu\d+$", local)), "cuda"),
        (url.endswith("/cpu") or local == "cpu", "cpu"),
        ("mps" in selection_id, "mps"),
    )
    return next((api for hit, api in checks if hit), "unknown")


def _local(version: str) -> str | None:
    return version.split("+", 1)[1] if "+" in version else None


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _check_torch(runtime: dict | None, env: dict, e: Expect) -> list[Check]:
    # the distribution's version is what was installed (PyPI's CUDA wheel is "2.14.1" while its
    # torch.__version__ says "2.14.1+cu130"); the runtime's string is shown and read for the local tag
    torch = installed_version(env, "torch") or (runtime or {}).get("torch")
    imported = (env.get("imports") or {}).get("torch") or {}
    if not torch or imported.get("ok") is False:
        error = imported.get("error") or (runtime or {}).get("error") or "torch is not installed"
        return [
            Check(
                "torch-import",
                False,
                "error",
                Text("verify", "torch does not import in the new environment: {error}", error=error),
                "verify-torch-import",
                Text(
                    "verify", "Run install --repair DIR; if it fails again, read the log of the torch step."
                ),
            )
        ]
    if not _same(torch, e.torch):
        return [
            Check(
                "torch-version",
                False,
                "error",
                Text("verify", "torch is {got}, the profile pins {want}.", got=torch, want=e.torch),
                "verify-torch-version",
                Text("verify", "Something replaced the pinned build: run install --repair DIR."),
            )
        ]
    shown = (runtime or {}).get("torch") or torch
    out = [Check("torch-version", True, "info", Text("verify", "torch {version} as pinned.", version=shown))]
    if e.api not in ("cpu", "directml", "mps", "unknown") and _local(shown) == "cpu":
        out.append(
            Check(
                "torch-cpu-build",
                False,
                "error",
                Text(
                    "verify",
                    "torch {version} is a CPU build; the profile chose a {api} build.",
                    version=torch,
                    api=e.api,
                ),
                "verify-torch-cpu-build",
                Text(
                    "verify",
                    "The pin resolved to the CPU wheel: check the profile's index URL, then run the "
                    "install again.",
                ),
            )
        )
    return out


def installed_version(env: dict, name: str) -> str | None:
    """The version of distribution ``name`` (PEP 503 normalized) in an environment report."""
    for k, v in (env.get("distributions") or {}).items():
        if normalize(k) == name:
            return v.get("version")
    return None


def _check_api(runtime: dict | None, e: Expect) -> list[Check]:
    if runtime is None or e.api in ("cpu", "unknown"):
        return []
    field = {"cuda": "cuda", "rocm": "hip", "musa": "musa"}.get(e.api)
    out = []
    if field and not runtime.get(field):
        out.append(
            Check(
                "torch-api",
                False,
                "error",
                Text(
                    "verify",
                    "torch.version.{field} is empty: this torch has no {api} support.",
                    field=field,
                    api=e.api,
                ),
                "verify-torch-api-missing",
                Text(
                    "verify", "The wrong build was installed: check the profile's index URL and run it again."
                ),
            )
        )
    visible = bool((runtime.get("apis") or {}).get(e.api)) or any(
        (d.get("api") if isinstance(d, dict) else None) == e.api for d in runtime.get("devices") or []
    )
    if not visible:
        err = (runtime.get("api_errors") or {}).get(e.api)
        sev = "warning" if e.device_pending else "error"
        hint = (
            Text(
                "verify",
                "Expected until the driver is installed; verify again after Detect shows the driver.",
            )
            if e.device_pending
            else Text("verify", "Check the driver with Detect; then run the smoke test (install --verify).")
        )
        out.append(
            Check(
                "device-visible",
                False,
                sev,
                Text(
                    "verify",
                    "torch sees no {api} device{detail}.",
                    api=e.api,
                    detail=f" ({err})" if err else "",
                ),
                "verify-no-device",
                hint,
            )
        )
    else:
        out.append(
            Check("device-visible", True, "info", Text("verify", "torch sees the {api} device.", api=e.api))
        )
    return out


def _check_arch(runtime: dict | None, e: Expect, arch_check: Callable | None) -> list[Check]:
    if runtime is None or e.api != "cuda" or not e.capability or arch_check is None:
        return []
    verdict, detail = arch_check(e.capability, runtime.get("arch_list") or [])
    if verdict in ("ok", "ptx"):
        return [
            Check(
                "arch",
                True,
                "info",
                Text("verify", "The arch list covers compute capability {cap}.", cap=e.capability),
            )
        ]
    return [
        Check(
            "arch",
            False,
            "error",
            Text(
                "verify",
                "This torch has no kernels for compute capability {cap} ({detail}).",
                cap=e.capability,
                detail=detail or "",
            ),
            "verify-arch-not-covered",
            Text("verify", "Choose a profile whose CUDA variant covers the card (a newer cu index)."),
        )
    ]


def _check_companions(env: dict, e: Expect) -> list[Check]:
    out = []
    imports = env.get("imports") or {}
    present = {k.lower().replace("_", "-") for k in (env.get("distributions") or {})}
    for name in sorted({*e.companions, *(n for n in COMPANION_MODULES if n in present and n != "torch")}):
        module = COMPANION_MODULES.get(name, name.replace("-", "_"))
        res = imports.get(module)
        if res is None:
            continue
        version = installed_version(env, name)
        if res.get("ok"):
            out.append(
                Check(
                    f"import-{name}",
                    True,
                    "info",
                    Text("verify", "{name} {version} imports.", name=name, version=version or "?"),
                )
            )
            continue
        error = str(res.get("error") or "")
        if NMS in error or (name == "torchvision" and "operator torchvision::" in error):
            out.append(
                Check(
                    f"import-{name}",
                    False,
                    "error",
                    Text(
                        "verify",
                        "torchvision {version} was built for another torch than {torch}: {error}",
                        version=version or "?",
                        torch=e.torch,
                        error=error,
                    ),
                    "verify-torchvision-mismatch",
                    Text(
                        "verify",
                        "Install the torchvision built for torch {torch} from the same index as torch "
                        "({index}): "
                        "pin it in the profile, or run: python -m pip install --force-reinstall --no-deps "
                        "--index-url {index} torchvision==<the release paired with torch {torch}>",
                        torch=e.torch,
                        index=e.torch_index or "the torch index",
                    ),
                )
            )
            continue
        out.append(
            Check(
                f"import-{name}",
                False,
                "error",
                Text("verify", "{name} does not import: {error}", name=name, error=error),
                "verify-companion-import",
                Text(
                    "verify",
                    "A package built for torch does not match the installed build: reinstall it from the "
                    "torch index.",
                ),
            )
        )
    return out


def verify(
    runtime: dict | None, env: dict, expect: Expect, *, arch_check: Callable | None = None
) -> list[Check]:
    """Every check; the caller fails the install when one with severity ``error`` is not ok."""
    checks = _check_torch(runtime, env, expect)
    if not checks[0].ok:
        return checks
    checks += _check_api(runtime, expect)
    checks += _check_arch(runtime, expect, arch_check)
    checks += _check_companions(env, expect)
    return checks


def failures(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.ok and c.severity == "error"]


def import_modules(companions: tuple, present: set) -> list[str]:
    """The modules the environment report should try: torch, the pinned companions and any companion
    that ended up installed anyway (pulled in by the app's requirements)."""
    names = {*companions, *(n for n in COMPANION_MODULES if n in present)}
    return ["torch", *sorted({COMPANION_MODULES.get(n, n.replace("-", "_")) for n in names})]


# what the environment report imports for the verification: torch and every companion it may hold
VERIFY_MODULES = import_modules(tuple(COMPANION_MODULES), set())
