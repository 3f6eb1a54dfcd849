"""Run by the *new environment's* python (standard library only, any Python >= 3.8): print one JSON line
with every installed distribution (name, version, the installer that put it there, its direct URL) and
the outcome of importing each module named on the command line, in a fresh interpreter state each, so one
broken import (torchvision built for another torch) does not hide the next.

    ENV/bin/python env_script.py torch torchvision torchaudio
"""

import json
import subprocess
import sys

MARKER = "RIGPILOT-ENV:"


def distributions():
    from importlib import metadata

    out = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        entry = {"version": dist.version, "installer": None, "url": None}
        try:
            entry["installer"] = (dist.read_text("INSTALLER") or "").strip() or None
            direct = dist.read_text("direct_url.json")
            if direct:
                entry["url"] = json.loads(direct).get("url")
        except Exception:
            pass
        out[name] = entry
    return out


CHILD = (
    "import importlib,json,sys\n"
    "m=sys.argv[1]\n"
    "try:\n"
    "    mod=importlib.import_module(m)\n"
    "    print(json.dumps({'ok':True,'version':str(getattr(mod,'__version__','') or '') or None}))\n"
    "except BaseException as e:\n"
    "    print(json.dumps({'ok':False,'error':type(e).__name__+': '+str(e).strip().splitlines()[-1][:300]"
    " if str(e).strip() else type(e).__name__}))\n"
)


def try_import(module, timeout_s=120):
    try:
        res = subprocess.run(
            [sys.executable, "-c", CHILD, module],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"import took longer than {timeout_s} s"}
    for line in reversed(res.stdout.splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    tail = (res.stderr.strip().splitlines() or [f"exit code {res.returncode}"])[-1]
    return {"ok": False, "error": tail[:300]}


def main():
    data: dict = {"python": sys.executable, "python_version": ".".join(map(str, sys.version_info[:3]))}
    try:
        data["distributions"] = distributions()
    except Exception as exc:
        data["distributions"] = {}
        data["error"] = f"{type(exc).__name__}: {exc}"
    data["imports"] = {m: try_import(m) for m in sys.argv[1:]}
    sys.stdout.write("\n" + MARKER + json.dumps(data) + "\n")


if __name__ == "__main__":
    main()
