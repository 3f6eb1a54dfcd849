"""Run an install plan for real (issue 12, points 2-7): the executor.

``execute(job, on_event=..., cancel=...)`` walks the plan's steps with uv (default) or pip, in a new
environment folder ``DIR/envs/<id>``; nothing the user runs changes until every step and the
verification passed. Then one atomic write of the state file and one atomic replace of the launch
script make the new environment current (``installers.state`` explains why environments never move).

Before anything is created, every exact pin of the torch stack is looked up on its index or wheelhouse
for the target Python and platform (``installers.index``): a missing variant stops the install with the
file name it needed; there is no fallback to another build. The pinned wheels are downloaded by the
executor itself (progress in bytes, sha256 checked, kept in ``DIR/wheels`` for repair and rebuilds) and
installed from there; the app's requirements run under a constraints file holding the exact torch-stack
versions that were installed, so no requirement can replace them.

Events (``Event``) report every step, every download's bytes and every line the children print; the
CLI prints them as JSON lines, the GUI's Install page draws them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installers import fetch, records, runner, state
from installers.plan import COMPANIONS, PYPI, TORCH_STACK, InstallOptions, InstallPlan, Step, normalize
from installers.runner import Cancel
from installers.verify import VERIFY_MODULES, Check, Expect, expected_api, failures, installed_version, verify
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render

if TYPE_CHECKING:
    from profiles.matcher import Selection
    from profiles.schema import AppProfile

ENV_SCRIPT = Path(__file__).resolve().parent / "env_script.py"
RESULT_SCHEMA = "rigpilot.install-result/1"
INSTALL_TIMEOUT_S = 3600.0  # one install command (torch + CUDA libraries on a slow line)
SHORT_TIMEOUT_S = 300.0  # venv creation, interpreter queries, the environment report
# folders inside the app that hold the user's work; moved across intact when the app is replaced
USER_DIRS = {
    "comfyui": ("models", "output", "input", "custom_nodes", "user"),
    "a1111": ("models", "outputs", "extensions", "embeddings", "config.json", "ui-config.json"),
    "zimage": ("models", "outputs"),
}
APP_MARK = ".rigpilot-app.json"
SPEED_RE = re.compile(r"^\s*(Downloading|Downloaded|Prepared|Installed|Resolved|Uninstalled|Building)\b")


@dataclass(frozen=True)
class Event:
    kind: str  # "step" | "progress" | "log" | "note"
    step: str | None = None
    status: str | None = None  # for "step": running | ok | failed | skipped | cancelled | needs-user
    done: int | None = None
    total: int | None = None
    text: Any = None  # Text or str
    code: str | None = None
    hint: Any = None
    index: int | None = None  # the step's position (1-based) and the number of steps
    count: int | None = None

    def to_json(self, lang: str | None = None) -> dict:
        out: dict = {"event": self.kind}
        for key in ("step", "status", "done", "total", "code", "index", "count"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.text is not None:
            out["text"] = render(self.text, lang)
        if self.hint is not None:
            out["hint"] = render(self.hint, lang)
        return out


@dataclass
class Job:
    """What ``execute`` needs: the plan and what it was made from, plus the app layer's helpers."""

    plan: InstallPlan
    selection: Selection
    app: AppProfile
    options: InstallOptions
    data_dir: Path | None = None
    pypi_url: str = PYPI  # the package index for everything but the torch stack (a mirror)
    github_prefix: str = ""  # a download proxy put before github.com URLs
    runtime_probe: Callable[[str], dict | None] | None = None  # python -> Runtime.to_json()
    arch_check: Callable | None = None
    capability: str | None = None
    smoke: Callable[[str], Any] | None = None  # python -> (ok, code, text) after verification
    render_script: Callable[[str, str], tuple[str, str]] | None = None  # (python, app_dir) -> (text, fmt)
    timeout_s: float = INSTALL_TIMEOUT_S
    uv: str | None = None
    child_env: dict | None = None


@dataclass
class Result:
    status: str  # ok | failed | cancelled | verify-failed
    dir: str
    env_id: str | None = None
    env: str | None = None
    python: str | None = None
    app_dir: str | None = None
    script: str | None = None
    lock: str | None = None
    log: str | None = None
    error: RigPilotError | None = None
    checks: list = field(default_factory=list)
    steps: list = field(default_factory=list)  # [(id, status, seconds)]
    seconds: float = 0.0
    executor: str = "uv"
    notes: list = field(default_factory=list)
    torch: str | None = None

    def to_json(self, lang: str | None = None) -> dict:
        err = self.error
        return {
            "schema": RESULT_SCHEMA,
            "status": self.status,
            "dir": self.dir,
            "env_id": self.env_id,
            "env": self.env,
            "python": self.python,
            "app_dir": self.app_dir,
            "script": self.script,
            "lock": self.lock,
            "log": self.log,
            "executor": self.executor,
            "torch": self.torch,
            "seconds": round(self.seconds, 2),
            "code": err.code if err else None,
            "message": render(err.message, lang) if err else None,
            "hint": render(err.hint, lang) if err and err.hint is not None else None,
            "checks": [c.to_json(lang) for c in self.checks],
            "steps": [{"id": i, "status": s, "seconds": round(t, 2)} for i, s, t in self.steps],
            "notes": [render(n, lang) for n in self.notes],
        }


