"""The install plan: from a match result, an app profile and the user's options, the ordered steps an
install would take, each with what it downloads, where it writes, why (the profile rule and its sources)
and a status (``planned``, ``blocked`` with a code and hint, ``needs-user``, ``skipped``).

Pure: nothing here touches the machine or the network, except the optional index check, which runs
through a checker passed in (``installers.index.check_requirements`` by default, once it exists).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render

if TYPE_CHECKING:
    from probes.core.model import ProbeResult
    from profiles.loader import Catalog
    from profiles.matcher import MatchResult, Selection
    from profiles.schema import AppProfile

SCHEMA = "rigpilot.install-plan/1"
STATUSES = ("planned", "blocked", "needs-user", "skipped")
PYPI = "https://pypi.org/simple"
PYTHON_DOWNLOADS = "https://www.python.org/downloads/"
# the torch build itself and the packages built against it; other profile pins are extras on top
TORCH_STACK = ("torch", "torchvision", "torchaudio", "torch-musa", "torch-supa")
# packages apps require that are built for one torch: without a profile pin they are left out
COMPANIONS = ("torchvision", "torchaudio")
DRIVER_PROBLEMS = ("driver-not-installed", "driver-not-loaded", "nvml-driver-mismatch")
DRIVER_RULES = ("match.driver", "cuda.driver_floor")

Checker = Callable[..., Sequence[Any]]


def normalize(name: str) -> str:
    """PEP 503 name normalization."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Download:
    name: str
    version: str | None
    source: str  # the index URL, "wheelhouse:<dir>" or the archive URL
    filename: str | None = None
    url: str | None = None
    size: int | None = None
    sha256: str | None = None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "filename": self.filename,
            "url": self.url,
            "size_bytes": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    title: Text
    status: str = "planned"
    why: tuple = ()  # Text
    sources: tuple = ()  # str
    downloads: tuple = ()  # Download
    writes: tuple = ()  # paths
    commands: tuple = ()  # argv tuples, as the executor would run them
    notes: tuple = ()  # Text
    code: str | None = None
    hint: Text | str | None = None
    data: tuple = ()  # ((key, value), ...): step-specific facts (constraints lines, pages, ...)

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": render(self.title, lang),
            "status": self.status,
            "code": self.code,
            "hint": render(self.hint, lang) if self.hint is not None else None,
            "why": [render(w, lang) for w in self.why],
            "sources": list(self.sources),
            "downloads": [d.to_json() for d in self.downloads],
            "writes": list(self.writes),
            "commands": [list(c) for c in self.commands],
            "notes": [render(n, lang) for n in self.notes],
            "data": {k: list(v) if isinstance(v, tuple) else v for k, v in self.data},
        }


@dataclass(frozen=True)
class InstallOptions:
    dir: str  # the install folder (absolute)
    os_name: str = "linux"
    machine: str = "x86_64"
    python: str | None = None  # an interpreter the user names
    app_source: str | None = None  # URL, folder or archive; None = the app profile's pinned release
    index_url: str | None = None  # replaces the profile's torch index (a mirror)
    wheelhouse: str | None = None
    check_index: bool = False
    executor: str = "uv"  # "uv" | "pip"
    uv_python: bool = True  # may uv provision a missing interpreter
    python_mirror: str | None = None  # UV_PYTHON_INSTALL_MIRROR
    # a real install of a simulated rig's plan: built on this machine, so its interpreter is looked for
    # here at run time instead of in the simulated probe
    build_here: bool = False


@dataclass(frozen=True)
class InstallPlan:
    app: str
    profile: str
    dir: str
    os: str
    python: str | None
    steps: tuple
    simulated: str | None = None

    @property
    def status(self) -> str:
        statuses = {s.status for s in self.steps}
        for s in ("blocked", "needs-user"):
            if s in statuses:
                return s
        return "planned"

    def step(self, kind: str) -> Step | None:
        return next((s for s in self.steps if s.kind == kind), None)

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "schema": SCHEMA,
            "app": self.app,
            "profile": self.profile,
            "dir": self.dir,
            "os": self.os,
            "python": self.python,
            "simulated": self.simulated,
            "status": self.status,
            "steps": [s.to_json(lang) for s in self.steps],
        }


