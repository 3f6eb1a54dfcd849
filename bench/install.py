#!/usr/bin/env python3
"""Benchmark (issue 12): ComfyUI v0.3.64 + torch installed by RigPilot's executor, uv vs pip, cold and warm.

The same plan, from a local package index on 127.0.0.1 only (reproducible: no internet while timing).

    .venv/bin/python bench/install.py [--runs 3] [--only uv|pip] [--json] [--archive PATH]
                                      [--torch-wheel WHEEL] [--full-stack DIR] [--skip-compare] [--keep]

Preparation (untimed, cached in the test cache, $RIGPILOT_TEST_CACHE or ~/.cache/rigpilot-test, like the
``torch_index`` fixture): the real CPU torch wheel (--torch-wheel, RIGPILOT_TORCH_WHEEL or a folder in
PIP_FIND_LINKS) and every wheel that ComfyUI's requirements need beside it: requirements.txt read from the
release archive (--archive, else comfyui-v0.3.64.tar.gz in the fixtures folder), without the torch stack
(the executor's own filter), plus the app profile's extra_requirements, fetched once by ``pip download``
through the machine's ordinary pip configuration under a constraints file ``torch==<that version>``. One
LocalIndex serves all of them, as the test profile's torch index and as ``--pypi-url``, and the archive.

Timed: ``python main.py install --app comfyui --json`` (the CLI: the real executor, the same plan for
both) per executor: a cold run (empty UV_CACHE_DIR / PIP_CACHE_DIR, no machine configuration:
``tools.localindex.isolated_env``), then ``--runs`` warm runs with the same caches (the median is shown),
each into a new install folder. Per run: the command's wall time, the executor's total and per-step
seconds (from the result), and the time from starting the command to the verification's result. PyPI's
torchvision (brought by spandrel) is built against the CUDA torch, so beside the CPU torch the verification
fails with verify-torchvision-mismatch: expected here; the time is that of the verification's result.
As on a user's machine, first imports write .pyc files, and pip may cache the index's http:// downloads
(PIP_TRUSTED_HOST=127.0.0.1: pip caches only https or trusted hosts, and PyPI is https).

``--full-stack DIR``: DIR holds torch 2.14.1 and torchvision 0.29.1 wheels for this Python and the nvidia-*
wheels they require (whatever else they need is fetched once by ``pip download``, DIR's files are served
in place). A profile pinning torch==2.14.1 and torchvision==0.29.1 gives a stack where ComfyUI starts on
the CPU: that install is timed with uv, cold and warm, to a verified environment (status ok), then the
launch script it wrote runs with ``--quick-test-for-ci``: the time from clicking Install to a verified
environment for ComfyUI, and to ComfyUI's first start. No assertions: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.localindex import LocalIndex, isolated_env, pip_download  # noqa: E402
from tools.run_tests import TORCH_VERSION  # noqa: E402

CACHE = Path(os.environ.get("RIGPILOT_TEST_CACHE") or Path.home() / ".cache" / "rigpilot-test")
ARCHIVE = "comfyui-v0.3.64.tar.gz"
ARCHIVE_URL_PATH = "/archive/ComfyUI-0.3.64.tar.gz"
FULL_PINS = ("torch==2.14.1", "torchvision==0.29.1")
SCHEMA = "rigpilot.bench-install/1"
TARGET_RATIO = 5.0
INSTALL_STEPS = ("torch-stack", "app-requirements")
COLUMNS = ("preflight", "environment", "torch-stack", "app", "app-requirements", "lock", "verify")


def _pytag() -> str:
    return f"cp{sys.version_info[0]}{sys.version_info[1]}"


def _say(text: str, quiet: bool) -> None:
    if not quiet:
        print(text, flush=True)


# ------------------------------------------------------------------------------------------- inputs
def find_torch_wheel(explicit: str | None) -> Path | None:
    """The real CPU torch wheel, found as the ``torch_wheel`` fixture finds it."""
    given = explicit or os.environ.get("RIGPILOT_TORCH_WHEEL")
    if given:
        return Path(given) if Path(given).is_file() else None
    tag = _pytag()
    pattern = f"torch-{TORCH_VERSION}+cpu-{tag}-{tag}-*{platform.machine().lower()}.whl"
    for folder in os.environ.get("PIP_FIND_LINKS", "").split():
        if "://" not in folder:
            found = sorted(Path(folder).glob(pattern))
            if found:
                return found[-1]
    return None


def find_archive(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    folder = os.environ.get("RIGPILOT_FIXTURES")
    return (Path(folder) if folder else ROOT.parent / "shared" / "fixtures") / ARCHIVE


def app_requirements(archive: Path) -> list[str]:
    """ComfyUI's requirement lines as the executor installs them: the torch stack left out (its
    ``filter_requirements``), the app profile's extra_requirements added."""
    from installers.execute import filter_requirements
    from installers.plan import COMPANIONS
    from profiles.loader import load_catalog

    with tarfile.open(archive) as tf:
        member = next(
            m for m in tf.getmembers() if m.name.count("/") == 1 and m.name.endswith("/requirements.txt")
        )
        fh = tf.extractfile(member)
        assert fh is not None
        text = fh.read().decode("utf-8", errors="replace")
    kept, _dropped = filter_requirements(text, {"torch"}, set(COMPANIONS))
    app = load_catalog().app("comfyui")
    return [*kept, *(app.extra_requirements if app else ("requests",))]


