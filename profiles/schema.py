"""Profile data model (frozen dataclasses) and the validation of TOML documents against it.

A hardware profile is one TOML file under ``profiles/data/hardware/``; an app profile one file under
``profiles/data/apps/``; a release table one file under ``profiles/data/tables/`` with ``[[row]]``
entries. Every profile and every table row carries ``confidence`` and ``sources``. Unknown keys and bad
values are ``ProfileError`` (a RigPilotError, code ``profile-invalid``) naming the file and the line.
tomllib gives no positions, so :func:`find_line` scans the file text for the key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NoReturn, overload

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from probes.core.errors import RigPilotError
from probes.core.i18n import Text
from probes.core.model import COMPUTE_APIS, VENDORS

CONFIDENCES = ("official", "community", "unverified")
OSES = ("linux", "windows", "darwin")
STRATEGIES = ("static", "cuda-table", "rocm-table")
VRAM_MODES = ("auto", "high", "normal", "medium", "low", "cpu")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")
ATTENTIONS = ("auto", "pytorch", "split", "quad", "none")
PRELOADS = ("torchada",)
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9_,.-]+\])?==[A-Za-z0-9.+!_-]+$")


class ProfileError(RigPilotError):
    def __init__(self, path: str, line: int | None, detail: str):
        where = f"{path}:{line}" if line else path
        super().__init__(
            "profile-invalid",
            Text("profiles", "Invalid profile data in {where}: {detail}", where=where, detail=detail),
            Text(
                "profiles",
                "Fix or remove the key named in the message; "
                "`python main.py profiles validate` checks every file.",
            ),
            context={"path": path, "line": line, "detail": detail},
        )
        self.path = path
        self.line = line
        self.detail = detail


# ---------------------------------------------------------------------------------- line finding
_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _key_re(key: str) -> re.Pattern:
    k = re.escape(key)
    return re.compile(rf'^\s*(?:{k}|"{k}"|\'{k}\')\s*=')


def _header_index(lines: list[str], name: str, occurrence: int) -> int | None:
    """Index in ``lines`` of the ``occurrence``-th (0-based) header ``[name]`` or ``[[name]]``."""
    seen = -1
    for i, line in enumerate(lines):
        m = _HEADER_RE.match(line)
        if m and m.group(2).strip().strip('"') == name:
            seen += 1
            if seen == occurrence:
                return i
    return None


def find_line(text: str, table: tuple = (), key: str | None = None) -> int | None:
    """Line (1-based) of ``key`` inside ``table`` in TOML ``text``; None if not found.

    ``table`` is a tuple of (header, occurrence) pairs, e.g. ``(("match", 0),)`` for ``[match]`` or
    ``(("row", 3),)`` for the fourth ``[[row]]``. An empty table means the top level. Without ``key``
    the header's own line is returned. Keys inside inline tables on the section's lines are found too.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    if table:
        name, occurrence = table[-1]
        header = _header_index(lines, name, occurrence or 0)
        if header is None:
            return None
        if key is None:
            return header + 1
        start = header + 1
    for i in range(start, len(lines)):
        if _HEADER_RE.match(lines[i]):
            end = i
            break
    if key is None:
        return None
    pat = _key_re(key)
    inline = re.compile(rf'[{{,]\s*(?:{re.escape(key)}|"{re.escape(key)}")\s*=')
    for i in range(start, end):
        if pat.match(lines[i]) or inline.search(lines[i]):
            return i + 1
    return None


# ---------------------------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class Match:
    vendor: tuple = ()
    os: tuple = ()
    api: tuple = ()
    pci_vendor_ids: tuple = ()
    pci_device_ids: tuple = ()
    name_pattern: str | None = None
    capability: str | None = None  # PEP 440 specifier over "8.6"
    gfx: tuple = ()
    arch: tuple = ()
    driver: str | None = None  # PEP 440 specifier over the driver version
    no_gpu: bool = False
    fallback: bool = False


@dataclass(frozen=True)
class Tuning:
    vram_mode: str = "auto"
    precision: str = "auto"
    attention: str = "auto"


@dataclass(frozen=True)
class KnownProblem:
    """An error text users meet with this profile, what it means and what to do (shown by the app)."""

    pattern: str
    meaning: str
    hint: str
    sources: tuple