@dataclass(frozen=True)
class _Target:  # the shape of installers.index.Target, used until that module is there
    python_version: str
    os: str
    machine: str = "x86_64"


@dataclass
class _Ctx:
    sel: Selection
    app: AppProfile
    opt: InstallOptions
    probe: ProbeResult
    catalog: Catalog
    layout: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------- helpers
def _join(opt: InstallOptions, *parts: str) -> str:
    cls = PureWindowsPath if opt.os_name == "windows" else PurePosixPath
    return str(cls(opt.dir, *parts))


def _layout(opt: InstallOptions, app: AppProfile) -> dict:
    # every install builds a new environment folder envs/<id> (the date and time it starts) that is never
    # moved; the state file makes it current once verified (installers/state.py)
    env = _join(opt, "envs", "<new>")
    staging = env
    py = ("Scripts", "python.exe") if opt.os_name == "windows" else ("bin", "python")
    app_dir = opt.app_source if _source_kind(opt.app_source) == "folder" else _join(opt, "app")
    return {
        "env": env,
        "staging": staging,
        "env_python": str((PureWindowsPath if opt.os_name == "windows" else PurePosixPath)(staging, *py)),
        "final_python": str((PureWindowsPath if opt.os_name == "windows" else PurePosixPath)(env, *py)),
        "app_dir": app_dir or _join(opt, "app"),
        "constraints": _join(opt, "constraints.txt"),
        "requirements": _join(opt, "requirements.rigpilot.txt"),
        "lock": _join(opt, "rigpilot-lock.json"),
        "script": _join(opt, f"run-{app.id}.{'bat' if opt.os_name == 'windows' else 'sh'}"),
    }


def _source_kind(source: str | None) -> str | None:
    if not source:
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*://", source):
        return "url"
    if source.lower().endswith((".tar.gz", ".tgz", ".zip")):
        return "archive"
    return "folder"


def _pins(packages: Sequence[str]) -> list[tuple[str, str]]:
    out = []
    for p in packages:
        name, _, version = p.partition("==")
        out.append((re.sub(r"\[.*\]$", "", name), version))
    return out


def _wheelhouse_rows(c: _Ctx) -> tuple[set[str], str | None, tuple]:
    """Names (normalized) of the chosen profile's pins that only a wheelhouse provides, the page they come
    from and the table row's sources."""
    t = c.catalog.tables.get("wheel-sources")
    for row in t.rows if t else ():
        if row["profile"] == c.sel.profile_id:
            return {normalize(n) for n in row["packages"]}, row["url"], tuple(row.sources)
    return set(), None, ()


def _install_cmd(c: _Ctx, pins: Sequence[str], indexes: Sequence[str], wheelhouse_only: bool) -> tuple:
    py = c.layout["env_python"]
    head = (
        ("uv", "pip", "install", "--python", py) if c.opt.executor == "uv" else (py, "-m", "pip", "install")
    )
    args: list[str] = []
    if wheelhouse_only:
        args += ["--no-index", "--find-links", c.opt.wheelhouse or "WHEELHOUSE"]
    else:
        flat = [u[len("flat+") :] for u in indexes if u.startswith("flat+")]
        plain = [u for u in indexes if not u.startswith("flat+")] or ([PYPI] if flat else [])
        for page in flat:
            args += ["--find-links", page]
        if plain:
            args += ["--index-url", plain[0]]
            for extra in plain[1:]:
                args += ["--extra-index-url", extra]
        if c.opt.wheelhouse:
            args += ["--find-links", c.opt.wheelhouse]
    return (*head, *args, *pins)