# ------------------------------------------------------------------------------------------- preparation
def prepare(label: str, pins: list[str], requirements: list[str], local: list[Path], quiet: bool) -> Path:
    """Every wheel ``pins`` + ``requirements`` need under ``-c pins``, downloaded once into the test cache.
    Files also in ``local`` (folders or wheels on this disk) are not kept twice: ``local.txt`` lists
    their names, ``serve`` adds them from where they are."""
    key_text = "\n".join([*pins, *requirements, *(str(p) for p in local), _pytag(), platform.machine()])
    key = hashlib.sha256(key_text.encode()).hexdigest()[:12]
    folder = CACHE / "localindex" / f"bench-install-{label}-{_pytag()}-{platform.machine().lower()}-{key}"
    if (folder / ".complete").is_file():
        return folder
    part = folder.with_name(folder.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    constraints = part / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    links = []
    for path in local:
        links += ["--find-links", str(path if path.is_dir() else path.parent)]
    _say(
        f"preparing {label}: pip download of {len(pins) + len(requirements)} requirements into {part}", quiet
    )
    t0 = time.monotonic()
    pip_download(part, [*links, "-c", str(constraints), *pins, *requirements], timeout_s=3600)
    here = {f.name: f for p in local for f in ([p] if p.is_file() else p.glob("*.whl"))}
    kept_local = []
    for wheel in sorted(part.glob("*.whl")):
        src = here.get(wheel.name)
        if src is not None and src.stat().st_size == wheel.stat().st_size:
            wheel.unlink()
            kept_local.append(str(src))
    (part / "local.txt").write_text("".join(f"{p}\n" for p in kept_local), encoding="utf-8")
    (part / ".complete").write_text(f"{time.monotonic() - t0:.0f} s\n", encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    part.rename(folder)
    return folder


def serve(index: LocalIndex, folder: Path) -> dict:
    """Add the prepared wheels (and the local files they stand for) to ``index``: count and bytes."""
    served = index.add_folder(folder)
    for line in (folder / "local.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            served.append(index.add(Path(line.strip())))
    return {"files": len(served), "mb": round(sum(s.size for s in served) / 1e6, 1)}


def write_profile(folder: Path, pid: str, index_url: str, packages: list[str]) -> None:
    """A hardware profile that always matches, pinning ``packages`` from ``index_url``, CPU tuning (the
    launch script gets ComfyUI's --cpu)."""
    hw = folder / "hardware"
    hw.mkdir(parents=True, exist_ok=True)
    pins = ", ".join(f'"{p}"' for p in packages)
    (hw / f"{pid}.toml").write_text(
        f'id = "{pid}"\ntitle = "bench profile {pid}"\nconfidence = "official"\n'
        'sources = ["bench/install.py"]\n'
        f'python = "{sys.version_info[0]}.{sys.version_info[1]}"\nindex_url = "{index_url}"\n'
        f"packages = [{pins}]\npriority = 1\n\n"
        '[match]\nfallback = true\n\n[tuning]\nvram_mode = "cpu"\nprecision = "fp32"\n',
        encoding="utf-8",
    )


# ------------------------------------------------------------------------------------------- one run
def tree_mb(path: Path) -> float:
    """Bytes under ``path`` (each hard-linked file once), in MB."""
    seen, total = set(), 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return round(total / 1e6, 1)


class Bench:
    def __init__(
        self, work: Path, index: LocalIndex, archive_url: str, timeout_s: float, quiet: bool
    ) -> None:
        self.work, self.index, self.archive_url = work, index, archive_url
        self.timeout_s, self.quiet = timeout_s, quiet
        self.profiles = work / "profiles"
        self.count = 0

    def install(self, executor: str, profile: str, cache: Path, label: str) -> dict:
        """One ``main.py install`` into a new folder: wall time, the result's steps, the time to the
        verification's result. The install folder is left for the caller."""
        self.count += 1
        target = self.work / f"run-{self.count}-{executor}-{label.replace(' ', '')}"
        env = isolated_env(cache)
        # as on a user's machine: the first imports (the verification, ComfyUI's first start) write .pyc
        # files; pip compiles every installed module itself (uv does not), whatever this says
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # pip caches downloads only from https or a trusted host: without this a "warm" pip run against
        # the local index's http:// would download everything again, as no run against PyPI does
        env["PIP_TRUSTED_HOST"] = "127.0.0.1"
        env.update(
            RIGPILOT_PROFILES=str(self.profiles),
            RIGPILOT_DATA_DIR=str(self.work / "data"),
            RIGPILOT_NO_BOOTSTRAP="1",
            RIGPILOT_LANG="en",
            PYTHONPATH="",
        )
        argv = [sys.executable, str(ROOT / "main.py"), "install", "--app", "comfyui", "--dir", str(target)]
        argv += ["--profile", profile, "--app-source", self.archive_url, "--pypi-url", self.index.url]
        argv += ["--executor", executor, "--no-uv-python", "--json"]
        stderr_path = self.work / f"run-{self.count}.stderr"
        verified_s = None
        result: dict = {}
        t0 = time.perf_counter()
        with open(stderr_path, "w", encoding="utf-8") as err:
            proc = subprocess.Popen(
                argv, env=env, cwd=str(self.work), stdout=subprocess.PIPE, stderr=err, text=True
            )
            assert proc.stdout is not None
            deadline = t0 + self.timeout_s
            for line in proc.stdout:
                if not line.startswith("{"):
                    continue
                event = json.loads(line)
                if event.get("event") == "step" and event.get("step") == "verify":
                    if event.get("status") in ("ok", "failed"):
                        verified_s = time.perf_counter() - t0
                elif event.get("event") == "result":
                    result = event
                if time.perf_counter() > deadline:
                    proc.kill()
            rc = proc.wait(timeout=max(1.0, deadline - time.perf_counter()))
        wall = time.perf_counter() - t0
        steps = {s["id"]: s["seconds"] for s in result.get("steps") or []}
        row = {
            "executor": executor,
            "label": label,
            "status": result.get("status") or f"exit {rc}",
            "code": result.get("code"),
            "wall_s": round(wall, 2),
            "executor_s": result.get("seconds"),
            "to_verify_s": round(verified_s, 2) if verified_s is not None else None,
            "install_s": round(sum(steps.get(s, 0.0) for s in INSTALL_STEPS), 2),
            "steps": steps,
            "torch": result.get("torch"),
            "script": result.get("script"),
            "dir": str(target),
        }
        if not result or row["status"] not in ("ok", "verify-failed"):
            tail = stderr_path.read_text(encoding="utf-8", errors="replace")[-1500:]
            row["error"] = f"{result.get('message') or ''}\n{tail}".strip()
        self.show(row)
        return row

    def show(self, row: dict) -> None:
        s = row["steps"]
        parts = " ".join(f"{k}={s[k]:.1f}" for k in COLUMNS if k in s)
        verify = f", to verification {row['to_verify_s']:.1f} s" if row["to_verify_s"] is not None else ""
        _say(
            f"  {row['executor']} {row['label']}: {row['status']}"
            + (f" [{row['code']}]" if row["code"] else "")
            + f", wall {row['wall_s']:.1f} s{verify} ({parts})",
            self.quiet,
        )
        if row.get("error"):
            _say("    " + row["error"].replace("\n", "\n    "), self.quiet)

    def quick_test(self, script: str, timeout_s: float) -> dict:
        """The launch script with ComfyUI's --quick-test-for-ci: seconds, exit code, the device line."""
        env = isolated_env()
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                [script, "--quick-test-for-ci"],
                env=env,
                cwd=str(self.work),
                capture_output=True,
                text=True,
                timeout=timeout_s,
            )
            out, rc = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as exc:
            out, rc = str(exc.stdout or "") + str(exc.stderr or ""), None
        took = time.perf_counter() - t0
        lines = out.splitlines()
        device = next((ln.strip() for ln in lines if ln.startswith("Device:")), None)
        version = next((ln.strip() for ln in lines if ln.lower().startswith("pytorch version")), None)
        row = {"seconds": round(took, 2), "rc": rc, "device": device, "torch": version}
        if rc != 0:
            row["tail"] = "\n".join(lines[-15:])
        _say(
            f"  launch script --quick-test-for-ci: exit {rc} in {took:.1f} s ({version}; {device})",
            self.quiet,
        )
        if rc != 0:
            _say("    " + row["tail"].replace("\n", "\n    "), self.quiet)
        return row

    def series(self, executor: str, profile: str, runs: int, keep: bool, after=None) -> dict:
        """A cold run (empty caches), then ``runs`` warm ones with the same caches."""
        cache = self.work / f"cache-{profile}-{executor}"
        shutil.rmtree(cache, ignore_errors=True)
        out: dict = {"cold": None, "warm": []}
        for i in range(runs + 1):
            label = "cold" if i == 0 else f"warm {i}"
            row = self.install(executor, profile, cache, label)
            if i == 0:
                row["cache_mb"] = tree_mb(cache)
            if after is not None:
                after(row)
            if not keep:
                shutil.rmtree(row["dir"], ignore_errors=True)
            if i == 0:
                out["cold"] = row
            else:
                out["warm"].append(row)
        out["cache_mb"] = tree_mb(cache)
        if not keep:
            shutil.rmtree(cache, ignore_errors=True)
        return out


# ------------------------------------------------------------------------------------------- summary
def median_row(rows: list[dict]) -> dict | None:
    """The medians of the warm runs (each number on its own)."""
    if not rows:
        return None

    def med(key: str) -> float | None:
        vals = [r[key] for r in rows if r.get(key) is not None]
        return round(statistics.median(vals), 2) if vals else None

    steps = {k: round(statistics.median(r["steps"].get(k, 0.0) for r in rows), 2) for k in rows[0]["steps"]}
    statuses = sorted({r["status"] for r in rows})
    return {
        "executor": rows[0]["executor"],
        "label": f"warm (median of {len(rows)})",
        "status": "/".join(statuses),
        "code": rows[0].get("code"),
        "wall_s": med("wall_s"),
        "executor_s": med("executor_s"),
        "to_verify_s": med("to_verify_s"),
        "install_s": med("install_s"),
        "steps": steps,
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def ratios(results: dict) -> dict:
    out = {}
    uv, pip = results.get("uv"), results.get("pip")
    if not (uv and pip):
        return out
    for cond, key in (("cold", "cold"), ("warm", "warm_median")):
        u, p = uv[key], pip[key]
        if u is None or p is None:
            continue
        out[cond] = {
            key: _ratio(p.get(key), u.get(key))
            for key in ("install_s", "executor_s", "wall_s", "to_verify_s")
        }
        for step in INSTALL_STEPS:
            out[cond][step] = _ratio(p["steps"].get(step), u["steps"].get(step))
    return out


def _f(value: float | None, width: int = 8) -> str:
    return f"{value:{width}.1f}" if value is not None else " " * (width - 1) + "-"


def table(rows: list[dict]) -> str:
    head = (
        f"{'run':<26} {'status':<14} {'torch':>8} {'app-req':>8} {'install':>8} {'verify':>8} "
        f"{'other':>8} {'executor':>8} {'to-verif':>8} {'wall':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        s = r["steps"]
        other = (r["executor_s"] or 0.0) - r["install_s"] - s.get("verify", 0.0)
        lines.append(
            f"{r['executor'] + ' ' + r['label']:<26} {r['status']:<14} {_f(s.get('torch-stack'))} "
            f"{_f(s.get('app-requirements'))} {_f(r['install_s'])} {_f(s.get('verify'))} {_f(other)} "
            f"{_f(r['executor_s'])} {_f(r['to_verify_s'])} {_f(r['wall_s'])}"
        )
    return "\n".join(lines)


def report(doc: dict) -> str:
    out = [
        "",
        "seconds. torch = step torch-stack, app-req = step app-requirements, install = both; other = the",
        "rest of the executor's steps (preflight, venv, app, lock...); executor = the result's total;",
        "to-verif = from starting `main.py install` to the verification's result; wall = the whole command.",
        f"Python {doc['python']}, {doc['cpus']} CPUs; uv {doc['uv_version']}, pip {doc['pip_version']}",
    ]
    if doc["results"]:
        out += [
            "",
            doc["plan"],
            f"local index: {doc['served']['files']} files, {doc['served']['mb']} MB",
        ]
    rows = []
    for ex in ("uv", "pip"):
        res = doc["results"].get(ex)
        if res:
            rows.append(res["cold"])
            if res["warm_median"]:
                rows.append(res["warm_median"])
    if rows:
        out.append(table(rows))
    for ex in ("uv", "pip"):
        res = doc["results"].get(ex)
        if res:
            out.append(
                f"{ex} cache: {res['cold']['cache_mb']} MB after the cold run, "
                f"{res['cache_mb']} MB after the warm ones"
            )
    if any(r["code"] == "verify-torchvision-mismatch" for r in rows):
        out.append(
            "verify-torchvision-mismatch is expected here: PyPI's torchvision (brought by spandrel) is built "
            "for the CUDA torch; the times run to the verification's result."
        )
    rat = doc["ratios"]
    for cond in ("cold", "warm"):
        if cond in rat:
            r = rat[cond]
            out.append(
                f"pip/uv {cond}: install steps {r['install_s']}x (torch-stack {r['torch-stack']}x, "
                f"app-requirements {r['app-requirements']}x), executor total {r['executor_s']}x, "
                f"to verification {r['to_verify_s']}x"
            )
    if doc.get("target"):
        t = doc["target"]
        out.append(
            f"uv >= {TARGET_RATIO:g}x faster than pip warm: {'yes' if t['met'] else 'no'} "
            f"(install steps {t['install_ratio']}x; whole install {t['executor_ratio']}x)"
        )
    full = doc.get("full_stack")
    if full:
        out += ["", full["plan"], table([r for r in (full["cold"], full["warm_median"]) if r])]
        for key, run in (("cold", full["cold"]), ("warm", full.get("warm_median"))):
            if run is None:
                continue
            qt = full["quick_test"].get(key)
            start = f"; ComfyUI --quick-test-for-ci {qt['seconds']:.1f} s (exit {qt['rc']})" if qt else ""
            total = (
                f"; together {run['to_verify_s'] + qt['seconds']:.1f} s" if qt and run["to_verify_s"] else ""
            )
            out.append(
                f"uv {key}: Install to a verified environment {_f(run['to_verify_s'], 0)} s{start}{total}"
            )
        out.append(
            f"uv cache: {full['cold']['cache_mb']} MB after the cold run, "
            f"{full['cache_mb']} MB after the warm ones"
        )
    return "\n".join(out)


# ------------------------------------------------------------------------------------------- main
def _versions() -> tuple[str, str]:
    from installers.execute import find_uv

    uv = find_uv()
    uv_v = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout.split()[1] if uv else "-"
    pip_v = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True
    ).stdout.split()[1]
    return uv_v, pip_v


def compare(args, bench: Bench, index: LocalIndex, torch_wheel: Path, reqs: list[str], doc: dict) -> None:
    version = torch_wheel.name.split("-")[1]
    folder = prepare("comfyui-cpu", [f"torch=={version}"], reqs, [torch_wheel], args.quiet)
    doc["served"] = serve(index, folder)
    doc["plan"] = f"ComfyUI v0.3.64 + torch {version} ({len(reqs)} app requirements) with uv and pip"
    write_profile(bench.profiles, "bench-cpu", index.url, [f"torch=={version}"])
    for ex in ("uv", "pip"):
        if args.only in (None, ex):
            _say(f"{ex}: cold, then {args.runs} warm", args.quiet)
            res = bench.series(ex, "bench-cpu", args.runs, args.keep)
            res["warm_median"] = median_row(res["warm"])
            doc["results"][ex] = res
    doc["ratios"] = ratios(doc["results"])
    warm = doc["ratios"].get("warm")
    if warm:
        doc["target"] = {
            "ratio": TARGET_RATIO,
            "install_ratio": warm["install_s"],
            "executor_ratio": warm["executor_s"],
            "met": bool(warm["install_s"] and warm["install_s"] >= TARGET_RATIO),
        }


def full_stack(args, bench: Bench, reqs: list[str], doc: dict) -> None:
    folder_in = Path(args.full_stack)
    tag = _pytag()
    for pin in FULL_PINS:
        name, version = pin.split("==")
        if not list(folder_in.glob(f"{name}-{version}-{tag}-{tag}-*.whl")):
            raise SystemExit(f"--full-stack: no {name}-{version}-{tag}-{tag}-*.whl in {folder_in}")
    folder = prepare("comfyui-full", list(FULL_PINS), reqs, [folder_in], args.quiet)
    with LocalIndex(bench.work / "index-full") as index:
        served = serve(index, folder)
        write_profile(bench.profiles, "bench-full", index.url, list(FULL_PINS))
        full: dict = {
            "plan": f"full stack: ComfyUI v0.3.64 + {' + '.join(FULL_PINS)} with uv "
            f"(local index: {served['files']} files, {served['mb']} MB)",
            "served": served,
            "quick_test": {},
        }
        _say(full["plan"], args.quiet)
        bench.index = index

        def after(row: dict) -> None:
            key = "cold" if row["label"] == "cold" else "warm"
            if row["status"] == "ok" and row.get("script"):
                full["quick_test"].setdefault(key, [])
                full["quick_test"][key].append(bench.quick_test(row["script"], args.timeout))

        res = bench.series("uv", "bench-full", args.runs, args.keep, after=after)
        full.update(cold=res["cold"], warm=res["warm"], warm_median=median_row(res["warm"]))
        full["cache_mb"] = res["cache_mb"]
        qt = full["quick_test"]
        for key in list(qt):
            runs = qt[key]
            qt[key] = dict(
                runs[0], seconds=round(statistics.median(r["seconds"] for r in runs), 2), runs=runs
            )
        doc["full_stack"] = full


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="warm runs per executor (the median is shown)")
    ap.add_argument("--only", choices=["uv", "pip"], help="one executor only")
    ap.add_argument("--json", action="store_true", help="print one JSON document at the end")
    ap.add_argument("--archive", help=f"the ComfyUI release archive (default: {ARCHIVE} in the fixtures)")
    ap.add_argument(
        "--torch-wheel", help="the CPU torch wheel (default: as the torch_wheel fixture finds it)"
    )
    ap.add_argument("--full-stack", metavar="DIR", help="time the torch 2.14.1 stack from wheels in DIR too")
    ap.add_argument("--skip-compare", action="store_true", help="with --full-stack: only the full stack")
    ap.add_argument("--keep", action="store_true", help="keep the install folders and caches (see --work)")
    ap.add_argument("--work", help="where installs and caches go (default: a new temp folder)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per install")
    args = ap.parse_args()
    args.quiet = args.json
    archive = find_archive(args.archive)
    if not archive.is_file():
        raise SystemExit(f"no ComfyUI archive at {archive} (--archive PATH or RIGPILOT_FIXTURES)")
    torch_wheel = find_torch_wheel(args.torch_wheel)
    if torch_wheel is None and not args.skip_compare:
        raise SystemExit(
            f"no CPU torch {TORCH_VERSION} wheel: --torch-wheel, RIGPILOT_TORCH_WHEEL or PIP_FIND_LINKS"
        )
    reqs = app_requirements(archive)
    work = Path(args.work or tempfile.mkdtemp(prefix="rigpilot-bench-install-"))
    work.mkdir(parents=True, exist_ok=True)
    uv_v, pip_v = _versions()
    doc: dict = {
        "schema": SCHEMA,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "uv_version": uv_v,
        "pip_version": pip_v,
        "runs": args.runs,
        "requirements": reqs,
        "results": {},
        "ratios": {},
    }
    _say(f"work folder: {work}", args.quiet)
    try:
        with LocalIndex(work / "index") as index:
            served = index.serve(ARCHIVE_URL_PATH, archive, content_type="application/gzip")
            bench = Bench(work, index, served.url, args.timeout, args.quiet)
            if not args.skip_compare:
                assert torch_wheel is not None
                compare(args, bench, index, torch_wheel, reqs, doc)
            if args.full_stack:
                full_stack(args, bench, reqs, doc)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(doc, indent=1))
    else:
        print(report(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
