#!/usr/bin/env python3
"""Every command's output on every simulated rig, written to a folder, so that a restructuring
can prove it changed nothing a user sees:

    python3 tools/cli_snapshot.py --out build/before      # on the old tree
    python3 tools/cli_snapshot.py --out build/after       # on the new tree
    diff -r build/before build/after

Runs ``main.py`` as a user would (a subprocess, ``--json`` where the command has it) for: probe,
report, match, power show, a short monitor run with the thermal guard, the launch scripts of every
app for the rig's probe, and the rig-independent commands (profiles, advise). Values that differ
between two runs of the same tree (wall-clock timings, temporary paths) are replaced by
placeholders, so the same tree gives the same snapshot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RIGS = sorted(p.name for p in (ROOT / "assets" / "rigs").iterdir() if (p / "manifest.json").is_file())
TIMEOUT_S = 120
# keys whose values are wall-clock measurements
VOLATILE_KEYS = re.compile(
    r"(^|_)(elapsed|duration|took|timings?|seconds_taken|wall)(_|$)|_ms$|^when$|^time$"
)


def _scrub(obj):
    if isinstance(obj, dict):
        return {k: ("<volatile>" if VOLATILE_KEYS.search(k) else _scrub(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scrub(v) for v in obj]
    return obj


def _normalise(text: str, tmp: Path) -> str:
    text = text.replace(str(tmp), "<tmp>")
    text = re.sub(
        r'"(timings(?:_s)?)": \{[^}]*\}', r'"\1": "<volatile>"', text
    )  # pretty JSON inside the report
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?", "<date>", text)
    text = re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b(?= *[|)\n,])", "<t>", text)  # "scanned in 0.1 s", "12 ms"
    out = []
    for line in text.splitlines():
        if re.fullmatch(r"\| [^|]+ \| \d+\.\d+ \|", line):  # the report's per-source timings table
            continue
        try:
            out.append(json.dumps(_scrub(json.loads(line)), ensure_ascii=False, sort_keys=True, indent=1))
        except ValueError:
            out.append(line)
    if len(out) == 1 and out[0] == text.strip():
        try:
            return json.dumps(_scrub(json.loads(text)), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        except ValueError:
            pass
    return "\n".join(out) + "\n"


def run(args: list[str], tmp: Path, env: dict) -> str:
    try:
        p = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT_S,
            env=env,
            cwd=tmp,
        )
        body = (
            f"$ main.py {' '.join(args)}\n[exit {p.returncode}]\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}"
        )
    except subprocess.TimeoutExpired:
        body = f"$ main.py {' '.join(args)}\n[timed out]\n"
    return _normalise(body, tmp)


def snapshot(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rigpilot-snap-") as t:
        tmp = Path(t)
        env = dict(
            os.environ,
            RIGPILOT_LANG="en",
            RIGPILOT_DATA_DIR=str(tmp / "data"),
            RIGPILOT_NO_BOOTSTRAP="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        files = {
            "profiles-list.txt": ["profiles", "list"],
            "profiles-validate.txt": ["profiles", "validate"],
            "advise.txt": ["advise", "--vram-gb", "8", "--width", "1024", "--height", "1024"],
        }
        for name, args in files.items():
            (out / name).write_text(run(args, tmp, env), encoding="utf-8")
        for rig in RIGS:
            d = out / rig
            d.mkdir(exist_ok=True)
            sim = ["--simulate", rig]
            cmds = {
                "probe.json": ["probe", "--json", *sim],
                "probe.txt": ["probe", *sim],
                "report.md": ["report", *sim],
                "match.json": ["match", "--json", *sim],
                "match.txt": ["match", *sim],
                "power-show.json": ["power", "show", "--json", *sim],
            }
            for name, args in cmds.items():
                (d / name).write_text(run(args, tmp, env), encoding="utf-8")
            # the simulated clock follows the wall clock: only the shape of the samples is stable
            mon = run(
                ["monitor", "--json", "--guard", "--duration", "20", "--speed", "60", "--load", "100", *sim],
                tmp,
                env,
            )
            mon = re.sub(r"-?\b\d+(\.\d+)?(e-?\d+)?\b", "<n>", mon)
            (d / "monitor-shape.txt").write_text(
                "\n".join(dict.fromkeys(mon.splitlines())) + "\n", encoding="utf-8"
            )
            probe = subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "probe", "--json", *sim],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                env=env,
                cwd=tmp,
            ).stdout
            pfile = tmp / f"{rig}.json"
            pfile.write_text(probe, encoding="utf-8")
            for app in ("comfyui", "a1111", "zimage", "generic"):
                for os_name in ("linux", "windows"):
                    dest = tmp / "scripts" / rig / app / os_name
                    args = [
                        "launcher",
                        "--app",
                        app,
                        "--app-dir",
                        str(tmp / "app dir"),
                        "--python",
                        str(tmp / "venv" / "bin" / "python"),
                        "--out",
                        str(dest),
                        "--probe",
                        str(pfile),
                        "--os",
                        os_name,
                        "--json",
                    ]
                    if app == "generic":
                        args += ["--script", "run.py"]
                    text = run(args, tmp, env)
                    for f in sorted(dest.glob("*")) if dest.is_dir() else []:
                        text += f"=== {f.name}\n" + _normalise(
                            f.read_text(encoding="utf-8", errors="replace"), tmp
                        )
                    (d / f"launcher-{app}-{os_name}.txt").write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="folder to write the snapshot into")
    return snapshot(ap.parse_args(argv).out)


if __name__ == "__main__":
    raise SystemExit(main())