# ------------------------------------------------------------------------------------------- steps
def _driver_step(c: _Ctx, match_result: MatchResult) -> Step | None:
    """Point 8: the driver or toolkit the probe finds missing or too old, with the vendor's page."""
    gpu = match_result.gpu
    if gpu is None:
        return None
    problems = [
        p
        for p in c.probe.problems
        if p.code in DRIVER_PROBLEMS and (p.gpu is None or p.gpu == gpu.index) and p.severity != "info"
    ]
    chosen = next((x for x in match_result.candidates if x.id == c.sel.id), None)
    failed = [r for r in (chosen.reasons if chosen else ()) if r.rule in DRIVER_RULES and not r.ok]
    missing = gpu.driver.loaded is False or not gpu.driver.version
    if not (problems or failed or missing):
        return None
    rows = c.catalog.tables.get("driver-downloads")
    row = next(
        (r for r in (rows.rows if rows else ()) if r["vendor"] == gpu.vendor and c.opt.os_name in r["os"]),
        None,
    )
    needs = [f"{k}: {v}" for k, v in c.sel.requires if k in ("driver", "toolkit")]
    why = [Text("install", "The probe reports: {message}", message=p.message) for p in problems]
    why += [r.message for r in failed]
    if missing and not problems:
        why.append(Text("install", "The probe found no working driver for {gpu}.", gpu=gpu.name or "?"))
    data: list[tuple[str, Any]] = [("needs", tuple(needs))]
    notes = [Text("install", "RigPilot does not install drivers; the environment can be built before it.")]
    hint = Text("install", "Install the driver from the vendor's page, then run Detect again.")
    sources: tuple = tuple(s for r in failed for s in r.sources)
    if row is not None:
        data += [("page", row["page"]), ("what", row["what"])]
        if row.get("command"):
            data.append(("command", row["command"]))
        sources += tuple(row.sources)
        hint = Text(
            "install", "Download it from {page}, install it, then run Detect again.", page=row["page"]
        )
    else:
        notes.append(Text("install", "No download page is known for this vendor and OS."))
    return Step(
        id="driver",
        kind="driver",
        title=Text("install", "Install the GPU driver / toolkit ({needs})", needs="; ".join(needs) or "-"),
        status="needs-user",
        why=tuple(why),
        sources=sources,
        notes=tuple(notes),
        code="install-driver-needed",
        hint=hint,
        data=tuple(data),
    )


def _found_pythons(c: _Ctx, version: str) -> list[str]:
    found = []
    for p in c.probe.host.pythons or []:
        if isinstance(p, dict) and str(p.get("version") or "").split(".")[:2] == version.split(".")[:2]:
            found.append(str(p.get("executable") or p.get("path")))
    for r in c.probe.runtimes:
        if (r.python_version or "").split(".")[:2] == version.split(".")[:2] and r.python not in found:
            found.append(r.python)
    return [f for f in found if f and f != "None"]


def _interpreter_step(c: _Ctx) -> Step:
    version = c.sel.python
    why = (Text("install", "Profile {id} needs Python {version}.", id=c.sel.id, version=version or "?"),)
    title = Text("install", "Python {version} interpreter", version=version or "?")
    base = Step(id="interpreter", kind="interpreter", title=title, why=why, sources=tuple(c.sel.sources))
    if c.opt.python:
        c.layout["python"] = c.opt.python
        return replace(
            base,
            notes=(Text("install", "Uses the interpreter you gave: {path}", path=c.opt.python),),
            data=(("path", c.opt.python),),
        )
    if not version:
        return replace(
            base,
            status="blocked",
            code="install-no-python-version",
            hint=Text("install", "Pass --python with the interpreter to use."),
        )
    found = _found_pythons(c, version)
    if found:
        c.layout["python"] = found[0]
        return replace(
            base,
            notes=(Text("install", "Uses the interpreter the probe found: {path}", path=found[0]),),
            data=(("path", found[0]),),
        )
    if c.opt.uv_python:
        c.layout["python"] = version
        cmd: tuple = ("uv", "python", "install", version)
        notes = [Text("install", "No Python {version} was found; uv downloads one.", version=version)]
        data: list[tuple[str, Any]] = [("path", None)]
        if c.opt.python_mirror:
            data.append(("env", (f"UV_PYTHON_INSTALL_MIRROR={c.opt.python_mirror}",)))
            notes.append(Text("install", "Download mirror: {url}", url=c.opt.python_mirror))
        return replace(
            base,
            commands=(cmd,),
            downloads=(Download("cpython", version, c.opt.python_mirror or "uv python downloads"),),
            notes=tuple(notes),
            data=tuple(data),
        )
    if c.opt.build_here:  # a simulated rig's plan built for real on this machine: its Python is found here
        c.layout["python"] = version
        return replace(
            base,
            notes=(
                Text(
                    "install",
                    "Simulated rig: Python {version} is looked for on this machine.",
                    version=version,
                ),
            ),
            data=(("path", None),),
        )
    return replace(
        base,
        status="blocked",
        code="install-python-missing",
        hint=Text(
            "install",
            "Install Python {version} (64-bit) from {url}, or allow uv to provision it, then plan again.",
            version=version,
            url=PYTHON_DOWNLOADS,
        ),
    )


