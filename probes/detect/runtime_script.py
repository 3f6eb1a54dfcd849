"""Runs INSIDE the target interpreter (``probe --python PATH``): standard library only.

Prints one line ``RIGPILOT_RUNTIME <json>`` describing the interpreter and its torch build.
Every check sits in its own try: an exception becomes an error string in the JSON, never a
crash (importing torch_musa against the wrong torch raises "undefined symbol", for example).
Written for every CPython >= 3.6 (f-strings only; no walrus, no ``str | None``): old venvs must be
readable too.
Third-party libraries may print to stdout while importing, hence the marker prefix.
"""

import json
import platform
import sys

MARKER = "RIGPILOT_RUNTIME "
PACKAGES = (
    "torch",
    "torchvision",
    "torchaudio",
    "torch_musa",
    "torch-directml",
    "intel-extension-for-pytorch",
    "torchada",
    "triton",
)


def _err(exc):
    text = f"{type(exc).__name__}: {exc}"
    return text[:400]


def _versions(out):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8
        metadata = None  # type: ignore[assignment]  # Python < 3.8: importlib has no metadata
    for name in PACKAGES:
        version = None
        for spelling in (name, name.replace("_", "-"), name.replace("-", "_")):
            try:
                if metadata is not None:
                    version = metadata.version(spelling)
                else:
                    import pkg_resources  # only on very old interpreters

                    version = pkg_resources.get_distribution(spelling).version
            except Exception:
                version = None
            if version:
                out["packages"][name] = version
                break


def _importable(module):
    try:
        import importlib.util

        return importlib.util.find_spec(module) is not None
    except Exception:
        return False


def _cuda(torch, out):
    cuda = torch.cuda
    ok = bool(cuda.is_available())
    out["apis"]["cuda"] = ok
    hip = getattr(torch.version, "hip", None)
    if hip:
        out["apis"]["rocm"] = ok
    try:
        out["arch_list"] = [str(a) for a in cuda.get_arch_list()]
        if not out["arch_list"] and (getattr(torch.version, "cuda", None) or hip):
            # get_arch_list() answers [] while no device is usable; the compiled-in flags still tell
            # which GPUs this build could drive (so the arch check works with a broken driver too).
            flags = getattr(torch._C, "_cuda_getArchFlags", None)
            if flags is not None:
                out["arch_list"] = [a for a in str(flags() or "").split() if a]
    except Exception as exc:
        out["api_errors"]["arch_list"] = _err(exc)
    if not ok:
        return
    for i in range(cuda.device_count()):
        dev: dict = {"api": "rocm" if hip else "cuda", "index": i}
        try:
            props = cuda.get_device_properties(i)
            dev["name"] = props.name
            dev["memory_total_bytes"] = int(props.total_memory)
            if hip:
                gcn = getattr(props, "gcnArchName", None)
                dev["capability"] = str(gcn).split(":")[0] if gcn else None
            else:
                dev["capability"] = f"{props.major}.{props.minor}"
        except Exception as exc:
            out["api_errors"][f"cuda:{i}"] = _err(exc)
        out["devices"].append(dev)


def _musa(torch, out):
    import torch_musa  # noqa: F401 - registers torch.musa

    musa = torch.musa
    ok = bool(musa.is_available())
    out["apis"]["musa"] = ok
    out["musa"] = getattr(torch.version, "musa", None) or getattr(torch_musa, "__version__", None)
    if not ok:
        return
    for i in range(musa.device_count()):
        dev: dict = {"api": "musa", "index": i}
        try:
            dev["name"] = musa.get_device_name(i)
            cap = musa.get_device_capability(i)
            dev["capability"] = f"{cap[0]}.{cap[1]}"
            props = musa.get_device_properties(i)
            dev["memory_total_bytes"] = int(getattr(props, "total_memory", 0)) or None
        except Exception as exc:
            out["api_errors"][f"musa:{i}"] = _err(exc)
        out["devices"].append(dev)


def _xpu(torch, out):
    xpu = getattr(torch, "xpu", None)
    if xpu is None:
        out["apis"]["xpu"] = False
        return
    ok = bool(xpu.is_available())
    out["apis"]["xpu"] = ok
    if not ok:
        return
    for i in range(xpu.device_count()):
        dev: dict = {"api": "xpu", "index": i}
        try:
            props = xpu.get_device_properties(i)
            dev["name"] = props.name
            dev["memory_total_bytes"] = int(getattr(props, "total_memory", 0)) or None
        except Exception as exc:
            out["api_errors"][f"xpu:{i}"] = _err(exc)
        out["devices"].append(dev)


def _mps(torch, out):
    mps = getattr(torch.backends, "mps", None)
    ok = bool(mps is not None and mps.is_available())
    out["apis"]["mps"] = ok
    if ok:
        out["devices"].append({"api": "mps", "index": 0, "name": "Apple MPS"})


def _directml(torch, out):
    import torch_directml

    ok = bool(torch_directml.is_available())
    out["apis"]["directml"] = ok
    if not ok:
        return
    for i in range(torch_directml.device_count()):
        dev: dict = {"api": "directml", "index": i}
        try:
            dev["name"] = torch_directml.device_name(i)
        except Exception as exc:
            out["api_errors"][f"directml:{i}"] = _err(exc)
        out["devices"].append(dev)


def collect():
    out: dict = {
        "python": sys.executable,
        "python_version": ".".join(str(x) for x in sys.version_info[:3]),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "torch": None,
        "torch_local": None,
        "cuda": None,
        "hip": None,
        "musa": None,
        "apis": {},
        "devices": [],
        "arch_list": [],
        "packages": {},
        "api_errors": {},
        "error": None,
    }
    try:
        _versions(out)
    except Exception as exc:
        out["api_errors"]["packages"] = _err(exc)
    try:
        import torch
    except BaseException as exc:  # ImportError, OSError (missing DLL), even SystemExit from a broken build
        out["error"] = "import torch: " + _err(exc)
        return out
    version = str(getattr(torch, "__version__", "") or "") or None
    out["torch"] = version
    if version and "+" in version:
        out["torch_local"] = version.split("+", 1)[1]
    out["cuda"] = getattr(torch.version, "cuda", None)
    out["hip"] = getattr(torch.version, "hip", None)
    out["musa"] = getattr(torch.version, "musa", None)
    for api, fn, needs in (
        ("cuda", _cuda, None),
        ("musa", _musa, "torch_musa"),
        ("xpu", _xpu, None),
        ("mps", _mps, None),
        ("directml", _directml, "torch_directml"),
    ):
        if needs and not _importable(needs):
            continue  # not installed: nothing to import
        try:
            fn(torch, out)
        except BaseException as exc:
            out["apis"][api] = False
            out["api_errors"][api] = _err(exc)
    return out


def main():
    try:
        data = collect()
    except BaseException as exc:  # the contract: always one JSON line
        data = {"python": sys.executable, "error": "probe script: " + _err(exc)}
    sys.stdout.write("\n" + MARKER + json.dumps(data, default=str) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