def find_uv() -> str | None:
    """The uv binary of the ``uv`` package (a RigPilot dependency), else one on PATH."""
    try:
        import uv as _uv

        path = _uv.find_uv_bin()
        if path and os.path.isfile(path):
            return str(path)
    except (ImportError, FileNotFoundError, AttributeError):
        pass
    return shutil.which("uv")


def _python_in(env: Path, os_name: str) -> Path:
    return env / ("Scripts/python.exe" if os_name == "windows" else "bin/python")


class _Run:
    """One execution: the state shared by the step handlers."""

    def __init__(self, job: Job, on_event: Callable[[Event], None] | None, cancel: Cancel | None) -> None:
        self.job = job
        self.opt = job.options
        self.dir = Path(job.plan.dir)
        self.cancel = cancel or Cancel()
        self._emit = on_event or (lambda _e: None)
        self.env_id = state.new_env_id(self.dir)
        self.env = self.dir / "envs" / self.env_id
        self.py = _python_in(self.env, self.opt.os_name)
        # the pinned wheels, by file name: one folder in the data folder shared by every install, so a
        # second install neither downloads torch again nor makes uv unpack it again (uv caches a wheel
        # installed by path under that path); DIR/wheels without a data folder
        self.wheels = Path(job.data_dir) / "wheels" if job.data_dir is not None else self.dir / "wheels"
        self.base_python: str | None = None
        self.executor = self.opt.executor
        self.uv = job.uv or (find_uv() if self.executor == "uv" else None)
        self.resolved: dict[str, Any] = {}  # normalized name -> WheelFile of the torch stack
        self.installed_stack: dict[str, str] = {}  # normalized name -> exact version installed
        self.app_dir: Path | None = None
        self.app_staged = False
        self.checks: list[Check] = []
        self.notes: list = []
        self.device_pending = False
        self.log_path = self.dir / "logs" / f"install-{self.env_id}.log"
        self.log_fh: Any = None
        self.step_id: str | None = None
        self.journal: state.Journal | None = None
        self.script_text: tuple[str, str] | None = None

    # -------------------------------------------------------------------------------- reporting
    def emit(self, event: Event) -> None:
        if self.log_fh is not None and event.kind in ("log", "note", "step"):
            text = render(event.text, "en") if event.text is not None else ""
            tag = f"[{event.step or '-'}]" + (f" {event.status}" if event.kind == "step" else "")
            self.log_fh.write(f"{time.strftime('%H:%M:%S')} {tag} {text}\n")
            self.log_fh.flush()
        try:
            self._emit(event)
        except Exception:  # a broken listener must not break the install
            pass

    def log(self, line: str) -> None:
        self.emit(Event("log", self.step_id, text=line))

    def progress(self, name: str) -> Callable[[int, int | None], None]:
        """A download's byte count as progress events: at most five a second, and always the last one."""
        last = [0.0]

        def report(done: int, total: int | None) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.2 or (total is not None and done >= total):
                last[0] = now
                self.emit(Event("progress", self.step_id, done=done, total=total, text=name))

        return report

    def note(self, text: Any) -> None:
        self.notes.append(text)
        self.emit(Event("note", self.step_id, text=text))

    # -------------------------------------------------------------------------------- children
    def child_env(self) -> dict:
        env = runner.python_env()
        env.update(self.job.child_env or {})
        if self.executor == "uv":
            env.setdefault("UV_NO_PROGRESS", "1")
            env["UV_PYTHON_DOWNLOADS"] = "automatic" if self.opt.uv_python else "never"
        return env

    def run(self, argv: list, *, timeout_s: float | None = None, env: dict | None = None) -> runner.Completed:
        if self.cancel.is_set:
            raise runner.cancelled_error()
        self.log("$ " + " ".join(str(a) for a in argv))
        done = runner.run(
            [str(a) for a in argv],
            timeout_s=timeout_s or self.job.timeout_s,
            cancel=self.cancel,
            on_line=self.log,
            env=env or self.child_env(),
            on_start=self._child_started,
        )
        if done.rc != 0:
            raise _command_failed(argv, done, self.step_id)
        return done

    def _child_started(self, pid: int) -> None:
        """Recorded so that the run after a kill -9 of RigPilot can stop an orphaned uv or pip (children
        run in their own process group and outlive their parent)."""
        if self.journal is not None:
            self.journal.update(child_pid=pid)

    def installer(self) -> list:
        if self.executor == "uv":
            return [self.uv, "pip", "install", "--python", str(self.py)]
        return [str(self.py), "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]


def _command_failed(argv: list, done: runner.Completed, step: str | None) -> RigPilotError:
    tail = "\n".join(done.tail[-12:])
    low = tail.lower()
    code, hint = (
        "install-command-failed",
        Text(
            "execute", "Read the log (the last lines are above); fix what it names and run the install again."
        ),
    )
    if "no space left on device" in low or "errno 28" in low:
        return fetch.disk_full(Path(str(argv[-1])).parent)
    if any(
        s in low
        for s in (
            "failed to fetch",
            "connection refused",
            "could not connect",
            "network is unreachable",
            "name or service not known",
            "temporary failure in name resolution",
            "timed out",
        )
    ):
        code, hint = (
            "install-network",
            Text(
                "execute",
                "The index could not be reached: check the network, or choose a mirror (install --mirror "
                "NAME), then "
                "run it again.",
            ),
        )
    elif "not found in the package registry" in low or "no matching distribution found" in low:
        code, hint = (
            "install-package-not-found",
            Text(
                "execute",
                "A requirement is not on the package index: check its name, or choose another index or "
                "mirror (--pypi-url, --mirror).",
            ),
        )
    elif "no solution found" in low or "resolutionimpossible" in low or "conflicting" in low:
        code, hint = (
            "install-conflict",
            Text(
                "execute",
                "A requirement needs another version of a pinned package; the pins win. Remove or pin the "
                "requirement "
                "that conflicts (named above), or choose another profile.",
            ),
        )
    return RigPilotError(
        code,
        Text(
            "execute", "Step {step} failed (exit code {rc}): {tail}", step=step or "?", rc=done.rc, tail=tail
        ),
        hint,
        context={"argv": [str(a) for a in argv], "rc": done.rc},
    )


# ------------------------------------------------------------------------------------------- preflight
def refuse_blocked(plan: InstallPlan) -> None:
    """A plan with a blocked step is not run: its first blocked step's code and hint."""
    blocked = [s for s in plan.steps if s.status == "blocked"]
    if blocked:
        s = blocked[0]
        raise RigPilotError(
            s.code or "install-blocked",
            Text("execute", "The plan is blocked at step {step}: {title}", step=s.id, title=s.title),
            s.hint,
        )


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _stack_pins(job: Job) -> list[str]:
    return [p for p in job.selection.packages if normalize(p.split("==")[0].split("[")[0]) in TORCH_STACK]


def _preflight(r: _Run) -> None:
    """Refuse a blocked plan, look up every torch-stack pin, check the free space."""
    if r.executor == "uv" and not r.uv:
        r.executor = "pip"
        r.note(Text("execute", "uv is not available here: pip runs the plan instead."))
    from installers import index

    target = index.Target(
        python_version=r.job.selection.python or "", os=r.opt.os_name, machine=r.opt.machine or "x86_64"
    )
    pins = _stack_pins(r.job)
    idx = _indexes(r.job)
    wheelhouse = Path(r.opt.wheelhouse) if r.opt.wheelhouse else None
    r.log(f"checking {len(pins)} pins on {', '.join(idx)}" + (f" and {wheelhouse}" if wheelhouse else ""))
    step = r.job.plan.step("torch-stack")
    data = dict(step.data) if step is not None else {}
    only_wh = set(data.get("wheelhouse_pins") or ())
    for pin in pins:
        # a pin that only a vendor's release serves is looked up in the wheelhouse alone: an index's
        # package of the same name is another build (PyPI's torch 2.5.0 is not the torch_musa one)
        urls = [] if pin in only_wh else idx
        found = index.check_requirements([pin], target, index_urls=urls, wheelhouse=wheelhouse)[0]
        if isinstance(found, RigPilotError):
            raise _wheelhouse_hint(found, pin, data, wheelhouse) if pin in only_wh else found
        r.resolved[normalize(pin.split("==")[0])] = found
        size = f", {found.size / 1e6:.1f} MB" if found.size else ""
        r.log(f"{pin}: {found.filename} from {found.source}{size}")
    need = sum(w.size or 0 for w in r.resolved.values()) * 3 + 500_000_000
    free = shutil.disk_usage(_existing(r.dir)).free
    if free < need:
        raise RigPilotError(
            "install-disk-full",
            Text(
                "execute",
                "{free} GB free in {folder}; this install needs about {need} GB.",
                free=f"{free / 1e9:.1f}",
                folder=str(r.dir),
                need=f"{need / 1e9:.1f}",
            ),
            Text("execute", "Free some space or choose a folder on another disk."),
        )


def _wheelhouse_hint(err: RigPilotError, pin: str, data: dict, folder: Path | None) -> RigPilotError:
    """The index module's error, with the vendor's release page in the hint."""
    page = data.get("wheelhouse_page")
    if not page:
        return err
    return RigPilotError(
        err.code,
        err.message,
        Text(
            "execute",
            "Download {expected} from {page} into {folder}, then run it again.",
            expected=err.context.get("expected") or pin,
            page=page,
            folder=str(folder),
        ),
        context=err.context,
    )


def _indexes(job: Job) -> list[str]:
    step = job.plan.step("torch-stack")
    data = dict(step.data) if step is not None else {}
    return [
        str(u) for u in (data.get("indexes") or (job.options.index_url or job.selection.index_url or PYPI,))
    ]


# ------------------------------------------------------------------------------------------- steps
def _interpreter(r: _Run, step: Step) -> None:
    version = r.job.selection.python or ""
    given = dict(step.data).get("path")
    if given and os.path.isfile(str(given)) and not r.job.plan.simulated:
        r.base_python = str(given)
        return
    if r.uv:
        env = r.child_env()
        try:
            done = runner.run(
                [r.uv, "python", "find", version], timeout_s=SHORT_TIMEOUT_S, cancel=r.cancel, env=env
            )
        except RigPilotError:
            done = None
        if done is not None and done.rc == 0 and done.tail and os.path.isfile(done.tail[-1].strip()):
            r.base_python = done.tail[-1].strip()
            r.log(f"Python {version}: {r.base_python}")
            return
        if r.opt.uv_python:
            if r.opt.python_mirror:
                env["UV_PYTHON_INSTALL_MIRROR"] = r.opt.python_mirror
            r.run([r.uv, "python", "install", version], env=env)
            done = r.run([r.uv, "python", "find", version], timeout_s=SHORT_TIMEOUT_S, env=env)
            r.base_python = done.tail[-1].strip()
            return
    found = shutil.which(f"python{version}")
    if found:
        r.base_python = found
        return
    raise RigPilotError(
        "install-python-missing",
        Text("execute", "No Python {version} was found on this machine.", version=version),
        Text(
            "execute",
            "Install Python {version} (64-bit) from https://www.python.org/downloads/ or allow uv to "
            "download it, "
            "then run it again.",
            version=version,
        ),
    )


def _environment(r: _Run, step: Step) -> None:
    r.env.parent.mkdir(parents=True, exist_ok=True)
    if r.executor == "uv":
        r.run([r.uv, "venv", "--python", r.base_python, str(r.env)], timeout_s=SHORT_TIMEOUT_S)
    else:
        r.run([r.base_python, "-m", "venv", str(r.env)], timeout_s=SHORT_TIMEOUT_S)
    if not r.py.exists():
        raise RigPilotError(
            "install-venv-failed",
            Text("execute", "The environment was created but {python} is not there.", python=str(r.py)),
            Text("execute", "Read the log; on Ubuntu install python3-venv for the chosen Python."),
        )


def _fetch_stack(r: _Run) -> list[str]:
    """The resolved torch-stack wheel files: downloaded into DIR/wheels, wheelhouse files used in place."""
    files = []
    for name, wf in r.resolved.items():
        if r.cancel.is_set:
            raise runner.cancelled_error()
        url = str(wf.url)
        if not re.match(r"^(https?|file)://", url):  # a wheelhouse file: a local path
            files.append(url)
            continue
        r.emit(
            Event(
                "progress",
                r.step_id,
                done=0,
                total=wf.size,
                text=Text("execute", "Downloading {file}", file=wf.filename),
            )
        )
        fetch.download(
            url,
            r.wheels / wf.filename,
            sha256=wf.sha256,
            size=wf.size,
            progress=r.progress(wf.filename),
            cancel=r.cancel,
        )
        r.log(f"{wf.filename}: downloaded ({name})")
        files.append(str(r.wheels / wf.filename))
    return files


def _torch_stack(r: _Run, step: Step) -> None:
    # the very files the preflight chose are installed, by path: an index can hold another build under
    # the same version (PyPI's torch 2.5.0 is a CUDA build; the S80's comes from the torch_musa release),
    # and a resolver free to choose would take it. Their dependencies come from the indexes.
    files = _fetch_stack(r)
    argv = r.installer()
    # a find-links mirror of the torch index (flat+URL) serves no dependencies: those come from PyPI
    indexes = [u for u in _indexes(r.job) if not u.startswith("flat+")] or [r.job.pypi_url]
    argv += ["--index-url", indexes[0]]
    for extra in indexes[1:]:
        argv += ["--extra-index-url", extra]
    r.run([*argv, *files])
    report = _env_report(r, ["torch"])
    for name, wf in r.resolved.items():
        got = installed_version(report, name)
        if got is None or got != wf.version:
            raise RigPilotError(
                "install-pin-not-installed",
                Text(
                    "execute",
                    "{name}=={want} was asked for, the environment has {got}.",
                    name=name,
                    want=wf.version,
                    got=got or "nothing",
                ),
                Text("execute", "Read the log of the torch step; run the install again."),
            )
        r.installed_stack[name] = got


def env_report(
    python: str, modules: list[str], *, cancel: Cancel | None = None, env: dict | None = None
) -> dict:
    """``installers/env_script.py`` run by ``python``: its distributions and the outcome of importing
    ``modules`` (each in a fresh interpreter)."""
    done = runner.run(
        [python, str(ENV_SCRIPT), *modules],
        timeout_s=SHORT_TIMEOUT_S + 120 * len(modules),
        cancel=cancel,
        env=env or runner.python_env(),
    )
    for line in reversed(done.tail):
        if line.startswith("RIGPILOT-ENV:"):
            return json.loads(line[len("RIGPILOT-ENV:") :])
    raise RigPilotError(
        "install-env-broken",
        Text("execute", "The environment's python does not run: {tail}", tail="\n".join(done.tail[-5:])),
        Text("execute", "Read the log; run the install again."),
    )


def _env_report(r: _Run, modules: list[str]) -> dict:
    return env_report(str(r.py), modules, cancel=r.cancel, env=r.child_env())


def _app(r: _Run, step: Step) -> None:
    data = dict(step.data)
    kind, source = data.get("source_kind"), data.get("source")
    if step.status == "skipped":
        return
    if kind == "folder":
        r.app_dir = Path(str(source))
        if not r.app_dir.is_dir():
            raise RigPilotError(
                "install-app-folder-missing",
                Text("execute", "The app folder {path} does not exist.", path=str(source)),
                Text(
                    "execute",
                    "Pass the folder that holds the app (its main.py), or a release archive or URL.",
                ),
            )
        return
    current = r.dir / "app"
    mark = _read_mark(current)
    if mark and mark.get("source") == source and (current / (r.job.app.target or "")).exists():
        r.app_dir = current
        r.log(f"the app is already there ({mark.get('version') or source}); kept as it is")
        return
    archive = Path(str(source))
    if kind == "url":
        url = _mirror_url(str(source), r.job.github_prefix)
        name = fetch.filename_of(str(source))
        if r.job.app.id and not name.startswith(r.job.app.id):
            name = f"{r.job.app.id}-{name}"
        archive = fetch.download(url, r.dir / "downloads" / name, progress=r.progress(name), cancel=r.cancel)
    # a first install unpacks straight into DIR/app (extract() renames a finished tree into place); an app
    # that is there already is replaced only at the switch, with the user's folders moved across
    dest = r.dir / "app.staging" if current.exists() else current
    shutil.rmtree(r.dir / "app.staging", ignore_errors=True)
    fetch.extract(archive, dest, cancel=r.cancel)
    _write_mark(dest, {"source": source, "version": data.get("version"), "app": r.job.app.id})
    r.app_dir, r.app_staged = dest, dest != current


def _mirror_url(url: str, prefix: str) -> str:
    if prefix and url.startswith("https://github.com/"):
        return prefix.rstrip("/") + "/" + url
    return url


def _read_mark(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / APP_MARK).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _write_mark(folder: Path, data: dict) -> None:
    (folder / APP_MARK).write_text(json.dumps(data, indent=1), encoding="utf-8")


REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def filter_requirements(text: str, pinned: set, skipped: set) -> tuple[list[str], list[str]]:
    """The app's requirement lines without the torch stack (the constraints pin what is installed) and
    without companions the profile pins no build of; the names dropped."""
    kept, dropped = [], []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        m = REQ_NAME.match(line)
        name = normalize(m.group(1)) if m and not line.startswith("-") else None
        if name and (name in skipped or name in pinned or name in TORCH_STACK):
            dropped.append(line)
            continue
        kept.append(line)
    return kept, dropped


def _constraints(r: _Run) -> Path:
    path = r.dir / "constraints.txt"
    lines = [f"# written by RigPilot: the torch stack of profile {r.job.selection.id}, exactly as installed"]
    lines += [f"{name}=={version}" for name, version in sorted(r.installed_stack.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _requirements(r: _Run, step: Step) -> None:
    if step.status == "skipped" or r.app_dir is None:
        return
    req = r.app_dir / (r.job.app.requirements or "requirements.txt")
    if not req.is_file():
        raise RigPilotError(
            "install-requirements-missing",
            Text("execute", "{path} does not exist.", path=str(req)),
            Text("execute", "Check the app source: it should hold {name}.", name=req.name),
        )
    pinned = set(r.installed_stack)
    skipped = {
        normalize(x) for x in dict(step.data).get("skipped") or COMPANIONS if normalize(x) not in pinned
    }
    kept, dropped = filter_requirements(req.read_text(encoding="utf-8", errors="replace"), pinned, skipped)
    for line in dropped:
        r.log(f"left out of the requirements: {line} (the constraints decide it)")
    out = r.dir / "requirements.rigpilot.txt"
    extra = list(r.job.app.extra_requirements)
    if extra:
        r.log(f"added from the app profile: {' '.join(extra)} (imported by the app, not in {req.name})")
    out.write_text(f"# from {req}\n" + "\n".join([*kept, *extra]) + "\n", encoding="utf-8")
    constraints = _constraints(r)
    argv = [*r.installer(), "-r", str(out), "-c", str(constraints), "--find-links", str(r.wheels)]
    argv += ["--index-url", r.job.pypi_url]
    r.run(argv)
    _check_stack_kept(r)


def _check_stack_kept(r: _Run) -> None:
    report = _env_report(r, [])
    for name, want in r.installed_stack.items():
        got = installed_version(report, name)
        if got != want:
            raise RigPilotError(
                "install-torch-replaced",
                Text(
                    "execute",
                    "The app's requirements replaced {name} {want} with {got}.",
                    name=name,
                    want=want,
                    got=got or "nothing",
                ),
                Text(
                    "execute",
                    "A requirement forces another build; remove it from the requirements or choose another "
                    "profile.",
                ),
            )


def _extras(r: _Run, step: Step) -> None:
    if step.status == "skipped":
        return
    pins = [
        p for p in r.job.selection.packages if normalize(p.split("==")[0].split("[")[0]) not in TORCH_STACK
    ]
    constraints = _constraints(r)
    argv = [*r.installer(), "-c", str(constraints), "--find-links", str(r.wheels)]
    if r.opt.wheelhouse:
        argv += ["--find-links", r.opt.wheelhouse]
    argv += ["--index-url", r.job.pypi_url]
    r.run([*argv, *pins])
    _check_stack_kept(r)


def _lock(r: _Run, step: Step) -> None:
    report = _env_report(r, [])
    by_name = {normalize(k): k for k in report.get("distributions") or {}}
    packages = []
    for norm, name in sorted(by_name.items()):
        d = report["distributions"][name]
        entry: dict[str, Any] = {"name": name, "version": d.get("version"), "installer": d.get("installer")}
        wf = r.resolved.get(norm)
        if wf is not None:
            entry.update(file=wf.filename, url=wf.url, sha256=wf.sha256, source=wf.source, pinned=True)
            local = (
                Path(str(wf.url))
                if not re.match(r"^(https?|file)://", str(wf.url))
                else r.wheels / wf.filename
            )
            entry["path"] = str(local)
        elif d.get("url"):
            entry["url"] = d["url"]
        else:
            entry["source"] = r.job.pypi_url
        packages.append(entry)
    lock = {
        "schema": "rigpilot.lock/1",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "profile": r.job.selection.id,
        "app": r.job.app.id,
        "python": report.get("python_version"),
        "executor": r.executor,
        "indexes": _indexes(r.job),
        "pypi": r.job.pypi_url,
        "torch_stack": dict(sorted(r.installed_stack.items())),
        "packages": packages,
    }
    from probes.core import jsonfile

    jsonfile.write_atomic(r.env / state.LOCK, lock)
    (r.env / "requirements.lock.txt").write_text(
        "".join(f"{p['name']}=={p['version']}\n" for p in packages if p.get("version")), encoding="utf-8"
    )


def _verify(r: _Run, step: Step) -> None:
    present = set(r.installed_stack)
    report = _env_report(r, VERIFY_MODULES)
    present |= {normalize(k) for k in report.get("distributions") or {}}
    runtime = r.job.runtime_probe(str(r.py)) if r.job.runtime_probe else None
    companions = tuple(n for n in r.installed_stack if n != "torch")
    expect = Expect(
        torch=r.installed_stack.get("torch", ""),
        api=expected_api(tuple(r.job.selection.packages), r.job.selection.index_url, r.job.selection.id),
        companions=companions,
        torch_index=_indexes(r.job)[0],
        capability=r.job.capability,
        device_pending=r.device_pending,
    )
    r.checks = verify(runtime, report, expect, arch_check=r.job.arch_check)
    for c in r.checks:
        r.emit(
            Event(
                "note",
                r.step_id,
                status="ok" if c.ok else c.severity,
                text=c.message,
                code=c.code,
                hint=c.hint,
            )
        )
    bad = failures(r.checks)
    if bad:
        raise RigPilotError(
            bad[0].code or "verify-failed", bad[0].message, bad[0].hint, context={"verify": True}
        )
    if r.job.smoke is not None:
        ok, code, text = r.job.smoke(str(r.py))
        r.emit(Event("note", r.step_id, status="ok" if ok else "error", text=text, code=code))
        if not ok:
            raise RigPilotError(
                code or "smoke-failed",
                text,
                Text("execute", "Read the smoke test's report above."),
                context={"verify": True},
            )


def _launch_script(r: _Run, step: Step) -> None:
    if r.job.render_script is None:
        return
    app_dir = r.dir / "app" if r.app_staged else r.app_dir
    r.script_text = r.job.render_script(str(r.py), str(app_dir or r.dir / "app"))


HANDLERS: dict[str, Callable[[_Run, Step], None]] = {
    "interpreter": _interpreter,
    "environment": _environment,
    "torch-stack": _torch_stack,
    "app": _app,
    "app-requirements": _requirements,
    "extras": _extras,
    "lock": _lock,
    "verify": _verify,
    "launch-script": _launch_script,
}


# ------------------------------------------------------------------------------------------- commit
def _script_path(r: _Run, fmt: str) -> Path:
    return r.dir / f"run-{r.job.app.id}.{fmt}"


def _commit(r: _Run) -> tuple[Path | None, Path]:
    """Make the new environment current: state first, then the launch script; both atomic."""
    assert r.journal is not None
    if r.app_staged:
        moved = state.switch_app(r.dir, r.journal, USER_DIRS.get(r.job.app.id, ()))
        for name in moved:
            r.log(f"moved {name} into the new app folder")
        r.app_dir = r.dir / "app"
    script = None
    script_new = None
    if r.script_text is not None:
        text, fmt = r.script_text
        from installers.scripts import encode

        (r.env / f"run-{r.job.app.id}.{fmt}").write_bytes(encode(text, fmt))  # the env keeps its own copy
        script = _script_path(r, fmt)
        script_new = script.with_name(script.name + ".new")
        script_new.write_bytes(encode(text, fmt))
        if fmt == "sh":
            script_new.chmod(0o755)
    old = state.read_state(r.dir) or {}
    entry = {
        "env_id": r.env_id,
        "env": str(r.env),
        "python": str(r.py),
        "profile": r.job.selection.id,
        "app": r.job.app.id,
        "app_dir": str(r.app_dir) if r.app_dir else None,
        "app_version": (_read_mark(r.app_dir) or {}).get("version") if r.app_dir else None,
        "torch": r.installed_stack.get("torch"),
        "script": str(script) if script else None,
        "installed": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "executor": r.executor,
    }
    new_state = {
        "app": r.job.app.id,
        "dir": str(r.dir),
        "current": entry,
        "previous": old.get("current"),
        "history": [*(old.get("history") or [])[-19:], {"env_id": r.env_id, "installed": entry["installed"]}],
    }
    r.journal.update(phase="switching", script_new=str(script_new) if script_new else None)
    state.write_state(r.dir, new_state)
    if script_new is not None and script is not None:
        os.replace(script_new, script)
    shutil.copyfile(r.env / state.LOCK, r.dir / state.LOCK)
    for gone in state.prune(r.dir, new_state):
        r.log(f"removed the old environment envs/{gone}")
    return script, r.dir / state.LOCK


# ------------------------------------------------------------------------------------------- driver
def execute(
    job: Job, *, on_event: Callable[[Event], None] | None = None, cancel: Cancel | None = None
) -> Result:
    """Run the plan; never raises for what the user can fix (the Result carries code and hint)."""
    started = time.monotonic()
    r = _Run(job, on_event, cancel)
    result = Result(
        "failed", str(r.dir), env_id=r.env_id, env=str(r.env), python=str(r.py), executor=r.executor
    )
    steps = list(job.plan.steps)
    count = len(steps) + 1
    try:
        refuse_blocked(job.plan)
        r.step_id = "preflight"
        title = Text("execute", "Check the pins and the disk")
        r.emit(Event("step", "preflight", "running", text=title, index=1, count=count))
        t0 = time.monotonic()
        try:
            _preflight(r)  # asks the indexes; writes nothing
        except RigPilotError as err:
            r.emit(
                Event(
                    "step",
                    "preflight",
                    "failed",
                    text=err.message,
                    code=err.code,
                    hint=err.hint,
                    index=1,
                    count=count,
                )
            )
            raise
        r.journal = state.begin(r.dir, r.env_id)
        fetch.clean_parts(r.wheels)
        for line in state.recovered(r.journal):
            r.note(Text("execute", "Cleaned up after an interrupted install: {what}", what=line))
        r.log_path.parent.mkdir(parents=True, exist_ok=True)
        r.log_fh = open(r.log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in finally
        result.log = str(r.log_path)
        result.executor = r.executor
        result.steps.append(("preflight", "ok", time.monotonic() - t0))
        r.emit(Event("step", "preflight", "ok", text=title, index=1, count=count))
        for i, step in enumerate(steps, 2):
            _run_step(r, step, i, count, result)
        result.torch = r.installed_stack.get("torch")
        script, lock = _commit(r)
        result.status, result.script, result.lock = "ok", str(script) if script else None, str(lock)
        result.app_dir = str(r.app_dir) if r.app_dir else None
        if job.data_dir is not None:
            records.add(job.data_dir, records.from_result(result, job))
    except RigPilotError as err:
        result.error = err
        result.status = (
            "cancelled"
            if err.code == "install-cancelled"
            else "verify-failed"
            if err.context.get("verify")
            else "failed"
        )
        _abandon(r, result)
    except OSError as err:
        result.error = (
            fetch.disk_full(r.dir)
            if err.errno == 28
            else RigPilotError(
                "install-io-error",
                Text("execute", "Writing in {folder} failed: {error}", folder=str(r.dir), error=str(err)),
                Text(
                    "execute",
                    "Check that the folder is writable and the disk is not full, then run it again.",
                ),
            )
        )
        _abandon(r, result)
    finally:
        result.checks, result.notes = r.checks, r.notes
        result.seconds = time.monotonic() - started
        if r.journal is not None and result.status in ("ok", "failed", "cancelled", "verify-failed"):
            r.journal.close()
        if r.log_fh is not None:
            r.log_fh.write(f"result: {result.status} {result.error.code if result.error else ''}\n")
            r.log_fh.close()
    return result


def _run_step(r: _Run, step: Step, i: int, count: int, result: Result) -> None:
    r.step_id = step.id
    t0 = time.monotonic()
    if step.status == "needs-user":  # the driver: the plan says what to do; the environment is still built
        r.device_pending = True
        r.emit(
            Event(
                "step",
                step.id,
                "needs-user",
                text=step.title,
                code=step.code,
                hint=step.hint,
                index=i,
                count=count,
            )
        )
        result.steps.append((step.id, "needs-user", 0.0))
        return
    handler = HANDLERS.get(step.kind)
    if step.status == "skipped" or handler is None:
        r.emit(Event("step", step.id, "skipped", text=step.title, index=i, count=count))
        result.steps.append((step.id, "skipped", 0.0))
        return
    r.emit(Event("step", step.id, "running", text=step.title, index=i, count=count))
    try:
        handler(r, step)
    except RigPilotError as err:
        status = "cancelled" if err.code == "install-cancelled" else "failed"
        r.emit(
            Event(
                "step", step.id, status, text=err.message, code=err.code, hint=err.hint, index=i, count=count
            )
        )
        result.steps.append((step.id, status, time.monotonic() - t0))
        raise
    result.steps.append((step.id, "ok", time.monotonic() - t0))
    r.emit(Event("step", step.id, "ok", text=step.title, index=i, count=count))


def _abandon(r: _Run, result: Result) -> None:
    """Nothing was switched. A failed verification keeps its environment for inspection (with its own
    launch script); anything else is removed. The app's staging folder goes either way."""
    if result.status == "verify-failed" and r.env.exists():
        if r.script_text is None and r.job.render_script is not None:
            try:
                r.script_text = r.job.render_script(str(r.py), str(r.app_dir or r.dir / "app"))
            except RigPilotError:
                r.script_text = None
        if r.script_text is not None:
            from installers.scripts import encode

            text, fmt = r.script_text
            path = r.env / f"run-{r.job.app.id}.{fmt}"
            path.write_bytes(encode(text, fmt))
            if fmt == "sh":
                path.chmod(0o755)
            result.script = str(path)
        result.app_dir = str(r.app_dir) if r.app_dir else None
        r.note(
            Text(
                "execute",
                "Nothing was switched. The environment that failed verification is kept for inspection in "
                "{env}.",
                env=str(r.env),
            )
        )
        return
    try:
        cur = state.read_state(r.dir) or {}
    except RigPilotError:
        cur = {}
    keep = {(cur.get(k) or {}).get("env_id") for k in ("current", "previous")}
    if r.env_id not in keep:
        shutil.rmtree(r.env, ignore_errors=True)
    shutil.rmtree(r.dir / "app.staging", ignore_errors=True)
    result.env = result.python = None