def _environment_step(c: _Ctx) -> Step:
    py = c.layout.get("python") or "python"
    if c.opt.executor == "uv":
        cmd: tuple = ("uv", "venv", "--python", py, c.layout["staging"])
    else:
        cmd = (py, "-m", "venv", c.layout["staging"])
    return Step(
        id="environment",
        kind="environment",
        title=Text("install", "Create the environment"),
        why=(Text("install", "The app gets its own environment, separate from every other Python."),),
        writes=(c.layout["staging"],),
        commands=(cmd,),
        notes=(
            Text(
                "install",
                "Built in a new folder {staging}; it becomes the current environment only after every step "
                "and the verification passed, and the previous one is kept for a rollback.",
                staging=c.layout["staging"],
            ),
        ),
        data=(("staging", c.layout["staging"]), ("final", c.layout["env"])),
    )


def _indexes(c: _Ctx) -> tuple[str, ...]:
    first = c.opt.index_url or c.sel.index_url
    return tuple(x for x in (first, *c.sel.extra_index_urls) if x) or (PYPI,)


def _check_index(c: _Ctx, pins: list[str], step: Step, checker: Checker | None) -> Step:
    """Ask the index (or wheelhouse) for a file of each exact pin for this Python and platform."""
    target_cls: Any = _Target
    if checker is None:
        try:
            _index: Any = importlib.import_module("installers.index")
        except ImportError:
            note = Text("install", "The index check is not available in this version; nothing was checked.")
            return replace(step, notes=(*step.notes, note))
        checker, target_cls = _index.check_requirements, _index.Target
    target = target_cls(python_version=c.sel.python or "", os=c.opt.os_name, machine=c.opt.machine)
    results = list(checker(pins, target, index_urls=_indexes(c), wheelhouse=c.opt.wheelhouse))
    downloads = list(step.downloads)
    failure: RigPilotError | None = None
    for i, res in enumerate(results[: len(downloads)]):
        if isinstance(res, RigPilotError):
            failure = failure or res  # the first pin that has no file blocks the step
            continue
        downloads[i] = replace(
            downloads[i],
            filename=getattr(res, "filename", None),
            url=getattr(res, "url", None),
            size=getattr(res, "size", None),
            sha256=getattr(res, "sha256", None),
        )
    if failure is not None:  # what was found is kept: the user sees which files are missing
        return replace(
            step,
            downloads=tuple(downloads),
            status="blocked",
            code=failure.code,
            hint=failure.hint,
            notes=(*step.notes, failure.message),
        )
    note = Text(
        "install",
        "Checked: every pin has a file for Python {python} on {os}.",
        python=target.python_version,
        os=c.opt.os_name,
    )
    return replace(step, downloads=tuple(downloads), notes=(*step.notes, note))