@dataclass(frozen=True)
class HardwareProfile:
    id: str
    title: str
    confidence: str
    sources: tuple
    match: Match
    python: str | None = None
    index_url: str | None = None
    extra_index_urls: tuple = ()
    packages: tuple = ()
    requires: tuple = ()  # (("driver", ">=525"), ("toolkit", "MUSA SDK 4.2.0"))
    env: tuple = ()  # (("NAME", "value"), ...)
    env_sources: tuple = ()
    tuning: Tuning = field(default_factory=Tuning)
    strategy: str = "static"
    device_env: str | None = None
    preload: str | None = None
    app_flags: tuple = ()  # (("comfyui", ("--directml",)), ...)
    notes: tuple = ()
    warnings: tuple = ()
    known_problems: tuple = ()  # KnownProblem
    priority: int = 50
    path: str = ""

    def app_extra_flags(self, app_id: str) -> tuple:
        return dict(self.app_flags).get(app_id, ())


@dataclass(frozen=True)
class AppProfile:
    id: str
    title: str
    confidence: str
    sources: tuple
    entry: str  # "script" (python <script> …) | "module" (python -m <module> …)
    target: str | None  # "main.py", "app.main", None for generic (user gives --script)
    args_env: str | None = None  # A1111: flags go into COMMANDLINE_ARGS instead of argv
    vram_flags: tuple = ()  # (("low", ("--lowvram",)), ...)
    precision_flags: tuple = ()
    attention_flags: tuple = ()
    port_flag: str | None = None
    default_port: int | None = None
    listen_flag: str | None = None
    device_flag: str | None = None
    notes: tuple = ()
    source: str | None = None  # a pinned, known-good release archive (https URL, .tar.gz or .zip)
    version: str | None = None  # the release that archive holds ("v0.3.64")
    requirements: str | None = None  # the app's requirements file, relative to its folder
    # requirements the app imports but its file does not name (installed with it, under the same constraints)
    extra_requirements: tuple = ()
    path: str = ""


@dataclass(frozen=True)
class TableRow:
    values: tuple  # ((key, value), ...) in file order
    confidence: str
    sources: tuple
    line: int | None = None

    def get(self, key, default=None):
        return dict(self.values).get(key, default)

    def __getitem__(self, key):
        return dict(self.values)[key]


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    sources: tuple
    rows: tuple
    path: str = ""


