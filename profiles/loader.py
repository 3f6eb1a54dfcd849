"""Load the TOML profile data (``profiles/data``) into frozen dataclasses.

``load_catalog()`` raises ProfileError (file + line) on the first bad file; with an error list
``load_dir()`` collects every error instead (``profiles.validation.validate_dir`` uses it so that
``profiles validate`` reports them all).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dependency there)
    import tomli as tomllib

from profiles import schema
from profiles.schema import AppProfile, HardwareProfile, ProfileError, Table

DATA_DIR = Path(__file__).resolve().parent / "data"
_Loaded = TypeVar("_Loaded", HardwareProfile, AppProfile, Table)


@dataclass(frozen=True)
class Catalog:
    hardware: tuple[HardwareProfile, ...]  # sorted by id
    apps: tuple[AppProfile, ...]  # sorted by id
    tables: dict[str, Table]  # id -> Table

    def profile(self, pid: str) -> HardwareProfile | None:
        return next((p for p in self.hardware if p.id == pid), None)

    def app(self, aid: str) -> AppProfile | None:
        return next((a for a in self.apps if a.id == aid), None)

    def table(self, tid: str) -> Table:
        return self.tables[tid]


def _read(path: Path, root: Path) -> tuple[dict, str, str]:
    rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(rel, None, f"cannot read the file: {exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ProfileError(rel, int(m.group(1)) if m else None, f"TOML syntax error: {exc}") from None
    return doc, text, rel


def _load_files(
    root: Path, sub: str, parse: Callable[[dict, str, str], _Loaded], errors: list[ProfileError] | None
) -> list[_Loaded]:
    """Every ``root/sub/*.toml`` through ``parse``; a bad file raises, or is collected into ``errors``."""
    loaded = []
    for path in sorted((root / sub).glob("*.toml")):
        try:
            doc, text, rel = _read(path, root)
            loaded.append(parse(doc, rel, text))
        except ProfileError as err:
            if errors is None:
                raise
            errors.append(err)
    return loaded


def load_dir(root: Path, errors: list[ProfileError] | None) -> Catalog:
    """The catalog in ``root``. Without ``errors`` the first bad file raises its ProfileError; with a
    list, every error goes into it and the catalog holds the files that loaded."""
    hardware = _load_files(root, "hardware", schema.hardware_profile, errors)
    apps = _load_files(root, "apps", schema.app_profile, errors)
    tables = {t.id: t for t in _load_files(root, "tables", schema.table, errors)}
    seen: dict[str, str] = {}
    profiles: list[HardwareProfile | AppProfile] = [*hardware, *apps]
    for obj in profiles:
        if obj.id in seen:
            duplicate = ProfileError(obj.path, None, f"duplicate id '{obj.id}' (also in {seen[obj.id]})")
            if errors is None:
                raise duplicate
            errors.append(duplicate)
        seen[obj.id] = obj.path
    return Catalog(
        tuple(sorted(hardware, key=lambda p: p.id)), tuple(sorted(apps, key=lambda a: a.id)), tables
    )


def local_dirs() -> tuple[Path, ...]:
    """Folders of the user's own profiles, loaded on top of the shipped ones (a local profile with the id
    of a shipped one replaces it): ``<data dir>/profiles`` and each folder in ``RIGPILOT_PROFILES``
    (``os.pathsep``-separated). Each has the layout of ``profiles/data`` (hardware/, apps/, tables/)."""
    from probes.core.paths import default_data_dir

    extra = [Path(p) for p in os.environ.get("RIGPILOT_PROFILES", "").split(os.pathsep) if p]
    return tuple(p for p in (default_data_dir() / "profiles", *extra) if p.is_dir())


def _overlay(base: Catalog, top: Catalog) -> Catalog:
    hw = {p.id: p for p in base.hardware} | {p.id: p for p in top.hardware}
    apps = {a.id: a for a in base.apps} | {a.id: a for a in top.apps}
    return Catalog(
        tuple(sorted(hw.values(), key=lambda p: p.id)),
        tuple(sorted(apps.values(), key=lambda a: a.id)),
        {**base.tables, **top.tables},
    )


def load_catalog(root: Path | str | None = None) -> Catalog:
    """The shipped catalog (or the one in ``root``), with the user's local profiles on top when ``root``
    is not given."""
    if root:
        return _load_cached(Path(root), ())
    return _load_cached(DATA_DIR, local_dirs())


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path, extra: tuple[Path, ...]) -> Catalog:
    catalog = load_dir(root, None)
    for folder in extra:
        catalog = _overlay(catalog, load_dir(folder, None))
    return catalog


__all__ = [
    "AppProfile",
    "Catalog",
    "HardwareProfile",
    "ProfileError",
    "Table",
    "load_catalog",
]