def _torch_step(c: _Ctx, checker: Checker | None) -> Step:
    pins = [p for p in c.sel.packages if normalize(_pins([p])[0][0]) in TORCH_STACK]
    title = Text("install", "Install the torch stack")
    why = (Text("install", "The exact pins of profile {id}.", id=c.sel.id),)
    if not pins:
        return Step(
            id="torch-stack",
            kind="torch-stack",
            title=title,
            status="blocked",
            why=why,
            sources=tuple(c.sel.sources),
            code="install-profile-no-pins",
            hint=Text(
                "install",
                "Profile {id} pins no torch build; choose another profile with --profile.",
                id=c.sel.id,
            ),
        )
    only_wh, page, wh_sources = _wheelhouse_rows(c)
    indexes = _indexes(c)
    downloads = []
    for name, version in _pins(pins):
        from_wh = normalize(name) in only_wh
        src = (
            f"wheelhouse:{c.opt.wheelhouse}"
            if from_wh and c.opt.wheelhouse
            else (page if from_wh else indexes[0])
        )
        downloads.append(Download(name, version, str(src)))
    wh_pins = [p for p in pins if normalize(_pins([p])[0][0]) in only_wh]
    idx_pins = [p for p in pins if p not in wh_pins]
    commands = []
    if wh_pins:
        commands.append(_install_cmd(c, wh_pins, indexes, True))
    if idx_pins:
        commands.append(_install_cmd(c, idx_pins, indexes, False))
    notes: list[Text] = []
    if c.opt.index_url:
        notes.append(Text("install", "Index replaced by your --index-url {url}.", url=c.opt.index_url))
    step = Step(
        id="torch-stack",
        kind="torch-stack",
        title=title,
        why=why,
        sources=(*c.sel.sources, *wh_sources),
        downloads=tuple(downloads),
        writes=(c.layout["staging"],),
        commands=tuple(commands),
        notes=tuple(notes),
        data=(
            ("indexes", indexes),
            ("pins", tuple(pins)),
            ("wheelhouse_pins", tuple(wh_pins)),
            ("wheelhouse_page", page),
        ),
    )
    if wh_pins and not c.opt.wheelhouse:
        return replace(
            step,
            status="blocked",
            code="install-wheelhouse-needed",
            hint=Text(
                "install",
                "No index serves {packages}: download their wheels for Python {python} from {url} into a "
                "folder and pass --wheelhouse DIR.",
                packages=", ".join(wh_pins),
                python=c.sel.python or "?",
                url=page or "-",
            ),
        )
    if c.opt.check_index:
        step = _check_index(c, pins, step, checker)
    return step


def _app_step(c: _Ctx) -> Step:
    app = c.app
    title = Text("install", "Get the app: {app}", app=app.title)
    base = Step(id="app", kind="app", title=title, sources=tuple(app.sources))
    kind = _source_kind(c.opt.app_source)
    dest = c.layout["app_dir"]
    if app.id == "generic":
        return replace(
            base,
            status="skipped",
            why=(Text("install", "The generic app is your own script: nothing to download."),),
        )
    if kind == "folder":
        return replace(
            base,
            why=(Text("install", "Uses your folder as it is: {path}", path=c.opt.app_source),),
            data=(("source", c.opt.app_source), ("source_kind", "folder")),
        )
    if kind in ("url", "archive"):
        dl = (Download(app.id, None, str(c.opt.app_source)),) if kind == "url" else ()
        return replace(
            base,
            why=(Text("install", "The source you gave: {source}", source=c.opt.app_source),),
            downloads=dl,
            writes=(dest,),
            data=(("source", c.opt.app_source), ("source_kind", kind)),
        )
    if app.source:
        return replace(
            base,
            why=(
                Text(
                    "install",
                    "The pinned, known-good release {version} named in the app profile.",
                    version=app.version,
                ),
            ),
            downloads=(Download(app.id, app.version, app.source, url=app.source),),
            writes=(dest,),
            data=(("source", app.source), ("source_kind", "url"), ("version", app.version)),
        )
    return replace(
        base,
        status="blocked",
        why=(Text("install", "The app profile names no release to download."),),
        code="install-app-source-needed",
        hint=Text("install", "Pass --app-source with the app's folder, archive or release URL."),
    )


def _requirements_step(c: _Ctx) -> Step:
    app = c.app
    title = Text("install", "Install the app's requirements under the torch pins")
    if app.id == "generic" or not (app.requirements or _source_kind(c.opt.app_source)):
        return Step(
            id="app-requirements",
            kind="app-requirements",
            title=title,
            status="skipped",
            why=(Text("install", "The app profile names no requirements file."),),
        )
    req_name = app.requirements or "requirements.txt"
    req = str(
        (PureWindowsPath if c.opt.os_name == "windows" else PurePosixPath)(c.layout["app_dir"], req_name)
    )
    pinned = {normalize(n) for n, _ in _pins(c.sel.packages)}
    skipped = [x for x in COMPANIONS if x not in pinned]
    notes = [
        Text(
            "install",
            "{package}: skipped, the profile pins no build of it for torch {torch}; left out of the "
            "requirements so it cannot pull in another torch.",
            package=x,
            torch=dict(_pins(c.sel.packages)).get("torch", "?"),
        )
        for x in skipped
    ]
    py = c.layout["env_python"]
    head = (
        ("uv", "pip", "install", "--python", py) if c.opt.executor == "uv" else (py, "-m", "pip", "install")
    )
    return Step(
        id="app-requirements",
        kind="app-requirements",
        title=title,
        why=(
            Text(
                "install",
                "The constraints file pins every package of the torch stack to the profile's exact versions, "
                "so no requirement can replace them.",
            ),
        ),
        sources=tuple(c.sel.sources),
        writes=(c.layout["constraints"], c.layout["requirements"], c.layout["staging"]),
        commands=((*head, "-r", c.layout["requirements"], "-c", c.layout["constraints"]),),
        notes=tuple(notes),
        data=(
            ("requirements_from", req),
            ("constraints", tuple(c.sel.packages)),
            ("skipped", tuple(skipped)),
        ),
    )