# ---------------------------------------------------------------------------------- validation
class _Checker:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    def fail(self, table: tuple, key: str | None, detail: str) -> NoReturn:
        line = find_line(self.text, table, key) if key is not None else find_line(self.text, table)
        if line is None and table:
            line = find_line(self.text, table)
        raise ProfileError(self.path, line, detail)

    def keys(self, d: dict, allowed: set[str], table: tuple = (), required: tuple = ()) -> None:
        for k in d:
            if k not in allowed:
                self.fail(table, k, f"unknown key '{k}'")
        for k in required:
            if k not in d:
                self.fail(table, None, f"missing required key '{k}'")

    @overload
    def string(
        self,
        d: dict,
        key: str,
        table: tuple = (),
        *,
        choices: Sequence[str] | None = None,
        required: Literal[True],
        default: None = None,
    ) -> str: ...

    @overload
    def string(
        self,
        d: dict,
        key: str,
        table: tuple = (),
        *,
        choices: Sequence[str] | None = None,
        required: bool = False,
        default: str,
    ) -> str: ...

    @overload
    def string(
        self,
        d: dict,
        key: str,
        table: tuple = (),
        *,
        choices: Sequence[str] | None = None,
        required: bool = False,
        default: None = None,
    ) -> str | None: ...

    def string(
        self,
        d: dict,
        key: str,
        table: tuple = (),
        *,
        choices: Sequence[str] | None = None,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        if key not in d:
            if required:
                self.fail(table, None, f"missing required key '{key}'")
            return default
        v = d[key]
        if not isinstance(v, str) or not v.strip():
            self.fail(table, key, f"'{key}' must be a non-empty string")
        if choices and v not in choices:
            self.fail(table, key, f"'{key}' must be one of {', '.join(choices)}, not '{v}'")
        return v

    def strings(
        self,
        d: dict,
        key: str,
        table: tuple = (),
        *,
        choices: Sequence[str] | None = None,
        required: bool = False,
    ) -> tuple[str, ...]:
        if key not in d:
            if required:
                self.fail(table, None, f"missing required key '{key}'")
            return ()
        v = d[key]
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            self.fail(table, key, f"'{key}' must be a list of non-empty strings")
        if choices:
            for x in v:
                if x not in choices:
                    self.fail(table, key, f"'{key}' entry '{x}' must be one of {', '.join(choices)}")
        return tuple(v)

    def spec(self, d: dict, key: str, table: tuple = ()) -> str | None:
        v = self.string(d, key, table)
        if v is None:
            return None
        try:
            SpecifierSet(v)
        except InvalidSpecifier:
            self.fail(table, key, f"'{key}' is not a PEP 440 specifier: '{v}'")
        return v

    def boolean(self, d: dict, key: str, table: tuple = (), default: bool = False) -> bool:
        if key not in d:
            return default
        if not isinstance(d[key], bool):
            self.fail(table, key, f"'{key}' must be true or false")
        return d[key]

    @overload
    def integer(self, d: dict, key: str, table: tuple = (), *, default: int) -> int: ...

    @overload
    def integer(self, d: dict, key: str, table: tuple = (), *, default: None = None) -> int | None: ...

    def integer(self, d: dict, key: str, table: tuple = (), *, default: int | None = None) -> int | None:
        if key not in d:
            return default
        if not isinstance(d[key], int) or isinstance(d[key], bool):
            self.fail(table, key, f"'{key}' must be an integer")
        return d[key]

    def sources(self, d: dict, table: tuple = ()) -> tuple[str, ...]:
        src = self.strings(d, "sources", table, required=True)
        if not src:
            self.fail(table, "sources", "'sources' must name at least one source")
        return src

    def table(self, d: dict, key: str, table: tuple = ()) -> dict:
        if key not in d:
            return {}
        if not isinstance(d[key], dict):
            self.fail(table, key, f"'{key}' must be a table")
        return d[key]


_HW_KEYS = {
    "id",
    "title",
    "confidence",
    "sources",
    "python",
    "index_url",
    "extra_index_urls",
    "packages",
    "requires",
    "env",
    "env_sources",
    "tuning",
    "strategy",
    "device_env",
    "preload",
    "app_flags",
    "notes",
    "warnings",
    "priority",
    "match",
    "known_problems",
}
_MATCH_KEYS = {
    "vendor",
    "os",
    "api",
    "pci_vendor_ids",
    "pci_device_ids",
    "name_pattern",
    "capability",
    "gfx",
    "arch",
    "driver",
    "no_gpu",
    "fallback",
}
_TUNING_KEYS = {"vram_mode", "precision", "attention"}
_REQ_KEYS = {"driver", "toolkit", "os", "python"}


def _match_section(c: _Checker, doc: dict) -> Match:
    mt = (("match", 0),)
    m = c.table(doc, "match")
    c.keys(m, _MATCH_KEYS, mt)
    pattern = c.string(m, "name_pattern", mt)
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            c.fail(mt, "name_pattern", f"bad regular expression: {exc}")
    pci_v = c.strings(m, "pci_vendor_ids", mt)
    pci_d = c.strings(m, "pci_device_ids", mt)
    for k, ids in (("pci_vendor_ids", pci_v), ("pci_device_ids", pci_d)):
        for x in ids:
            if not re.fullmatch(r"[0-9a-f]{4}", x):
                c.fail(mt, k, f"PCI id '{x}' must be 4 lowercase hex digits")
    return Match(
        vendor=c.strings(m, "vendor", mt, choices=VENDORS),
        os=c.strings(m, "os", mt, choices=OSES),
        api=c.strings(m, "api", mt, choices=COMPUTE_APIS),
        pci_vendor_ids=pci_v,
        pci_device_ids=pci_d,
        name_pattern=pattern,
        capability=c.spec(m, "capability", mt),
        gfx=c.strings(m, "gfx", mt),
        arch=c.strings(m, "arch", mt),
        driver=c.spec(m, "driver", mt),
        no_gpu=c.boolean(m, "no_gpu", mt),
        fallback=c.boolean(m, "fallback", mt),
    )


def _tuning_section(c: _Checker, doc: dict) -> Tuning:
    tt = (("tuning", 0),)
    t = c.table(doc, "tuning")
    c.keys(t, _TUNING_KEYS, tt)
    return Tuning(
        vram_mode=c.string(t, "vram_mode", tt, choices=VRAM_MODES, default="auto"),
        precision=c.string(t, "precision", tt, choices=PRECISIONS, default="auto"),
        attention=c.string(t, "attention", tt, choices=ATTENTIONS, default="auto"),
    )


def _env_section(c: _Checker, doc: dict) -> dict:
    et = (("env", 0),)
    env = c.table(doc, "env")
    for k, v in env.items():
        if not ENV_NAME_RE.match(k):
            c.fail(et, k, f"environment variable name '{k}' is not valid")
        if not isinstance(v, str):
            c.fail(et, k, f"environment value of '{k}' must be a string")
    return env


def _requires_section(c: _Checker, doc: dict) -> dict:
    rt = (("requires", 0),)
    req = c.table(doc, "requires")
    c.keys(req, _REQ_KEYS, rt)
    for k, v in req.items():
        if not isinstance(v, str):
            c.fail(rt, k, f"'{k}' must be a string")
    return req


def _pinned_packages(c: _Checker, doc: dict) -> tuple:
    packages = c.strings(doc, "packages")
    for p in packages:
        if not PIN_RE.match(p):
            c.fail((), "packages", f"package '{p}' is not an exact pin (name==version)")
    return packages


def _python_version(c: _Checker, doc: dict) -> str | None:
    python = c.string(doc, "python")
    if python:
        try:
            Version(python)
        except InvalidVersion:
            c.fail((), "python", f"python '{python}' is not a version")
    return python


def _app_flags_section(c: _Checker, doc: dict) -> tuple:
    at = (("app_flags", 0),)
    af = c.table(doc, "app_flags")
    app_flags = []
    for k, v in af.items():
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            c.fail(at, k, f"app flags of '{k}' must be a list of strings")
        app_flags.append((k, tuple(v)))
    return tuple(app_flags)


def _known_problems(c: _Checker, doc: dict) -> tuple:
    kp = doc.get("known_problems", [])
    if not isinstance(kp, list):
        c.fail((), "known_problems", "'known_problems' must be an array of tables ([[known_problems]])")
    known = []
    for i, entry in enumerate(kp):
        kt = (("known_problems", i),)
        if not isinstance(entry, dict):
            c.fail((), "known_problems", "'known_problems' must be an array of tables ([[known_problems]])")
        c.keys(
            entry, {"pattern", "meaning", "hint", "sources"}, kt, ("pattern", "meaning", "hint", "sources")
        )
        known.append(
            KnownProblem(
                pattern=c.string(entry, "pattern", kt, required=True),
                meaning=c.string(entry, "meaning", kt, required=True),
                hint=c.string(entry, "hint", kt, required=True),
                sources=c.sources(entry, kt),
            )
        )
    return tuple(known)


def hardware_profile(doc: dict, path: str, text: str) -> HardwareProfile:
    c = _Checker(path, text)
    c.keys(doc, _HW_KEYS, (), ("id", "title", "confidence", "sources", "match"))
    pid = c.string(doc, "id", required=True)
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", pid):
        c.fail((), "id", f"id '{pid}' must be lowercase kebab-case")
    match = _match_section(c, doc)
    tuning = _tuning_section(c, doc)
    env = _env_section(c, doc)
    req = _requires_section(c, doc)
    packages = _pinned_packages(c, doc)
    python = _python_version(c, doc)
    app_flags = _app_flags_section(c, doc)
    known = _known_problems(c, doc)
    device_env = c.string(doc, "device_env")
    if device_env and not ENV_NAME_RE.match(device_env):
        c.fail((), "device_env", f"'{device_env}' is not a valid variable name")
    return HardwareProfile(
        id=pid,
        title=c.string(doc, "title", required=True),
        confidence=c.string(doc, "confidence", choices=CONFIDENCES, required=True),
        sources=c.sources(doc),
        match=match,
        python=python,
        index_url=c.string(doc, "index_url"),
        extra_index_urls=c.strings(doc, "extra_index_urls"),
        packages=packages,
        requires=tuple(req.items()),
        env=tuple(env.items()),
        env_sources=c.strings(doc, "env_sources"),
        tuning=tuning,
        strategy=c.string(doc, "strategy", choices=STRATEGIES, default="static"),
        device_env=device_env,
        preload=c.string(doc, "preload", choices=PRELOADS),
        app_flags=app_flags,
        notes=c.strings(doc, "notes"),
        warnings=c.strings(doc, "warnings"),
        known_problems=known,
        priority=c.integer(doc, "priority", default=50),
        path=path,
    )


_APP_KEYS = {
    "id",
    "title",
    "confidence",
    "sources",
    "entry",
    "target",
    "args_env",
    "vram_flags",
    "precision_flags",
    "attention_flags",
    "port_flag",
    "default_port",
    "listen_flag",
    "device_flag",
    "notes",
    "source",
    "version",
    "requirements",
    "extra_requirements",
}
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")


def _app_source(c: _Checker, doc: dict) -> tuple[str | None, str | None, str | None]:
    """``source`` (an https archive), the ``version`` it holds (required with it) and ``requirements``."""
    source = c.string(doc, "source")
    version = c.string(doc, "version")
    if source is not None:
        if not source.startswith("https://") or not source.endswith(ARCHIVE_SUFFIXES):
            c.fail(
                (), "source", f"'source' must be an https URL of a .tar.gz or .zip archive, not '{source}'"
            )
        if version is None:
            c.fail((), None, "'source' needs 'version' (the release the archive holds)")
    elif version is not None:
        c.fail((), "version", "'version' needs 'source'")
    requirements = c.string(doc, "requirements")
    if requirements is not None and (requirements.startswith(("/", "\\")) or ".." in requirements):
        c.fail(
            (), "requirements", f"'requirements' must be a path inside the app folder, not '{requirements}'"
        )
    return source, version, requirements


def app_profile(doc: dict, path: str, text: str) -> AppProfile:
    c = _Checker(path, text)
    c.keys(doc, _APP_KEYS, (), ("id", "title", "confidence", "sources", "entry"))

    def flag_map(key, choices):
        tt = ((key, 0),)
        d = c.table(doc, key)
        out = []
        for k, v in d.items():
            if k not in choices:
                c.fail(tt, k, f"unknown key '{k}' (expected one of {', '.join(choices)})")
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                c.fail(tt, k, f"'{k}' must be a list of strings")
            out.append((k, tuple(v)))
        return tuple(out)

    source, version, requirements = _app_source(c, doc)
    return AppProfile(
        id=c.string(doc, "id", required=True),
        title=c.string(doc, "title", required=True),
        confidence=c.string(doc, "confidence", choices=CONFIDENCES, required=True),
        sources=c.sources(doc),
        entry=c.string(doc, "entry", choices=("script", "module"), required=True),
        target=c.string(doc, "target"),
        args_env=c.string(doc, "args_env"),
        vram_flags=flag_map("vram_flags", VRAM_MODES),
        precision_flags=flag_map("precision_flags", PRECISIONS),
        attention_flags=flag_map("attention_flags", ATTENTIONS),
        port_flag=c.string(doc, "port_flag"),
        default_port=c.integer(doc, "default_port"),
        listen_flag=c.string(doc, "listen_flag"),
        device_flag=c.string(doc, "device_flag"),
        notes=c.strings(doc, "notes"),
        source=source,
        version=version,
        requirements=requirements,
        extra_requirements=c.strings(doc, "extra_requirements"),
        path=path,
    )


_TABLE_KEYS = {"id", "title", "sources", "columns", "row"}


def table(doc: dict, path: str, text: str) -> Table:
    c = _Checker(path, text)
    c.keys(doc, _TABLE_KEYS, (), ("id", "title", "sources", "columns", "row"))
    columns = doc["columns"]
    if not isinstance(columns, dict) or not columns:
        c.fail((), "columns", "'columns' must be a table of column name = type")
    types = {"string": str, "strings": list, "integer": int, "boolean": bool, "spec": str, "version": str}
    for k, v in columns.items():
        if v not in types and not (isinstance(v, str) and v.rstrip("?") in types):
            c.fail((("columns", 0),), k, f"column type '{v}' is not one of {', '.join(types)}")
    rows = []
    if not isinstance(doc["row"], list):
        c.fail((), "row", "'row' must be an array of tables ([[row]])")
    for i, r in enumerate(doc["row"]):
        rt = (("row", i),)
        allowed = set(columns) | {"confidence", "sources"}
        c.keys(r, allowed, rt, ("confidence", "sources"))
        values = []
        for col, typ in columns.items():
            optional = typ.endswith("?")
            typ = typ.rstrip("?")
            if col not in r:
                if not optional:
                    c.fail(rt, None, f"row {i + 1} is missing '{col}'")
                continue
            v = r[col]
            if typ == "strings":
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    c.fail(rt, col, f"'{col}' must be a list of strings")
                v = tuple(v)
            elif not isinstance(v, types[typ]) or (typ == "integer" and isinstance(v, bool)):
                c.fail(rt, col, f"'{col}' must be of type {typ}")
            if typ == "spec":
                c.spec(r, col, rt)
            if typ == "version":
                try:
                    Version(v)
                except InvalidVersion:
                    c.fail(rt, col, f"'{col}' = '{v}' is not a version")
            values.append((col, v))
        rows.append(
            TableRow(
                values=tuple(values),
                confidence=c.string(r, "confidence", rt, choices=CONFIDENCES, required=True),
                sources=c.sources(r, rt),
                line=find_line(text, rt),
            )
        )
    return Table(
        id=c.string(doc, "id", required=True),
        title=c.string(doc, "title", required=True),
        sources=c.sources(doc),
        rows=tuple(rows),
        path=path,
    )