def _extras_step(c: _Ctx) -> Step:
    extras = [p for p in c.sel.packages if normalize(_pins([p])[0][0]) not in TORCH_STACK]
    title = Text("install", "Install the profile's extras")
    if not extras:
        return Step(
            id="extras",
            kind="extras",
            title=title,
            status="skipped",
            why=(Text("install", "The profile has no extras."),),
        )
    indexes = (PYPI,) if c.sel.index_url and not c.opt.index_url else _indexes(c)
    why = [Text("install", "Pinned by profile {id} on top of torch.", id=c.sel.id)]
    if c.sel.preload:
        why.append(Text("install", "The launcher imports {module} before the app.", module=c.sel.preload))
    return Step(
        id="extras",
        kind="extras",
        title=title,
        why=tuple(why),
        sources=tuple(c.sel.sources),
        downloads=tuple(Download(n, v, indexes[0]) for n, v in _pins(extras)),
        writes=(c.layout["staging"],),
        commands=((*_install_cmd(c, extras, indexes, False), "-c", c.layout["constraints"]),),
    )


def _tail_steps(c: _Ctx) -> list[Step]:
    torch = dict(_pins(c.sel.packages)).get("torch")
    return [
        Step(
            id="lock",
            kind="lock",
            title=Text("install", "Write the lock file"),
            why=(
                Text(
                    "install",
                    "Every installed distribution with its version, index or file and hash, "
                    "to rebuild the same stack.",
                ),
            ),
            writes=(c.layout["lock"],),
        ),
        Step(
            id="verify",
            kind="verify",
            title=Text("install", "Verify the environment"),
            why=(
                Text(
                    "install",
                    "The runtime probe in the new environment must show the profile's torch build "
                    "and the GPU.",
                ),
            ),
            data=(("torch", torch), ("profile", c.sel.id)),
        ),
        Step(
            id="launch-script",
            kind="launch-script",
            title=Text("install", "Write the launch script"),
            why=(Text("install", "With the profile's environment and the app's flags."),),
            writes=(c.layout["script"],),
            data=(("python", c.layout["final_python"]), ("app_dir", c.layout["app_dir"])),
        ),
    ]


def build_plan(
    match_result: MatchResult,
    app_profile: AppProfile,
    options: InstallOptions,
    probe_result: ProbeResult,
    *,
    catalog: Catalog | None = None,
    checker: Checker | None = None,
) -> InstallPlan:
    """The ordered steps of installing ``app_profile`` with the chosen profile of ``match_result``."""
    if catalog is None:
        from profiles.loader import load_catalog

        catalog = load_catalog()
    c = _Ctx(match_result.chosen, app_profile, options, probe_result, catalog)
    c.layout = _layout(options, app_profile)
    steps: list[Step] = []
    driver = _driver_step(c, match_result)
    if driver is not None:
        steps.append(driver)
    steps.append(_interpreter_step(c))
    steps.append(_environment_step(c))
    steps.append(_torch_step(c, checker))
    steps.append(_app_step(c))
    steps.append(_requirements_step(c))
    steps.append(_extras_step(c))
    steps += _tail_steps(c)
    return InstallPlan(
        app=app_profile.id,
        profile=c.sel.id,
        dir=options.dir,
        os=options.os_name,
        python=c.sel.python,
        steps=tuple(steps),
        simulated=match_result.simulated,
    )
